/**
 * How the hub reads a client's lines (sans I/O): the nickname first, then messages and
 * commands (see hub.ts for the behaviour).
 */
import {
  ChatBadArgumentsError,
  ChatError,
  ChatNickTakenError,
  ChatNoNickError,
  ChatNoSuchNickError,
  ChatNoSuchRoomError,
  ChatNotInRoomError,
  ChatUnknownCommandError,
} from '../errors.js';
import type { ChatEvent } from './events.js';
import type { ChatDelivery, ClientId } from './hub.js';
import { type Client, HubState } from './hub-state.js';
import { nameKey, validateNick, validateRoom } from './names.js';
import type { Room } from './rooms.js';
import { byKey, send, sendError } from './text.js';

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

export abstract class HubLines extends HubState {
  protected handle(client: Client, text: string, now: number, out: ChatDelivery[]): void {
    try {
      if (client.nick === undefined) this.handleFirstLines(client, text, now, out);
      else this.handleLine(client, client.nick, text, now, out);
    } catch (error) {
      // Only ChatErrors are thrown on purpose (by the validators and handlers below); anything
      // else is a bug, left to the runtime (logged, answered with NK_INTERNAL).
      if (!(error instanceof ChatError)) throw error;
      sendError(out, client.id, error);
      if (client.nick === undefined && !client.pending && this.clients.has(client.id))
        this.askNick(out, client.id);
    }
  }

  protected handleFirstLines(client: Client, text: string, now: number, out: ChatDelivery[]): void {
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
    const nick = this.claimNick(client, candidate, out);
    if (nick !== undefined) this.welcome(client, nick, now, out);
  }

  protected handleLine(client: Client, nick: string, text: string, now: number, out: ChatDelivery[]): void {
    if (text.trim() === '') return;
    if (text.startsWith('//')) {
      this.say(client, nick, 'message', text.slice(1), now, out);
      return;
    }
    if (!text.startsWith('/')) {
      this.say(client, nick, 'message', text, now, out);
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
        send(out, client.id, { type: 'rooms', rooms: this.rooms.list() });
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
        names.push(...this.remoteUsers.nicksIn(room));
        send(out, client.id, { type: 'who', room: room.name, nicks: names.sort(byKey) });
        return;
      }
      case 'msg': {
        const match = /^(\S+)\s+(.*\S.*)$/s.exec(rest);
        if (!match) throw new ChatBadArgumentsError('/msg NICK text');
        this.privateMessage(
          client,
          nick,
          validateNick(match[1]!, this.options.maxNickLength),
          match[2]!,
          now,
          out,
        );
        return;
      }
      case 'me':
        if (rest.trim() === '') throw new ChatBadArgumentsError('/me action');
        this.say(client, nick, 'action', rest, now, out);
        return;
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
  protected parseCommand(text: string): { name: string; args: string[]; rest: string } {
    const match = /^\/(\S*)\s*(.*)$/s.exec(text)!;
    const rest = match[2]!;
    const args = rest.trim() === '' ? [] : rest.trim().split(/\s+/);
    return { name: match[1]!.toLowerCase(), args, rest };
  }

  /** A message or an action (/me) to the client's current room. */
  protected say(
    client: Client,
    nick: string,
    type: 'message' | 'action',
    text: string,
    now: number,
    out: ChatDelivery[],
  ): void {
    const key = this.currentRoom(client);
    if (key === undefined) throw new ChatNotInRoomError(undefined);
    const room = this.rooms.get(key)!;
    this.rooms.toRoom(out, room, { type, time: now, room: room.name, from: nick, text }, true);
    this.publish(out, { type, hub: '', time: now, room: room.name, from: nick, text });
  }

  protected privateMessage(
    client: Client,
    nick: string,
    target: string,
    text: string,
    now: number,
    out: ChatDelivery[],
  ): void {
    const targetId = this.nicks.get(nameKey(target));
    if (targetId !== undefined) {
      const targetNick = this.clients.get(targetId)!.nick!;
      const event: ChatEvent = { type: 'private', time: now, from: nick, to: targetNick, text };
      send(out, targetId, event);
      if (targetId !== client.id) send(out, client.id, event);
      return;
    }
    const remote = this.options.federated ? this.remoteUsers.get(nameKey(target)) : undefined;
    if (!remote) throw new ChatNoSuchNickError(target);
    send(out, client.id, { type: 'private', time: now, from: nick, to: remote.nick, text });
    this.publish(out, { type: 'private', hub: '', time: now, from: nick, to: remote.nick, text });
  }

  /**
   * The nickname the client may have now, or undefined when a federated hub must first ask
   * the other hubs (a `claim` is in `out` and the client's lines wait).
   */
  protected claimNick(client: Client, candidate: string, out: ChatDelivery[]): string | undefined {
    const nick = validateNick(candidate, this.options.maxNickLength);
    const key = nameKey(nick);
    const holder = this.nicks.get(key);
    if (holder !== undefined && holder !== client.id) throw new ChatNickTakenError(nick);
    if (this.options.federated && holder === undefined) {
      if (this.remoteUsers.get(key) || this.claims.has(key)) throw new ChatNickTakenError(nick);
      this.claims.set(key, client.id);
      client.pending = { nick, lines: [] };
      out.push({ type: 'claim', to: client.id, nick });
      return undefined;
    }
    this.takeNick(client, nick);
    return nick;
  }

  protected help(out: ChatDelivery[], to: ClientId): void {
    for (const text of HELP) send(out, to, { type: 'info', text });
  }

  protected changeNick(
    client: Client,
    old: string,
    candidate: string,
    now: number,
    out: ChatDelivery[],
  ): void {
    if (candidate === old) {
      send(out, client.id, { type: 'info', text: `you are already ${old}` });
      return;
    }
    const nick = this.claimNick(client, candidate, out);
    if (nick !== undefined) this.renamed(client, old, nick, now, out);
  }
}
