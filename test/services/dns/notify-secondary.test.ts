/**
 * The pure halves of replication's timing: the NOTIFY sender (what to send when, what a
 * response acknowledges) and a secondary zone's timers (refresh, retry, expire, NOTIFY).
 */
import { describe, expect, it } from 'vitest';
import { OPCODE, RCODE, RRTYPE } from '../../../src/dns/constants.js';
import { decodeMessage, encodeMessage, makeResponse } from '../../../src/dns/message.js';
import type { SoaRdata } from '../../../src/dns/rdata/types.js';
import { type ResourceRecord, recordFromText } from '../../../src/dns/record.js';
import { keyring, makeTsigKey, signMessage, type TsigRdata, verifyMessage } from '../../../src/dns/tsig.js';
import { NOTIFY_DEFAULTS, NotifySender } from '../../../src/services/dns/protocol/notify.js';
import { SecondaryZoneTimers } from '../../../src/services/dns/protocol/secondary.js';

const soa = (serial: number, refresh = 60, retry = 10, expire = 600) =>
  recordFromText(
    `n.test. 300 IN SOA ns.n.test. root.n.test. ${serial} ${refresh} ${retry} ${expire} 30`,
  ) as ResourceRecord<SoaRdata>;
const TARGETS = [
  { host: '127.0.0.1', port: 5301 },
  { host: '::1', port: 5302 },
];
const KEY = makeTsigKey('k.', 'hmac-sha256', 'c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0');

function answer(bytes: Uint8Array, rcode: number = RCODE.NOERROR): Uint8Array {
  const request = decodeMessage(bytes);
  const response = makeResponse(request);
  response.rcode = rcode;
  response.flags.aa = true;
  return encodeMessage(response);
}

describe('NotifySender', () => {
  it('sends a NOTIFY to each target at once: opcode 4, AA, the SOA as question and answer', () => {
    let id = 100;
    const sender = new NotifySender(TARGETS);
    sender.zoneChanged(soa(5), 0, () => id++);
    const { send } = sender.due(0);
    expect(send.map((n) => n.target.port)).toEqual([5301, 5302]);
    const message = decodeMessage(send[0]!.bytes);
    expect(message.opcode).toBe(OPCODE.NOTIFY);
    expect(message.flags.aa).toBe(true);
    expect(message.question[0]).toMatchObject({ type: RRTYPE.SOA });
    expect((message.answer[0]!.data as SoaRdata).serial).toBe(5);
  });

  it('resends after 2, 4, 8... s until acknowledged; the answer must come from the target', () => {
    const sender = new NotifySender([TARGETS[0]!]);
    sender.zoneChanged(soa(5), 0, () => 1);
    const first = sender.due(0).send[0]!;
    expect(sender.nextDueAt()).toBe(NOTIFY_DEFAULTS.firstRetryMs);
    expect(sender.due(1000).send).toHaveLength(0);
    expect(sender.due(2000).send).toHaveLength(1);
    expect(sender.nextDueAt()).toBe(2000 + 2 * NOTIFY_DEFAULTS.firstRetryMs);
    // From another port: not an answer.
    expect(sender.response(answer(first.bytes), { address: '127.0.0.1', port: 9999 }, 2500)).toBeUndefined();
    const outcome = sender.response(answer(first.bytes), { address: '::ffff:127.0.0.1', port: 5301 }, 2500);
    expect(outcome).toMatchObject({ kind: 'acknowledged', serial: 5, attempts: 2 });
    expect(sender.nextDueAt()).toBeUndefined();
  });

  it('gives up after maxAttempts; a rejection ends the retries; a newer serial replaces the old', () => {
    const sender = new NotifySender([TARGETS[0]!], { maxAttempts: 2, firstRetryMs: 10 });
    sender.zoneChanged(soa(1), 0, () => 1);
    sender.due(0);
    sender.due(10);
    expect(sender.due(1000).gaveUp).toMatchObject([{ kind: 'gave-up', attempts: 2 }]);
    sender.zoneChanged(soa(2), 0, () => 2);
    sender.zoneChanged(soa(3), 0, () => 3);
    const sent = sender.due(0).send;
    expect(sent.map((n) => n.serial)).toEqual([3]);
    expect(
      sender.response(answer(sent[0]!.bytes, RCODE.NOTAUTH), { address: '127.0.0.1', port: 5301 }, 1),
    ).toMatchObject({
      kind: 'rejected',
      rcode: 'NOTAUTH',
    });
  });

  it('with a key: NOTIFYs are signed, and an unsigned NOERROR answer is ignored', () => {
    const sender = new NotifySender([TARGETS[0]!], { key: KEY });
    sender.zoneChanged(soa(7), 0, () => 9);
    const sent = sender.due(1_700_000_000_000).send[0]!;
    const verified = verifyMessage(sent.bytes, keyring([KEY]), { now: 1_700_000_000 });
    expect(verified.ok).toBe(true);
    const from = { address: '127.0.0.1', port: 5301 };
    expect(sender.response(answer(sent.bytes), from, 1_700_000_000_000)).toBeUndefined();
    const requestMac = (decodeMessage(sent.bytes).additional.at(-1)!.data as TsigRdata).mac;
    const signed = signMessage(answer(sent.bytes.slice(0, sent.bytes.length)), KEY, {
      now: 1_700_000_000,
      requestMac,
    });
    expect(sender.response(signed, from, 1_700_000_000_000)).toMatchObject({ kind: 'acknowledged' });
  });
});

