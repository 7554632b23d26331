/**
 * `netkit dig` arguments, read as dig reads them: in any order, `@server`, `-p PORT`,
 * `-x ADDRESS`, `-t TYPE`, `-c CLASS`, `-4`/`-6`, `-y [ALG:]NAME:SECRET` and `-k KEYFILE`
 * (TSIG), a name, a type (`ixfr=SERIAL` too) and a class by their look, and `+option` /
 * `+nooption` query options.
 */
import { readFileSync } from 'node:fs';
import { UsageError } from '../../core/errors.js';
import { parseClass, parseType, RRCLASS, RRTYPE } from '../../dns/constants.js';
import { Name } from '../../dns/name.js';
import { parseTsigKeyFile, parseTsigSpec, type TsigKey, TsigKeyError } from '../../dns/tsig.js';

export interface DigSections {
  comments: boolean;
  question: boolean;
  answer: boolean;
  authority: boolean;
  additional: boolean;
  stats: boolean;
  cmd: boolean;
}

export interface DigArgs {
  server: string | undefined;
  port: number;
  name: string;
  type: number;
  rrclass: number;
  /** -x: the reverse name was built from this address. */
  reverseOf: string | undefined;
  family: 0 | 4 | 6;
  tcp: boolean;
  short: boolean;
  recurse: boolean;
  dnssec: boolean;
  bufsize: number;
  timeSeconds: number;
  tries: number;
  json: boolean;
  qr: boolean;
  explain: boolean;
  sections: DigSections;
  /** -y or -k: sign the query (and check the reply) with this key. */
  tsig: TsigKey | undefined;
  /** `ixfr=SERIAL`: the serial an IXFR asks for the changes since. */
  ixfrSerial: number | undefined;
}

const BOOLEAN_OPTIONS = ['tcp', 'vc', 'short', 'recurse', 'dnssec', 'json', 'qr', 'explain'] as const;
const SECTION_OPTIONS = [
  'comments',
  'question',
  'answer',
  'authority',
  'additional',
  'stats',
  'cmd',
] as const;

