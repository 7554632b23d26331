/**
 * The host lookups with every input injected: /etc files as text, DNS and getaddrinfo as
 * in-memory fakes. Covers Python's special cases, the nsswitch walk and its actions, the
 * dns source (search list, CNAME aliases, PTR) and each error with its Python equivalent.
 */
import { describe, expect, it } from 'vitest';
import {
  AddressLookupError,
  BadNameError,
  checkHostName,
  getAllAddresses,
  getaddrinfo,
  gethostbyaddr,
  gethostbyname,
  gethostbynameEx,
  HostLookupError,
} from '../../src/lookup/index.js';
import { fakeDns, fakeSystem, fixtureOptions } from './lookup-fakes.js';

const system = fakeSystem({
  localhost: [{ address: '127.0.0.1', family: 4 }],
  dual: [
    { address: '2001:db8::1', family: 6 },
    { address: '192.0.2.1', family: 4 },
  ],
  box: [{ address: '192.0.2.9', family: 4 }],
});

describe('gethostbyname', () => {
  it("keeps Python's conventions for '', '<broadcast>' and IPv4 literals, without asking anyone", async () => {
    const options = fixtureOptions({ system: fakeSystem() });
    expect(await gethostbyname('', options)).toBe('0.0.0.0');
    expect(await gethostbyname('<broadcast>', options)).toBe('255.255.255.255');
    expect(await gethostbyname('192.0.2.1', options)).toBe('192.0.2.1');
    expect(await gethostbyname('::ffff:192.0.2.1', options)).toBe('192.0.2.1');
    expect((options.system as ReturnType<typeof fakeSystem>).asked).toEqual([]);
  });

  it('gives the first IPv4 address getaddrinfo finds', async () => {
    expect(await gethostbyname('dual', fixtureOptions({ system }))).toBe('192.0.2.1');
  });

  it('raises gaierror EAI_ADDRFAMILY for IPv6 literals and EAI_NONAME for unknown names', async () => {
    const v6 = await gethostbyname('::1', fixtureOptions()).catch((e: unknown) => e);
    expect(v6).toBeInstanceOf(AddressLookupError);
    expect(v6).toMatchObject({
      code: 'NK_LOOKUP_ADDRFAMILY',
      message: '"::1": Address family for hostname not supported',
      details: { python: 'socket.gaierror', errno: -9, eai: 'EAI_ADDRFAMILY', host: '::1' },
    });
    await expect(gethostbyname('nowhere', fixtureOptions())).rejects.toMatchObject({
      code: 'NK_LOOKUP_NONAME',
      details: { errno: -2 },
    });
  });
});

describe('getaddrinfo and getAllAddresses', () => {
  it('normalize literals as glibc does and check their family', async () => {
    const options = fixtureOptions();
    expect(await getaddrinfo('::0001', options)).toEqual([{ address: '::1', family: 6 }]);
    expect(await getaddrinfo('fe80::1%eth0', options)).toEqual([{ address: 'fe80::1', family: 6 }]);
    await expect(getaddrinfo('192.0.2.1', { ...options, family: 6 })).rejects.toMatchObject({
      code: 'NK_LOOKUP_ADDRFAMILY',
    });
    await expect(getaddrinfo('', options)).rejects.toMatchObject({ code: 'NK_LOOKUP_NONAME' });
  });

  it("keep getaddrinfo's order and filter by family", async () => {
    expect(await getAllAddresses('dual', fixtureOptions({ system }))).toEqual(['2001:db8::1', '192.0.2.1']);
    expect(await getaddrinfo('dual', fixtureOptions({ system, family: 4 }))).toEqual([
      { address: '192.0.2.1', family: 4 },
    ]);
  });
});

