// The lecture's UDP client: send one datagram, print the answer.
// Run: node examples/sockets/udp-client.mjs [HOST] [PORT] [MESSAGE]
import { AF_INET, SOCK_DGRAM, socket } from 'netkit/socket';

const [host = '127.0.0.1', port = '50007', message = 'Hello, world'] = process.argv.slice(2);

const s = socket(AF_INET, SOCK_DGRAM);
s.setTimeout(2000); // UDP may lose the message or the answer: do not wait forever
try {
  await s.sendto(message, [host, Number(port)]);
  const [data, addr] = await s.recvfrom(1024);
  console.log('received', data.toString(), 'from', addr);
} catch (error) {
  if (error.code !== 'NK_SOCKET_TIMEOUT') throw error;
  console.error('no answer within 2 seconds');
  process.exitCode = 1;
} finally {
  await s.close();
}
