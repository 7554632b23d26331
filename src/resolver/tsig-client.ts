/**
 * The client's side of TSIG (RFC 8945): a request signed with a key, and its reply checked
 * against the request's MAC (§5.3). A server that refused the key answers unsigned, NOTAUTH,
 * with the TSIG error in its TSIG record (§5.2): that error is what the caller is told.
 */
import { RRTYPE } from '../dns/constants.js';
import type { Message } from '../dns/message.js';
import {
  keyring,
  signMessageWithMac,
  type TsigKey,
  type TsigRdata,
  tsigErrorToText,
  verifyMessage,
} from '../dns/tsig.js';
import { DnsTsigError } from './errors.js';

export interface SignedRequest {
  bytes: Uint8Array;
  /** The request's MAC: the reply's signature covers it. */
  mac: Uint8Array;
}

export function signRequest(bytes: Uint8Array, key: TsigKey, nowMs: number): SignedRequest {
  return signMessageWithMac(bytes, key, { now: Math.floor(nowMs / 1000) });
}

/** The TSIG error a server put in its (unsigned) answer, if any. */
export function tsigErrorOf(reply: Message): string | undefined {
  const last = reply.additional.at(-1);
  if (last?.type !== RRTYPE.TSIG) return undefined;
  const error = (last.data as TsigRdata).error;
  return error === 0 ? undefined : tsigErrorToText(error);
}

/** Throws DnsTsigError unless `replyBytes` is signed with `key` over `requestMac`. */
export function checkSignedReply(
  replyBytes: Uint8Array,
  reply: Message,
  key: TsigKey,
  requestMac: Uint8Array,
  nowMs: number,
  server: string,
): void {
  const refused = tsigErrorOf(reply);
  if (refused)
    throw new DnsTsigError(`${server} refused key ${key.name.toText()}: ${refused}`, {
      server,
      key: key.name.toText(),
      tsigError: refused,
    });
  const result = verifyMessage(replyBytes, keyring([key]), { now: Math.floor(nowMs / 1000), requestMac });
  if (!result.ok)
    throw new DnsTsigError(`the reply from ${server} failed TSIG: ${result.error}, ${result.reason}`, {
      server,
      key: key.name.toText(),
      tsigError: result.error,
    });
}
