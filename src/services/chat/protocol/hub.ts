/**
 * The chat hub's pure core: all chat state (clients, nicknames, rooms, history, flood
 * buckets), driven by method calls that pass `now` (ms since the epoch) in and return
 * deliveries. No sockets, timers or clock reads: a transport calls `connect` when a client
 * arrives, `receive` for each line, `disconnect` when it goes, and carries out the
 * deliveries in order (`send`: write `line` plus a line end, or `JSON.stringify(event)`;
 * `close`: flush and close that client, then call `disconnect`, which is then a no-op).
 *
 * Behaviour: the first line of a new client is its nickname (protocol/names.ts has the
 * rules); then it is in the default room (#lobby) and a plain line is a message to its
 * current room. Commands: /nick, /join, /part, /rooms, /who, /msg, /me, /help, /quit;
 * `//text` sends `/text` as a message. A client may be in several rooms; its current room
 * is the one it joined (or switched to with /join) last. Messages go to every member of the
 * room, the sender included (its echo, with the time). Rooms other than the default one
 * are forgotten, history and all, once empty. Every line is sanitised (protocol/sanitize.ts)
 * before anything in it reaches anyone; errors go to the sender only.
 *
 * Flood control: a token bucket per client (`floodRate` lines a second, `floodBurst` at
 * once; 0 disables). A line that finds the bucket empty is dropped with an NK_CHAT_FLOOD
 * warning; the next line that finds it empty again before it has refilled completely gets
 * the client disconnected (an NK_CHAT_FLOOD error, then `close`). A bucket that refills
 * completely forgets the warning. Every line counts, commands and refused lines included.
 */
import {
  ChatBadArgumentsError,
  ChatError,
  ChatFloodError,
  ChatLineTooLongError,
  ChatNickTakenError,
  ChatNoNickError,
  ChatNoSuchNickError,
  ChatNoSuchRoomError,
  ChatNotInRoomError,
  ChatUnknownCommandError,
} from '../errors.js';
import { type ChatOptions, type ResolvedChatOptions, resolveChatOptions } from './defaults.js';
import { type ChatEvent, formatLine } from './events.js';
import { nameKey, validateNick, validateRoom } from './names.js';
import { sanitizeText } from './sanitize.js';

/** However the transport names a client (a connection id, `host:port` for UDP...). */
export type ClientId = string | number;

/** What the transport is to do, in order. */
export type ChatDelivery =
  | { type: 'send'; to: ClientId; event: ChatEvent; line: string }
  /** Close this client's connection once what was sent to it so far is flushed. */
  | { type: 'close'; to: ClientId };

interface Client {
  readonly id: ClientId;
  nick: string | undefined;
  /** Keys of the rooms it is in, in the order it joined (or last switched to) them. */
  rooms: string[];
  tokens: number;
  refilledMs: number;
  warned: boolean;
}

interface Room {
  readonly name: string;
  readonly members: Set<ClientId>;
  readonly history: ChatEvent[];
}

const DECODER = new TextDecoder('utf-8');

const HELP = [
  'commands:',
  '  /nick NAME        change your nickname',
  '  /join #room       join a room (created if need be) and talk there',
  '  /part [#room]     leave a room (default: the current one)',
  '  /rooms            list the rooms',
  '  /who [#room]      list who is in a room (default: the current one)',
  '  /msg NICK text    a private message',
  '  /me action        an action in the current room',
  '  /quit             leave the chat',
  '  /help             this list',
  'any other line is a message to your current room (//text sends /text)',
];

/** UTF-8 length of a JS string, without encoding it. */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

export class ChatHub {
  readonly options: ResolvedChatOptions;
  private readonly clients = new Map<ClientId, Client>();
  /** Nickname key → client. */
  private readonly nicks = new Map<string, ClientId>();
  /** Room key → room. */
  private readonly rooms = new Map<string, Room>();

  constructor(options: ChatOptions = {}) {
    this.options = resolveChatOptions(options);
    this.roomFor(this.options.defaultRoom);
  }

  /** Clients connected (with or without a nickname). */
  get clientCount(): number {
    return this.clients.size;
  }

  nickOf(clientId: ClientId): string | undefined {
    return this.clients.get(clientId)?.nick;
  }

  /** Room names, sorted, with their member counts. */
  roomList(): { name: string; members: number }[] {
    return [...this.rooms.values()]
      .map((room) => ({ name: room.name, members: room.members.size }))
      .sort((a, b) => (nameKey(a.name) < nameKey(b.name) ? -1 : 1));
  }

