/**
 * The RFC 1035 types and their common companions: A, AAAA, NS, CNAME, DNAME, PTR, SOA, MX,
 * TXT, SPF, SRV, NAPTR, CAA, HINFO. Types of simple fields are declared here as data (see
 * fields.ts); addresses, TXT/SPF and CAA have codecs of their own.
 *
 * Name compression on write (RFC 3597 §4): only the RFC 1035 types NS, CNAME, PTR, SOA and MX.
 * DNAME (RFC 6672 §2.5), SRV (RFC 2782), NAPTR (RFC 3403 §4.1) are written uncompressed.
 * Pointers are followed on read in all of them (RFC 3597 §4 asks it for SRV; harmless elsewhere).
 * (HINFO has no name.)
 */
import './address.js';
import './strings.js';
import { RRTYPE } from '../constants.js';
import { fieldCodec } from './fields.js';
import { registerRdata } from './registry.js';
import type { HinfoRdata, MxRdata, NameRdata, NaptrRdata, SoaRdata, SrvRdata } from './types.js';

// One-name types: RFC 1035 §3.3.11 (NS), §3.3.1 (CNAME), §3.3.12 (PTR); RFC 6672 §2.1 (DNAME).
for (const [type, label, compress] of [
  [RRTYPE.NS, 'NS', true],
  [RRTYPE.CNAME, 'CNAME', true],
  [RRTYPE.PTR, 'PTR', true],
  [RRTYPE.DNAME, 'DNAME', false],
] as const) {
  registerRdata(fieldCodec<NameRdata>(type, label, compress, [{ key: 'target', kind: 'name' }]));
}

// RFC 1035 §3.3.13; the four timers take BIND's units in text (`1h`).
registerRdata(
  fieldCodec<SoaRdata>(RRTYPE.SOA, 'SOA', true, [
    { key: 'mname', kind: 'name' },
    { key: 'rname', kind: 'name' },
    { key: 'serial', kind: 'u32' },
    { key: 'refresh', kind: 'period' },
    { key: 'retry', kind: 'period' },
    { key: 'expire', kind: 'period' },
    { key: 'minimum', kind: 'period' },
  ]),
);

// RFC 1035 §3.3.9.
registerRdata(
  fieldCodec<MxRdata>(RRTYPE.MX, 'MX', true, [
    { key: 'preference', kind: 'u16' },
    { key: 'exchange', kind: 'name' },
  ]),
);

// RFC 2782.
registerRdata(
  fieldCodec<SrvRdata>(RRTYPE.SRV, 'SRV', false, [
    { key: 'priority', kind: 'u16' },
    { key: 'weight', kind: 'u16' },
    { key: 'port', kind: 'u16' },
    { key: 'target', kind: 'name' },
  ]),
);

// RFC 3403 §4.1.
registerRdata(
  fieldCodec<NaptrRdata>(RRTYPE.NAPTR, 'NAPTR', false, [
    { key: 'order', kind: 'u16' },
    { key: 'preference', kind: 'u16' },
    { key: 'flags', kind: 'string' },
    { key: 'services', kind: 'string' },
    { key: 'regexp', kind: 'string' },
    { key: 'replacement', kind: 'name' },
  ]),
);

// RFC 1035 §3.3.2.
registerRdata(
  fieldCodec<HinfoRdata>(RRTYPE.HINFO, 'HINFO', false, [
    { key: 'cpu', kind: 'string' },
    { key: 'os', kind: 'string' },
  ]),
);
