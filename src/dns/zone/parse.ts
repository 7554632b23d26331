/**
 * The zone-file parser: RFC 1035 §5 master files with what real ones use — `$ORIGIN`, `$TTL`
 * (RFC 2308), `$INCLUDE` with its origin, BIND's `$GENERATE`, parentheses, comments, quoted
 * strings, `@`, relative names, owner/TTL/class carried from the record before, TTL units, and
 * every type of the codec (with `\#` for any type). Pure: `$INCLUDE` reads through the
 * `readInclude` function it is given. Each error is a DnsZoneFileError `FILE:LINE:COLUMN: reason`.
 *
 * TTLs follow BIND 9.18 (lib/dns/master.c, checked with named-checkzone):
 * - `$TTL` sets the TTL of records without one;
 * - with no `$TTL`, a record's explicit TTL becomes the default for the next ones (RFC 1035's
 *   "last explicit TTL");
 * - with neither, an SOA without a TTL takes its minimum field, which becomes the default
 *   (BIND warns "using SOA MINTTL");
 * - with nothing at all, `options.defaultTtl` (NSD uses 3600) or an error (BIND rejects the zone);
 * - a TTL over 2^31-1 is set to 0 with a warning (RFC 2181 §8, as BIND does).
 * dnspython differs: without `$TTL` it prefers the SOA minimum to the last explicit TTL.
 */
import type { LocalError } from '../../core/errors.js';
import { classToText, parseClass, parseType, RRCLASS, RRTYPE, typeToText } from '../constants.js';
import { Name } from '../name.js';
import { parsePeriod } from '../rdata/fields.js';
import type { Rdata } from '../rdata/types.js';
import { type ResourceRecord, rdataFromText } from '../record.js';
import { RdataTokens } from '../text.js';
import { DnsZoneFileError, type ZoneWarning } from './errors.js';
import { expandTemplate, parseRange, parseTemplate, rangeCount } from './generate.js';
import { type LogicalLine, type Token, ZoneLexer } from './lexer.js';

/** Named defaults for every limit (each has a flag on the command line's side). */
export const ZONE_LIMITS = {
  /** A logical line (parentheses joined), in characters. */
  maxLineBytes: 64 * 1024,
  maxRecords: 10_000_000,
  /** Records one `$GENERATE` may make. */
  maxGenerate: 65_536,
  /** Nested `$INCLUDE`s. */
  maxIncludeDepth: 16,
} as const;

export const MAX_TTL = 0x7fffffff;

export interface ZoneLimits {
  maxLineBytes?: number;
  maxRecords?: number;
  maxGenerate?: number;
  maxIncludeDepth?: number;
}

export interface ZoneParseOptions {
  /** The zone's origin; otherwise the first `$ORIGIN` (a relative name before any is an error). */
  origin?: Name | string;
  /** The file's name in error messages (default `<zone>`); also what `$INCLUDE` paths are relative to. */
  file?: string;
  /** TTL for records when nothing in the file gives one (default: none, an error, as BIND). */
  defaultTtl?: number;
  /**
   * Reads an `$INCLUDE`d file: `path` as written, `from` the including file. Returns its text,
   * or its text and resolved path (used for loop detection and messages). Throwing refuses it.
   */
  readInclude?: (path: string, from: string) => string | { path: string; text: string };
  /** Called for each thing accepted but changed (a TTL over 2^31-1, say). */
  onWarning?: (warning: ZoneWarning) => void;
  /** Called once the zone's origin is known (given, or the first `$ORIGIN`). */
  onOrigin?: (origin: Name) => void;
  limits?: ZoneLimits;
}

/** A record and where it was read. */
export interface ZoneEntry {
  record: ResourceRecord;
  file: string;
  line: number;
}

export interface ParsedZone {
  origin: Name;
  records: ResourceRecord[];
}

