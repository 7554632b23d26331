/**
 * Messages as text: dig's layout (checked against dig 9.18.49's own output for the same bytes),
 * RFC 8427 JSON, and the annotated dump of explainMessage.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RRCLASS, RRTYPE } from '../../src/dns/constants.js';
import { DnsDecodeError } from '../../src/dns/errors.js';
import { explainMessage } from '../../src/dns/explain.js';
import { decodeMessage, emptyFlags, encodeMessage, type Message } from '../../src/dns/message.js';
import {
  ednsOptionToText,
  messageToJson,
  messageToText,
  recordToDigText,
} from '../../src/dns/message-text.js';
import { Name } from '../../src/dns/name.js';
import { aRecord, bytesOf, unknownRecord } from './message-helpers.js';

/** Captured on loopback: dig 9.18.49's query and dnspython 2.3.0's answer (see message.test.ts). */
const DIG_QUERY = bytesOf(
  '3a3e0120000100000000000103777777076578616d706c6503636f6d000001000100002904d000008000001800030000000a0008010203040506070800090000000b0000',
);
const DNSPYTHON_ANSWER = bytesOf(
  '3a3e81a0000100030002000403777777076578616d706c6503636f6d0000010001c00c0005000100000e10000603776562c010c02d000100010000012c00045db8d822c02d000100010000012c00045db8d823c0100002000100015180001401610c69616e612d73657276657273036e657400c010000200010001518000040162c061c05f001c000100000708001020010500008f00000000000000000053c02d001000010000003c001a0b763d73706631202d616c6c0d7365636f6e6420737472696e67c010000f00010000003c0009000a046d61696cc01000002904d00000800000440003000b6e73312e6578616d706c65000a00180102030405060708000102030405060708090a0b0c0d0e0f000900040002b115000b000204b0000f000700037374616c65',
);

/** dig's "Sending:" text for DIG_QUERY, as dig +qr printed it. */
const DIG_QUERY_TEXT = `;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 14910
;; flags: rd ad; QUERY: 1, ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 1

;; OPT PSEUDOSECTION:
; EDNS: version: 0, flags: do; udp: 1232
; NSID:
; COOKIE: 0102030405060708
; EXPIRE:
; TCP KEEPALIVE:
;; QUESTION SECTION:
;www.example.com.\t\tIN\tA
`;

/**
 * dig's text of DNSPYTHON_ANSWER (dig adds " (good)" after the cookie once it has checked it
 * against the one it sent: that is dig's verdict, not the message's).
 */
const DIG_ANSWER_TEXT = `;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 14910
;; flags: qr rd ra ad; QUERY: 1, ANSWER: 3, AUTHORITY: 2, ADDITIONAL: 4

;; OPT PSEUDOSECTION:
; EDNS: version: 0, flags: do; udp: 1232
; NSID: 6e 73 31 2e 65 78 61 6d 70 6c 65 ("ns1.example")
; COOKIE: 0102030405060708000102030405060708090a0b0c0d0e0f
; EXPIRE: 176405 (2 days 1 hour 5 seconds)
; TCP KEEPALIVE: 120.0 secs
; EDE: 3 (Stale Answer): (stale)
;; QUESTION SECTION:
;www.example.com.\t\tIN\tA

;; ANSWER SECTION:
www.example.com.\t3600\tIN\tCNAME\tweb.example.com.
web.example.com.\t300\tIN\tA\t93.184.216.34
web.example.com.\t300\tIN\tA\t93.184.216.35

;; AUTHORITY SECTION:
example.com.\t\t86400\tIN\tNS\ta.iana-servers.net.
example.com.\t\t86400\tIN\tNS\tb.iana-servers.net.

;; ADDITIONAL SECTION:
a.iana-servers.net.\t1800\tIN\tAAAA\t2001:500:8f::53
web.example.com.\t60\tIN\tTXT\t"v=spf1 -all" "second string"
example.com.\t\t60\tIN\tMX\t10 mail.example.com.
`;

function message(fields: Partial<Message>): Message {
  return {
    id: 1,
    opcode: 0,
    rcode: 0,
    flags: emptyFlags(),
    question: [],
    answer: [],
    authority: [],
    additional: [],
    ...fields,
  };
}

