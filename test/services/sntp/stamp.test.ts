import { describe, expect, it } from 'vitest';
import { createSntpDatagram, parseSntpReply, sntpRequest } from '../../../src/services/sntp/index.js';

const peer = { address: '127.0.0.1', port: 40000, family: 4 as const };

describe('SNTP transmit timestamp', () => {
  it('is stamped when the reply leaves, after the receive timestamp', () => {
    const sntp = createSntpDatagram();
    const received = Date.UTC(2026, 10, 24, 21, 0, 0);
    const [reply] = sntp.receive(sntpRequest(received - 5), peer, received) as Uint8Array[];
    const stamped = sntp.stampReply!(reply!, received + 0.25);
    const parsed = parseSntpReply(stamped, { nearMs: received });
    expect(parsed.receive).toBeCloseTo(received, 3);
    expect(parsed.transmit).toBeCloseTo(received + 0.25, 3);
  });

  it('leaves a Kiss-o-Death as it was built', () => {
    const sntp = createSntpDatagram();
    const [kiss] = sntp.rateLimited!(sntpRequest(1000), peer, 2000) as Uint8Array[];
    const before = Uint8Array.from(kiss!);
    expect(sntp.stampReply!(kiss!, 3000)).toEqual(before);
  });
});
