/**
 * netkit zone: zone files.
 *   netkit zone check FILE [--origin NAME] [--strict] [--json]   what named-checkzone checks
 *   netkit zone format FILE [--origin NAME]                      canonical order and form
 * Exit codes: 0 the zone is fine (warnings are printed), 1 errors found (with --strict,
 * warnings too), 2 usage. The parser and the checks are pure (src/dns/zone); this file reads
 * the files, and lets `$INCLUDE` read only files inside the zone file's folder.
 */
import type { Command } from 'commander';
import { checkZoneText, type ZoneProblem } from '../../dns/zone/check.js';
import { formatZone } from '../../dns/zone/format.js';
import { parseZone } from '../../dns/zone/parse.js';
import { zoneFileOptions } from '../../services/dns/zone-reader.js';
import { printJson, printLine } from '../output.js';

interface ZoneFlags {
  origin?: string;
  strict?: boolean;
  json?: boolean;
}

function problemText(problem: ZoneProblem): string {
  const where = problem.column > 0 ? `${problem.line}:${problem.column}` : `${problem.line}`;
  return `${problem.file}:${where}: ${problem.severity}: ${problem.message}`;
}

function checkCommand(file: string, flags: ZoneFlags): void {
  const { text, options } = zoneFileOptions(file, flags.origin);
  const result = checkZoneText(text, options);
  const errors = result.problems.filter((p) => p.severity === 'error' || flags.strict);
  const ok = errors.length === 0;
  if (flags.json) {
    printJson({
      file,
      origin: result.origin?.toText() ?? null,
      records: result.entries.length,
      ok,
      problems: result.problems,
    });
  } else {
    for (const problem of result.problems) printLine(problemText(problem));
    const counts = `${result.entries.length} records, ${count(result.problems, 'error')}, ${count(result.problems, 'warning')}`;
    printLine(`zone ${result.origin?.toText() ?? '?'}: ${counts}: ${ok ? 'OK' : 'NOT OK'}`);
  }
  if (!ok) process.exitCode = 1;
}

function count(problems: ZoneProblem[], severity: ZoneProblem['severity']): string {
  const n = problems.filter((p) => p.severity === severity).length;
  return `${n} ${severity}${n === 1 ? '' : 's'}`;
}

function formatCommand(file: string, flags: ZoneFlags): void {
  const { text, options } = zoneFileOptions(file, flags.origin);
  const zone = parseZone(text, options);
  process.stdout.write(formatZone(zone.origin, zone.records));
}

export function registerZone(program: Command): void {
  const zone = program
    .command('zone')
    .description('Zone files: check them as named-checkzone does, or format them');
  zone
    .command('check')
    .description('check a zone file: errors (exit 1) and warnings, each with its line')
    .argument('<file>', 'the zone file')
    .option('--origin <name>', "the zone's name (default: the first $ORIGIN, else the SOA's owner)")
    .option('--strict', 'treat warnings as errors')
    .option('--json', 'print one JSON object')
    .action((file: string, flags: ZoneFlags) => checkCommand(file, flags));
  zone
    .command('format')
    .description('print the zone in canonical order and form (absolute names, one record per line)')
    .argument('<file>', 'the zone file')
    .option('--origin <name>', "the zone's name (default: the first $ORIGIN, else the SOA's owner)")
    .action((file: string, flags: ZoneFlags) => formatCommand(file, flags));
}
