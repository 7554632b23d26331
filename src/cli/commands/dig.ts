/**
 * `netkit dig`: DNS queries the way dig makes and shows them, so a dig user reads the output
 * at once: the header, the OPT pseudosection, the four sections in presentation format, and
 * the statistics; `+short`, `+json` (RFC 8427), `+qr`, and `+explain`, an annotated hex
 * dump of the query's and the reply's bytes, field by field. `netkit dig axfr ZONE @server`
 * streams a zone transfer. Exit codes as dig's: 0 for any reply, 9 for none, 1 for usage.
 */
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { RRCLASS, RRTYPE } from '../../dns/constants.js';
import { explainMessage } from '../../dns/explain.js';
import { encodeMessage, type Message } from '../../dns/message.js';
import { messageToJson, messageToText } from '../../dns/message-text.js';
import { Name } from '../../dns/name.js';
import type { SoaRdata } from '../../dns/rdata/types.js';
import { type ResourceRecord, rdataToText, recordToText } from '../../dns/record.js';
import { DnsTimeoutError } from '../../resolver/errors.js';
import { buildQuery, exchange, type QueryResult } from '../../resolver/query.js';
import { systemResolverConfig } from '../../resolver/resolve.js';
import { zoneTransfer } from '../../resolver/transfer.js';
import { printLine } from '../output.js';
import { type DigArgs, parseDigArgs } from './dig-args.js';

const VERSION = '0.1.0';

/** dig's exit codes. */
const EXIT = { ok: 0, usage: 1, noReply: 9 } as const;

export function registerDig(program: Command): void {
  program
    .command('dig')
    .description('DNS lookups as dig does them: netkit dig @127.0.0.1 -p 5353 example.test MX +short')
    .argument(
      '[args...]',
      '[@server] [-p port] [-x addr] [-t type] [-c class] name [type] [class] [+options]',
    )
    .allowUnknownOption(true)
    .helpOption('-h, --help', 'show this help')
    .addHelpText(
      'after',
      `
Query options (+opt, or +noopt to turn off):
  +tcp            over TCP (default UDP, retried over TCP when truncated)
  +short          only the answers' data, one per line
  +[no]recurse    the RD flag (default on)
  +dnssec         ask for DNSSEC records (the DO bit)
  +bufsize=N      EDNS UDP payload size (default 1232; +noedns: no EDNS)
  +time=S         seconds to wait for each try (default 5)
  +tries=N        tries over UDP (default 3)
  +json           the reply as JSON (RFC 8427)
  +qr             also print the query sent
  +explain        the query's and the reply's bytes as an annotated hex dump
  +[no]all, +[no]comments, +[no]question, +[no]answer, +[no]authority,
  +[no]additional, +[no]stats, +[no]cmd   which parts to print
Zone transfer: netkit dig axfr ZONE @SERVER, or ixfr=SERIAL for the changes since SERIAL
  (+json: one RFC 8427 object a message, a line each)
TSIG: -y [ALG:]NAME:SECRET (secret in base64; default hmac-sha256) or -k KEYFILE
  (tsig-keygen's or keymgr -t's file): the query is signed and the reply must be signed too
Exit codes: 0 a reply (any status), 9 no reply, 1 usage error.`,
    )
    .action(async (argv: string[]) => {
      let args: DigArgs;
      try {
        args = parseDigArgs(argv);
      } catch (error) {
        if (error instanceof UsageError || (error instanceof Error && 'code' in error)) {
          process.stderr.write(`netkit dig: ${(error as Error).message}\n`);
          process.exitCode = EXIT.usage;
          return;
        }
        throw error;
      }
      process.exitCode = await runDig(args, argv);
    });
}

async function runDig(args: DigArgs, argv: string[]): Promise<number> {
  const server = args.server ?? (await systemResolverConfig()).nameservers[0] ?? '127.0.0.1';
  const absolute = args.name.endsWith('.') ? args.name : `${args.name}.`;
  // Internationalised names go out in their xn-- form, as dig's IDN support does.
  const name = /[^\x00-\x7f]/.test(absolute) ? Name.fromUnicode(absolute) : Name.fromText(absolute);
  if (args.type === RRTYPE.AXFR || args.type === RRTYPE.IXFR) return runTransfer(args, name, server, argv);
  const options = {
    server,
    port: args.port,
    transport: args.tcp ? ('tcp' as const) : ('udp' as const),
    timeoutMs: args.timeSeconds * 1000,
    retries: Math.max(0, args.tries - 1),
    udpPayloadSize: args.bufsize,
    dnssecOk: args.dnssec,
    recursionDesired: args.recurse,
    rrclass: args.rrclass,
    ...(args.tsig ? { tsig: args.tsig } : {}),
  };
  const query = buildQuery(name, args.type, options);
  if (!args.json && !args.short && args.sections.cmd) printCmd(argv, args.server !== undefined);
  if (args.qr && !args.json) {
    printLine(';; Sending:');
    printLine(messageToText(query).replace(/\n+$/, ''));
    printLine('');
    printLine(`;; QUERY SIZE: ${encodeMessage(query).length}`);
    printLine('');
  }
  let result: QueryResult;
  try {
    result = await exchange(query, options);
  } catch (error) {
    if (error instanceof DnsTimeoutError || (error instanceof Error && 'code' in error)) {
      const why = error instanceof DnsTimeoutError ? 'timed out' : (error as Error).message;
      printLine(`;; communications error to ${server}#${args.port}: ${why}`);
      printLine(';; no servers could be reached');
      if (args.explain) for (const line of explainMessage(encodeMessage(query))) printLine(line);
      return EXIT.noReply;
    }
    throw error;
  }
  if (args.json) {
    printLine(JSON.stringify(messageToJson(result.reply), null, 2));
    return EXIT.ok;
  }
  if (args.explain) {
    printLine(';; The query, byte by byte:');
    for (const line of explainMessage(result.queryBytes)) printLine(line);
    printLine('');
    printLine(';; The reply, byte by byte:');
    for (const line of explainMessage(result.replyBytes)) printLine(line);
    printLine('');
  }
  if (args.short) {
    for (const record of result.reply.answer) printLine(rdataToText(record.type, record.data));
    return EXIT.ok;
  }
  printReply(result.reply, args);
  if (args.sections.stats) {
    printLine(`;; Query time: ${Math.round(result.elapsedMs)} msec`);
    printLine(`;; SERVER: ${server}#${args.port}(${server}) (${result.transport.toUpperCase()})`);
    printLine(`;; WHEN: ${whenText(new Date())}`);
    printLine(`;; MSG SIZE  rcvd: ${result.replyBytes.length}`);
    printLine('');
  }
  return EXIT.ok;
}