  /** A new client: greets it and asks for a nickname. An id already connected: nothing. */
  connect(clientId: ClientId, now: number): ChatDelivery[] {
    if (this.clients.has(clientId)) return [];
    this.clients.set(clientId, {
      id: clientId,
      nick: undefined,
      rooms: [],
      tokens: this.options.floodBurst,
      refilledMs: now,
      warned: false,
    });
    const out: ChatDelivery[] = [];
    this.send(out, clientId, { type: 'info', text: 'welcome to netkit chat; type /help for the commands' });
    this.askNick(out, clientId);
    return out;
  }

  /**
   * One line from a client (without its line end; bytes are decoded as UTF-8, bad sequences
   * becoming U+FFFD). A client that is not connected (or was closed) is ignored.
   */
  receive(clientId: ClientId, line: string | Uint8Array, now: number): ChatDelivery[] {
    const client = this.clients.get(clientId);
    if (!client) return [];
    const out: ChatDelivery[] = [];
    if (!this.takeToken(client, now, out)) return out;
    const size = typeof line === 'string' ? utf8Length(line) : line.length;
    if (size > this.options.maxLineBytes) {
      this.error(out, clientId, new ChatLineTooLongError(this.options.maxLineBytes));
      return out;
    }
    let text = typeof line === 'string' ? line : DECODER.decode(line);
    if (text.endsWith('\r')) text = text.slice(0, -1);
    text = sanitizeText(text);
    try {
      if (client.nick === undefined) this.handleFirstLines(client, text, now, out);
      else this.handleLine(client, client.nick, text, now, out);
    } catch (error) {
      // Only ChatErrors are thrown on purpose (by the validators and handlers below); anything
      // else is a bug, left to the runtime (logged, answered with NK_INTERNAL).
      if (!(error instanceof ChatError)) throw error;
      this.error(out, clientId, error);
      if (client.nick === undefined && this.clients.has(clientId)) this.askNick(out, clientId);
    }
    return out;
  }

  /**
   * The transport's framer met a line over its own limit (it skipped the line): answered
   * like a line over `maxLineBytes`, and counted for flood control.
   */
  lineTooLong(clientId: ClientId, now: number): ChatDelivery[] {
    const client = this.clients.get(clientId);
    if (!client) return [];
    const out: ChatDelivery[] = [];
    if (this.takeToken(client, now, out))
      this.error(out, clientId, new ChatLineTooLongError(this.options.maxLineBytes));
    return out;
  }

  /** The client is gone: its rooms are told it quit and its nickname is free. Idempotent. */
  disconnect(clientId: ClientId, now: number): ChatDelivery[] {
    const out: ChatDelivery[] = [];
    this.remove(clientId, now, out);
    return out;
  }

  // --- the lines ------------------------------------------------------------------------

  private handleFirstLines(client: Client, text: string, now: number, out: ChatDelivery[]): void {
    const trimmed = text.trim();
    if (trimmed === '') return;
    let candidate = trimmed;
    if (trimmed.startsWith('/')) {
      const { name, args } = this.parseCommand(trimmed);
      if (name === 'help') {
        this.help(out, client.id);
        return;
      }
      if (name === 'quit') {
        this.quit(client, now, out);
        return;
      }
      if (name !== 'nick') throw new ChatNoNickError();
      if (args.length !== 1) throw new ChatBadArgumentsError('/nick NAME');
      candidate = args[0]!;
    }
    const nick = this.claimNick(client, candidate);
    client.nick = nick;
    this.send(out, client.id, { type: 'you', nick });
    this.join(client, nick, this.options.defaultRoom, now, out);
  }

