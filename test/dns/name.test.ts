import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DnsEncodeError, DnsTextError } from '../../src/dns/errors.js';
import { Name } from '../../src/dns/name.js';
import { arbitraryName } from './arbitraries.js';

const text = (names: Name[]) => names.map((name) => name.toText());

describe('Name', () => {
  it("sorts in the canonical order of RFC 4034 §6.1 (the RFC's own example)", () => {
    const expected = [
      'example.',
      'a.example.',
      'yljkjljk.a.example.',
      'Z.a.example.',
      'zABC.a.EXAMPLE.',
      'z.example.',
      '\\001.z.example.',
      '*.z.example.',
      '\\200.z.example.',
    ];
    const shuffled = [...expected].reverse().map((t) => Name.fromText(t));
    expect(text(shuffled.sort((a, b) => a.compare(b)))).toEqual(expected);
  });

  it('compares and keys ignoring ASCII case only, and keeps the case given', () => {
    const name = Name.fromText('WwW.ExAmple.COM.');
    expect(name.toText()).toBe('WwW.ExAmple.COM.');
    expect(name.equals(Name.fromText('www.example.com.'))).toBe(true);
    expect(name.key()).toBe(Name.fromText('www.example.com.').key());
    expect(Name.fromText('\\195\\169.example.').equals(Name.fromText('\\195\\137.example.'))).toBe(false);
    expect(Name.fromText('a.example.').equals(Name.fromText('a.example'))).toBe(false);
  });

  it('reads and writes escapes', () => {
    expect(Name.fromText('a\\.b.example.').labelCount).toBe(2);
    expect(Name.fromText('a\\.b.example.').toText()).toBe('a\\.b.example.');
    expect(Name.fromText('sp\\032ace.example.').toText()).toBe('sp\\032ace.example.');
    expect(Name.fromText('q\\"uote\\@\\$x.').toText()).toBe('q\\"uote\\@\\$x.');
    expect(() => Name.fromText('bad\\25x.')).toThrow(DnsTextError);
    expect(() => Name.fromText('bad\\256.')).toThrow(DnsTextError);
    expect(() => Name.fromText('a..b.')).toThrow(DnsTextError);
  });

  it('enforces 63 bytes a label and 255 bytes a name', () => {
    expect(() => Name.fromText(`${'a'.repeat(63)}.`)).not.toThrow();
    expect(() => Name.fromText(`${'a'.repeat(64)}.`)).toThrow(DnsTextError);
    const label = 'b'.repeat(63);
    // 4 labels of 63 bytes: 4 × 64 + 1 = 257 bytes.
    expect(() => Name.fromText(`${label}.${label}.${label}.${'c'.repeat(61)}.`)).not.toThrow();
    expect(() => Name.fromText(`${label}.${label}.${label}.${label}.`)).toThrow(DnsEncodeError);
  });

  it('relativizes to an origin and back', () => {
    const origin = Name.fromText('example.com.');
    expect(Name.fromText('www.example.com.').relativize(origin).toText()).toBe('www');
    expect(Name.fromText('example.com.').relativize(origin)).toBe(Name.EMPTY);
    expect(Name.fromText('www.example.org.').relativize(origin).toText()).toBe('www.example.org.');
    expect(Name.fromText('www').derelativize(origin).toText()).toBe('www.example.com.');
    expect(Name.fromText('@', origin)).toBe(origin);
    expect(Name.fromText('mail.example.com.').isSubdomainOf(origin)).toBe(true);
    expect(Name.fromText('example.com.').parent().toText()).toBe('com.');
  });

  it('isSubdomainOf agrees with comparing labels from the right (property)', () => {
    // The reference: the parent's labels, lower-cased, are the child's last labels.
    const labels = (name: Name) =>
      name
        .labels()
        .map((label) =>
          String.fromCharCode(...label.map((byte) => (byte >= 0x41 && byte <= 0x5a ? byte + 0x20 : byte))),
        );
    const reference = (child: Name, parent: Name) => {
      const a = labels(child);
      const b = labels(parent);
      return b.length <= a.length && b.every((label, i) => label === a[a.length - b.length + i]);
    };
    fc.assert(
      fc.property(arbitraryName(), arbitraryName(), fc.nat(6), (child, other, cut) => {
        // A suffix of the child (a true ancestor), or an unrelated name.
        let ancestor = child;
        for (let i = 0; i < cut && ancestor.labelCount > 0; i++) ancestor = ancestor.parent();
        expect(child.isSubdomainOf(ancestor)).toBe(true);
        expect(child.isSubdomainOf(other)).toBe(reference(child, other));
        expect(other.isSubdomainOf(child)).toBe(reference(other, child));
      }),
      { numRuns: 2000 },
    );
    // A parent whose bytes end the child's but start inside one of its labels is no parent.
    const child = Name.fromText('x\\002bc.test.');
    expect(child.isSubdomainOf(Name.fromText('bc.test.'))).toBe(false);
    expect(child.isSubdomainOf(Name.fromText('TEST.'))).toBe(true);
  });

  it('makes reverse names for IPv4 and IPv6 and reads them back', () => {
    expect(Name.fromAddress('192.0.2.1').toText()).toBe('1.2.0.192.in-addr.arpa.');
    expect(Name.fromAddress('2001:db8::1').toText()).toBe(
      '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.',
    );
    expect(Name.fromText('1.2.0.192.IN-ADDR.ARPA.').toAddress()).toBe('192.0.2.1');
    expect(Name.fromAddress('2001:db8::1').toAddress()).toBe('2001:db8::1');
    expect(Name.fromText('2.0.192.in-addr.arpa.').toAddress()).toBeUndefined();
    expect(() => Name.fromAddress('not-an-address')).toThrow(DnsTextError);
  });

  it('converts internationalised names to and from xn-- (IDNA)', () => {
    expect(Name.fromUnicode('bücher.example.').toText()).toBe('xn--bcher-kva.example.');
    expect(Name.fromText('xn--bcher-kva.example.').toUnicode()).toBe('bücher.example.');
    expect(Name.fromUnicode('日本語.jp').toText()).toBe('xn--wgv71a119e.jp');
    expect(() => Name.fromUnicode('a..b')).toThrow(DnsTextError);
  });

  it('any name survives toText then fromText exactly, case kept', () => {
    fc.assert(
      fc.property(arbitraryName(), (name) => {
        const back = Name.fromText(name.toText());
        expect([...back.wire]).toEqual([...name.wire]);
        expect(back.absolute).toBe(name.absolute);
      }),
      { numRuns: 3000 },
    );
  });

  it('canonical order is a total order consistent with equals', () => {
    fc.assert(
      fc.property(arbitraryName(), arbitraryName(), (a, b) => {
        expect(Math.sign(a.compare(b)) + Math.sign(b.compare(a))).toBe(0);
        expect(a.compare(b) === 0).toBe(a.equals(b));
      }),
      { numRuns: 3000 },
    );
  });
});
