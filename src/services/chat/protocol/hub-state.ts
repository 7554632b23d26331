/**
 * The chat hub's state and the changes to it (sans I/O): clients, nicknames, rooms (rooms.ts),
 * users of other hubs (remote.ts), and what a join, part, rename or departure tells whom.
 * ChatHub (hub.ts) is the public face; hub-lines.ts reads the clients' lines.
 */
import { ChatFloodError } from '../errors.js';
import { type ChatOptions, type ResolvedChatOptions, resolveChatOptions } from './defaults.js';
import type { ChatEvent } from './events.js';
import type { FederationMessage } from './federation.js';
import type { ChatDelivery, ClientId } from './hub.js';
import { nameKey } from './names.js';
import { RemoteUsers } from './remote.js';
import { Rooms } from './rooms.js';
import { send, sendError } from './text.js';

export interface Client {
  readonly id: ClientId;
  nick: string | undefined;
  /** Keys of the rooms it is in, in the order it joined (or last switched to) them. */
  rooms: string[];
  tokens: number;
  refilledMs: number;
  warned: boolean;
  /** A nickname claim waiting for `claimResult`, and the lines received meanwhile (sanitised). */
  pending: { nick: string; lines: string[] } | undefined;
  /** It sends no more lines (`finish`): close it once the pending claim is settled. */
  finishing: boolean;
}

export abstract class HubState {
  readonly options: ResolvedChatOptions;
  protected readonly clients = new Map<ClientId, Client>();
  /** Nickname key → client. */
  protected readonly nicks = new Map<string, ClientId>();
  /** Nickname key → the client claiming it (federated: waiting for `claimResult`). */
  protected readonly claims = new Map<string, ClientId>();
  protected readonly rooms: Rooms;
  /** Users of other hubs (federated). */
  protected readonly remoteUsers: RemoteUsers;

  constructor(options: ChatOptions = {}) {
    this.options = resolveChatOptions(options);
    const { defaultRoom, historySize, maxNoticeMembers } = this.options;
    this.rooms = new Rooms(defaultRoom, historySize, maxNoticeMembers);
    this.remoteUsers = new RemoteUsers(this.rooms, this.options, {
      holder: (key) => {
        const id = this.nicks.get(key);
        return id === undefined ? undefined : { id, nick: this.clients.get(id)!.nick! };
      },
      presence: (now, ask) => this.presence(now, ask),
    });
  }

  /** Everyone on this hub with a nickname, and their rooms (`hub` left for the federation to fill). */
  presence(now: number, ask: boolean): FederationMessage {
    const users = [...this.clients.values()].flatMap((client) =>
      client.nick === undefined
        ? []
        : [{ nick: client.nick, rooms: client.rooms.map((key) => this.rooms.get(key)!.name) }],
    );
    return { type: 'presence', hub: '', time: now, ask, users };
  }

  protected takeNick(client: Client, nick: string): void {
    if (client.nick !== undefined) this.nicks.delete(nameKey(client.nick));
    this.nicks.set(nameKey(nick), client.id);
  }

  /** The client has its first nickname: it is told so and joins the default room. */
  protected welcome(client: Client, nick: string, now: number, out: ChatDelivery[]): void {
    client.nick = nick;
    send(out, client.id, { type: 'you', nick });
    this.join(client, nick, this.options.defaultRoom, now, out);
  }

  /** Tells the client and everyone sharing a room with it (and the other hubs). */
  protected renamed(client: Client, old: string, nick: string, now: number, out: ChatDelivery[]): void {
    client.nick = nick;
    const event: ChatEvent = { type: 'nick', time: now, from: old, to: nick };
    const told = new Set<ClientId>([client.id]);
    send(out, client.id, event);
    for (const key of client.rooms) {
      for (const id of this.rooms.get(key)!.members) {
        if (told.has(id)) continue;
        told.add(id);
        send(out, id, event);
      }
    }
    this.publish(out, { type: 'nick', hub: '', time: now, from: old, to: nick });
  }