  private handleLine(client: Client, nick: string, text: string, now: number, out: ChatDelivery[]): void {
    if (text.trim() === '') return;
    if (text.startsWith('//')) {
      this.say(client, nick, text.slice(1), now, out);
      return;
    }
    if (!text.startsWith('/')) {
      this.say(client, nick, text, now, out);
      return;
    }
    const { name, args, rest } = this.parseCommand(text);
    switch (name) {
      case 'nick':
        if (args.length !== 1) throw new ChatBadArgumentsError('/nick NAME');
        this.changeNick(client, nick, args[0]!, now, out);
        return;
      case 'join':
        if (args.length !== 1) throw new ChatBadArgumentsError('/join #room');
        this.join(client, nick, validateRoom(args[0]!), now, out);
        return;
      case 'part': {
        if (args.length > 1) throw new ChatBadArgumentsError('/part [#room]');
        const key = args.length === 1 ? nameKey(validateRoom(args[0]!)) : this.currentRoom(client);
        if (key === undefined) throw new ChatNotInRoomError(undefined);
        if (!client.rooms.includes(key)) throw new ChatNotInRoomError(args[0]!);
        this.part(client, nick, key, now, out);
        return;
      }
      case 'rooms': {
        this.send(out, client.id, { type: 'rooms', rooms: this.roomList() });
        return;
      }
      case 'who': {
        if (args.length > 1) throw new ChatBadArgumentsError('/who [#room]');
        let room: Room | undefined;
        if (args.length === 1) {
          const name = validateRoom(args[0]!);
          room = this.rooms.get(nameKey(name));
          if (!room) throw new ChatNoSuchRoomError(name);
        } else {
          const key = this.currentRoom(client);
          if (key === undefined) throw new ChatNotInRoomError(undefined);
          room = this.rooms.get(key)!;
        }
        const names = [...room.members].map((id) => this.clients.get(id)?.nick ?? '?');
        names.sort((a, b) => (nameKey(a) < nameKey(b) ? -1 : 1));
        this.send(out, client.id, { type: 'who', room: room.name, nicks: names });
        return;
      }
      case 'msg': {
        const match = /^(\S+)\s+(.*\S.*)$/s.exec(rest);
        if (!match) throw new ChatBadArgumentsError('/msg NICK text');
        const target = validateNick(match[1]!, this.options.maxNickLength);
        const targetId = this.nicks.get(nameKey(target));
        if (targetId === undefined) throw new ChatNoSuchNickError(target);
        const targetNick = this.clients.get(targetId)!.nick!;
        const event: ChatEvent = { type: 'private', time: now, from: nick, to: targetNick, text: match[2]! };
        this.send(out, targetId, event);
        if (targetId !== client.id) this.send(out, client.id, event);
        return;
      }
      case 'me': {
        if (rest.trim() === '') throw new ChatBadArgumentsError('/me action');
        const key = this.currentRoom(client);
        if (key === undefined) throw new ChatNotInRoomError(undefined);
        const room = this.rooms.get(key)!;
        this.toRoom(out, room, { type: 'action', time: now, room: room.name, from: nick, text: rest }, true);
        return;
      }
      case 'help':
        this.help(out, client.id);
        return;
      case 'quit':
        this.quit(client, now, out);
        return;
      default:
        throw new ChatUnknownCommandError(`/${name.length > 32 ? name.slice(0, 32) + '…' : name}`);
    }
  }

  /** `/name args...`: `name` lower-cased, `rest` everything after the name and its spaces. */
  private parseCommand(text: string): { name: string; args: string[]; rest: string } {
    const match = /^\/(\S*)\s*(.*)$/s.exec(text)!;
    const rest = match[2]!;
    const args = rest.trim() === '' ? [] : rest.trim().split(/\s+/);
    return { name: match[1]!.toLowerCase(), args, rest };
  }

  private say(client: Client, nick: string, text: string, now: number, out: ChatDelivery[]): void {
    const key = this.currentRoom(client);
    if (key === undefined) throw new ChatNotInRoomError(undefined);
    const room = this.rooms.get(key)!;
    this.toRoom(out, room, { type: 'message', time: now, room: room.name, from: nick, text }, true);
  }

  private claimNick(client: Client, candidate: string): string {
    const nick = validateNick(candidate, this.options.maxNickLength);
    const holder = this.nicks.get(nameKey(nick));
    if (holder !== undefined && holder !== client.id) throw new ChatNickTakenError(nick);
    if (client.nick !== undefined) this.nicks.delete(nameKey(client.nick));
    this.nicks.set(nameKey(nick), client.id);
    return nick;
  }

  private changeNick(client: Client, old: string, candidate: string, now: number, out: ChatDelivery[]): void {
    if (candidate === old) {
      this.send(out, client.id, { type: 'info', text: `you are already ${old}` });
      return;
    }
    const nick = this.claimNick(client, candidate);
    client.nick = nick;
    const event: ChatEvent = { type: 'nick', time: now, from: old, to: nick };
    const told = new Set<ClientId>([client.id]);
    this.send(out, client.id, event);
    for (const key of client.rooms) {
      for (const id of this.rooms.get(key)!.members) {
        if (told.has(id)) continue;
        told.add(id);
        this.send(out, id, event);
      }
    }
  }

