/**
 * Named defaults for the chat hub. Each is meant to become a flag of the same name on
 * `netkit serve chat` (not wired yet).
 */
import { ChatBadOptionError } from '../errors.js';

export const CHAT_DEFAULTS = {
  /** Longest line a client may send, in bytes (UTF-8, without its end); longer: NK_CHAT_LINE_TOO_LONG. */
  maxLineBytes: 2048,
  /** Messages per second per client (token bucket refill); 0 disables flood control. */
  floodRate: 10,
  /** Token bucket capacity: lines a client may send at once before the rate applies. */
  floodBurst: 20,
  /** Messages (plain and /me) a room keeps and shows to whoever joins it. */
  historySize: 20,
  /** Longest nickname, in characters. */
  maxNickLength: 16,
  /** Rooms with more members than this get no join/part/quit notices (but the joiner's own). */
  maxNoticeMembers: 500,
  /** The room every client joins once it has a nickname; it always exists. */
  defaultRoom: '#lobby',
  /**
   * Whether the hub shares its rooms with other hubs (protocol/federation.ts): it then also
   * emits publish/claim/release deliveries for a federation layer (`--redis URL`).
   */
  federated: false,
} as const;

export interface ChatOptions {
  maxLineBytes?: number;
  floodRate?: number;
  floodBurst?: number;
  historySize?: number;
  maxNickLength?: number;
  maxNoticeMembers?: number;
  defaultRoom?: string;
  federated?: boolean;
}

export type ResolvedChatOptions = Required<ChatOptions>;

/** Room names: `#` then 1 to 32 ASCII letters, digits, `_` or `-`. */
export const ROOM_PATTERN = /^#[A-Za-z0-9_-]{1,32}$/;

export function resolveChatOptions(options: ChatOptions = {}): ResolvedChatOptions {
  const resolved: ResolvedChatOptions = {
    maxLineBytes: options.maxLineBytes ?? CHAT_DEFAULTS.maxLineBytes,
    floodRate: options.floodRate ?? CHAT_DEFAULTS.floodRate,
    floodBurst: options.floodBurst ?? CHAT_DEFAULTS.floodBurst,
    historySize: options.historySize ?? CHAT_DEFAULTS.historySize,
    maxNickLength: options.maxNickLength ?? CHAT_DEFAULTS.maxNickLength,
    maxNoticeMembers: options.maxNoticeMembers ?? CHAT_DEFAULTS.maxNoticeMembers,
    defaultRoom: options.defaultRoom ?? CHAT_DEFAULTS.defaultRoom,
    federated: options.federated ?? CHAT_DEFAULTS.federated,
  };
  if (typeof resolved.federated !== 'boolean')
    throw new ChatBadOptionError('federated', resolved.federated, 'true or false');
  for (const name of ['maxLineBytes', 'floodBurst', 'maxNickLength'] as const) {
    const value = resolved[name];
    if (!Number.isSafeInteger(value) || value < 1)
      throw new ChatBadOptionError(name, value, 'a positive integer');
  }
  if (!Number.isSafeInteger(resolved.maxNoticeMembers) || resolved.maxNoticeMembers < 0)
    throw new ChatBadOptionError('maxNoticeMembers', resolved.maxNoticeMembers, 'an integer of 0 or more');
  if (!Number.isSafeInteger(resolved.historySize) || resolved.historySize < 0)
    throw new ChatBadOptionError('historySize', resolved.historySize, 'an integer of 0 or more');
  if (!Number.isFinite(resolved.floodRate) || resolved.floodRate < 0)
    throw new ChatBadOptionError('floodRate', resolved.floodRate, 'a number of 0 or more (0 disables)');
  if (!ROOM_PATTERN.test(resolved.defaultRoom))
    throw new ChatBadOptionError('defaultRoom', resolved.defaultRoom, 'a room name such as #lobby');
  return resolved;
}
