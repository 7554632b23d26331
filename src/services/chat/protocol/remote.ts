/**
 * Users connected to other hubs, as a federated hub knows them (sans I/O): a directory of
 * nickname → hub and rooms, kept from what the other hubs publish (protocol/federation.ts),
 * so that `/who`, `/rooms` and `/msg` see them, and their events reach local members.
 *
 * Conflicts (only possible after hubs were cut off from each other) are settled in favour
 * of what this hub sees for itself: an event about a nickname a local client holds, or that
 * the directory has on another hub, is ignored. The federation layer settles who keeps a
 * nickname for good (see federation/index.ts).
 */
import type { ChatEvent } from './events.js';
import {
  checkFederationMessage,
  type FederationLimits,
  type FederationMessage,
  type PresenceUser,
} from './federation.js';
import type { ChatDelivery, ClientId } from './hub.js';
import { nameKey } from './names.js';
import type { Room, Rooms } from './rooms.js';
import { send } from './text.js';

export interface RemoteUser {
  nick: string;
  hub: string;
  /** Keys of its rooms. */
  rooms: string[];
}

/** What the directory needs from its hub. */
export interface LocalSide {
  /** The local client holding a nickname key, and that nickname as shown. */
  holder(key: string): { id: ClientId; nick: string } | undefined;
  /** This hub's presence snapshot. */
  presence(now: number, ask: boolean): FederationMessage;
}

export class RemoteUsers {
  private readonly users = new Map<string, RemoteUser>();
  /** Messages dropped as malformed. */
  dropped = 0;

  constructor(
    private readonly rooms: Rooms,
    private readonly limits: FederationLimits,
    private readonly local: LocalSide,
  ) {}

  get(key: string): RemoteUser | undefined {
    return this.users.get(key);
  }

  /** Ids of the hubs that have users here, sorted. */
  hubs(): string[] {
    return [...new Set([...this.users.values()].map((user) => user.hub))].sort();
  }

  /** An event from another hub; a malformed one is dropped and counted. Never throws. */
  apply(value: unknown, now: number, out: ChatDelivery[]): void {
    const message = checkFederationMessage(value, this.limits);
    if (!message) {
      this.dropped++;
      return;
    }
    const { hub, time } = message;
    switch (message.type) {
      case 'message':
      case 'action': {
        const room = this.rooms.get(nameKey(message.room));
        if (!room || this.local.holder(nameKey(message.from)) !== undefined) return;
        const { type, from, text } = message;
        this.rooms.toRoom(out, room, { type, time, room: room.name, from, text }, true);
        return;
      }
      case 'join': {
        const user = this.userOf(message.nick, hub, true);
        if (user) this.join(user, message.room, time, out);
        return;
      }
      case 'part': {
        const user = this.userOf(message.nick, hub, false);
        if (user) this.part(user, nameKey(message.room), time, false, out);
        return;
      }
      case 'quit': {
        const user = this.userOf(message.nick, hub, false);
        if (user) this.quit(user, time, out);
        return;
      }
      case 'nick':
        this.rename(message.from, message.to, hub, time, out);
        return;
      case 'private': {
        const target = this.local.holder(nameKey(message.to));
        if (!target || this.local.holder(nameKey(message.from)) !== undefined) return;
        const { from, text } = message;
        send(out, target.id, { type: 'private', time, from, to: target.nick, text });
        return;
      }
      case 'presence':
        this.presence(hub, message.users, time, out);
        if (message.ask) out.push({ type: 'publish', message: this.local.presence(now, false) });
        return;
      case 'bye':
        this.hubGone(hub, now, out);
        return;
    }
  }

  /** Every user of `hub` quits. */
  hubGone(hub: string, now: number, out: ChatDelivery[]): void {
    for (const user of [...this.users.values()]) if (user.hub === hub) this.quit(user, now, out);
  }

  /** The user `nick` of `hub`, added when `create`; undefined on a conflict. */
  private userOf(nick: string, hub: string, create: boolean): RemoteUser | undefined {
    const key = nameKey(nick);
    if (this.local.holder(key) !== undefined) return undefined;
    const user = this.users.get(key);
    if (user) return user.hub === hub ? user : undefined;
    if (!create) return undefined;
    const added = { nick, hub, rooms: [] };
    this.users.set(key, added);
    return added;
  }

  private join(user: RemoteUser, name: string, time: number, out: ChatDelivery[]): void {
    const key = nameKey(name);
    if (user.rooms.includes(key)) return;
    const room = this.rooms.roomFor(name);
    room.remote.add(nameKey(user.nick));
    user.rooms.push(key);
    this.rooms.notice(out, room, { type: 'join', time, room: room.name, nick: user.nick }, undefined);
  }

  private part(user: RemoteUser, key: string, time: number, quit: boolean, out: ChatDelivery[]): void {
    const room = this.rooms.get(key);
    if (!room || !user.rooms.includes(key)) return;
    // Whether the room is big is judged with the leaver still counted, as for local users.
    this.rooms.notice(out, room, { type: 'part', time, room: room.name, nick: user.nick, quit }, undefined);
    room.remote.delete(nameKey(user.nick));
    user.rooms = user.rooms.filter((k) => k !== key);
    this.rooms.dropIfEmpty(key);
  }

  private quit(user: RemoteUser, time: number, out: ChatDelivery[]): void {
    for (const key of [...user.rooms]) this.part(user, key, time, true, out);
    this.users.delete(nameKey(user.nick));
  }

  private rename(from: string, to: string, hub: string, time: number, out: ChatDelivery[]): void {
    const user = this.userOf(from, hub, false);
    const newKey = nameKey(to);
    if (!user || this.local.holder(newKey) !== undefined) return;
    const other = this.users.get(newKey);
    if (other && other !== user) return;
    const oldKey = nameKey(user.nick);
    const event: ChatEvent = { type: 'nick', time, from: user.nick, to };
    const told = new Set<ClientId>();
    for (const roomKey of user.rooms) {
      const room = this.rooms.get(roomKey)!;
      room.remote.delete(oldKey);
      room.remote.add(newKey);
      for (const id of room.members) {
        if (told.has(id)) continue;
        told.add(id);
        send(out, id, event);
      }
    }
    this.users.delete(oldKey);
    user.nick = to;
    this.users.set(newKey, user);
  }

  /** Makes the directory's view of `hub` match its snapshot, with the notices that implies. */
  private presence(hub: string, snapshot: PresenceUser[], time: number, out: ChatDelivery[]): void {
    const listed = new Set(snapshot.map((user) => nameKey(user.nick)));
    for (const user of [...this.users.values()])
      if (user.hub === hub && !listed.has(nameKey(user.nick))) this.quit(user, time, out);
    for (const entry of snapshot) {
      const user = this.userOf(entry.nick, hub, true);
      if (!user) continue;
      const wanted = new Map(entry.rooms.map((name) => [nameKey(name), name]));
      for (const key of [...user.rooms]) if (!wanted.has(key)) this.part(user, key, time, false, out);
      for (const name of wanted.values()) this.join(user, name, time, out);
    }
  }

  /** Nicknames of the remote members of `room`, as shown. */
  nicksIn(room: Room): string[] {
    return [...room.remote].map((key) => this.users.get(key)?.nick ?? '?');
  }
}
