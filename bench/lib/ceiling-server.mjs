#!/usr/bin/env node
/**
 * The ceiling for a Node.js server: bare TCP and UDP sockets that send one fixed reply per
 * request (per datagram, per line) and do no other work.
 * `node bench/lib/ceiling-server.mjs PORT 'REPLY'` (REPLY may contain \n escapes), or
 * `node bench/lib/ceiling-server.mjs PORT '' HEX` for a binary reply.
 */
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

const port = Number(process.argv[2]);
// A binary reply (an SNTP packet) comes as hex in the fourth argument.
const reply = process.argv[4]
  ? Buffer.from(process.argv[4], 'hex')
  : Buffer.from(JSON.parse(`"${process.argv[3] ?? '11\\n'}"`));

const udp = createSocket('udp4');
udp.on('message', (_message, peer) => udp.send(reply, peer.port, peer.address));
udp.bind(port, '127.0.0.1');

createServer((socket) => {
  // One write per chunk with a reply per request line in it: the cheapest a Node.js server
  // can answer pipelined requests (netkit's runtime corks its replies the same way).
  socket.on('data', (chunk) => {
    let lines = 0;
    for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) lines++;
    if (lines > 0) socket.write(lines === 1 ? reply : Buffer.concat(Array(lines).fill(reply)));
  });
  socket.on('error', () => {});
}).listen(port, '127.0.0.1', () => process.stdout.write('ready\n'));
