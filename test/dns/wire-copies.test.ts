import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, makeQuery, makeResponse } from '../../src/dns/message.js';
import type { TxtRdata } from '../../src/dns/rdata/types.js';
import { recordFromText } from '../../src/dns/record.js';

describe('decoded bytes and encoded messages', () => {
  it('rdata bytes decoded from a Buffer are copies, not views of it', () => {
    const response = makeResponse(makeQuery('t.example.', 'TXT', { id: 1 }));
    response.answer.push(recordFromText('t.example. 60 IN TXT "hello"'));
    const buffer = Buffer.from(encodeMessage(response));
    const decoded = decodeMessage(buffer);
    const text = (decoded.answer[0]!.data as TxtRdata).strings[0]!;
    expect(Buffer.isBuffer(text)).toBe(false);
    buffer.fill(0);
    expect(new TextDecoder().decode(text)).toBe('hello');
  });

  it('encoded messages are plain Uint8Arrays that later encodings do not overwrite', () => {
    const first = encodeMessage(makeQuery('a.example.', 'A', { id: 1 }));
    const copy = Uint8Array.from(first);
    for (let i = 0; i < 100; i++) encodeMessage(makeQuery(`b${i}.example.`, 'AAAA', { id: i }));
    expect(first.constructor).toBe(Uint8Array);
    expect(first).toEqual(copy);
  });
});