interface State {
  options: ZoneParseOptions;
  limits: Required<ZoneLimits>;
  /** The default TTL and where it came from ('rfc1035': each explicit TTL replaces it). */
  ttl: number | undefined;
  ttlMode: 'none' | '$TTL' | 'rfc1035' | 'soa';
  lastClass: number | undefined;
  zoneClass: number | undefined;
  zoneOrigin: Name | undefined;
  records: number;
  /** Resolved paths of the files being read, outermost first. */
  stack: string[];
}

interface Frame {
  file: string;
  origin: Name | undefined;
  owner: Name | undefined;
}

/** Parses a whole zone into memory. */
export function parseZone(text: string, options: ZoneParseOptions = {}): ParsedZone {
  const records: ResourceRecord[] = [];
  const state = newState(options);
  for (const entry of entries(text, state)) records.push(entry.record);
  const origin = state.zoneOrigin ?? records.find((record) => record.type === RRTYPE.SOA)?.name;
  if (!origin)
    throw new DnsZoneFileError(
      { file: options.file ?? '<zone>', line: 1, column: 1 },
      'no origin: give one, or start the file with $ORIGIN or an SOA record',
    );
  return { origin, records };
}

/** The records one at a time, for zones too big to hold twice. */
export function* parseZoneRecords(text: string, options: ZoneParseOptions = {}): Generator<ResourceRecord> {
  for (const entry of entries(text, newState(options))) yield entry.record;
}

/** The records with the file and line each came from (for `netkit zone check`). */
export function parseZoneEntries(text: string, options: ZoneParseOptions = {}): Generator<ZoneEntry> {
  return entries(text, newState(options));
}

function newState(options: ZoneParseOptions): State {
  const origin =
    typeof options.origin === 'string' ? Name.fromText(options.origin, Name.ROOT) : options.origin;
  return {
    options,
    limits: { ...ZONE_LIMITS, ...options.limits },
    ttl: undefined,
    ttlMode: 'none',
    lastClass: undefined,
    zoneClass: undefined,
    zoneOrigin: origin,
    records: 0,
    stack: [options.file ?? '<zone>'],
  };
}

function entries(text: string, state: State): Generator<ZoneEntry> {
  if (state.zoneOrigin) state.options.onOrigin?.(state.zoneOrigin);
  const file = state.options.file ?? '<zone>';
  return parseFile(text, state, { file, origin: state.zoneOrigin, owner: undefined });
}

