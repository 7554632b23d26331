/**
 * Fuzzing the live server: thousands of random and mutated queries over UDP and TCP never
 * crash `netkit serve dns` or stop it answering good queries.
 */
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, makeQuery } from '../../src/dns/message.js';
import { freePort, killNetkitProcesses, type NetkitProcess, startNetkit } from '../helpers/netkit-process.js';

afterAll(killNetkitProcesses);

const good = () => encodeMessage(makeQuery('ns1.example.test.', 'A', { id: 4242, rd: false, edns: true }));

/** Random bytes, and good queries with bytes flipped, cut or spliced. */
function fuzzCases(count: number): Uint8Array[] {
  const base = good();
  const mutated = fc
    .tuple(
      fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
      fc.nat(base.length),
    )
    .map(([flips, cut]) => {
      const bytes = base.slice(0, Math.max(1, cut));
      for (const [at, value] of flips) if (at < bytes.length) bytes[at] = value;
      return bytes;
    });
  const random = fc.uint8Array({ minLength: 0, maxLength: 600 });
  return fc.sample(fc.oneof(mutated, random), { numRuns: count, seed: 7 });
}

/** One good query, sent up to 3 times (UDP may lose it when the machine is busy). */
function askUdp(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    let tries = 0;
    let timer: NodeJS.Timeout | undefined;
    const send = () => {
      if (tries++ === 3) {
        socket.close();
        resolve(false);
        return;
      }
      socket.send(good(), port, '127.0.0.1');
      timer = setTimeout(send, 2000);
    };
    socket.on('message', (message) => {
      const reply = decodeMessage(new Uint8Array(message));
      if (reply.id !== 4242) return;
      clearTimeout(timer);
      socket.close();
      resolve(reply.answer.length === 1);
    });
    send();
  });
}

describe('serve dns under fuzzing', () => {
  let server: NetkitProcess;
  let port: number;

  it('survives 5,000 random and mutated datagrams and keeps answering', async () => {
    port = await freePort();
    server = await startNetkit(
      [
        'serve',
        'dns',
        '--zone',
        'test/fixtures/dns/example.test.zone',
        '--listen',
        `udp://127.0.0.1:${port}`,
        '--listen',
        `tcp://127.0.0.1:${port}`,
        '--log-level',
        'error',
      ],
      /listening on/,
    );
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
    const cases = fuzzCases(5000);
    for (let i = 0; i < cases.length; i++) {
      socket.send(cases[i]!, port, '127.0.0.1');
      if (i % 500 === 499) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    socket.close();
    expect(await askUdp(port)).toBe(true);
    expect(server.child.exitCode).toBeNull();
  }, 30_000);

  it('survives random TCP frames and cut connections, and answers the next client', async () => {
    const cases = fuzzCases(300);
    for (let c = 0; c < 10; c++) {
      await new Promise<void>((resolve) => {
        const tcp = connect(port, '127.0.0.1', () => {
          for (const bytes of cases.slice(c * 30, c * 30 + 30)) {
            const frame = Buffer.alloc(2 + bytes.length);
            // Sometimes a lying length.
            frame.writeUInt16BE(c % 3 === 0 ? 0xffff : bytes.length, 0);
            frame.set(bytes, 2);
            tcp.write(frame);
          }
          tcp.destroy();
          resolve();
        });
        tcp.on('error', () => resolve());
      });
    }
    expect(await askUdp(port)).toBe(true);
    expect(server.child.exitCode).toBeNull();
  }, 30_000);
});