describe("dig's layout", () => {
  it('prints the captured query as dig did', () => {
    expect(messageToText(decodeMessage(DIG_QUERY))).toBe(DIG_QUERY_TEXT);
  });

  it('prints the captured answer as dig did', () => {
    expect(messageToText(decodeMessage(DNSPYTHON_ANSWER))).toBe(DIG_ANSWER_TEXT);
  });

  it("pads owner, TTL, class and type to BIND's columns, one space past them", () => {
    // dig: `a-very-long-owner-name-here.example.com. 86400 IN MX 10 mail.example.com.`
    const long = recordToDigText({
      ...aRecord('a-very-long-owner-name-here.example.com.', '192.0.2.1', 86400),
    });
    expect(long).toBe('a-very-long-owner-name-here.example.com. 86400 IN A 192.0.2.1');
    // dig: `x.example.com.\t\t5\tCH\tTYPE65280 \# 4 01020304`
    const generic = {
      ...unknownRecord('x.example.com.', 65280, Uint8Array.of(1, 2, 3, 4), 5),
      class: RRCLASS.CH,
    };
    expect(recordToDigText(generic)).toBe('x.example.com.\t\t5\tCH\tTYPE65280 \\# 4 01020304');
    // dig on names around the TTL column (dnspython response, dig 9.18.49's output):
    const rows: [string, number, string][] = [
      ['aaaaaaaaaaaaaaaaaaaaaaa.', 300, 'aaaaaaaaaaaaaaaaaaaaaaa. 300\tIN\tA\t192.0.2.1'],
      ['aaaaaaaaaaaaaaaaaaaaaa.', 300, 'aaaaaaaaaaaaaaaaaaaaaa.\t300\tIN\tA\t192.0.2.1'],
      ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.', 300, 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.\t300 IN\tA\t192.0.2.1'],
      ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.', 3000, 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa. 3000 IN A\t192.0.2.1'],
    ];
    for (const [name, ttl, text] of rows) expect(recordToDigText(aRecord(name, '192.0.2.1', ttl))).toBe(text);
  });

  it('prints the extended rcode, the EDNS version, MBZ bits and no OPT section without EDNS', () => {
    // dig on a dnspython response with use_edns(1, 0, 4096) and rcode 16:
    expect(
      messageToText(
        message({
          id: 14810,
          rcode: 16,
          flags: { ...emptyFlags(), qr: true },
          question: [{ name: Name.fromText('example.com.'), type: RRTYPE.A, class: RRCLASS.IN }],
          edns: { udpPayloadSize: 4096, version: 1, dnssecOk: false, flags: 0, options: [] },
        }),
      ),
    ).toBe(`;; ->>HEADER<<- opcode: QUERY, status: BADVERS, id: 14810
;; flags: qr; QUERY: 1, ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 1

;; OPT PSEUDOSECTION:
; EDNS: version: 1, flags:; udp: 4096
;; QUESTION SECTION:
;example.com.\t\t\tIN\tA
`);
    // dig on the header Z bit and EDNS flags 0x7001: `flags: qr rd; MBZ: 0x4;` and
    // `flags: co; MBZ: 0x3001, udp: 1232`.
    const text = messageToText(
      message({
        id: 55737,
        flags: { ...emptyFlags(), qr: true, rd: true, z: true },
        edns: { udpPayloadSize: 1232, version: 0, dnssecOk: false, flags: 0x7001, options: [] },
      }),
    );
    expect(text).toContain(';; flags: qr rd; MBZ: 0x4; QUERY: 0, ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 1\n');
    expect(text).toContain('; EDNS: version: 0, flags: co; MBZ: 0x3001, udp: 1232\n');
    const nxdomain = messageToText(message({ id: 7, rcode: 3, flags: { ...emptyFlags(), qr: true } }));
    expect(nxdomain).toBe(
      ';; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN, id: 7\n;; flags: qr; QUERY: 0, ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 0\n',
    );
  });

  it('prints each option as dig 9.18 does', () => {
    // From dig's output for a dnspython response carrying these options.
    const cases: [number, string, string][] = [
      [3, '6e7331', '; NSID: 6e 73 31 ("ns1")'],
      [9, '00000e10', '; EXPIRE: 3600 (1 hour)'],
      [11, '012c', '; TCP KEEPALIVE: 30.0 secs'],
      [12, '0000000000', '; PAD: (5 bytes)'],
      [12, '', '; PAD:'],
      [15, '0006426f67757320736967', '; EDE: 6 (DNSSEC Bogus): (Bogus sig)'],
      [15, '0063', '; EDE: 99'],
      [8, '0002382020010db8123456', '; CLIENT-SUBNET: 2001:db8:1234:5600::/56/32'],
      [8, '00011800c00002', '; CLIENT-SUBNET: 192.0.2.0/24/0'],
      [65001, '016162', '; OPT=65001: 01 61 62 (".ab")'],
      // Malformed known options are shown as bytes.
      [9, '0102', '; OPT=9: 01 02 ("..")'],
    ];
    for (const [code, data, text] of cases)
      expect(ednsOptionToText({ code, data: bytesOf(data) })).toBe(text);
  });

  it('names the UPDATE sections as dig does', () => {
    const text = messageToText(
      message({
        opcode: 5,
        question: [{ name: Name.fromText('example.'), type: RRTYPE.SOA, class: RRCLASS.IN }],
      }),
    );
    expect(text).toContain('opcode: UPDATE');
    expect(text).toContain('; ZONE: 1, PREREQ: 0, UPDATE: 0, ADDITIONAL: 0');
    expect(text).toContain(';; ZONE SECTION:');
  });
});