function fail(frame: Frame, token: Token, reason: string, cause?: unknown): DnsZoneFileError {
  return new DnsZoneFileError({ file: frame.file, line: token.line, column: token.column }, reason, {
    cause,
  });
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function* parseFile(text: string, state: State, frame: Frame): Generator<ZoneEntry> {
  const lexer = new ZoneLexer(text, frame.file, state.limits.maxLineBytes);
  for (let line = lexer.next(); line !== undefined; line = lexer.next()) {
    const first = line.tokens[0]!;
    if (!line.blankStart && first.text.charCodeAt(0) === 0x24 /* $ */) {
      const directive = first.text.toUpperCase();
      if (directive === '$ORIGIN') setOrigin(line, state, frame);
      else if (directive === '$TTL') setTtl(line, state, frame);
      else if (directive === '$INCLUDE') yield* include(line, state, frame);
      else if (directive === '$GENERATE') yield* generate(line, state, frame);
      else
        throw fail(
          frame,
          first,
          `unknown directive ${first.text} (expected $ORIGIN, $TTL, $INCLUDE or $GENERATE)`,
        );
      continue;
    }
    yield record(line, state, frame);
  }
}

function argument(line: LogicalLine, frame: Frame, index: number, what: string): Token {
  const token = line.tokens[index];
  if (token) return token;
  const last = line.tokens[line.tokens.length - 1]!;
  throw new DnsZoneFileError(
    { file: frame.file, line: last.line, column: last.column + last.text.length },
    `expected ${what} after ${line.tokens[0]!.text}`,
  );
}

function noMore(line: LogicalLine, frame: Frame, count: number): void {
  const extra = line.tokens[count];
  if (extra)
    throw fail(frame, extra, `unexpected ${JSON.stringify(extra.text)} after ${line.tokens[0]!.text}`);
}

function parseName(token: Token, frame: Frame, what: string): Name {
  let name: Name;
  try {
    name = Name.fromText(token.text, frame.origin);
  } catch (error) {
    throw fail(frame, token, `bad ${what} ${JSON.stringify(token.text)}: ${reasonOf(error)}`, error);
  }
  if (!name.absolute)
    throw fail(frame, token, `relative ${what} ${JSON.stringify(token.text)} before any $ORIGIN`);
  return name;
}

function setOrigin(line: LogicalLine, state: State, frame: Frame): void {
  const token = argument(line, frame, 1, 'a domain name');
  noMore(line, frame, 2);
  frame.origin = parseName(token, frame, 'origin');
  if (!state.zoneOrigin) {
    state.zoneOrigin = frame.origin;
    state.options.onOrigin?.(frame.origin);
  }
}

function parseTtl(token: Token, state: State, frame: Frame): number {
  let ttl: number;
  try {
    ttl = parsePeriod(token.text, 'TTL');
  } catch (error) {
    throw fail(
      frame,
      token,
      `expected a TTL (seconds, or units such as 1h30m), not ${JSON.stringify(token.text)}`,
      error,
    );
  }
  if (ttl > MAX_TTL) {
    state.options.onWarning?.({
      file: frame.file,
      line: token.line,
      column: token.column,
      message: `TTL ${token.text} is over ${MAX_TTL} (RFC 2181 §8); set to 0`,
    });
    return 0;
  }
  return ttl;
}

function setTtl(line: LogicalLine, state: State, frame: Frame): void {
  const token = argument(line, frame, 1, 'a TTL');
  noMore(line, frame, 2);
  state.ttl = parseTtl(token, state, frame);
  state.ttlMode = '$TTL';
}

function* include(line: LogicalLine, state: State, frame: Frame): Generator<ZoneEntry> {
  const pathToken = argument(line, frame, 1, 'a file name');
  noMore(line, frame, 3);
  const path = unquote(pathToken.text);
  const origin = line.tokens[2] ? parseName(line.tokens[2], frame, 'origin') : frame.origin;
  const readInclude = state.options.readInclude;
  if (!readInclude) throw fail(frame, pathToken, `$INCLUDE ${path}: including files is not allowed here`);
  if (state.stack.length > state.limits.maxIncludeDepth)
    throw fail(
      frame,
      pathToken,
      `$INCLUDE ${path}: more than ${state.limits.maxIncludeDepth} nested includes`,
    );
  let read: string | { path: string; text: string };
  try {
    read = readInclude(path, frame.file);
  } catch (error) {
    throw fail(frame, pathToken, `$INCLUDE ${path}: ${reasonOf(error)}`, error);
  }
  const resolved = typeof read === 'string' ? joinPath(frame.file, path) : read.path;
  const text = typeof read === 'string' ? read : read.text;
  if (state.stack.includes(resolved))
    throw fail(frame, pathToken, `$INCLUDE loop: ${[...state.stack, resolved].join(' -> ')}`);
  state.stack.push(resolved);
  // RFC 1035 §5.1: the included file does not change the parent's origin or current owner.
  yield* parseFile(text, state, { file: resolved, origin, owner: frame.owner });
  state.stack.pop();
}

function unquote(text: string): string {
  return text.length >= 2 && text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1) : text;
}

/** `path` relative to the folder of `from` (POSIX), `..` and `.` resolved. */
function joinPath(from: string, path: string): string {
  const base = path.startsWith('/') ? [] : from.split('/').slice(0, -1);
  const parts = [...base, ...path.split('/')];
  const out: string[] = [];
  for (const part of parts) {
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..' && out[out.length - 1] !== '')
      out.pop();
    else if (part !== '.' && !(part === '' && out.length > 0)) out.push(part);
  }
  return out.join('/') || '.';
}

