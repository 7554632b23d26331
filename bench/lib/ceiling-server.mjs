#!/usr/bin/env node
/**
 * The ceiling for a Node.js server: bare TCP and UDP sockets that send one fixed reply per
 * request (per datagram, per line) and do no other work.
 * `node bench/lib/ceiling-server.mjs PORT 'REPLY'` (REPLY may contain \n escapes).
 */
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

const port = Number(process.argv[2]);
const reply = Buffer.from(JSON.parse(`"${process.argv[3] ?? '11\\n'}"`));

const udp = createSocket('udp4');
udp.on('message', (_message, peer) => udp.send(reply, peer.port, peer.address));
udp.bind(port, '127.0.0.1');

createServer((socket) => {
  socket.on('data', (chunk) => {
    let at = chunk.indexOf(10);
    while (at >= 0) {
      socket.write(reply);
      at = chunk.indexOf(10, at + 1);
    }
  });
  socket.on('error', () => {});
}).listen(port, '127.0.0.1', () => process.stdout.write('ready\n'));
