/**
 * nsswitch.conf, host.conf and resolv.conf parsing, on the lines real distributions ship.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_HOSTS_SOURCES,
  hostsSources,
  parseNsswitch,
  parseSources,
} from '../../src/lookup/nsswitch.js';
import { parseHostConf, parseResolvConf, searchCandidates } from '../../src/lookup/resolver-config.js';

const names = (text: string) => hostsSources(parseNsswitch(text)).map((s) => s.name);

describe('parseNsswitch', () => {
  it('reads the hosts line of Debian, Ubuntu desktop and Fedora', () => {
    expect(names('passwd: files\nhosts:          files dns\nnetworks: files\n')).toEqual(['files', 'dns']);
    const ubuntu = hostsSources(parseNsswitch('hosts: files mdns4_minimal [NOTFOUND=return] dns myhostname'));
    expect(ubuntu.map((s) => s.name)).toEqual(['files', 'mdns4_minimal', 'dns', 'myhostname']);
    expect(ubuntu[1]!.actions).toEqual({
      success: 'return',
      notfound: 'return',
      unavail: 'continue',
      tryagain: 'continue',
    });
    const fedora = hostsSources(parseNsswitch('hosts: files myhostname resolve [!UNAVAIL=return] dns'));
    expect(fedora[2]!.actions).toEqual({
      success: 'return',
      notfound: 'return',
      unavail: 'continue',
      tryagain: 'return',
    });
    expect(fedora[3]!.actions.notfound).toBe('continue');
  });

  it('ignores comments, case in actions, unknown words, and later lines for the same database', () => {
    const text = '# hosts: nis\nhosts: files [NotFound=Return bogus x=y] dns # comment\nhosts: nis\n';
    const sources = hostsSources(parseNsswitch(text));
    expect(sources.map((s) => s.name)).toEqual(['files', 'dns']);
    expect(sources[0]!.actions.notfound).toBe('return');
  });

  it("uses glibc's default without a hosts line or without the file", () => {
    const expected = parseSources(DEFAULT_HOSTS_SOURCES);
    expect(hostsSources(parseNsswitch('passwd: files\n'))).toEqual(expected);
    expect(hostsSources(undefined)).toEqual(expected);
    expect(expected.map((s) => s.name)).toEqual(['dns', 'files']);
    expect(expected[0]!.actions.notfound).toBe('return');
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        for (const source of hostsSources(parseNsswitch(text))) expect(source.name).not.toMatch(/\s/);
      }),
    );
  });
});

describe('parseHostConf', () => {
  it('reads multi on and off, in any case, and lets RESOLV_MULTI override it', () => {
    expect(parseHostConf('multi on\n').multi).toBe(true);
    expect(parseHostConf('# multi on\norder hosts,bind\n').multi).toBe(false);
    expect(parseHostConf('MULTI On').multi).toBe(true);
    expect(parseHostConf('multi on\nmulti off').multi).toBe(false);
    expect(parseHostConf('multi on', { RESOLV_MULTI: 'off' }).multi).toBe(false);
    expect(parseHostConf('', { RESOLV_MULTI: 'on' }).multi).toBe(true);
  });
});

describe('parseResolvConf and searchCandidates', () => {
  it('takes the last of domain and search, ndots from options, and the environment over the file', () => {
    expect(parseResolvConf('nameserver 10.0.0.1\nsearch a.example b.example.\n')).toEqual({
      search: ['a.example', 'b.example'],
      ndots: 1,
    });
    expect(parseResolvConf('search a.example\ndomain c.example\noptions ndots:2 rotate\n')).toEqual({
      search: ['c.example'],
      ndots: 2,
    });
    expect(parseResolvConf('options ndots:99').ndots).toBe(15);
    expect(parseResolvConf('', 'box.corp.example').search).toEqual(['corp.example']);
    expect(parseResolvConf('search a', 'box.corp.example').search).toEqual(['a']);
    const env = { LOCALDOMAIN: 'x.example y.example', RES_OPTIONS: 'ndots:3' };
    expect(parseResolvConf('search a\n', '', env)).toEqual({ search: ['x.example', 'y.example'], ndots: 3 });
    expect(parseResolvConf('search 1 2 3 4 5 6 7 8').search).toHaveLength(6);
  });

  it.each([
    ['www', ['www.a.example', 'www.b.example', 'www']],
    ['www.example.com', ['www.example.com', 'www.example.com.a.example', 'www.example.com.b.example']],
    ['www.example.com.', ['www.example.com']],
  ])('searches %s as %j', (name, expected) => {
    expect(searchCandidates(name, { search: ['a.example', 'b.example'], ndots: 1 })).toEqual(expected);
  });

  it('tries a name with fewer dots than ndots with the search list first', () => {
    expect(searchCandidates('a.b', { search: ['s'], ndots: 2 })).toEqual(['a.b.s', 'a.b']);
    expect(searchCandidates('a.b', { search: [], ndots: 2 })).toEqual(['a.b']);
  });
});