/** TTL and class in either order, then the type; returns the type's index. */
function readTtlClassType(
  line: LogicalLine,
  start: number,
  state: State,
  frame: Frame,
): { ttl: number | undefined; rrclass: number | undefined; type: number; typeIndex: number } {
  let ttl: number | undefined;
  let rrclass: number | undefined;
  let index = start;
  for (;;) {
    const token = line.tokens[index];
    if (!token) {
      const last = line.tokens[line.tokens.length - 1]!;
      throw new DnsZoneFileError(
        { file: frame.file, line: last.line, column: last.column + last.text.length },
        'expected a TTL, a class or a record type',
      );
    }
    const code = token.text.charCodeAt(0);
    if (ttl === undefined && code >= 0x30 && code <= 0x39) {
      ttl = parseTtl(token, state, frame);
      index++;
      continue;
    }
    let type: number | undefined;
    let cls: number | undefined;
    try {
      type = parseType(token.text);
      cls = type === undefined && rrclass === undefined ? parseClass(token.text) : undefined;
    } catch (error) {
      throw fail(frame, token, reasonOf(error), error);
    }
    if (cls !== undefined) {
      if (cls === RRCLASS.NONE || cls === RRCLASS.ANY)
        throw fail(frame, token, `class ${token.text} is not allowed in a zone file (expected IN, CH or HS)`);
      rrclass = cls;
      index++;
      continue;
    }
    if (type === undefined)
      throw fail(
        frame,
        token,
        `unknown record type ${JSON.stringify(token.text)} (expected a TTL, a class or a record type)`,
      );
    return { ttl, rrclass, type, typeIndex: index };
  }
}

function checkClass(rrclass: number | undefined, token: Token, state: State, frame: Frame): number {
  const value = rrclass ?? state.lastClass ?? state.zoneClass ?? RRCLASS.IN;
  state.zoneClass ??= value;
  if (value !== state.zoneClass)
    throw fail(
      frame,
      token,
      `class mismatch: ${classToText(value)} is not the zone's class ${classToText(state.zoneClass)}`,
    );
  state.lastClass = value;
  return value;
}

function parseData(type: number, tokens: Token[], start: number, typeToken: Token, frame: Frame): Rdata {
  const texts: string[] = [];
  for (let i = start; i < tokens.length; i++) texts.push(tokens[i]!.text);
  // With no origin yet, relative names are completed with the empty name and refused below.
  const reader = new RdataTokens(texts, frame.origin ?? Name.EMPTY);
  let data: Rdata;
  try {
    data = rdataFromText(type, reader);
  } catch (error) {
    // The token being read when it failed: RdataTokens counts what it handed out.
    const used = (reader as unknown as { index: number }).index;
    const at = tokens[start + Math.max(0, Math.min(used, texts.length) - 1)] ?? typeToken;
    throw fail(frame, at, `bad ${typeToText(type)} data: ${reasonOf(error)}`, error as LocalError);
  }
  if (!frame.origin) {
    for (const value of Object.values(data))
      if (value instanceof Name && !value.absolute)
        throw fail(frame, typeToken, `relative name ${value.toText()} in the data before any $ORIGIN`);
  }
  return data;
}

function resolveTtl(
  explicit: number | undefined,
  type: number,
  data: Rdata,
  at: Token,
  state: State,
  frame: Frame,
): number {
  if (explicit !== undefined) {
    if (state.ttlMode === 'none') state.ttlMode = 'rfc1035';
    if (state.ttlMode === 'rfc1035') state.ttl = explicit;
    return explicit;
  }
  if (state.ttl !== undefined) return state.ttl;
  if (type === RRTYPE.SOA) {
    const minimum = Math.min((data as { minimum: number }).minimum, MAX_TTL);
    state.options.onWarning?.({
      file: frame.file,
      line: at.line,
      column: at.column,
      message: `no TTL and no $TTL: using the SOA minimum ${minimum}`,
    });
    state.ttl = minimum;
    state.ttlMode = 'soa';
    return minimum;
  }
  if (state.options.defaultTtl !== undefined) return state.options.defaultTtl;
  throw fail(frame, at, 'no TTL: expected a $TTL line, or a TTL on this record or one before it');
}

