/** The daytime service over stream and datagram, without sockets: the actions and replies. */
import { describe, expect, it } from 'vitest';
import type { DatagramPeer } from '../../../src/runtime/service.js';
import {
  createDaytimeDatagram,
  createDaytimeStream,
  daytimeDatagram,
  daytimeStream,
} from '../../../src/services/daytime/index.js';

const info = { id: 1, transport: 'tcp' as const, remote: '127.0.0.1:5000', local: 'tcp://127.0.0.1:1313' };
const peer: DatagramPeer = { address: '127.0.0.1', port: 5000, family: 4 };
const now = Date.parse('2026-11-24T21:05:03.500Z');

describe('over a stream', () => {
  it('sends the line on open, then closes', () => {
    const session = daytimeStream.session(info);
    expect(session.open!(now)).toEqual([
      { type: 'send', data: 'Tue Nov 24 21:05:03 2026\r\n' },
      { type: 'close' },
    ]);
  });

  it('ignores whatever the client sends, and each connection reads the clock it is given', () => {
    const session = daytimeStream.session(info);
    expect(session.receive(new TextEncoder().encode('what time is it?\r\n'), now)).toEqual([]);
    const later = daytimeStream.session({ ...info, id: 2 });
    expect(later.open!(now + 3_600_000)).toEqual([
      { type: 'send', data: 'Tue Nov 24 22:05:03 2026\r\n' },
      { type: 'close' },
    ]);
  });

  it('takes its options once, when made', () => {
    const stream = createDaytimeStream({ format: 'rfc3339', timeZone: 'Europe/Paris', lineEnd: 'lf' });
    expect(stream.session(info).open!(now)[0]).toEqual({ type: 'send', data: '2026-11-24T22:05:03+01:00\n' });
    expect(() => createDaytimeStream({ timeZone: 'Nowhere/Land' })).toThrow(
      expect.objectContaining({ code: 'NK_DAYTIME_BAD_TIME_ZONE' }),
    );
  });
});

describe('over datagrams', () => {
  it('answers any datagram, empty or not, with one datagram holding the line', () => {
    for (const datagram of [new Uint8Array(0), new TextEncoder().encode('time?\n'), new Uint8Array(1200)]) {
      expect(daytimeDatagram.receive(datagram, peer, now)).toEqual(['Tue Nov 24 21:05:03 2026\r\n']);
    }
  });

  it('takes its options once, when made', () => {
    const datagram = createDaytimeDatagram({ format: 'rfc867' });
    expect(datagram.receive(new Uint8Array(0), peer, now)).toEqual([
      'Tuesday, November 24, 2026 21:05:03-UTC\r\n',
    ]);
    expect(() => createDaytimeDatagram({ format: 'iso' as never })).toThrow(
      expect.objectContaining({ code: 'NK_DAYTIME_BAD_OPTION' }),
    );
  });
});