describe('SecondaryZoneTimers', () => {
  it('a zone never loaded: checks at once, then retries after 1, 2, 4... s, capped', () => {
    const timers = new SecondaryZoneTimers({ maxInitialRetryMs: 4000 });
    timers.start(0);
    expect(timers.serving).toBe(false);
    expect(timers.poll(0)).toEqual([{ type: 'check' }]);
    expect(timers.poll(0)).toEqual([]);
    const waits: number[] = [];
    let now = 0;
    for (let i = 0; i < 5; i++) {
      timers.checkFailed(now);
      const next = timers.nextWakeAt()!;
      waits.push(next - now);
      now = next;
      expect(timers.poll(now)).toEqual([{ type: 'check' }]);
    }
    expect(waits).toEqual([1000, 2000, 4000, 4000, 4000]);
  });

  it('refresh after a success, retry after a failure, expire when the primary stays away', () => {
    const timers = new SecondaryZoneTimers();
    timers.start(0);
    timers.poll(0);
    timers.checkSucceeded(0, soa(1, 60, 10, 100));
    expect(timers.serving).toBe(true);
    expect(timers.nextWakeAt()).toBe(60_000);
    expect(timers.poll(60_000)).toEqual([{ type: 'check' }]);
    timers.checkFailed(60_000);
    expect(timers.nextWakeAt()).toBe(70_000);
    let now = 70_000;
    const seen: string[] = [];
    while (now < 200_000) {
      for (const action of timers.poll(now)) {
        seen.push(action.type);
        if (action.type === 'check') timers.checkFailed(now);
      }
      now = timers.nextWakeAt()!;
    }
    expect(seen).toContain('expire');
    expect(timers.serving).toBe(false);
    timers.poll(now);
    timers.checkSucceeded(now, soa(1, 60, 10, 100));
    expect(timers.serving).toBe(true);
  });

  it('a NOTIFY checks now; one during a check runs another right after', () => {
    const timers = new SecondaryZoneTimers();
    timers.start(0, { soa: soa(1), confirmedAt: 0 });
    timers.poll(0);
    timers.checkSucceeded(0, soa(1));
    timers.notified(5000);
    expect(timers.poll(5000)).toEqual([{ type: 'check' }]);
    timers.notified(5100);
    timers.checkSucceeded(5200, soa(2));
    expect(timers.nextWakeAt()).toBe(5200);
  });

  it('a kept copy past its expire time is not served at start', () => {
    const timers = new SecondaryZoneTimers();
    timers.start(1_000_000, { soa: soa(1, 60, 10, 100), confirmedAt: 0 });
    expect(timers.serving).toBe(false);
    const fresh = new SecondaryZoneTimers();
    fresh.start(50_000, { soa: soa(1, 60, 10, 100), confirmedAt: 0 });
    expect(fresh.serving).toBe(true);
  });
});
