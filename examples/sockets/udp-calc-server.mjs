// The lecture's UDP calculator: a datagram "5 + 6" is answered with "11".
// The socket loop is the lecture's; the arithmetic is netkit's calculator core (exact big
// numbers, Python's precedence, the (+, 5, 6) form), which never evaluates code.
// Run: node examples/sockets/udp-calc-server.mjs [HOST] [PORT]  (port 0: any free port)
import { evaluate } from 'netkit/calc';
import { AF_INET, SOCK_DGRAM, socket } from 'netkit/socket';

const [host = '127.0.0.1', port = '50007'] = process.argv.slice(2);

function calculate(text) {
  try {
    return evaluate(text.trim()).text;
  } catch (error) {
    return `error: ${error.message}`;
  }
}

const s = socket(AF_INET, SOCK_DGRAM);
await s.bind([host, Number(port)]);
console.log(`listening on ${s.getsockname().join(':')}`);

while (true) {
  const [data, addr] = await s.recvfrom(1024);
  const answer = calculate(data.toString());
  console.log(data.toString().trim(), '=', answer);
  await s.sendto(`${answer}\n`, addr); // one line per answer, as line-based UDP services do
}