function count(state: State, frame: Frame, at: Token, more: number): void {
  state.records += more;
  if (state.records > state.limits.maxRecords)
    throw fail(frame, at, `more than ${state.limits.maxRecords} records (the limit)`);
}

function record(line: LogicalLine, state: State, frame: Frame): ZoneEntry {
  const tokens = line.tokens;
  const first = tokens[0]!;
  let owner: Name;
  let start = 0;
  if (line.blankStart) {
    if (!frame.owner)
      throw fail(frame, first, 'no owner: the line starts with a blank and no record came before');
    owner = frame.owner;
  } else {
    owner = parseName(first, frame, 'owner');
    start = 1;
  }
  const { ttl, rrclass, type, typeIndex } = readTtlClassType(line, start, state, frame);
  const typeToken = tokens[typeIndex]!;
  const cls = checkClass(rrclass, typeToken, state, frame);
  const data = parseData(type, tokens, typeIndex + 1, typeToken, frame);
  const recordTtl = resolveTtl(ttl, type, data, typeToken, state, frame);
  count(state, frame, first, 1);
  frame.owner = owner;
  return {
    record: { name: owner, type, class: cls, ttl: recordTtl, data },
    file: frame.file,
    line: first.line,
  };
}

function* generate(line: LogicalLine, state: State, frame: Frame): Generator<ZoneEntry> {
  const rangeToken = argument(line, frame, 1, 'a range START-STOP[/STEP]');
  const lhsToken = argument(line, frame, 2, 'an owner template');
  let range: ReturnType<typeof parseRange>;
  let lhs: ReturnType<typeof parseTemplate>;
  try {
    range = parseRange(rangeToken.text);
  } catch (error) {
    throw fail(frame, rangeToken, `$GENERATE ${reasonOf(error)}`, error);
  }
  const records = rangeCount(range);
  if (records > state.limits.maxGenerate)
    throw fail(
      frame,
      rangeToken,
      `$GENERATE ${rangeToken.text} makes ${records} records; the limit is ${state.limits.maxGenerate}`,
    );
  try {
    lhs = parseTemplate(lhsToken.text);
  } catch (error) {
    throw fail(frame, lhsToken, `$GENERATE ${reasonOf(error)}`, error);
  }
  const { ttl, rrclass, type, typeIndex } = readTtlClassType(line, 3, state, frame);
  const typeToken = line.tokens[typeIndex]!;
  const cls = checkClass(rrclass, typeToken, state, frame);
  const rhsTokens = line.tokens.slice(typeIndex + 1);
  if (rhsTokens.length === 0) argument(line, frame, typeIndex + 1, 'the data template');
  const rhsText =
    rhsTokens.length === 1 ? unquote(rhsTokens[0]!.text) : rhsTokens.map((token) => token.text).join(' ');
  let rhs: ReturnType<typeof parseTemplate>;
  try {
    rhs = parseTemplate(rhsText);
  } catch (error) {
    throw fail(frame, rhsTokens[0]!, `$GENERATE ${reasonOf(error)}`, error);
  }
  count(state, frame, rangeToken, records);
  const rhsAt = rhsTokens[0]!;
  for (let value = range.start; value <= range.stop; value += range.step) {
    const ownerText = expandTemplate(lhs, value);
    const owner = parseName({ ...lhsToken, text: ownerText }, frame, 'owner');
    const dataText = expandTemplate(rhs, value);
    let data: Rdata;
    try {
      data = rdataFromText(type, RdataTokens.fromText(dataText, frame.origin ?? Name.EMPTY));
    } catch (error) {
      throw fail(
        frame,
        rhsAt,
        `$GENERATE at ${value}: bad ${typeToText(type)} data ${JSON.stringify(dataText)}: ${reasonOf(error)}`,
        error,
      );
    }
    const recordTtl = resolveTtl(ttl, type, data, typeToken, state, frame);
    yield {
      record: { name: owner, type, class: cls, ttl: recordTtl, data },
      file: frame.file,
      line: line.tokens[0]!.line,
    };
  }
}
