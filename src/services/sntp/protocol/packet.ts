/**
 * The NTP packet header (RFC 5905 section 7.3, figure 8; RFC 4330 section 4): 48 bytes, all
 * fields big-endian. Extension fields and a MAC may follow (RFC 7822); this server ignores them.
 *
 *   0      LI (2 bits) | VN (3 bits) | Mode (3 bits)
 *   1      stratum            2  poll (log2 s, signed)   3  precision (log2 s, signed)
 *   4..7   root delay         8..11  root dispersion     (NTP short format: 16.16 seconds)
 *   12..15 reference ID
 *   16..23 reference timestamp   24..31 origin timestamp
 *   32..39 receive timestamp     40..47 transmit timestamp
 */

export const HEADER_BYTES = 48;

export const OFFSET = {
  rootDelay: 4,
  rootDispersion: 8,
  refId: 12,
  reference: 16,
  origin: 24,
  receive: 32,
  transmit: 40,
} as const;

/** Association modes (RFC 5905 figure 10). */
export const MODE = {
  reserved: 0,
  symmetricActive: 1,
  symmetricPassive: 2,
  client: 3,
  server: 4,
  broadcast: 5,
  control: 6,
  private: 7,
} as const;

/** Leap indicator 3: the clock is not synchronised (RFC 5905 figure 9). */
export const LEAP_UNSYNCHRONISED = 3;

/** Stratum 16 means unsynchronised (RFC 5905 figure 11); stratum 0 is a Kiss-o'-Death. */
export const STRATUM_UNSYNCHRONISED = 16;

export const leapOf = (first: number): number => first >> 6;
export const versionOf = (first: number): number => (first >> 3) & 7;
export const modeOf = (first: number): number => first & 7;
export const firstByte = (leap: number, version: number, mode: number): number =>
  (leap << 6) | (version << 3) | mode;

/** A signed 8-bit field (poll, precision) from its byte. */
export const int8 = (byte: number): number => (byte << 24) >> 24;

/** Milliseconds in NTP short format (16.16 seconds), rounded, for root delay and dispersion. */
export const toShortFormat = (ms: number): number => Math.round((ms * 65536) / 1000);
export const fromShortFormat = (value: number): number => (value * 1000) / 65536;

/**
 * A packet this server answers: at least a full header, mode 3 (client), version 1 to 4.
 * Versions 1 and 2 share the header layout (RFC 1059, RFC 1119) and ntpd and chrony answer
 * them too; version 0 and 5 to 7 are not NTP as we know it. Every other mode is dropped:
 * answering a server, broadcast, control (6) or private (7) packet would make this server a
 * reflector, and symmetric modes need a peer association an SNTP server does not keep.
 */
export function isClientRequest(packet: Uint8Array): boolean {
  if (packet.length < HEADER_BYTES) return false;
  const first = packet[0]!;
  const version = versionOf(first);
  return modeOf(first) === MODE.client && version >= 1 && version <= 4;
}
