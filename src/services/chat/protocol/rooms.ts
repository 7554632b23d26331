/**
 * The hub's rooms (sans I/O): members on this hub (client ids) and, when federated, members
 * on other hubs (nickname keys), with each room's history. A room other than the default
 * one is forgotten, history and all, once nobody on any hub is in it.
 */
import type { ChatEvent } from './events.js';
import type { ChatDelivery, ClientId } from './hub.js';
import { nameKey } from './names.js';
import { send } from './text.js';

export interface Room {
  readonly name: string;
  /** Members connected to this hub. */
  readonly members: Set<ClientId>;
  /** Members connected to other hubs, by nickname key (see remote.ts). */
  readonly remote: Set<string>;
  readonly history: ChatEvent[];
}

export class Rooms {
  private readonly rooms = new Map<string, Room>();

  constructor(
    private readonly defaultRoom: string,
    private readonly historySize: number,
    private readonly maxNoticeMembers: number,
  ) {
    this.roomFor(defaultRoom);
  }

  get(key: string): Room | undefined {
    return this.rooms.get(key);
  }

  /** The room called `name`, created (as `name` is written) if need be. */
  roomFor(name: string): Room {
    const key = nameKey(name);
    let room = this.rooms.get(key);
    if (!room) {
      room = { name, members: new Set(), remote: new Set(), history: [] };
      this.rooms.set(key, room);
    }
    return room;
  }

  /** Forgets the room if nobody is in it (the default room always stays). */
  dropIfEmpty(key: string): void {
    const room = this.rooms.get(key);
    if (room && size(room) === 0 && key !== nameKey(this.defaultRoom)) this.rooms.delete(key);
  }

  /** Room names, sorted, with their member counts (on every hub). */
  list(): { name: string; members: number }[] {
    return [...this.rooms.values()]
      .map((room) => ({ name: room.name, members: size(room) }))
      .sort((a, b) => (nameKey(a.name) < nameKey(b.name) ? -1 : 1));
  }

  /** To every local member; kept in the history when `keep` (messages and actions). */
  toRoom(out: ChatDelivery[], room: Room, event: ChatEvent, keep: boolean): void {
    if (keep && this.historySize > 0) {
      room.history.push(event);
      if (room.history.length > this.historySize) room.history.shift();
    }
    for (const id of room.members) send(out, id, event);
  }

  /**
   * A join, part or quit notice: to the whole room while it has at most `maxNoticeMembers`
   * members (the leaver still counted); in a bigger room only to `self`, if it is local (as
   * large chats do: with thousands of members, notices would be most of the traffic, N² as a
   * room fills).
   */
  notice(out: ChatDelivery[], room: Room, event: ChatEvent, self: ClientId | undefined): void {
    if (this.isSmall(room)) this.toRoom(out, room, event, false);
    else if (self !== undefined) send(out, self, event);
  }

  isSmall(room: Room): boolean {
    return size(room) <= this.maxNoticeMembers;
  }
}

export function size(room: Room): number {
  return room.members.size + room.remote.size;
}
