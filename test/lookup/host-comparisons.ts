/**
 * How host lookups are compared: netkit against Python function by function, and
 * netkit's answers turned into what getent hosts / ahosts / ahostsv4 would print.
 */
import { parseAddress } from '../../src/lookup/ip-text.js';
import { type Batch, differences, getentHostLines, type Outcome, okValue } from './differential.js';

export const HOST_FUNCTIONS = [
  'gethostbyname',
  'gethostbyname_ex',
  'gethostbyaddr',
  'getaddrinfo',
  'getaddrinfo4',
];
type HostTriple = [string, string[], string[]];

/**
 * With `hosts: files` alone, glibc leaves h_errno as the previous lookup left it (0 in a
 * fresh process), so a herror's number is noise there: herrorClassOnly compares the class.
 */
export function errorClass(outcome: Outcome | undefined): Outcome | undefined {
  return outcome && 'error' in outcome ? { error: outcome.error.replace(/^herror:\d+$/, 'herror') } : outcome;
}

/** netkit and Python, function by function and name by name; returns the number compared and the differences. */
export function compareHosts(
  batch: Batch,
  names: readonly string[],
  options: { herrorClassOnly?: boolean; skip?: (name: string, fn: string) => boolean } = {},
): { count: number; diffs: string[] } {
  const normalize = options.herrorClassOnly ? errorClass : (outcome: Outcome | undefined) => outcome;
  let count = 0;
  const diffs: string[] = [];
  for (const name of names) {
    for (const fn of HOST_FUNCTIONS) {
      if (options.skip?.(name, fn)) continue;
      count++;
      const ours = normalize(batch.netkit.hosts[name]?.[fn]);
      const theirs = normalize(batch.python.hosts[name]?.[fn]);
      diffs.push(...differences(`${fn}(${JSON.stringify(name)})`, ours, theirs));
    }
  }
  return { count, diffs };
}

/** What `getent hosts KEY`, `getent ahosts KEY` and `getent ahostsv4 KEY` should print, from netkit's answers. */
export function expectedGetent(batch: Batch, key: string): { status: number; lines: string[][] }[] {
  const r = batch.netkit.hosts[key]!;
  // getent hosts: an address literal goes to gethostbyaddr; a name to gethostbyname2, IPv6 then IPv4.
  const entry = parseAddress(key)
    ? okValue<HostTriple>(r.gethostbyaddr)
    : (okValue<HostTriple>(r.gethostbyname_ex6) ?? okValue<HostTriple>(r.gethostbyname_ex));
  const ahosts = (outcome: Outcome | undefined) => {
    const found = okValue<[number, string][]>(outcome);
    return { status: found ? 0 : 2, lines: (found ?? []).map(([, address]) => [address]) };
  };
  return [
    { status: entry ? 0 : 2, lines: getentHostLines(entry) },
    ahosts(r.getaddrinfo),
    ahosts(r.getaddrinfo4),
  ];
}

export function getentArgsFor(keys: readonly string[]): string[][] {
  return keys.flatMap((key) => [
    ['hosts', key],
    ['ahosts', key],
    ['ahostsv4', key],
  ]);
}

/** getent ahosts prints STREAM, DGRAM and RAW lines per address; the STREAM ones are getaddrinfo's list. */
export function streamLines(result: { status: number; lines: string[][] }): {
  status: number;
  lines: string[][];
} {
  return { status: result.status, lines: result.lines.filter((f) => f[1] === 'STREAM').map((f) => [f[0]!]) };
}

export function compareGetentHosts(batch: Batch, keys: readonly string[]): string[] {
  return keys.flatMap((key, i) => {
    const [hosts, ahosts, ahostsv4] = expectedGetent(batch, key);
    const base = i * 3;
    return [
      ...differences(`getent hosts ${key}`, hosts, batch.getent[base]),
      ...differences(`getent ahosts ${key}`, ahosts, streamLines(batch.getent[base + 1]!)),
      ...differences(`getent ahostsv4 ${key}`, ahostsv4, streamLines(batch.getent[base + 2]!)),
    ];
  });
}