export function parseDigArgs(argv: readonly string[]): DigArgs {
  const args: DigArgs = {
    server: undefined,
    port: 53,
    name: '',
    type: RRTYPE.A,
    rrclass: RRCLASS.IN,
    reverseOf: undefined,
    family: 0,
    tcp: false,
    short: false,
    recurse: true,
    dnssec: false,
    bufsize: 1232,
    timeSeconds: 5,
    tries: 3,
    json: false,
    qr: false,
    explain: false,
    sections: {
      comments: true,
      question: true,
      answer: true,
      authority: true,
      additional: true,
      stats: true,
      cmd: true,
    },
    tsig: undefined,
    ixfrSerial: undefined,
  };
  let name: string | undefined;
  let typeGiven = false;
  let classGiven = false;
  const value = (i: number, flag: string): string => {
    const next = argv[i + 1];
    if (next === undefined) throw new UsageError(`${flag} needs a value`);
    return next;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith('@') && arg.length > 1) args.server = arg.slice(1);
    else if (arg === '-p') args.port = portValue(value(i++, '-p'));
    else if (arg === '-t') {
      args.type = typeValue(value(i++, '-t'));
      typeGiven = true;
    } else if (arg === '-c') {
      args.rrclass = classValue(value(i++, '-c'));
      classGiven = true;
    } else if (arg === '-x') {
      const address = value(i++, '-x');
      name = Name.fromAddress(address).toText();
      args.reverseOf = address;
      if (!typeGiven) args.type = RRTYPE.PTR;
    } else if (arg === '-4' || arg === '-6') args.family = arg === '-4' ? 4 : 6;
    else if (arg === '-y') args.tsig = keyValue('-y', () => parseTsigSpec(value(i++, '-y')));
    else if (arg === '-k') {
      const file = value(i++, '-k');
      args.tsig = keyValue('-k', () => {
        const text = readFileSync(file, 'utf8');
        return parseTsigKeyFile(text)[0]!;
      });
    } else if (!typeGiven && /^ixfr=\d+$/i.test(arg)) {
      // dig's IXFR=N: the changes since serial N.
      const serial = Number(arg.slice(5));
      if (serial > 0xffffffff) throw new UsageError(`${arg}: a serial is at most 4294967295`);
      args.type = RRTYPE.IXFR;
      args.ixfrSerial = serial;
      typeGiven = true;
    } else if (arg.startsWith('+')) applyPlusOption(args, arg.slice(1));
    else if (arg.startsWith('-') && arg.length > 1) throw new UsageError(`unknown option ${arg}`);
    else if (!typeGiven && parseType(arg) !== undefined && !looksLikeName(arg)) {
      // As dig does: a word that names a type is the type (the first time).
      args.type = parseType(arg)!;
      typeGiven = true;
    } else if (!classGiven && parseClass(arg) !== undefined && !looksLikeName(arg)) {
      args.rrclass = parseClass(arg)!;
      classGiven = true;
    } else if (name === undefined) name = arg;
    else throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`);
  }
  // dig with no name asks for the root's NS records.
  if (name === undefined) {
    name = '.';
    if (!typeGiven) args.type = RRTYPE.NS;
  }
  args.name = name;
  if (args.short) {
    args.sections = {
      comments: false,
      question: false,
      answer: true,
      authority: false,
      additional: false,
      stats: false,
      cmd: false,
    };
  }
  return args;
}

/** A word that is a type's name but written as a domain would be (with a dot). */
function looksLikeName(arg: string): boolean {
  return arg.includes('.');
}

function applyPlusOption(args: DigArgs, option: string): void {
  const negated = option.startsWith('no');
  const body = negated ? option.slice(2) : option;
  const [key, raw] = body.split('=', 2) as [string, string | undefined];
  const keyLower = key.toLowerCase();
  if (keyLower === 'all') {
    for (const section of SECTION_OPTIONS) args.sections[section] = !negated;
    return;
  }
  if ((SECTION_OPTIONS as readonly string[]).includes(keyLower)) {
    args.sections[keyLower as (typeof SECTION_OPTIONS)[number]] = !negated;
    return;
  }
  if ((BOOLEAN_OPTIONS as readonly string[]).includes(keyLower)) {
    const name = keyLower === 'vc' ? 'tcp' : (keyLower as Exclude<(typeof BOOLEAN_OPTIONS)[number], 'vc'>);
    args[name] = !negated;
    return;
  }
  const number = (min: number, max: number): number => {
    if (raw === undefined || !/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max)
      throw new UsageError(`+${key} expects a whole number from ${min} to ${max}`);
    return Number(raw);
  };
  switch (keyLower) {
    case 'bufsize':
      args.bufsize = negated ? 0 : number(0, 65535);
      return;
    case 'time':
      args.timeSeconds = number(1, 300);
      return;
    case 'tries':
      args.tries = number(1, 100);
      return;
    case 'retry':
      args.tries = number(0, 99) + 1;
      return;
    case 'edns':
      if (negated) args.bufsize = 0;
      return;
    default:
      throw new UsageError(`unknown query option +${option}`);
  }
}

function keyValue(flag: string, read: () => TsigKey): TsigKey {
  try {
    return read();
  } catch (error) {
    if (error instanceof TsigKeyError || (error as NodeJS.ErrnoException).code !== undefined)
      throw new UsageError(`${flag}: ${(error as Error).message}`, { cause: error });
    throw error;
  }
}

function portValue(text: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535)
    throw new UsageError(`-p expects a port, not ${JSON.stringify(text)}`);
  return Number(text);
}

function typeValue(text: string): number {
  const type = parseType(text);
  if (type === undefined) throw new UsageError(`unknown record type ${JSON.stringify(text)}`);
  return type;
}

function classValue(text: string): number {
  const rrclass = parseClass(text);
  if (rrclass === undefined) throw new UsageError(`unknown class ${JSON.stringify(text)}`);
  return rrclass;
}