describe('gethostbynameEx', () => {
  const hostsText = '192.0.2.1 dual.example dual d\n192.0.2.2 dual.example second\n';
  const withDual = fakeSystem({ dual: [{ address: '192.0.2.1', family: 4 }], 'dual.example': [] });

  it('answers from /etc/hosts, merging lines with multi on', async () => {
    expect(await gethostbynameEx('dual', fixtureOptions({ hostsText, system: withDual }))).toEqual({
      hostname: 'dual.example',
      aliases: ['dual', 'd'],
      addresses: ['192.0.2.1'],
    });
    const merged = fakeSystem({ 'dual.example': [{ address: '192.0.2.1', family: 4 }] });
    expect(await gethostbynameEx('dual.example', fixtureOptions({ hostsText, system: merged }))).toEqual({
      hostname: 'dual.example',
      aliases: ['dual', 'd', 'second'],
      addresses: ['192.0.2.1', '192.0.2.2'],
    });
    const single = fixtureOptions({ hostsText, system: merged, hostConfText: 'multi off' });
    expect((await gethostbynameEx('dual.example', single)).addresses).toEqual(['192.0.2.1']);
  });

  it('answers numeric names itself, as glibc does', async () => {
    const options = fixtureOptions({
      system: fakeSystem({ '127.1': [{ address: '127.0.0.1', family: 4 }] }),
    });
    expect(await gethostbynameEx('127.1', options)).toEqual({
      hostname: '127.1',
      aliases: [],
      addresses: ['127.0.0.1'],
    });
    expect(await gethostbynameEx('::1', { ...options, family: 6 })).toEqual({
      hostname: '::1',
      aliases: [],
      addresses: ['::1'],
    });
  });

  it('follows CNAMEs through DNS for the canonical name and aliases, with the search list', async () => {
    const dns = fakeDns({
      CNAME: { 'www.corp.example': 'web.corp.example', 'web.corp.example': 'edge.cdn.example' },
      A: { 'edge.cdn.example': ['198.51.100.7', '198.51.100.8'] },
      AAAA: { 'edge.cdn.example': ['2001:DB8:0:0::7'] },
    });
    const options = fixtureOptions({
      dns,
      resolvConfText: 'search corp.example\n',
      system: fakeSystem({ www: [{ address: '198.51.100.7', family: 4 }] }),
    });
    expect(await gethostbynameEx('www', options)).toEqual({
      hostname: 'edge.cdn.example',
      aliases: ['www.corp.example', 'web.corp.example'],
      addresses: ['198.51.100.7', '198.51.100.8'],
    });
    expect((await gethostbynameEx('www', { ...options, family: 6 })).addresses).toEqual(['2001:db8::7']);
    expect(dns.asked[0]).toBe('A www.corp.example');
  });

  it('reports what DNS said: no data, try again, or unknown host', async () => {
    const dns = fakeDns({
      A: { 'v4.example': ['192.0.2.1'] },
      AAAA: {},
      fail: { 'slow.example': 'ETIMEOUT' },
    });
    const options = fixtureOptions({ dns });
    const six = { ...options, family: 6 as const };
    await expect(gethostbynameEx('v4.example', six)).rejects.toMatchObject({
      code: 'NK_LOOKUP_HOST_NO_DATA',
      details: { python: 'socket.herror', errno: 4 },
    });
    await expect(gethostbynameEx('slow.example', six)).rejects.toMatchObject({
      code: 'NK_LOOKUP_HOST_TRY_AGAIN',
    });
    const missing = await gethostbynameEx('missing.example', six).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(HostLookupError);
    expect(missing).toMatchObject({
      code: 'NK_LOOKUP_HOST_NOT_FOUND',
      message: '"missing.example": Unknown host',
    });
  });

  it('raises the gaierror of the getaddrinfo check first, as Python does', async () => {
    await expect(gethostbynameEx('nowhere', fixtureOptions())).rejects.toBeInstanceOf(AddressLookupError);
  });

  it('stops where an action says return, and never asks DNS then', async () => {
    const dns = fakeDns({ A: { 'far.example': ['192.0.2.1'] } });
    const options = fixtureOptions({ dns, nsswitchText: 'hosts: files [NOTFOUND=return] dns', family: 6 });
    await expect(gethostbynameEx('far.example', options)).rejects.toMatchObject({
      code: 'NK_LOOKUP_HOST_NOT_FOUND',
    });
    expect(dns.asked).toEqual([]);
  });

  it('hands sources it does not emulate to the system, and skips mdns minimal for non-.local names', async () => {
    const options = fixtureOptions({
      nsswitchText: 'hosts: files mdns4_minimal [NOTFOUND=return] myhostname dns',
      system,
      family: 4,
    });
    expect(await gethostbynameEx('box', options)).toEqual({
      hostname: 'box',
      aliases: [],
      addresses: ['192.0.2.9'],
    });
    expect(system.asked).toContain('getaddrinfo box 4');
  });

  it('goes on to dns when there is no hosts file', async () => {
    const dns = fakeDns({ A: { 'x.example': ['192.0.2.3'] } });
    const options = fixtureOptions({ dns, hostsText: undefined, hostsPath: '/nonexistent/hosts', family: 6 });
    await expect(gethostbynameEx('x.example', options)).rejects.toMatchObject({
      code: 'NK_LOOKUP_HOST_NO_DATA',
    });
    expect(dns.asked).toContain('AAAA x.example');
  });
});

