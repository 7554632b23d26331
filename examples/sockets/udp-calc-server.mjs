// The lecture's UDP calculator: a datagram "5 + 6" is answered with "11".
// Only "a op b" with + - * / here; the full calculator is a netkit service of its own.
// Run: node examples/sockets/udp-calc-server.mjs [HOST] [PORT]  (port 0: any free port)
import { AF_INET, SOCK_DGRAM, socket } from 'netkit/socket';

const [host = '127.0.0.1', port = '50007'] = process.argv.slice(2);

function calculate(text) {
  const match = /^\s*(-?\d+(?:\.\d+)?)\s*([-+*/])\s*(-?\d+(?:\.\d+)?)\s*$/.exec(text);
  if (!match) return 'error: expected "a op b", as in 5 + 6';
  const [, a, op, b] = match;
  const x = Number(a);
  const y = Number(b);
  if (op === '+') return String(x + y);
  if (op === '-') return String(x - y);
  if (op === '*') return String(x * y);
  if (y === 0) return 'error: division by zero';
  return String(x / y);
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