function printCmd(argv: string[], serverGiven: boolean): void {
  printLine('');
  printLine(`; <<>> netkit dig ${VERSION} <<>> ${argv.join(' ')}`);
  if (serverGiven) printLine('; (1 server found)');
  printLine(';; global options: +cmd');
}

/** The reply in dig's layout, keeping only the parts the +options ask for. */
function printReply(reply: Message, args: DigArgs): void {
  const text = messageToText(reply);
  const { sections } = args;
  if (sections.comments) printLine(';; Got answer:');
  // messageToText gives blocks separated by blank lines: the header, the OPT pseudosection,
  // then one block per section, each starting with its ';; NAME SECTION:' comment.
  for (const block of text.split(/\n\n+/)) {
    const first = block.split('\n')[0] ?? '';
    const keep =
      (first.startsWith(';; ->>HEADER') && sections.comments) ||
      (first.startsWith(';; OPT PSEUDOSECTION') && sections.comments) ||
      (first.startsWith(';; QUESTION SECTION') && sections.question) ||
      (first.startsWith(';; ANSWER SECTION') && sections.answer) ||
      (first.startsWith(';; AUTHORITY SECTION') && sections.authority) ||
      (first.startsWith(';; ADDITIONAL SECTION') && sections.additional);
    if (!keep) continue;
    const lines = block.replace(/\n+$/, '').split('\n');
    // dig warns below the flags when recursion was asked for and the server does not offer it.
    if (first.startsWith(';; ->>HEADER') && args.recurse && !reply.flags.ra)
      lines.push(';; WARNING: recursion requested but not available');
    // Without comments, dig prints the records of a section without its title line.
    printLine((sections.comments ? lines : lines.filter((line) => !line.startsWith(';;'))).join('\n'));
    printLine('');
  }
}

/**
 * AXFR, or IXFR from `ixfr=SERIAL`: the records of every message as they arrive (both SOAs of
 * an AXFR, each SOA of an IXFR's sequences, as dig prints them), signed with -y/-k's key.
 */
async function runTransfer(args: DigArgs, zone: Name, server: string, argv: string[]): Promise<number> {
  if (args.sections.cmd && !args.short && !args.json) printCmd(argv, args.server !== undefined);
  let count = 0;
  let messages = 0;
  const started = performance.now();
  // dig's IXFR query carries an SOA with only the serial filled in.
  const from: ResourceRecord<SoaRdata> | undefined =
    args.type === RRTYPE.IXFR
      ? {
          name: zone,
          type: RRTYPE.SOA,
          class: RRCLASS.IN,
          ttl: 0,
          data: {
            mname: Name.ROOT,
            rname: Name.ROOT,
            serial: args.ixfrSerial ?? 0,
            refresh: 0,
            retry: 0,
            expire: 0,
            minimum: 0,
          },
        }
      : undefined;
  try {
    await zoneTransfer(zone, {
      server,
      port: args.port,
      timeoutMs: args.timeSeconds * 1000,
      ...(from ? { from } : {}),
      ...(args.tsig ? { tsig: args.tsig } : {}),
      onMessage: (message) => {
        messages++;
        // +json: one RFC 8427 object a message, one a line (a transfer can be large).
        if (args.json) {
          count += message.answer.length;
          printLine(JSON.stringify(messageToJson(message)));
          return;
        }
        for (const record of message.answer) {
          count++;
          printLine(
            args.short ? rdataToText(record.type, record.data) : recordToText(record).replace(/ /g, '\t'),
          );
        }
      },
    });
  } catch (error) {
    if (error instanceof Error && 'code' in error) {
      if (args.json)
        printLine(
          JSON.stringify({
            error: { code: (error as Error & { code: string }).code, message: error.message },
          }),
        );
      else printLine(`; Transfer failed: ${error.message}`);
      return error instanceof DnsTimeoutError ? EXIT.noReply : EXIT.ok;
    }
    throw error;
  }
  if (!args.short && !args.json && args.sections.stats) {
    printLine(`;; Query time: ${Math.round(performance.now() - started)} msec`);
    printLine(`;; SERVER: ${server}#${args.port}(${server}) (TCP)`);
    printLine(`;; WHEN: ${whenText(new Date())}`);
    printLine(`;; XFR size: ${count} records (messages ${messages})`);
  }
  return EXIT.ok;
}

/** dig's WHEN line: `Tue Nov 24 23:20:00 UTC 2026`. */
function whenText(date: Date): string {
  const day = date.toLocaleString('en-US', { weekday: 'short', timeZone: 'UTC' });
  const month = date.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const time = date.toISOString().slice(11, 19);
  return `${day} ${month} ${String(date.getUTCDate()).padStart(2, ' ')} ${time} UTC ${date.getUTCFullYear()}`;
}
