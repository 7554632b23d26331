/**
 * The lookup commands end to end, as a user runs them (needs `npm run build`): output for
 * people, --json, one-line errors on stderr, and exit codes 0 / 1 (not found) / 2 (usage).
 */
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { getaddrinfo, gethostbyaddr, gethostbynameEx, interfaces } from '../../src/lookup/index.js';
import { runNetkit } from '../helpers/cli.js';
import { describeHermetic } from '../helpers/hermetic.js';

async function json(args: string[]): Promise<Record<string, unknown>> {
  const result = await runNetkit([...args, '--json']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

async function failure(args: string[], code: number, pattern: RegExp, hermetic = false): Promise<void> {
  const result = await runNetkit(args, { hermetic });
  expect(result.code).toBe(code);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(pattern);
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
}

describe('netkit lookup host', () => {
  it('prints the canonical name, aliases and every address with its family', async () => {
    const result = await runNetkit(['lookup', 'host', 'localhost']);
    expect(result.code).toBe(0);
    const entry = await gethostbynameEx('localhost');
    expect(result.stdout).toContain(`Name:      ${entry.hostname}\n`);
    for (const { address, family } of await getaddrinfo('localhost')) {
      expect(result.stdout).toContain(`${address} (IPv${family})`);
    }
    expect(result.stdout).toMatch(/^Aliases: +/m);
  });

  it('--json gives the same as the library', async () => {
    const entry = await gethostbynameEx('localhost');
    expect(await json(['lookup', 'host', 'localhost'])).toEqual({
      name: 'localhost',
      hostname: entry.hostname,
      aliases: entry.aliases,
      addresses: await getaddrinfo('localhost'),
    });
    expect(await json(['lookup', 'host', '::1'])).toMatchObject({
      hostname: '::1',
      addresses: [{ address: '::1', family: 6 }],
    });
  });
});

// Names and addresses in no local file are asked of DNS: hermetically, never of the real resolver.
describeHermetic('netkit lookup of what only DNS could answer', [], () => {
  it('exits 1 with the gaierror text for an unknown name', async () => {
    await failure(
      ['lookup', 'host', 'no-such-host.invalid'],
      1,
      /Name or service not known \[NK_LOOKUP_NONAME\]/,
      true,
    );
  });

  it('exits 1 with the herror text for an address with no name', async () => {
    await failure(['lookup', 'addr', '::'], 1, /Unknown host \[NK_LOOKUP_HOST_NOT_FOUND\]/, true);
  });
});

describe('netkit lookup addr', () => {
  it('prints the host name of an address, as gethostbyaddr', async () => {
    const entry = await gethostbyaddr('127.0.0.1');
    const result = await runNetkit(['lookup', 'addr', '127.0.0.1']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `Name:    ${entry.hostname}\nAliases: ${entry.aliases.join('\n         ') || '(none)'}\nAddress: 127.0.0.1\n`,
    );
    expect(await json(['lookup', 'addr', '127.0.0.1'])).toEqual({ address: '127.0.0.1', ...entry });
  });

  it('exits 1 for an unknown address and 2 for something that is not an address', async () => {
    await failure(['lookup', 'addr', 'localhost'], 2, /not an IPv4 or IPv6 address.*\[NK_USAGE\]/);
  });
});

describe('netkit lookup service and port', () => {
  it('prints both protocols by default, or the one asked for', async () => {
    const result = await runNetkit(['lookup', 'service', 'domain']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^SERVICE +PORT +ALIASES\ndomain +53\/tcp\ndomain +53\/udp\n$/);
    expect(await json(['lookup', 'service', 'www', '--proto', 'tcp'])).toEqual({
      name: 'www',
      proto: 'tcp',
      services: [{ name: 'http', aliases: ['www'], port: 80, proto: 'tcp' }],
    });
    const port = await json(['lookup', 'port', '80']);
    expect(port).toEqual({
      port: 80,
      proto: null,
      services: [{ name: 'http', aliases: ['www'], port: 80, proto: 'tcp' }],
    });
  });

  it('exits 1 when nothing matches, naming the Python error text', async () => {
    await failure(
      ['lookup', 'service', 'no-such-service'],
      1,
      /service\/proto not found.*\[NK_LOOKUP_SERVICE_NOT_FOUND\]/,
    );
    await failure(['lookup', 'service', 'ssh', '--proto', 'udp'], 1, /ssh\/udp/);
    await failure(
      ['lookup', 'port', '80', '--proto', 'udp'],
      1,
      /port\/proto not found: 80\/udp \[NK_LOOKUP_PORT_NOT_FOUND\]/,
    );
  });

  it('exits 2 for a port that is not a number from 0 to 65535, or a protocol other than tcp and udp', async () => {
    await failure(['lookup', 'port', 'http'], 2, /port "http" is not a number from 0 to 65535 \[NK_USAGE\]/);
    await failure(['lookup', 'port', '65536'], 2, /\[NK_USAGE\]/);
    await failure(['lookup', 'port', '-1'], 2, /./);
    await failure(
      ['lookup', 'service', 'http', '--proto', 'icmp'],
      2,
      /--proto expects tcp or udp.*\[NK_USAGE\]/,
    );
  });
});

describe('netkit hostname and ifaces', () => {
  it('prints the host name', async () => {
    const result = await runNetkit(['hostname']);
    expect(result).toEqual({ code: 0, stdout: `${hostname()}\n`, stderr: '' });
    expect(await json(['hostname'])).toEqual({ hostname: hostname() });
  });

  it('prints one block per interface, with the MAC and every address in CIDR form', async () => {
    const result = await runNetkit(['ifaces']);
    expect(result.code).toBe(0);
    for (const iface of interfaces()) {
      expect(result.stdout).toContain(
        `${iface.name}${iface.internal ? ' (loopback)' : ''}\n    ether ${iface.mac}\n`,
      );
      for (const a of iface.addresses)
        expect(result.stdout).toContain(`    ${a.family === 4 ? 'inet' : 'inet6'} ${a.cidr}`);
    }
    expect(await json(['ifaces'])).toEqual({ interfaces: interfaces() });
  });

  it('exits 2 on an unknown option', async () => {
    const result = await runNetkit(['ifaces', '--bogus']);
    expect(result.code).toBe(2);
  });
});
