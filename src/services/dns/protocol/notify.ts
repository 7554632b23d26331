/**
 * Sending NOTIFY (RFC 1996) to secondaries, pure: which datagrams to send when, and what a
 * response means. The service's driver owns the socket and the timer: it calls `zoneChanged`
 * when a zone's serial moves, sends what `due` gives at the time `nextDueAt` says, and feeds
 * every datagram that comes back to `response`.
 *
 * - A NOTIFY is opcode 4, AA set, the zone's SOA as the question and its SOA record in the
 *   answer section (§3.7: the serial is a hint the secondary may use), signed when a key is set.
 * - It is sent again until the secondary answers (§3.6: "the Primary Master should retry"),
 *   after 2, 4, 8... seconds, at most a minute apart, `maxAttempts` times in all (default 20:
 *   about a quarter of an hour); a newer serial replaces what is still waiting for that zone.
 * - A response counts only from the target's address and port, with the NOTIFY's ID, opcode and
 *   zone, signed with the key when one is set (RFC 8945 §5.3). NOERROR acknowledges it; another
 *   RCODE (NOTAUTH, REFUSED: the secondary does not take NOTIFY from us) ends the retries.
 */
import { OPCODE, RCODE, RRCLASS, RRTYPE, rcodeToText } from '../../../dns/constants.js';
import { decodeMessage, emptyFlags, encodeMessage, type Message } from '../../../dns/message.js';
import type { SoaRdata } from '../../../dns/rdata/types.js';
import type { ResourceRecord } from '../../../dns/record.js';
import { keyring, signMessageWithMac, type TsigKey, verifyMessage } from '../../../dns/tsig.js';
import { plainAddress } from './acl.js';

export interface NotifyTarget {
  host: string;
  port: number;
}

export interface NotifySenderOptions {
  key?: TsigKey;
  /** Wait before the first resend (doubled each time). */
  firstRetryMs?: number;
  /** Longest wait between two sends. */
  maxRetryMs?: number;
  /** Sends in all, the first included. */
  maxAttempts?: number;
}

export const NOTIFY_DEFAULTS = { firstRetryMs: 2_000, maxRetryMs: 60_000, maxAttempts: 20 } as const;

/** One datagram to send. */
export interface OutgoingNotify {
  target: NotifyTarget;
  bytes: Uint8Array;
  zone: string;
  serial: number;
  attempt: number;
}

/** What became of a NOTIFY: for the log. */
export type NotifyOutcome =
  | { kind: 'acknowledged'; target: NotifyTarget; zone: string; serial: number; attempts: number }
  | { kind: 'rejected'; target: NotifyTarget; zone: string; serial: number; rcode: string }
  | { kind: 'gave-up'; target: NotifyTarget; zone: string; serial: number; attempts: number };

interface Pending {
  target: NotifyTarget;
  soa: ResourceRecord<SoaRdata>;
  zoneKey: string;
  id: number;
  attempts: number;
  dueAt: number;
  /** The MAC of the last signed send: its response is signed over it. */
  mac?: Uint8Array;
}

function targetKey(target: NotifyTarget): string {
  return `${target.host}|${target.port}`;
}

export class NotifySender {
  private readonly pending = new Map<string, Pending>();
  private readonly options: Required<Omit<NotifySenderOptions, 'key'>> & { key?: TsigKey };

  constructor(
    private readonly targets: readonly NotifyTarget[],
    options: NotifySenderOptions = {},
  ) {
    this.options = { ...NOTIFY_DEFAULTS, ...options };
  }

  get hasTargets(): boolean {
    return this.targets.length > 0;
  }

  /** A zone's serial changed: notify every target now (what was pending for it is replaced). */
  zoneChanged(soa: ResourceRecord<SoaRdata>, nowMs: number, nextId: () => number): void {
    const zoneKey = soa.name.key();
    for (const target of this.targets) {
      this.pending.set(`${zoneKey}|${targetKey(target)}`, {
        target,
        soa,
        zoneKey,
        id: nextId(),
        attempts: 0,
        dueAt: nowMs,
      });
    }
  }

