/**
 * A secondary's timers for one zone (RFC 1034 §4.3.5, RFC 1996), pure: when to ask the
 * primary whether the zone changed, when the copy expires. The driver runs the check (an SOA
 * query, then IXFR or AXFR when the primary's serial is newer) and reports how it went.
 *
 * - After a check that reached the primary: the next one `refresh` seconds later (the SOA's),
 *   and the copy is good for `expire` seconds from then.
 * - After a failed check: again after `retry` seconds (the SOA's); a zone never loaded has no
 *   SOA yet, so it retries after 1, 2, 4... seconds, at most `maxInitialRetryMs` apart, and
 *   keeps doing so: a secondary does not give up on its zone.
 * - Past `expire` without a successful check, the copy is no longer served (SERVFAIL) until a
 *   check succeeds again.
 * - A NOTIFY asks for a check now; one that arrives during a check runs another after it (the
 *   zone may have changed again meanwhile).
 * - Timers are clamped to `minIntervalMs` and `maxIntervalMs` (as BIND's min-/max-refresh-time
 *   and Knot's refresh-min-/max-interval), so a zone's SOA cannot make us poll in a busy loop.
 */
import type { SoaRdata } from '../../../dns/rdata/types.js';
import type { ResourceRecord } from '../../../dns/record.js';

export interface SecondaryTimerOptions {
  minIntervalMs?: number;
  maxIntervalMs?: number;
  maxInitialRetryMs?: number;
}

export const SECONDARY_TIMER_DEFAULTS = {
  minIntervalMs: 1_000,
  maxIntervalMs: 7 * 24 * 3600 * 1000,
  maxInitialRetryMs: 30_000,
} as const;

export type SecondaryAction =
  /** Ask the primary now (then call checkSucceeded or checkFailed). */
  | { type: 'check' }
  /** The copy expired: stop serving it. */
  | { type: 'expire' };

export class SecondaryZoneTimers {
  private soa: ResourceRecord<SoaRdata> | undefined;
  /** When the primary last confirmed our copy (the expire timer runs from here). */
  private confirmedAt: number | undefined;
  private nextCheckAt = 0;
  private checking = false;
  private notifiedDuringCheck = false;
  private expired = false;
  private failures = 0;
  private readonly options: Required<SecondaryTimerOptions>;

  constructor(options: SecondaryTimerOptions = {}) {
    this.options = { ...SECONDARY_TIMER_DEFAULTS, ...options };
  }

  /**
   * Starts the timers: with the copy kept from before a restart (its SOA and when it was last
   * confirmed) or none. Either way the first check is at once.
   */
  start(nowMs: number, saved?: { soa: ResourceRecord<SoaRdata>; confirmedAt: number }): void {
    this.soa = saved?.soa;
    this.confirmedAt = saved?.confirmedAt;
    this.nextCheckAt = nowMs;
    this.expired = saved !== undefined && this.expiresAt()! <= nowMs;
  }

  /** Whether the copy may be served now. */
  get serving(): boolean {
    return this.soa !== undefined && !this.expired;
  }

  get serial(): number | undefined {
    return this.soa?.data.serial;
  }

  /** What to do at `nowMs`; call when nextWakeAt() comes, and after every event. */
  poll(nowMs: number): SecondaryAction[] {
    const actions: SecondaryAction[] = [];
    const expiresAt = this.expiresAt();
    if (!this.expired && expiresAt !== undefined && nowMs >= expiresAt) {
      this.expired = true;
      actions.push({ type: 'expire' });
    }
    if (!this.checking && nowMs >= this.nextCheckAt) {
      this.checking = true;
      actions.push({ type: 'check' });
    }
    return actions;
  }

  /** The next time poll() has something to do (undefined while a check runs and nothing expires). */
  nextWakeAt(): number | undefined {
    const expiresAt = this.expired ? undefined : this.expiresAt();
    const checkAt = this.checking ? undefined : this.nextCheckAt;
    if (expiresAt === undefined) return checkAt;
    if (checkAt === undefined) return expiresAt;
    return Math.min(expiresAt, checkAt);
  }

  /** A NOTIFY for the zone: check now, or right after the check running now. */
  notified(nowMs: number): void {
    if (this.checking) this.notifiedDuringCheck = true;
    else this.nextCheckAt = Math.min(this.nextCheckAt, nowMs);
  }

  /** The primary answered; `soa` is the zone's SOA now held (new after a transfer, or the same). */
  checkSucceeded(nowMs: number, soa: ResourceRecord<SoaRdata>): void {
    this.checking = false;
    this.failures = 0;
    this.soa = soa;
    this.confirmedAt = nowMs;
    this.expired = false;
    this.nextCheckAt = this.notifiedDuringCheck ? nowMs : nowMs + this.clamp(soa.data.refresh * 1000);
    this.notifiedDuringCheck = false;
  }

  /** The check failed (no answer, refused, a broken transfer). */
  checkFailed(nowMs: number): void {
    this.checking = false;
    this.failures++;
    const wait = this.soa
      ? this.clamp(this.soa.data.retry * 1000)
      : Math.min(this.options.maxInitialRetryMs, 1000 * 2 ** (this.failures - 1));
    this.nextCheckAt = this.notifiedDuringCheck ? nowMs : nowMs + wait;
    this.notifiedDuringCheck = false;
  }

  /** When the primary last confirmed the copy (to keep with it across restarts). */
  get lastConfirmed(): number | undefined {
    return this.confirmedAt;
  }

  private expiresAt(): number | undefined {
    if (!this.soa || this.confirmedAt === undefined) return undefined;
    return this.confirmedAt + this.clamp(this.soa.data.expire * 1000);
  }

  private clamp(ms: number): number {
    return Math.max(this.options.minIntervalMs, Math.min(this.options.maxIntervalMs, ms));
  }
}
