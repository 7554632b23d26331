// The lecture's UDP server: answer each datagram with its text in upper case.
// Run: node examples/sockets/udp-server.mjs [HOST] [PORT]  (port 0: any free port)
import { AF_INET, SOCK_DGRAM, socket } from 'netkit/socket';

const [host = '127.0.0.1', port = '50007'] = process.argv.slice(2);

const s = socket(AF_INET, SOCK_DGRAM);
await s.bind([host, Number(port)]);
console.log(`listening on ${s.getsockname().join(':')}`);

while (true) {
  const [data, addr] = await s.recvfrom(1024);
  console.log('received', data.toString(), 'from', addr);
  await s.sendto(data.toString().toUpperCase(), addr);
}