describe('RFC 8427 JSON', () => {
  it('gives the captured answer in the RFC 8427 form', () => {
    const json = messageToJson(decodeMessage(DNSPYTHON_ANSWER));
    expect(json).toMatchObject({
      ID: 14910,
      QR: true,
      Opcode: 0,
      AA: false,
      TC: false,
      RD: true,
      RA: true,
      AD: true,
      CD: false,
      RCODE: 0,
      QDCOUNT: 1,
      ANCOUNT: 3,
      NSCOUNT: 2,
      ARCOUNT: 4,
      QNAME: 'www.example.com.',
      QTYPE: 1,
      QTYPEname: 'A',
      QCLASS: 1,
      QCLASSname: 'IN',
    });
    expect(json.answerRRs).toEqual([
      {
        NAME: 'www.example.com.',
        TYPE: 5,
        TYPEname: 'CNAME',
        CLASS: 1,
        CLASSname: 'IN',
        TTL: 3600,
        RDLENGTH: 17,
        RDATAHEX: '03776562076578616D706C6503636F6D00',
        rdataCNAME: 'web.example.com.',
      },
      {
        NAME: 'web.example.com.',
        TYPE: 1,
        TYPEname: 'A',
        CLASS: 1,
        CLASSname: 'IN',
        TTL: 300,
        RDLENGTH: 4,
        RDATAHEX: '5DB8D822',
        rdataA: '93.184.216.34',
      },
      {
        NAME: 'web.example.com.',
        TYPE: 1,
        TYPEname: 'A',
        CLASS: 1,
        CLASSname: 'IN',
        TTL: 300,
        RDLENGTH: 4,
        RDATAHEX: '5DB8D823',
        rdataA: '93.184.216.35',
      },
    ]);
    expect(json.additionalRRs!.map((rr) => Object.keys(rr).find((key) => key.startsWith('rdata')))).toEqual([
      'rdataAAAA',
      'rdataTXT',
      'rdataMX',
      undefined,
    ]);
    expect(json.additionalRRs![1]!.rdataTXT).toBe('"v=spf1 -all" "second string"');
    // The OPT record as on the wire: CLASS is the payload size, TTL holds DO (0x8000).
    expect(json.additionalRRs![3]).toMatchObject({
      NAME: '.',
      TYPE: 41,
      CLASS: 1232,
      TTL: 0x8000,
      RDLENGTH: 68,
    });
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  it('adds messageOctetsHEX when given the bytes, and no rdata member for unknown types', () => {
    const generic = unknownRecord('x.example.', 65280, Uint8Array.of(0xab));
    const json = messageToJson(message({ answer: [generic] }), Uint8Array.of(1, 2));
    expect(json.messageOctetsHEX).toBe('0102');
    expect(json.answerRRs).toEqual([
      {
        NAME: 'x.example.',
        TYPE: 65280,
        TYPEname: 'TYPE65280',
        CLASS: 1,
        CLASSname: 'IN',
        TTL: 60,
        RDLENGTH: 1,
        RDATAHEX: 'AB',
      },
    ]);
    expect(json.questionRRs).toBeUndefined();
  });
});

describe('explainMessage', () => {
  it('explains the captured answer field by field', () => {
    const lines = explainMessage(DNSPYTHON_ANSWER);
    expect(lines[0]).toBe('0000  3a 3e                     ID: 14910');
    expect(lines).toContain('0002  81 a0                     flags: 0x81a0');
    expect(lines.some((line) => /1\.\.\. \.\.\.\. \.\.\.\. \.\.\.\. {2}QR: 1 \(response\)/.test(line))).toBe(
      true,
    );
    expect(lines).toContain('000c  03 77 77 77               label "www" (3 bytes)');
    expect(lines).toContain('001c  00                        root: end of QNAME → www.example.com.');
    expect(lines).toContain('0021  c0 0c                     pointer to offset 12 → www.example.com.');
    expect(lines).toContain('003f  5d b8 d8 22               address (4 bytes)');
    expect(lines.some((line) => line.includes('string "v=spf1 -all"'))).toBe(true);
    expect(lines.some((line) => line.includes('preference: 10'))).toBe(true);
    expect(lines.some((line) => line.includes('UDP payload size: 1232'))).toBe(true);
    expect(lines.some((line) => line.includes('; EDE: 3 (Stale Answer): (stale)'))).toBe(true);
    expect(lines.at(-1)).toBe(`;; end of message: ${DNSPYTHON_ANSWER.length} bytes`);
    expect(lines.some((line) => line.startsWith('!!'))).toBe(false);
  });

  it('explains the SOA and SRV fields', () => {
    const soa = {
      name: Name.fromText('example.'),
      type: RRTYPE.SOA,
      class: RRCLASS.IN,
      ttl: 3600,
      data: {
        mname: Name.fromText('ns.example.'),
        rname: Name.fromText('hostmaster.example.'),
        serial: 2024010101,
        refresh: 7200,
        retry: 900,
        expire: 1209600,
        minimum: 300,
      },
    };
    const srv = {
      name: Name.fromText('_sip._tcp.example.'),
      type: RRTYPE.SRV,
      class: RRCLASS.IN,
      ttl: 60,
      data: { priority: 1, weight: 2, port: 5060, target: Name.fromText('sip.example.') },
    };
    const lines = explainMessage(encodeMessage(message({ authority: [soa], additional: [srv] })));
    for (const field of [
      'serial: 2024010101',
      'refresh: 7200',
      'retry: 900',
      'expire: 1209600',
      'minimum: 300',
      'port: 5060',
    ])
      expect(lines.some((line) => line.includes(field))).toBe(true);
    expect(lines.some((line) => line.includes('= SOA ns.example. hostmaster.example. 2024010101'))).toBe(
      true,
    );
  });

  it('explains up to the error, then says where and what', () => {
    const cut = DNSPYTHON_ANSWER.subarray(0, 70);
    const lines = explainMessage(cut);
    expect(lines).toContain('0043  c0 2d                     pointer to offset 45 → web.example.com.');
    const error = lines.find((line) => line.startsWith('!! error at byte'));
    expect(error).toMatch(/^!! error at byte 69 \(0x45\): a record type needs 2 bytes, 1 left$/);
    expect(lines.at(-1)).toBe('0045  00                        not explained (after the error)');
    // The same error decodeMessage raises.
    expect(() => decodeMessage(cut)).toThrow(DnsDecodeError);
  });

  it('explains forward pointers, a short header and trailing bytes', () => {
    const forward = Uint8Array.of(0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 14, 0, 0, 1, 0, 1);
    const lines = explainMessage(forward);
    expect(lines).toContain('000c  c0 0e                     pointer to offset 14 → (invalid)');
    expect(lines.some((line) => /^!! error at byte 12 .*does not point backwards/.test(line))).toBe(true);
    expect(explainMessage(Uint8Array.of(1, 2, 3))[0]).toMatch(
      /!! error at byte 0 .*12-byte header, not 3 bytes/,
    );
    expect(explainMessage(new Uint8Array(0))).toEqual([
      '!! error at byte 0 (0x0): a message needs a 12-byte header, not 0 bytes',
    ]);
    const trailing = explainMessage(Uint8Array.from([...DIG_QUERY, 0xff]));
    expect(trailing).toContain(
      '!! error at byte 68 (0x44): 1 byte(s) after the last record (allowTrailing accepts them)',
    );
  });

  it('explains a lying count without reading past the end', () => {
    const lines = explainMessage(Uint8Array.of(0, 1, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff));
    expect(lines.some((line) => line.includes('!! the counts need at least'))).toBe(true);
    expect(lines.at(-1)).toMatch(/^!! error at byte 12/);
  });

  it('does the job for the examples in docs (smoke: every line has offset, bytes, text or is a note)', () => {
    const lines = explainMessage(DIG_QUERY);
    for (const line of lines) expect(line).toMatch(/^([0-9a-f]{4} {2}|\s{32}|;;|!!)/);
    expect(readFileSync).toBeDefined();
  });
});
