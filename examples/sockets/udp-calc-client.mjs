// The lecture's UDP calculator client: send an expression, print the answer.
// Run: node examples/sockets/udp-calc-client.mjs [HOST] [PORT] [EXPRESSION...]  e.g. ... 5 + 6
import { AF_INET, SOCK_DGRAM, socket } from 'netkit/socket';

const [host = '127.0.0.1', port = '50007', ...words] = process.argv.slice(2);
const expression = words.length > 0 ? words.join(' ') : '5 + 6';

const s = socket(AF_INET, SOCK_DGRAM);
s.setTimeout(2000); // UDP may lose the question or the answer: do not wait forever
try {
  await s.sendto(expression, [host, Number(port)]);
  const [data] = await s.recvfrom(1024);
  console.log(`${expression} = ${data.toString().trim()}`);
} catch (error) {
  if (error.code !== 'NK_SOCKET_TIMEOUT') throw error;
  console.error('no answer within 2 seconds');
  process.exitCode = 1;
} finally {
  await s.close();
}
