/**
 * Runs netkit/lookup on a batch of queries (JSON on stdin) and prints every outcome as JSON,
 * in the shape socket-probe.py prints Python's, so differential tests compare them one by
 * one. It imports the built package as users do (npm run build first), so it can also run
 * inside a mount namespace where /etc/hosts and /etc/services are test fixtures.
 */
import {
  getaddrinfo,
  gethostbyaddr,
  gethostbyname,
  gethostbynameEx,
  getservbyname,
  getservbyport,
} from 'netkit/lookup';

/** An error as the differential tests name it: the Python exception it stands for. */
function errorName(error) {
  switch (error?.code) {
    case 'NK_LOOKUP_BAD_NAME':
    case 'NK_LOOKUP_BAD_PROTO':
      return 'bad-argument';
    case 'NK_LOOKUP_BAD_PORT':
      return 'bad-port';
    case 'NK_LOOKUP_SERVICE_NOT_FOUND':
      return 'OSError:service/proto not found';
    case 'NK_LOOKUP_PORT_NOT_FOUND':
      return 'OSError:port/proto not found';
    default:
      if (error?.details?.python === 'socket.gaierror') return `gaierror:${error.details.errno}`;
      if (error?.details?.python === 'socket.herror') return `herror:${error.details.errno}`;
      throw error;
  }
}

async function outcome(run) {
  try {
    return { ok: await run() };
  } catch (error) {
    return { error: errorName(error) };
  }
}

const pairs = (infos) => infos.map(({ family, address }) => [family, address]);
const triple = ({ hostname, aliases, addresses }) => [hostname, aliases, addresses];

let input = '';
for await (const chunk of process.stdin) input += chunk;
const query = JSON.parse(input);

const hosts = {};
for (const name of query.hosts ?? []) {
  hosts[name] = {
    gethostbyname: await outcome(() => gethostbyname(name)),
    gethostbyname_ex: await outcome(async () => triple(await gethostbynameEx(name))),
    gethostbyname_ex6: await outcome(async () => triple(await gethostbynameEx(name, { family: 6 }))),
    gethostbyaddr: await outcome(async () => triple(await gethostbyaddr(name))),
    getaddrinfo: await outcome(async () => pairs(await getaddrinfo(name))),
    getaddrinfo4: await outcome(async () => pairs(await getaddrinfo(name, { family: 4 }))),
  };
}
const byname = [];
for (const [name, proto] of query.byname ?? []) {
  byname.push(await outcome(() => getservbyname(name, proto ?? undefined)));
}
const byport = [];
for (const [port, proto] of query.byport ?? []) {
  byport.push(await outcome(() => getservbyport(port, proto ?? undefined)));
}
process.stdout.write(JSON.stringify({ hosts, byname, byport }));
