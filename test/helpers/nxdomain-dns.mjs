#!/usr/bin/env node
/**
 * A DNS responder for hermetic tests: answers every query with NXDOMAIN, on 127.0.0.1:53
 * and [::1]:53 inside a private network namespace (see hermetic.ts), so lookups of names
 * that are in no file get a real "no such name" from a server on loopback instead of
 * going to the machine's resolver. Touches READY_FILE once it listens.
 * `node nxdomain-dns.mjs READY_FILE`
 */
import { createSocket } from 'node:dgram';
import { writeFileSync } from 'node:fs';

let bound = 0;
for (const [type, address] of [
  ['udp4', '127.0.0.1'],
  ['udp6', '::1'],
]) {
  const socket = createSocket(type);
  socket.on('message', (query, peer) => {
    if (query.length < 12) return;
    // The question: labels up to the root label, then QTYPE and QCLASS (RFC 1035 4.1.2).
    let at = 12;
    while (at < query.length && query[at] !== 0) at += query[at] + 1;
    const end = at + 5;
    if (end > query.length) return;
    const reply = Buffer.from(query.subarray(0, end));
    reply[2] = 0x80 | 0x04 | (query[2] & 0x79); // QR, AA; opcode and RD as asked
    reply[3] = 0x80 | 3; // RA, RCODE 3 (NXDOMAIN)
    reply.writeUInt16BE(1, 4);
    reply.fill(0, 6, 12); // no answer, authority or additional records
    socket.send(reply, peer.port, peer.address);
  });
  socket.bind(53, address, () => {
    if (++bound === 2) writeFileSync(process.argv[2], 'ready\n');
  });
}
