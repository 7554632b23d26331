/** `netkit serve dns --rrl-rate`: a flood of identical queries from one client is limited. */
import { createSocket } from 'node:dgram';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, makeQuery } from '../../src/dns/message.js';
import { freePort, killNetkitProcesses, startNetkit } from '../helpers/netkit-process.js';

afterAll(killNetkitProcesses);

describe('serve dns --rrl-rate', () => {
  it('answers `rate` identical queries a second, slips every 2nd over it as TC, drops the rest', async () => {
    const port = await freePort();
    await startNetkit(
      [
        'serve',
        'dns',
        '--zone',
        'test/fixtures/dns/example.test.zone',
        '--listen',
        `udp://127.0.0.1:${port}`,
        '--rrl-rate',
        '5',
        '--log-level',
        'warn',
      ],
      /listening on/,
    );
    const socket = createSocket('udp4');
    const replies: Uint8Array[] = [];
    socket.on('message', (message) => replies.push(new Uint8Array(message)));
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
    try {
      for (let i = 0; i < 40; i++)
        socket.send(
          encodeMessage(makeQuery('ns1.example.test.', 'A', { id: i, rd: false })),
          port,
          '127.0.0.1',
        );
      // Another question from the same client has its own allowance.
      socket.send(
        encodeMessage(makeQuery('ns2.example.test.', 'A', { id: 999, rd: false })),
        port,
        '127.0.0.1',
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      const decoded = replies.map((bytes) => decodeMessage(bytes));
      const ns1 = decoded.filter((m) => m.question[0]?.name.toText() === 'ns1.example.test.');
      const full = ns1.filter((m) => !m.flags.tc && m.answer.length === 1);
      const slipped = ns1.filter((m) => m.flags.tc && m.answer.length === 0);
      // The burst is the rate (5), plus whatever refilled while the 40 queries arrived.
      expect(full.length).toBeGreaterThanOrEqual(5);
      expect(full.length).toBeLessThanOrEqual(8);
      expect(slipped.length).toBeGreaterThanOrEqual(15);
      expect(full.length + slipped.length).toBeLessThan(40);
      expect(decoded.some((m) => m.id === 999 && m.answer.length === 1)).toBe(true);
    } finally {
      socket.close();
    }
  });
});
