/**
 * fast-check arbitraries for the key, DNSSEC and service-binding types (src/dns/rdata/
 * security.ts, dnssec.ts, svcb.ts): valid rdata of each type. `peerSafe` keeps to what
 * dnspython 2.3 also takes (see the differential test): binary fields not empty, AliasMode
 * without params, types in bitmaps that both sides name alike.
 */
import fc from 'fast-check';
import { Name, type Rdata, RRTYPE } from '../../src/dns/index.js';
import type { TsigRdata } from '../../src/dns/rdata/tsig.js';
import type {
  DnskeyRdata,
  DsRdata,
  Nsec3paramRdata,
  Nsec3Rdata,
  NsecRdata,
  OptRdata,
  RrsigRdata,
  SshfpRdata,
  SvcbRdata,
  SvcParam,
  TlsaRdata,
} from '../../src/dns/rdata/types.js';

export interface SecurityArbitraryOptions {
  /** Only data dnspython 2.3 accepts too (for the differential tests). */
  peerSafe?: boolean;
}

export const SECURITY_TYPES: readonly number[] = [
  RRTYPE.SSHFP,
  RRTYPE.TLSA,
  RRTYPE.SMIMEA,
  RRTYPE.DS,
  RRTYPE.CDS,
  RRTYPE.DNSKEY,
  RRTYPE.CDNSKEY,
  RRTYPE.RRSIG,
  RRTYPE.NSEC,
  RRTYPE.NSEC3,
  RRTYPE.NSEC3PARAM,
  RRTYPE.SVCB,
  RRTYPE.HTTPS,
  RRTYPE.OPT,
];

const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });

function bytes(minLength: number, maxLength: number): fc.Arbitrary<Uint8Array> {
  return fc.uint8Array({ minLength, maxLength });
}

/** Absolute names of 0 to 4 labels, with bytes that need escapes now and then. */
export function arbitrarySecurityName(): fc.Arbitrary<Name> {
  const label = fc.oneof(
    { weight: 4, arbitrary: fc.stringMatching(/^[a-zA-Z0-9][a-zA-Z0-9-]{0,14}$/) },
    { weight: 1, arbitrary: bytes(1, 12) },
  );
  return fc.array(label, { minLength: 0, maxLength: 4 }).map((labels) => Name.fromLabels(labels, true));
}

/** Types both netkit and dnspython 2.3 name alike (or neither does: TYPEnnnn). */
const SHARED_TYPES = [
  1, 2, 5, 6, 12, 13, 15, 16, 28, 33, 35, 39, 43, 44, 46, 47, 48, 50, 51, 52, 59, 60, 64, 65, 99, 257,
];

export function arbitraryTypeNumber(options: SecurityArbitraryOptions = {}): fc.Arbitrary<number> {
  if (options.peerSafe)
    return fc.oneof(fc.constantFrom(...SHARED_TYPES), fc.integer({ min: 1000, max: 32000 }));
  return fc.oneof(fc.constantFrom(...SHARED_TYPES), u16);
}

export function arbitraryTypeList(options: SecurityArbitraryOptions = {}): fc.Arbitrary<number[]> {
  return fc
    .uniqueArray(arbitraryTypeNumber(options), { maxLength: 12 })
    .map((types) => [...types].sort((a, b) => a - b));
}

export function arbitrarySshfp(options: SecurityArbitraryOptions = {}): fc.Arbitrary<SshfpRdata> {
  return fc.record({ algorithm: u8, fpType: u8, fingerprint: bytes(options.peerSafe ? 1 : 0, 64) });
}

export function arbitraryTlsa(options: SecurityArbitraryOptions = {}): fc.Arbitrary<TlsaRdata> {
  return fc.record({ usage: u8, selector: u8, mtype: u8, data: bytes(options.peerSafe ? 1 : 0, 64) });
}

const DIGEST_LENGTHS: Record<number, number> = { 1: 20, 2: 32, 3: 32, 4: 48 };

export function arbitraryDs(options: SecurityArbitraryOptions = {}): fc.Arbitrary<DsRdata> {
  return (
    fc
      // dnspython refuses digest type 0 (reserved) in DS, and in CDS allows it only for the delete
      // form `0 0 0 00`; BIND and we take it (see the differential test).
      .record({
        keyTag: u16,
        algorithm: u8,
        digestType: fc.oneof(
          fc.constantFrom(1, 2, 3, 4),
          fc.integer({ min: options.peerSafe ? 1 : 0, max: 255 }),
        ),
      })
      .chain((head) => {
        const fixed = DIGEST_LENGTHS[head.digestType];
        const digest = fixed === undefined ? bytes(options.peerSafe ? 1 : 0, 64) : bytes(fixed, fixed);
        return digest.map((d) => ({ ...head, digest: d }));
      })
  );
}