  private join(client: Client, nick: string, name: string, now: number, out: ChatDelivery[]): void {
    const key = nameKey(name);
    if (client.rooms.includes(key)) {
      // Already there: it becomes the current room.
      client.rooms = [...client.rooms.filter((k) => k !== key), key];
      const room = this.rooms.get(key)!;
      this.send(out, client.id, { type: 'info', text: `now talking in ${room.name}` });
      return;
    }
    const room = this.roomFor(name);
    room.members.add(client.id);
    client.rooms.push(key);
    this.notice(out, room, { type: 'join', time: now, room: room.name, nick }, client.id);
    if (room.history.length > 0) {
      const count = room.history.length;
      this.send(out, client.id, {
        type: 'info',
        text: `the last ${count === 1 ? 'message' : `${count} messages`} in ${room.name}:`,
      });
      for (const event of room.history) this.send(out, client.id, event);
    }
  }

  private part(client: Client, nick: string, key: string, now: number, out: ChatDelivery[]): void {
    const room = this.rooms.get(key)!;
    this.notice(out, room, { type: 'part', time: now, room: room.name, nick, quit: false }, client.id);
    this.leaveRoom(client, key);
    const current = this.currentRoom(client);
    if (current !== undefined)
      this.send(out, client.id, { type: 'info', text: `now talking in ${this.rooms.get(current)!.name}` });
    else this.send(out, client.id, { type: 'info', text: 'you are in no room; type /join #name' });
  }

  private quit(client: Client, now: number, out: ChatDelivery[]): void {
    this.send(out, client.id, { type: 'info', text: 'bye' });
    out.push({ type: 'close', to: client.id });
    this.remove(client.id, now, out);
  }

  private help(out: ChatDelivery[], to: ClientId): void {
    for (const text of HELP) this.send(out, to, { type: 'info', text });
  }

  // --- state ----------------------------------------------------------------------------

  private remove(clientId: ClientId, now: number, out: ChatDelivery[]): void {
    const client = this.clients.get(clientId);
    if (!client) return;
    this.clients.delete(clientId);
    if (client.nick === undefined) return;
    this.nicks.delete(nameKey(client.nick));
    for (const key of [...client.rooms]) {
      const room = this.rooms.get(key)!;
      // Whether the room is big is judged with the leaver still counted, as for /part.
      const loud = room.members.size <= this.options.maxNoticeMembers;
      this.leaveRoom(client, key);
      if (loud)
        this.toRoom(
          out,
          room,
          { type: 'part', time: now, room: room.name, nick: client.nick, quit: true },
          false,
        );
    }
  }

  private leaveRoom(client: Client, key: string): void {
    client.rooms = client.rooms.filter((k) => k !== key);
    const room = this.rooms.get(key)!;
    room.members.delete(client.id);
    if (room.members.size === 0 && key !== nameKey(this.options.defaultRoom)) this.rooms.delete(key);
  }

  private roomFor(name: string): Room {
    const key = nameKey(name);
    let room = this.rooms.get(key);
    if (!room) {
      room = { name, members: new Set(), history: [] };
      this.rooms.set(key, room);
    }
    return room;
  }

  private currentRoom(client: Client): string | undefined {
    return client.rooms[client.rooms.length - 1];
  }

  /** False (with the warning or the disconnection in `out`) when the line is to be dropped. */
  private takeToken(client: Client, now: number, out: ChatDelivery[]): boolean {
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
      this.error(out, client.id, new ChatFloodError(floodRate, false));
      return false;
    }
    this.error(out, client.id, new ChatFloodError(floodRate, true));
    out.push({ type: 'close', to: client.id });
    this.remove(client.id, now, out);
    return false;
  }

  private askNick(out: ChatDelivery[], to: ClientId): void {
    const max = this.options.maxNickLength;
    this.send(out, to, {
      type: 'info',
      text: `choose a nickname (a letter, then letters, digits, _ or -; at most ${max}):`,
    });
  }

  private toRoom(out: ChatDelivery[], room: Room, event: ChatEvent, keep: boolean): void {
    if (keep && this.options.historySize > 0) {
      room.history.push(event);
      if (room.history.length > this.options.historySize) room.history.shift();
    }
    for (const id of room.members) this.send(out, id, event);
  }

  /**
   * A join, part or quit notice: to the whole room while it has at most `maxNoticeMembers`
   * members; in a bigger room only to `self` (as large chats do: with thousands of members,
   * notices would be most of the traffic, N² as a room fills).
   */
  private notice(out: ChatDelivery[], room: Room, event: ChatEvent, self: ClientId): void {
    if (room.members.size <= this.options.maxNoticeMembers) this.toRoom(out, room, event, false);
    else this.send(out, self, event);
  }

  private error(out: ChatDelivery[], to: ClientId, error: ChatError): void {
    this.send(out, to, { type: 'error', code: error.code, message: error.message });
  }

  private send(out: ChatDelivery[], to: ClientId, event: ChatEvent): void {
    out.push({ type: 'send', to, event, line: formatLine(event) });
  }
}
