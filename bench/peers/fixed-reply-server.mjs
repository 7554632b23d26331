#!/usr/bin/env node
/**
 * The ceiling for a Node.js DNS server over UDP (bench/dns-serve.mjs): a bare dgram socket
 * that answers every datagram with one fixed, precomputed reply (`h1.bench.test. A`, one A
 * record), with only the query's ID copied in. No decoding, no lookup, no encoding.
 *
 *   node bench/peers/fixed-reply-server.mjs PORT
 */
import { createSocket } from 'node:dgram';

const port = Number(process.argv[2]);

function name(text) {
  const parts = text.split('.').filter(Boolean);
  return Buffer.concat([
    ...parts.map((p) => Buffer.concat([Buffer.from([p.length]), Buffer.from(p)])),
    Buffer.from([0]),
  ]);
}

// Header: ID 0, QR AA, RCODE 0; 1 question, 1 answer.
const header = Buffer.from([0, 0, 0x84, 0x00, 0, 1, 0, 1, 0, 0, 0, 0]);
const question = Buffer.concat([name('h1.bench.test'), Buffer.from([0, 1, 0, 1])]);
// The answer's owner is a pointer to the question's name (offset 12); TTL 3600; 10.0.0.1.
const answer = Buffer.from([0xc0, 12, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4, 10, 0, 0, 1]);
const reply = Buffer.concat([header, question, answer]);

const udp = createSocket('udp4');
udp.on('message', (message, peer) => {
  if (message.length < 12) return;
  // A copy per datagram: send() may still hold the previous one.
  const out = Buffer.allocUnsafe(reply.length);
  reply.copy(out);
  out[0] = message[0];
  out[1] = message[1];
  udp.send(out, peer.port, peer.address);
});
udp.bind(port, '127.0.0.1');