export function arbitraryDnskey(options: SecurityArbitraryOptions = {}): fc.Arbitrary<DnskeyRdata> {
  return fc.record({
    flags: u16,
    protocol: u8,
    algorithm: u8,
    publicKey: bytes(options.peerSafe ? 1 : 0, 300),
  });
}

export function arbitraryRrsig(options: SecurityArbitraryOptions = {}): fc.Arbitrary<RrsigRdata> {
  return fc.record({
    typeCovered: arbitraryTypeNumber(options),
    algorithm: u8,
    labels: u8,
    originalTtl: u32,
    expiration: u32,
    inception: u32,
    keyTag: u16,
    signer: arbitrarySecurityName(),
    signature: bytes(options.peerSafe ? 1 : 0, 300),
  });
}

export function arbitraryNsec(options: SecurityArbitraryOptions = {}): fc.Arbitrary<NsecRdata> {
  return fc.record({ next: arbitrarySecurityName(), types: arbitraryTypeList(options) });
}

export function arbitraryNsec3(options: SecurityArbitraryOptions = {}): fc.Arbitrary<Nsec3Rdata> {
  return fc.record({
    hashAlgorithm: u8,
    flags: u8,
    iterations: u16,
    salt: fc.oneof(bytes(0, 0), bytes(1, 32), bytes(255, 255)),
    nextHashed: fc.oneof(bytes(20, 20), bytes(1, 255)),
    types: arbitraryTypeList(options),
  });
}

export function arbitraryNsec3param(): fc.Arbitrary<Nsec3paramRdata> {
  return fc.record({
    hashAlgorithm: u8,
    flags: u8,
    iterations: u16,
    salt: fc.oneof(bytes(0, 0), bytes(1, 64)),
  });
}

function u16Bytes(values: readonly number[]): Uint8Array {
  return Uint8Array.from(values.flatMap((v) => [v >> 8, v & 0xff]));
}

/** Bytes that the text forms escape (`,` `\` `"` space `;`) turn up often in these. */
const trickyBytes = (min: number, max: number) =>
  fc
    .array(fc.oneof(fc.constantFrom(0x2c, 0x5c, 0x22, 0x20, 0x3b, 0x61), u8), {
      minLength: min,
      maxLength: max,
    })
    .map((list) => Uint8Array.from(list));

/** Printable ASCII, the tricky ones often. */
const printableBytes = (min: number, max: number) =>
  fc
    .array(fc.oneof(fc.constantFrom(0x2c, 0x5c, 0x22, 0x20, 0x3b), fc.integer({ min: 0x20, max: 0x7e })), {
      minLength: min,
      maxLength: max,
    })
    .map((list) => Uint8Array.from(list));

/**
 * A value of the right shape for each key but `mandatory` (made afterwards from the keys
 * present). With `peerSafe`, alpn ids are printable ASCII: dnspython 2.3 writes other bytes
 * of an alpn id as `\\DDD`, which it (and RFC 9460 Appendix A.1) then reads as the digits.
 */
function arbitraryParamValue(key: number, options: SecurityArbitraryOptions): fc.Arbitrary<Uint8Array> {
  switch (key) {
    case 1:
      return fc
        .array(options.peerSafe ? printableBytes(1, 10) : trickyBytes(1, 10), { minLength: 1, maxLength: 4 })
        .map((ids) => Uint8Array.from(ids.flatMap((id) => [id.length, ...id])));
    case 2:
    case 8:
      return fc.constant(new Uint8Array(0));
    case 3:
      return bytes(2, 2);
    case 4:
      return fc.integer({ min: 1, max: 3 }).chain((n) => bytes(4 * n, 4 * n));
    case 5:
      return bytes(1, 40);
    case 6:
      return fc.oneof(
        fc.integer({ min: 1, max: 3 }).chain((n) => bytes(16 * n, 16 * n)),
        // IPv4-mapped and -compatible, which inet_ntop writes with a dotted quad.
        bytes(4, 4).map((v4) => Uint8Array.from([...new Uint8Array(10), 0xff, 0xff, ...v4])),
        bytes(4, 4).map((v4) => Uint8Array.from([...new Uint8Array(12), 0x01, ...v4.subarray(1)])),
      );
    default:
      return trickyBytes(0, 20);
  }
}

