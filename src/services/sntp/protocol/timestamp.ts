/**
 * NTP timestamps (RFC 5905 section 6): 64 bits, 32 of seconds since 1900-01-01T00:00:00Z
 * and 32 of fraction (units of 2^-32 s, about 233 picoseconds). The seconds wrap every 2^32 s
 * (about 136 years): era 1 begins at 2036-02-07T06:28:16Z, whose timestamp is 0 again. The
 * wire value has no era, so reading one takes a pivot: the era that puts it nearest.
 */

/** Seconds from the NTP prime epoch (1900-01-01) to the Unix epoch (RFC 5905 figure 4; RFC 868). */
export const NTP_UNIX_OFFSET = 2_208_988_800;

const TWO_32 = 2 ** 32;
const TWO_31 = 2 ** 31;

/** A 64-bit NTP timestamp as it is on the wire, with the era it was taken in. */
export interface NtpTimestamp {
  /** Seconds within the era, 0 to 2^32 - 1 (the first 32 bits). */
  seconds: number;
  /** The fraction of a second in units of 2^-32 s, 0 to 2^32 - 1 (the last 32 bits). */
  fraction: number;
  /** The NTP era: 0 for 1900-01-01 to 2036-02-07T06:28:15Z, 1 after, -1 before 1900. */
  era: number;
}

/**
 * The NTP timestamp of `ms` (milliseconds since the Unix epoch, with a fractional part):
 * the fraction is rounded to the nearest 2^-32 s, so 0.5 s is 0x80000000 exactly and the
 * sub-millisecond part of `ms` is kept.
 */
export function toNtpTimestamp(ms: number): NtpTimestamp {
  let unixSeconds = Math.floor(ms / 1000);
  let remainderMs = ms - unixSeconds * 1000;
  // ms / 1000 may round across an integer; bring the remainder back into [0, 1000).
  if (remainderMs < 0) {
    unixSeconds -= 1;
    remainderMs += 1000;
  } else if (remainderMs >= 1000) {
    unixSeconds += 1;
    remainderMs -= 1000;
  }
  let fraction = Math.round((remainderMs * TWO_32) / 1000);
  if (fraction === TWO_32) {
    unixSeconds += 1;
    fraction = 0;
  }
  const ntpSeconds = unixSeconds + NTP_UNIX_OFFSET;
  const era = Math.floor(ntpSeconds / TWO_32);
  return { seconds: ntpSeconds - era * TWO_32, fraction, era };
}

/**
 * Milliseconds since the Unix epoch of a wire timestamp, in the era that puts it within
 * 2^31 s (68 years) of `nearMs`. Without `nearMs`, RFC 4330 section 3's rule: a timestamp
 * with the top bit set is in era 0 (1968 to 2036), one without in era 1 (2036 to 2104).
 */
export function fromNtpTimestamp(seconds: number, fraction: number, nearMs?: number): number {
  const pivot = nearMs === undefined ? TWO_32 : nearMs / 1000 + NTP_UNIX_OFFSET;
  // The era that puts the value in [pivot - 2^31, pivot + 2^31).
  const era = Math.ceil((pivot - TWO_31 - seconds) / TWO_32);
  return (seconds + era * TWO_32 - NTP_UNIX_OFFSET) * 1000 + (fraction * 1000) / TWO_32;
}

/**
 * Writes the timestamp of `ms` at `offset`. With `nonZero`, the one instant whose timestamp
 * is all zeros (2036-02-07T06:28:16Z exactly) is written 2^-32 s later: on the wire, zero
 * means "no timestamp" (RFC 5905 section 6), and a reply must never say that.
 */
export function writeNtpTimestamp(view: DataView, offset: number, ms: number, nonZero = false): void {
  const { seconds, fraction } = toNtpTimestamp(ms);
  view.setUint32(offset, seconds);
  view.setUint32(offset + 4, nonZero && seconds === 0 && fraction === 0 ? 1 : fraction);
}

/** The timestamp at `offset` in milliseconds (see fromNtpTimestamp), or undefined when it is zero ("unset"). */
export function readNtpTimestamp(view: DataView, offset: number, nearMs?: number): number | undefined {
  const seconds = view.getUint32(offset);
  const fraction = view.getUint32(offset + 4);
  if (seconds === 0 && fraction === 0) return undefined;
  return fromNtpTimestamp(seconds, fraction, nearMs);
}
