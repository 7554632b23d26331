import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Name } from '../../../src/dns/name.js';
import { diffZones, type ZoneDelta } from '../../../src/dns/transfer/diff.js';
import { DnsTransferError } from '../../../src/dns/transfer/errors.js';
import { ZoneJournal } from '../../../src/dns/transfer/journal.js';
import { arbitraryZone, ORIGIN, records, rows, soa } from './helpers.js';

function delta(from: number, to: number, added = `n${to} 60 A 192.0.2.${to % 250}`): ZoneDelta {
  return { fromSoa: soa(from), toSoa: soa(to), deleted: [], added: records(added) };
}

/** A journal of deltas 1→2→...→n. */
function chain(n: number, journal = new ZoneJournal(ORIGIN)): ZoneJournal {
  for (let serial = 1; serial < n; serial++) journal.append(delta(serial, serial + 1));
  return journal;
}

const serials = (deltas: readonly ZoneDelta[] | undefined) =>
  deltas?.map((d) => `${d.fromSoa.data.serial}>${d.toSoa.data.serial}`);

describe('ZoneJournal', () => {
  it('gives the deltas from a serial to the current one', () => {
    const journal = chain(5);
    expect(journal.lastSerial).toBe(5);
    expect(journal.firstSerial).toBe(1);
    expect(serials(journal.deltasSince(1, 5))).toEqual(['1>2', '2>3', '3>4', '4>5']);
    expect(serials(journal.deltasSince(3, 5))).toEqual(['3>4', '4>5']);
    expect(journal.deltasSince(4, 5)).toHaveLength(1);
  });

  it('gives no deltas to a client that is current or newer', () => {
    const journal = chain(5);
    expect(journal.deltasSince(5, 5)).toEqual([]);
    expect(journal.deltasSince(9, 5)).toEqual([]);
    // Also with an empty journal.
    expect(new ZoneJournal(ORIGIN).deltasSince(7, 7)).toEqual([]);
  });

  it('gives undefined when it does not reach back far enough or ends elsewhere', () => {
    const journal = chain(5);
    expect(journal.deltasSince(0, 5)).toBeUndefined();
    expect(journal.deltasSince(1, 6)).toBeUndefined();
    expect(new ZoneJournal(ORIGIN).deltasSince(1, 2)).toBeUndefined();
    // Serials 2^31 apart are not ordered: a full transfer.
    expect(journal.deltasSince(5 + 2 ** 31, 5)).toBeUndefined();
  });

  it('follows serials across the wrap at 2^32', () => {
    const journal = new ZoneJournal(ORIGIN);
    journal.append(delta(0xfffffffe, 0xffffffff));
    journal.append(delta(0xffffffff, 0));
    journal.append(delta(0, 1));
    expect(serials(journal.deltasSince(0xfffffffe, 1))).toEqual([
      '4294967294>4294967295',
      '4294967295>0',
      '0>1',
    ]);
    expect(journal.deltasSince(1, 1)).toEqual([]);
    expect(journal.deltasSince(0xffffffff, 1)).toHaveLength(2);
  });

  it('clears itself on a gap: what came before cannot be served', () => {
    const journal = chain(4);
    journal.append(delta(10, 11));
    expect(serials(journal.deltas)).toEqual(['10>11']);
    expect(journal.deltasSince(1, 11)).toBeUndefined();
    journal.clear();
    expect(journal.deltas).toEqual([]);
    expect(journal.lastSerial).toBeUndefined();
  });

  it('drops the oldest deltas over maxDeltas', () => {
    const journal = chain(11, new ZoneJournal(ORIGIN, { maxDeltas: 3 }));
    expect(serials(journal.deltas)).toEqual(['8>9', '9>10', '10>11']);
    expect(journal.deltasSince(8, 11)).toHaveLength(3);
    expect(journal.deltasSince(7, 11)).toBeUndefined();
  });

  it('drops the oldest deltas over maxRecords (deleted and added summed)', () => {
    const journal = new ZoneJournal(ORIGIN, { maxRecords: 5 });
    journal.append(delta(1, 2, 'a 60 A 192.0.2.1\nb 60 A 192.0.2.2'));
    journal.append({ ...delta(2, 3, 'c 60 A 192.0.2.3'), deleted: records('a 60 A 192.0.2.1') });
    expect(journal.size).toBe(4);
    journal.append(delta(3, 4, 'd 60 A 192.0.2.4\ne 60 A 192.0.2.5'));
    expect(serials(journal.deltas)).toEqual(['2>3', '3>4']);
    expect(journal.size).toBe(4);
    // A delta alone over the limit leaves nothing to serve.
    journal.append(
      delta(4, 5, 'a 60 TXT "1"\nb 60 TXT "2"\nc 60 TXT "3"\nd 60 TXT "4"\ne 60 TXT "5"\nf 60 TXT "6"'),
    );
    expect(journal.deltas).toEqual([]);
    expect(journal.size).toBe(0);
  });

  it('reads back what it writes (property)', () => {
    fc.assert(
      fc.property(fc.array(arbitraryZone(0), { minLength: 1, maxLength: 5 }), (versions) => {
        const journal = new ZoneJournal(ORIGIN);
        // Each version gets its own serial.
        for (let i = 1; i < versions.length; i++) {
          const d = diffZones(versions[i - 1]!, versions[i]!);
          journal.append({ ...d, fromSoa: soa(1000 + i - 1), toSoa: soa(1000 + i) });
        }
        const bytes = journal.encode();
        const back = ZoneJournal.decode(bytes, ORIGIN);
        expect(back.deltas.length).toBe(journal.deltas.length);
        back.deltas.forEach((d, i) => {
          const original = journal.deltas[i]!;
          expect(rows([d.fromSoa, d.toSoa])).toEqual(rows([original.fromSoa, original.toSoa]));
          expect(d.deleted.map((r) => rows([r])[0])).toEqual(original.deleted.map((r) => rows([r])[0]));
          expect(d.added.map((r) => rows([r])[0])).toEqual(original.added.map((r) => rows([r])[0]));
        });
        expect(back.encode()).toEqual(bytes);
      }),
      { numRuns: 100 },
    );
  });

  it('starts its file with "NKJ1" and a version', () => {
    const bytes = chain(3).encode();
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('NKJ1');
    expect([bytes[4], bytes[5]]).toEqual([0, 1]);
    expect(ZoneJournal.decode(new ZoneJournal(ORIGIN).encode(), ORIGIN).deltas).toEqual([]);
    // The origin compares ignoring case.
    expect(ZoneJournal.decode(chain(3).encode(), Name.fromText('EXAMPLE.com.')).lastSerial).toBe(3);
  });

  it('names what is wrong with a file it cannot read', () => {
    const bytes = chain(3).encode();
    const reason = (input: Uint8Array, origin = ORIGIN) => {
      try {
        ZoneJournal.decode(input, origin);
      } catch (error) {
        expect(error).toBeInstanceOf(DnsTransferError);
        expect((error as DnsTransferError).code).toBe('NK_DNS_TRANSFER');
        return [(error as DnsTransferError).details.reason, (error as Error).message];
      }
      return undefined;
    };
    expect(reason(new TextEncoder().encode('NKJ2 hello'))?.[0]).toBe('magic');
    expect(reason(new Uint8Array(0))?.[0]).toBe('magic');
    const newer = bytes.slice();
    newer[5] = 2;
    expect(reason(newer)?.[1]).toMatch(/version 2/);
    expect(reason(bytes, Name.fromText('example.org.'))?.[1]).toMatch(/journal of example.com./);
    expect(reason(bytes.subarray(0, bytes.length - 1))?.[0]).toBe('damaged');
    // Cut at the end of the first delta: the count says there is one more.
    const lengthOfFirst = new DataView(bytes.buffer, bytes.byteOffset).getUint32(4 + 2 + 13 + 4);
    const cut = bytes.subarray(0, 4 + 2 + 13 + 4 + 4 + lengthOfFirst);
    expect(reason(cut)?.[1]).toMatch(/delta 2/);
    // Trailing bytes.
    expect(reason(Uint8Array.of(...bytes, 0))?.[1]).toMatch(/after the journal/);
  });

  it('throws nothing but DnsTransferError for cut or mutated files (fuzz)', () => {
    const files = [chain(4).encode(), chain(2).encode()];
    fc.assert(
      fc.property(
        fc.constantFrom(...files),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        fc.nat(),
        fc.boolean(),
        (file, mutations, cutAt, cut) => {
          const bytes = file.slice();
          for (const [at, value] of mutations) bytes[at % bytes.length] = value;
          const input = cut ? bytes.subarray(0, cutAt % bytes.length) : bytes;
          try {
            ZoneJournal.decode(input, ORIGIN);
          } catch (error) {
            if (!(error instanceof DnsTransferError)) throw error;
          }
        },
      ),
      { numRuns: 4000 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const input = Uint8Array.of(0x4e, 0x4b, 0x4a, 0x31, 0, 1, ...bytes);
        try {
          ZoneJournal.decode(input, ORIGIN);
        } catch (error) {
          if (!(error instanceof DnsTransferError)) throw error;
        }
      }),
      { numRuns: 2000 },
    );
  });
});
