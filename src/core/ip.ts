/**
 * IP address literals, parsed and formatted without I/O (node:net is off limits in cores).
 * IPv6 text follows RFC 4291 section 2.2 on input and RFC 5952 on output.
 */

/** The 4 bytes of a dotted-quad IPv4 address, or undefined. Leading zeros are refused (ambiguous octal). */
export function parseIPv4(text: string): Uint8Array | undefined {
  const bytes = new Uint8Array(4);
  let part = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 0x2e;
    if (code === 0x2e) {
      if (digits === 0 || part > 3) return undefined;
      bytes[part++] = value;
      value = 0;
      digits = 0;
    } else if (code >= 0x30 && code <= 0x39) {
      if (digits > 0 && value === 0) return undefined; // leading zero
      value = value * 10 + (code - 0x30);
      if (++digits > 3 || value > 255) return undefined;
    } else return undefined;
  }
  return part === 4 ? bytes : undefined;
}

/** The 16 bytes of an IPv6 address (a %zone suffix is ignored), or undefined. */
export function parseIPv6(text: string): Uint8Array | undefined {
  const zone = text.indexOf('%');
  if (zone >= 0 && zone === text.length - 1) return undefined;
  const end = zone >= 0 ? zone : text.length;
  const groups = new Array<number>(8);
  let count = 0;
  let gap = -1;
  let i = 0;
  if (end >= 2 && text.charCodeAt(0) === 0x3a && text.charCodeAt(1) === 0x3a) {
    gap = 0;
    i = 2;
  } else if (end > 0 && text.charCodeAt(0) === 0x3a) return undefined;
  while (i < end) {
    let value = 0;
    let digits = 0;
    const start = i;
    while (i < end) {
      const c = text.charCodeAt(i);
      let d: number;
      if (c >= 0x30 && c <= 0x39) d = c - 0x30;
      else if (c >= 0x61 && c <= 0x66) d = c - 0x57;
      else if (c >= 0x41 && c <= 0x46) d = c - 0x37;
      else break;
      value = value * 16 + d;
      digits++;
      i++;
    }
    if (i < end && text.charCodeAt(i) === 0x2e) {
      // An embedded IPv4 address ends the text.
      const v4 = parseIPv4(text.slice(start, end));
      if (!v4 || count > 6) return undefined;
      groups[count++] = (v4[0]! << 8) | v4[1]!;
      groups[count++] = (v4[2]! << 8) | v4[3]!;
      i = end;
      break;
    }
    if (digits === 0 || digits > 4 || count >= 8) return undefined;
    groups[count++] = value;
    if (i === end) break;
    if (text.charCodeAt(i) !== 0x3a) return undefined;
    i++;
    if (i < end && text.charCodeAt(i) === 0x3a) {
      if (gap >= 0) return undefined;
      gap = count;
      i++;
    } else if (i === end) return undefined;
  }
  if (gap < 0 ? count !== 8 : count > 7) return undefined;
  const bytes = new Uint8Array(16);
  const tail = gap < 0 ? 0 : count - gap;
  for (let g = 0; g < count; g++) {
    const slot = gap >= 0 && g >= gap ? 8 - tail + (g - gap) : g;
    bytes[2 * slot] = groups[g]! >> 8;
    bytes[2 * slot + 1] = groups[g]! & 0xff;
  }
  return bytes;
}

/** 4 for an IPv4 literal, 6 for an IPv6 literal, 0 otherwise (as node:net's isIP). */
export function ipFamily(text: string): 0 | 4 | 6 {
  if (parseIPv4(text)) return 4;
  if (parseIPv6(text)) return 6;
  return 0;
}

export function formatIPv4(bytes: Uint8Array): string {
  return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
}

/** RFC 5952: lower case, no leading zeros, the longest run (of two or more) of zero groups as "::". */
export function formatIPv6(bytes: Uint8Array): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (bytes[2 * i] !== 0 || bytes[2 * i + 1] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && bytes[2 * j] === 0 && bytes[2 * j + 1] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  // Parts joined once: adding to a string part by part leaves a chain of concatenated strings
  // behind each address (a zone's AAAA records keep their text for good).
  const parts: string[] = [];
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      // An empty part joins as "::"; at either end it needs another empty part beside it.
      if (i === 0) parts.push('');
      parts.push('');
      if (i + bestLength === 8) parts.push('');
      i += bestLength - 1;
      continue;
    }
    parts.push(((bytes[2 * i]! << 8) | bytes[2 * i + 1]!).toString(16));
  }
  return parts.join(':');
}