describe('gethostbyaddr', () => {
  it('answers from /etc/hosts, then from DNS PTR records', async () => {
    const dns = fakeDns({ PTR: { '7.100.51.198.in-addr.arpa': ['edge.cdn.example', 'other.example'] } });
    const options = fixtureOptions({ dns });
    expect(await gethostbyaddr('127.0.0.1', options)).toEqual({
      hostname: 'localhost',
      aliases: [],
      addresses: ['127.0.0.1'],
    });
    expect(await gethostbyaddr('198.51.100.7', options)).toEqual({
      hostname: 'edge.cdn.example',
      aliases: [],
      addresses: ['198.51.100.7'],
    });
    // nss_dns asks for a v4-mapped address under in-addr.arpa.
    expect((await gethostbyaddr('::ffff:198.51.100.7', options)).addresses).toEqual(['::ffff:198.51.100.7']);
  });

  it('resolves a name to its first address first, as Python does', async () => {
    const options = fixtureOptions({ system });
    expect(await gethostbyaddr('localhost', options)).toMatchObject({ hostname: 'localhost' });
  });

  it('says Unknown host for :: without asking, and for addresses nobody knows', async () => {
    const dns = fakeDns({});
    await expect(gethostbyaddr('::', fixtureOptions({ dns }))).rejects.toMatchObject({
      code: 'NK_LOOKUP_HOST_NOT_FOUND',
      details: { errno: 1 },
    });
    expect(dns.asked).toEqual([]);
    await expect(gethostbyaddr('192.0.2.99', fixtureOptions({ dns }))).rejects.toBeInstanceOf(
      HostLookupError,
    );
    expect(dns.asked).toEqual(['PTR 99.2.0.192.in-addr.arpa']);
  });

  it('asks getnameinfo for sources it does not emulate', async () => {
    const byName = fakeSystem({}, { '192.0.2.5': 'printer.local' });
    const options = fixtureOptions({ nsswitchText: 'hosts: files mdns4', system: byName });
    expect(await gethostbyaddr('192.0.2.5', options)).toEqual({
      hostname: 'printer.local',
      aliases: [],
      addresses: ['192.0.2.5'],
    });
  });

  it('refuses an empty address', async () => {
    await expect(gethostbyaddr('', fixtureOptions())).rejects.toMatchObject({
      code: 'NK_LOOKUP_BAD_NAME',
      details: { python: 'OSError' },
    });
  });
});

describe('checkHostName', () => {
  it("encodes and checks names as Python's idna codec does", () => {
    expect(checkHostName('www.example.com.')).toBe('www.example.com.');
    expect(checkHostName('bücher.example')).toBe('xn--bcher-kva.example');
    expect(checkHostName('')).toBe('');
    for (const bad of ['a..b', '.', 'x'.repeat(64), 'a\u0000b']) {
      expect(() => checkHostName(bad)).toThrow(BadNameError);
    }
    expect(() => checkHostName('a\u0000b')).toThrow(/NUL/);
  });
});
