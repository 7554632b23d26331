/**
 * TSIG keys (RFC 8945): the algorithms, a key from parts, from a line (`NAME:ALG:SECRET`, dig's
 * `-y`) or from a key file (BIND's tsig-keygen, Knot's keymgr -t), and a key ring to verify
 * with. Pure: reading the file is the caller's.
 */
import { LocalError, type NetkitErrorOptions } from '../core/errors.js';
import { Name } from './name.js';
import { fromBase64 } from './text.js';

/** A key file or spec that does not parse, an unknown algorithm, an empty secret. */
export class TsigKeyError extends LocalError {
  constructor(message: string, options: NetkitErrorOptions = {}) {
    super('NK_DNS_TSIG_KEY', message, options);
  }
}

export type TsigAlgorithm =
  | 'hmac-md5'
  | 'hmac-sha1'
  | 'hmac-sha224'
  | 'hmac-sha256'
  | 'hmac-sha384'
  | 'hmac-sha512';

export interface TsigKey {
  name: Name;
  algorithm: TsigAlgorithm;
  secret: Uint8Array;
}

export const ALGORITHMS: Record<TsigAlgorithm, { hash: string; size: number; wireName: string }> = {
  'hmac-md5': { hash: 'md5', size: 16, wireName: 'hmac-md5.sig-alg.reg.int.' },
  'hmac-sha1': { hash: 'sha1', size: 20, wireName: 'hmac-sha1.' },
  'hmac-sha224': { hash: 'sha224', size: 28, wireName: 'hmac-sha224.' },
  'hmac-sha256': { hash: 'sha256', size: 32, wireName: 'hmac-sha256.' },
  'hmac-sha384': { hash: 'sha384', size: 48, wireName: 'hmac-sha384.' },
  'hmac-sha512': { hash: 'sha512', size: 64, wireName: 'hmac-sha512.' },
};

/** An algorithm as BIND, Knot and dig write it (`hmac-sha256`, also `HMAC-MD5.SIG-ALG.REG.INT`). */
export function parseTsigAlgorithm(text: string): TsigAlgorithm {
  const lower = text.toLowerCase().replace(/\.$/, '');
  if (lower === 'hmac-md5.sig-alg.reg.int') return 'hmac-md5';
  if (Object.hasOwn(ALGORITHMS, lower)) return lower as TsigAlgorithm;
  throw new TsigKeyError(`${JSON.stringify(text)} is not a TSIG algorithm (hmac-sha256, hmac-sha512...)`);
}

export function algorithmOfName(name: Name): TsigAlgorithm | undefined {
  try {
    return parseTsigAlgorithm(name.toText());
  } catch {
    return undefined;
  }
}

/** Builds a key, checking the algorithm and the base64 secret. */
export function makeTsigKey(name: string | Name, algorithm: string, secret: string | Uint8Array): TsigKey {
  const keyName = typeof name === 'string' ? Name.fromText(name.endsWith('.') ? name : `${name}.`) : name;
  let bytes: Uint8Array;
  try {
    bytes = typeof secret === 'string' ? fromBase64(secret, 'the TSIG secret') : secret;
  } catch (error) {
    throw new TsigKeyError(`the secret of key ${keyName.toText()} is not base64`, { cause: error });
  }
  if (bytes.length === 0) throw new TsigKeyError(`the secret of key ${keyName.toText()} is empty`);
  return { name: keyName, algorithm: parseTsigAlgorithm(algorithm), secret: bytes };
}

/**
 * Keys from a file: BIND's `key "NAME" { algorithm ALG; secret "BASE64"; };` blocks (what
 * `tsig-keygen` writes) or Knot's YAML `key:` list (what `keymgr -t` writes).
 */
export function parseTsigKeyFile(text: string): TsigKey[] {
  const keys: TsigKey[] = [];
  const bind = /key\s+"?([^"\s{]+)"?\s*\{([^}]*)\}\s*;/g;
  for (const match of text.matchAll(bind)) {
    const body = match[2]!;
    const algorithm = /algorithm\s+"?([^";\s]+)"?\s*;/.exec(body)?.[1];
    const secret = /secret\s+"([^"]*)"\s*;/.exec(body)?.[1];
    if (!algorithm || secret === undefined)
      throw new TsigKeyError(`key ${match[1]} needs an algorithm and a secret`);
    keys.push(makeTsigKey(match[1]!, algorithm, secret.replace(/\s/g, '')));
  }
  if (keys.length > 0) return keys;
  let current: Record<string, string> | undefined;
  const fields: Record<string, string>[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '').trimEnd();
    const item = /^\s*(-\s+)?(id|algorithm|secret)\s*:\s*"?([^"]*?)"?\s*$/.exec(line);
    if (!item) continue;
    if (item[1] || !current) {
      current = {};
      fields.push(current);
    }
    current[item[2]!] = item[3]!;
  }
  for (const key of fields) {
    if (!key.id || !key.algorithm || key.secret === undefined)
      throw new TsigKeyError('a Knot key needs an id, an algorithm and a secret');
    keys.push(makeTsigKey(key.id, key.algorithm, key.secret));
  }
  if (keys.length === 0)
    throw new TsigKeyError('no TSIG key found (neither BIND key blocks nor Knot key: list)');
  return keys;
}

/**
 * A key on one line: `NAME:ALG:SECRET`; dig's `-y` form `ALG:NAME:SECRET` is also taken (when
 * the first part is an algorithm and the second is not), and `NAME:SECRET` means hmac-sha256.
 */
export function parseTsigSpec(spec: string): TsigKey {
  const parts = spec.split(':');
  const isAlgorithm = (text: string): boolean => {
    try {
      parseTsigAlgorithm(text);
      return true;
    } catch {
      return false;
    }
  };
  if (parts.length === 2) return makeTsigKey(parts[0]!, 'hmac-sha256', parts[1]!);
  if (parts.length === 3) {
    const [a, b, secret] = parts as [string, string, string];
    if (!isAlgorithm(b) && isAlgorithm(a)) return makeTsigKey(b, a, secret);
    return makeTsigKey(a, b, secret);
  }
  throw new TsigKeyError(`${JSON.stringify(spec)} is not NAME:ALG:SECRET`);
}

/** A key lookup over a list: `verifyMessage(bytes, keyring([key]), ...)`. */
export function keyring(keys: readonly TsigKey[]): (name: Name) => TsigKey | undefined {
  const byName = new Map(keys.map((key) => [key.name.key(), key]));
  return (name) => byName.get(name.key());
}
