/**
 * The lookup examples run as a student runs them (`node examples/lookup/NAME.mjs`, after
 * npm run build, importing netkit/lookup through package.json "exports"), and print what
 * the Python programs they rewrite print.
 */
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { gethostbyaddr, gethostbyname, interfaces } from '../../src/lookup/index.js';
import { describeHermetic, hermeticArgv } from '../helpers/hermetic.js';
import { describeWithPeers, PYTHON3 } from '../helpers/peers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function example(name: string, ...args: string[]): string {
  const run = spawnSync(process.execPath, [`examples/lookup/${name}.mjs`, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return run.stdout;
}

function python(code: string): string {
  const run = spawnSync('python3', ['-c', `import socket\n${code}`], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout;
}

describeWithPeers('lookup examples print what the Python originals print', [PYTHON3], () => {
  it('gethostbyname', () => {
    expect(example('gethostbyname')).toBe(python("print(socket.gethostbyname('localhost'))"));
    expect(example('gethostbyname', '127.1')).toBe(python("print(socket.gethostbyname('127.1'))"));
  });

  it('getservbyname and getservbyport', () => {
    expect(example('getservbyname')).toBe(python("print(socket.getservbyname('http', 'tcp'))"));
    expect(example('getservbyname', 'domain', 'udp')).toBe(
      python("print(socket.getservbyname('domain', 'udp'))"),
    );
    expect(example('getservbyport')).toBe(python('print(socket.getservbyport(80))'));
    expect(example('getservbyport', '53', 'udp')).toBe(python("print(socket.getservbyport(53, 'udp'))"));
  });

  it('gethostname', () => {
    expect(example('gethostname')).toBe(
      python('host = socket.gethostname()\nprint(host, socket.gethostbyname(host))'),
    );
  });

  it('gethostbyname_ex', () => {
    const [name, aliases, addresses] = JSON.parse(
      python("import json\nprint(json.dumps(socket.gethostbyname_ex('localhost')))"),
    ) as [string, string[], string[]];
    expect(example('gethostbyname-ex')).toBe(
      `Name:      ${name}\nAliases:   ${aliases.join(' ')}\nAddresses: ${addresses.join(' ')}\n`,
    );
  });
});

describe('lookup examples without a Python peer', () => {
  it('gethostbyaddr prints the name, aliases and addresses', async () => {
    const { hostname: name, aliases, addresses } = await gethostbyaddr('127.0.0.1');
    const list = (items: string[]) =>
      items.length === 0 ? '[]' : `[ ${items.map((i) => `'${i}'`).join(', ')} ]`;
    expect(example('gethostbyaddr')).toBe(`${name} ${list(aliases)} ${list(addresses)}\n`);
  });

  it('ipconfig prints the host name and every interface address', async () => {
    const output = example('ipconfig');
    expect(output.startsWith(`Host name: ${hostname()}\n`)).toBe(true);
    for (const iface of interfaces()) {
      expect(output).toContain(`\n${iface.name}`);
      expect(output).toContain(`Physical address: ${iface.mac}`);
      for (const address of iface.addresses)
        expect(output).toContain(`IPv${address.family} address:     ${address.cidr}`);
    }
    expect(await gethostbyname('localhost')).toBe('127.0.0.1');
  });
});

describeHermetic('lookup examples: an unknown name', [], () => {
  it('an unknown name fails with the typed error', () => {
    // Hermetic: the unknown name is asked of a DNS server on loopback, never the real resolver.
    const argv = hermeticArgv([
      process.execPath,
      'examples/lookup/gethostbyname.mjs',
      'no-such-host.invalid',
    ]);
    const run = spawnSync(argv[0]!, argv.slice(1), { cwd: ROOT, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("code: 'NK_LOOKUP_NONAME'");
  });
});
