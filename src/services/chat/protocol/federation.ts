/**
 * What hubs sharing rooms tell each other (sans I/O). A federated hub (option `federated`)
 * emits `FederationDelivery`s besides `send` and `close`; a federation layer
 * (src/services/chat/federation/) carries them over a bus (Redis pub/sub) and hands what
 * other hubs published to `hub.remote(message, now)`.
 *
 * Every message carries `hub`, the id of the hub it comes from; the hub core leaves it
 * empty and the federation layer fills it when publishing. Nicknames and room names are
 * sent as shown (the receiver compares them with nameKey). What comes off the bus is input
 * from outside: `checkFederationMessage` re-validates every field, and the hub drops (and
 * counts) what does not pass, never throwing.
 */

import { ROOM_PATTERN } from './defaults.js';
import type { ClientId } from './hub.js';
import { isSafeText } from './sanitize.js';
import { utf8Length } from './text.js';

/** A user of a hub and the rooms it is in, for presence snapshots. */
export interface PresenceUser {
  nick: string;
  rooms: string[];
}

export type FederationMessage =
  | { type: 'message'; hub: string; time: number; room: string; from: string; text: string }
  | { type: 'action'; hub: string; time: number; room: string; from: string; text: string }
  | { type: 'join'; hub: string; time: number; room: string; nick: string }
  /** Left one room with /part (a quit is `quit`). */
  | { type: 'part'; hub: string; time: number; room: string; nick: string }
  /** The user is gone from its hub (and so from every room). */
  | { type: 'quit'; hub: string; time: number; nick: string }
  | { type: 'nick'; hub: string; time: number; from: string; to: string }
  /** A private message for `to`, a nickname held by another hub; only that hub delivers it. */
  | { type: 'private'; hub: string; time: number; from: string; to: string; text: string }
  /**
   * Everyone on `hub` and their rooms, replacing what others knew of it; sent when a hub
   * (re)connects, with `ask` so that the others answer with their own snapshot.
   */
  | { type: 'presence'; hub: string; time: number; ask: boolean; users: PresenceUser[] }
  /** The hub is shutting down: its users quit. */
  | { type: 'bye'; hub: string; time: number };

/** What a federated hub asks its federation layer to do. */
export type FederationDelivery =
  /** Tell the other hubs. */
  | { type: 'publish'; message: FederationMessage }
  /**
   * The client wants `nick` (already validated and checked against the nicknames this hub
   * knows): ask every hub, then call `hub.claimResult(to, nick, granted, now)`.
   */
  | { type: 'claim'; to: ClientId; nick: string }
  /** This hub no longer holds `nick`. */
  | { type: 'release'; nick: string };

/** Hub ids: what the federation layer makes (a UUID), or any short plain token. */
const HUB_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;
const NICK_PATTERN = /^[A-Za-z][A-Za-z0-9_-]*$/;
/** Users in one presence snapshot, and rooms per user, beyond which it is refused. */
const MAX_PRESENCE_USERS = 100_000;
const MAX_ROOMS_PER_USER = 1000;

export interface FederationLimits {
  maxNickLength: number;
  maxLineBytes: number;
}

type Fields = Record<string, unknown>;

/** `value` as a FederationMessage with every field checked, or undefined. Never throws. */
export function checkFederationMessage(
  value: unknown,
  limits: FederationLimits,
): FederationMessage | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const m = value as Fields;
  if (typeof m.hub !== 'string' || !HUB_ID_PATTERN.test(m.hub)) return undefined;
  if (typeof m.time !== 'number' || !Number.isFinite(m.time)) return undefined;
  const hub = m.hub;
  const time = m.time;
  const nick = (v: unknown): v is string =>
    typeof v === 'string' && v.length <= limits.maxNickLength && NICK_PATTERN.test(v);
  const room = (v: unknown): v is string => typeof v === 'string' && ROOM_PATTERN.test(v);
  const text = (v: unknown): v is string =>
    typeof v === 'string' && v.trim() !== '' && isSafeText(v) && utf8Length(v) <= limits.maxLineBytes;
  switch (m.type) {
    case 'message':
    case 'action':
      if (!room(m.room) || !nick(m.from) || !text(m.text)) return undefined;
      return { type: m.type, hub, time, room: m.room, from: m.from, text: m.text };
    case 'join':
    case 'part':
      if (!room(m.room) || !nick(m.nick)) return undefined;
      return { type: m.type, hub, time, room: m.room, nick: m.nick };
    case 'quit':
      if (!nick(m.nick)) return undefined;
      return { type: 'quit', hub, time, nick: m.nick };
    case 'nick':
      if (!nick(m.from) || !nick(m.to)) return undefined;
      return { type: 'nick', hub, time, from: m.from, to: m.to };
    case 'private':
      if (!nick(m.from) || !nick(m.to) || !text(m.text)) return undefined;
      return { type: 'private', hub, time, from: m.from, to: m.to, text: m.text };
    case 'presence': {
      if (typeof m.ask !== 'boolean' || !Array.isArray(m.users) || m.users.length > MAX_PRESENCE_USERS)
        return undefined;
      const users: PresenceUser[] = [];
      for (const user of m.users as unknown[]) {
        if (typeof user !== 'object' || user === null) return undefined;
        const u = user as Fields;
        if (!nick(u.nick) || !Array.isArray(u.rooms) || u.rooms.length > MAX_ROOMS_PER_USER) return undefined;
        const rooms = u.rooms as unknown[];
        if (!rooms.every(room)) return undefined;
        users.push({ nick: u.nick, rooms: rooms as string[] });
      }
      return { type: 'presence', hub, time, ask: m.ask, users };
    }
    case 'bye':
      return { type: 'bye', hub, time };
    default:
      return undefined;
  }
}