  protected join(client: Client, nick: string, name: string, now: number, out: ChatDelivery[]): void {
    const key = nameKey(name);
    if (client.rooms.includes(key)) {
      // Already there: it becomes the current room.
      client.rooms = [...client.rooms.filter((k) => k !== key), key];
      const room = this.rooms.get(key)!;
      send(out, client.id, { type: 'info', text: `now talking in ${room.name}` });
      return;
    }
    const room = this.rooms.roomFor(name);
    room.members.add(client.id);
    client.rooms.push(key);
    this.rooms.notice(out, room, { type: 'join', time: now, room: room.name, nick }, client.id);
    this.publish(out, { type: 'join', hub: '', time: now, room: room.name, nick });
    if (room.history.length > 0) {
      const count = room.history.length;
      send(out, client.id, {
        type: 'info',
        text: `the last ${count === 1 ? 'message' : `${count} messages`} in ${room.name}:`,
      });
      for (const event of room.history) send(out, client.id, event);
    }
  }

  protected part(client: Client, nick: string, key: string, now: number, out: ChatDelivery[]): void {
    const room = this.rooms.get(key)!;
    this.rooms.notice(out, room, { type: 'part', time: now, room: room.name, nick, quit: false }, client.id);
    this.publish(out, { type: 'part', hub: '', time: now, room: room.name, nick });
    this.leaveRoom(client, key);
    const current = this.currentRoom(client);
    if (current !== undefined)
      send(out, client.id, { type: 'info', text: `now talking in ${this.rooms.get(current)!.name}` });
    else send(out, client.id, { type: 'info', text: 'you are in no room; type /join #name' });
  }

  protected quit(client: Client, now: number, out: ChatDelivery[]): void {
    send(out, client.id, { type: 'info', text: 'bye' });
    out.push({ type: 'close', to: client.id });
    this.remove(client.id, now, out);
  }

  // --- state ----------------------------------------------------------------------------

  protected remove(clientId: ClientId, now: number, out: ChatDelivery[]): void {
    const client = this.clients.get(clientId);
    if (!client) return;
    this.clients.delete(clientId);
    if (client.pending) {
      this.claims.delete(nameKey(client.pending.nick));
      out.push({ type: 'release', nick: client.pending.nick });
    }
    if (client.nick === undefined) return;
    this.nicks.delete(nameKey(client.nick));
    for (const key of [...client.rooms]) {
      const room = this.rooms.get(key)!;
      // Whether the room is big is judged with the leaver still counted, as for /part.
      const loud = this.rooms.isSmall(room);
      this.leaveRoom(client, key);
      if (loud)
        this.rooms.toRoom(
          out,
          room,
          { type: 'part', time: now, room: room.name, nick: client.nick, quit: true },
          false,
        );
    }
    if (this.options.federated) {
      this.publish(out, { type: 'quit', hub: '', time: now, nick: client.nick });
      out.push({ type: 'release', nick: client.nick });
    }
  }

  protected leaveRoom(client: Client, key: string): void {
    client.rooms = client.rooms.filter((k) => k !== key);
    this.rooms.get(key)!.members.delete(client.id);
    this.rooms.dropIfEmpty(key);
  }

  protected currentRoom(client: Client): string | undefined {
    return client.rooms[client.rooms.length - 1];
  }

  /** False (with the warning or the disconnection in `out`) when the line is to be dropped. */
  protected takeToken(client: Client, now: number, out: ChatDelivery[]): boolean {
    const { floodRate, floodBurst } = this.options;
    if (floodRate <= 0) return true;
    const elapsed = Number.isFinite(now) ? Math.max(0, now - client.refilledMs) : 0;
    if (Number.isFinite(now)) client.refilledMs = Math.max(client.refilledMs, now);
    client.tokens = Math.min(floodBurst, client.tokens + (elapsed * floodRate) / 1000);
    if (client.tokens >= floodBurst) client.warned = false;
    if (client.tokens >= 1) {
      client.tokens -= 1;
      return true;
    }
    if (!client.warned) {
      client.warned = true;
      sendError(out, client.id, new ChatFloodError(floodRate, false));
      return false;
    }
    sendError(out, client.id, new ChatFloodError(floodRate, true));
    out.push({ type: 'close', to: client.id });
    this.remove(client.id, now, out);
    return false;
  }

  protected askNick(out: ChatDelivery[], to: ClientId): void {
    const max = this.options.maxNickLength;
    send(out, to, {
      type: 'info',
      text: `choose a nickname (a letter, then letters, digits, _ or -; at most ${max}):`,
    });
  }

  /** What the other hubs must learn (federated hubs only). */
  protected publish(out: ChatDelivery[], message: FederationMessage): void {
    if (this.options.federated) out.push({ type: 'publish', message });
  }
}