  /** When `due` has something next, or undefined when nothing waits. */
  nextDueAt(): number | undefined {
    let next: number | undefined;
    for (const pending of this.pending.values())
      if (next === undefined || pending.dueAt < next) next = pending.dueAt;
    return next;
  }

  /** The datagrams to send now, and the NOTIFYs given up on (no answer after every attempt). */
  due(nowMs: number): { send: OutgoingNotify[]; gaveUp: NotifyOutcome[] } {
    const send: OutgoingNotify[] = [];
    const gaveUp: NotifyOutcome[] = [];
    for (const [pendingKey, pending] of this.pending) {
      if (pending.dueAt > nowMs) continue;
      const zone = pending.soa.name.toText();
      const serial = pending.soa.data.serial;
      if (pending.attempts >= this.options.maxAttempts) {
        this.pending.delete(pendingKey);
        gaveUp.push({ kind: 'gave-up', target: pending.target, zone, serial, attempts: pending.attempts });
        continue;
      }
      pending.attempts++;
      const wait = Math.min(this.options.maxRetryMs, this.options.firstRetryMs * 2 ** (pending.attempts - 1));
      pending.dueAt = nowMs + wait;
      let bytes = encodeMessage(notifyMessage(pending.soa, pending.id));
      const key = this.options.key;
      if (key) {
        const signed = signMessageWithMac(bytes, key, { now: Math.floor(nowMs / 1000) });
        bytes = signed.bytes;
        pending.mac = signed.mac;
      }
      send.push({ target: pending.target, bytes, zone, serial, attempt: pending.attempts });
    }
    return { send, gaveUp };
  }

  /** A datagram from `from`: the outcome of the NOTIFY it answers, or undefined (not an answer). */
  response(
    bytes: Uint8Array,
    from: { address: string; port: number },
    nowMs: number,
  ): NotifyOutcome | undefined {
    let message: Message;
    try {
      message = decodeMessage(bytes);
    } catch {
      return undefined;
    }
    if (!message.flags.qr || message.opcode !== OPCODE.NOTIFY || message.question.length !== 1)
      return undefined;
    const zoneKey = message.question[0]!.name.key();
    const fromAddress = plainAddress(from.address);
    for (const [key, pending] of this.pending) {
      if (pending.zoneKey !== zoneKey || pending.id !== message.id) continue;
      if (pending.target.port !== from.port || plainAddress(pending.target.host) !== fromAddress) continue;
      const signingKey = this.options.key;
      // An unsigned or wrongly signed answer to a signed NOTIFY is ignored (it may be forged).
      if (signingKey && message.rcode === RCODE.NOERROR) {
        const verified = verifyMessage(bytes, keyring([signingKey]), {
          now: Math.floor(nowMs / 1000),
          requestMac: pending.mac,
        });
        if (!verified.ok) return undefined;
      }
      this.pending.delete(key);
      const zone = pending.soa.name.toText();
      const serial = pending.soa.data.serial;
      if (message.rcode === RCODE.NOERROR)
        return { kind: 'acknowledged', target: pending.target, zone, serial, attempts: pending.attempts };
      return { kind: 'rejected', target: pending.target, zone, serial, rcode: rcodeToText(message.rcode) };
    }
    return undefined;
  }
}

/** The NOTIFY for a zone's SOA (RFC 1996 §3.7). */
export function notifyMessage(soa: ResourceRecord<SoaRdata>, id: number): Message {
  return {
    id,
    opcode: OPCODE.NOTIFY,
    rcode: RCODE.NOERROR,
    flags: { ...emptyFlags(), aa: true },
    question: [{ name: soa.name, type: RRTYPE.SOA, class: RRCLASS.IN }],
    answer: [soa],
    authority: [],
    additional: [],
  };
}
