/**
 * /etc/services, read and searched as glibc's nss_files backend does
 * (nss/nss_files/files-service.c and files-parse.c), so getservbyname and getservbyport
 * give Python's answers. Pure: the file's text is passed in.
 *
 * A line is `name port/proto alias...`; '#' ends it anywhere. The port is read by
 * strtoul with base 0, as glibc's INT_FIELD does: "0x50" is 80, "010" is 8, and only the
 * low 16 bits of a 32-bit value are kept (htons), so 70000 is 4464. Any line glibc would
 * reject is skipped, never an error. Lookups take the first matching line, and names and
 * protocols compare case-sensitively (strcmp).
 */

export interface ServiceEntry {
  name: string;
  aliases: string[];
  port: number;
  /** As written in the file: usually tcp or udp (also sctp, ddp). */
  proto: string;
}

export interface ServicesLine extends ServiceEntry {
  /** 1-based line number in the file. */
  line: number;
}

// C isspace in the C locale.
const BLANK = /[ \t\n\v\f\r]/;
const BLANKS = /[ \t\n\v\f\r]+/;

const U32_MAX = 0xffffffffn;
const U64 = 2n ** 64n;

/**
 * The port field as glibc 2.36 reads it: strtoul(text, &end, 0), negation done in unsigned
 * 64-bit arithmetic; a value past 32 bits (overflow included) makes glibc skip the line
 * (checked against getent: "-1" and "4294967296" are skipped, "4294967295" is port 65535).
 * The value and how many characters it used, or undefined for a line to skip.
 */
function readPortField(text: string): { value: bigint; used: number } | undefined {
  const match = /^([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(text);
  if (!match) return undefined;
  const sign = match[1]!;
  const digits = match[2]!;
  const octal = /^0[0-7]+$/.test(digits);
  let value = BigInt(octal ? `0o${digits.slice(1)}` : digits);
  if (value >= U64) return undefined;
  if (sign === '-' && value !== 0n) value = U64 - value;
  return value > U32_MAX ? undefined : { value, used: match[0].length };
}

function parseLine(content: string, lineNumber: number): ServicesLine | undefined {
  const trimmed = content.replace(/^[ \t\n\v\f\r]+/, '');
  const nameEnd = trimmed.search(BLANK);
  if (trimmed.length === 0 || nameEnd < 0) return undefined;
  const name = trimmed.slice(0, nameEnd);
  let rest = trimmed.slice(nameEnd).replace(/^[ \t\n\v\f\r]+/, '');
  const number = readPortField(rest);
  if (!number) return undefined;
  rest = rest.slice(number.used);
  if (rest.startsWith('/')) rest = rest.replace(/^\/+/, '');
  else if (rest.length > 0) return undefined;
  const [proto = '', ...aliases] = rest.split(BLANKS);
  return {
    line: lineNumber,
    name,
    // htons keeps the low 16 bits.
    port: Number(number.value & 0xffffn),
    proto,
    aliases: aliases.filter((alias) => alias.length > 0),
  };
}

export function parseServicesFile(text: string): ServicesLine[] {
  const lines: ServicesLine[] = [];
  text.split('\n').forEach((raw, index) => {
    // C strings end at NUL; '#' starts a comment anywhere in the line.
    const content = raw.split('\0', 1)[0]!.split('#', 1)[0]!;
    const entry = parseLine(content, index + 1);
    if (entry) lines.push(entry);
  });
  return lines;
}

/** The file text for these entries; parseServicesFile(formatServicesFile(x)) gives x back. */
export function formatServicesFile(entries: readonly ServiceEntry[]): string {
  return entries
    .map((entry) => [entry.name, `${entry.port}/${entry.proto}`, ...entry.aliases].join('\t'))
    .join('\n');
}

function toEntry(line: ServicesLine): ServiceEntry {
  return { name: line.name, aliases: [...line.aliases], port: line.port, proto: line.proto };
}

/** getservbyname: the first line with this name or alias (and protocol, when given). */
export function serviceByName(
  lines: readonly ServicesLine[],
  name: string,
  proto?: string,
): ServiceEntry | undefined {
  const found = lines.find(
    (line) =>
      (proto === undefined || line.proto === proto) && (line.name === name || line.aliases.includes(name)),
  );
  return found && toEntry(found);
}

/** getservbyport: the first line with this port (and protocol, when given). */
export function serviceByPort(
  lines: readonly ServicesLine[],
  port: number,
  proto?: string,
): ServiceEntry | undefined {
  const found = lines.find((line) => line.port === port && (proto === undefined || line.proto === proto));
  return found && toEntry(found);
}