export function arbitrarySvcb(options: SecurityArbitraryOptions = {}): fc.Arbitrary<SvcbRdata> {
  const keys = fc.uniqueArray(fc.oneof(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 9, max: 0xffff })), {
    maxLength: 6,
  });
  const service = fc
    .record({
      priority: fc.integer({ min: 1, max: 0xffff }),
      target: arbitrarySecurityName(),
      keys,
      mandatoryPick: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
    })
    .chain(({ priority, target, keys: chosen, mandatoryPick }) => {
      // no-default-alpn needs alpn (RFC 9460 §7.1.1).
      const present = chosen.filter((k) => k !== 2 || chosen.includes(1)).sort((a, b) => a - b);
      const mandatory = present.filter((_, i) => mandatoryPick[i]);
      return fc.tuple(...present.map((key) => arbitraryParamValue(key, options))).map((values) => {
        const params: SvcParam[] = present.map((key, i) => ({ key, value: values[i]! }));
        if (mandatory.length > 0) params.unshift({ key: 0, value: u16Bytes(mandatory) });
        return { priority, target, params };
      });
    });
  const alias = fc.record({
    priority: fc.constant(0),
    target: arbitrarySecurityName(),
    params: fc.constant<SvcParam[]>([]),
  });
  return fc.oneof({ weight: 4, arbitrary: service }, { weight: 1, arbitrary: alias });
}

/** With `peerSafe`, not codes 8 (ECS) and 15 (EDE), whose data dnspython parses and checks. */
export function arbitraryOpt(options: SecurityArbitraryOptions = {}): fc.Arbitrary<OptRdata> {
  const code = options.peerSafe ? u16.filter((c) => c !== 8 && c !== 15) : u16;
  return fc.record({ options: fc.array(fc.record({ code, data: bytes(0, 24) }), { maxLength: 4 }) });
}

/** Valid rdata of one of SECURITY_TYPES. */
export function arbitrarySecurityRdata(
  type: number,
  options: SecurityArbitraryOptions = {},
): fc.Arbitrary<Rdata> {
  switch (type) {
    case RRTYPE.SSHFP:
      return arbitrarySshfp(options);
    case RRTYPE.TLSA:
    case RRTYPE.SMIMEA:
      return arbitraryTlsa(options);
    case RRTYPE.DS:
    case RRTYPE.CDS:
      return arbitraryDs(options);
    case RRTYPE.DNSKEY:
    case RRTYPE.CDNSKEY:
      return arbitraryDnskey(options);
    case RRTYPE.RRSIG:
      return arbitraryRrsig(options);
    case RRTYPE.NSEC:
      return arbitraryNsec(options);
    case RRTYPE.NSEC3:
      return arbitraryNsec3(options);
    case RRTYPE.NSEC3PARAM:
      return arbitraryNsec3param();
    case RRTYPE.SVCB:
    case RRTYPE.HTTPS:
      return arbitrarySvcb(options);
    case RRTYPE.OPT:
      return arbitraryOpt(options);
    default:
      throw new Error(`not a security type: ${type}`);
  }
}

/** A (type, rdata) pair of any of SECURITY_TYPES. */
export function arbitrarySecurityTyped(
  options: SecurityArbitraryOptions = {},
  types: readonly number[] = SECURITY_TYPES,
): fc.Arbitrary<{ type: number; data: Rdata }> {
  return fc
    .constantFrom(...types)
    .chain((type) => arbitrarySecurityRdata(type, options).map((data) => ({ type, data })));
}

/**
 * TSIG data (RFC 8945 §4.2), 48-bit times, any error code. Not one of SECURITY_TYPES: a meta
 * type that no zone holds and that the differential tests with dnspython leave out.
 */
export function arbitraryTsig(): fc.Arbitrary<TsigRdata> {
  return fc.record({
    algorithm: arbitrarySecurityName(),
    timeSigned: fc.tuple(u16, u32).map(([high, low]) => high * 2 ** 32 + low),
    fudge: u16,
    mac: bytes(0, 64),
    originalId: u16,
    error: u16,
    otherData: bytes(0, 8),
  });
}
