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
 *
 * Federation (option `federated`, protocol/federation.ts): hubs share rooms. The hub then
 * also emits `publish` (what other hubs must learn), `claim` (a nickname to confirm with the
 * other hubs; the client's lines wait, up to MAX_PENDING_LINES, until `claimResult`) and
 * `release` (a nickname is free); `remote` applies what other hubs published (protocol/
 * remote.ts keeps their users), `remoteHubGone` makes a vanished hub's users quit. Flood
 * control, sanitising and limits stay with the hub a client is connected to.
 *
 * The class is built in three files: hub-state.ts (the state and its changes), hub-lines.ts
 * (reading a client's lines and commands) and this one (the methods a transport calls).
 */
import {
  ChatLineTooLongError,
  ChatNickLostError,
  ChatNickPendingError,
  ChatNickTakenError,
} from '../errors.js';
import type { ChatEvent } from './events.js';
import type { FederationDelivery, FederationMessage } from './federation.js';
import { HubLines } from './hub-lines.js';
import type { Client } from './hub-state.js';
import { nameKey } from './names.js';
import { sanitizeText } from './sanitize.js';
import { send, sendError, utf8Length } from './text.js';

export type { FederationDelivery, FederationMessage } from './federation.js';

/** However the transport names a client (a connection id, `host:port` for UDP...). */
export type ClientId = string | number;

/** What the transport is to do, in order. */
export type ChatDelivery =
  | { type: 'send'; to: ClientId; event: ChatEvent; line: string }
  /** Close this client's connection once what was sent to it so far is flushed. */
  | { type: 'close'; to: ClientId }
  /** Only from a federated hub. */
  | FederationDelivery;

/** Lines a client may send while its nickname claim is pending; more are refused. */
export const MAX_PENDING_LINES = 32;

const DECODER = new TextDecoder('utf-8');

export class ChatHub extends HubLines {
  /** Clients connected (with or without a nickname). */
  get clientCount(): number {
    return this.clients.size;
  }

  nickOf(clientId: ClientId): string | undefined {
    return this.clients.get(clientId)?.nick;
  }

  /** Room names, sorted, with their member counts (members on other hubs included). */
  roomList(): { name: string; members: number }[] {
    return this.rooms.list();
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
      pending: undefined,
      finishing: false,
    });
    const out: ChatDelivery[] = [];
    send(out, clientId, { type: 'info', text: 'welcome to netkit chat; type /help for the commands' });
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
      sendError(out, clientId, new ChatLineTooLongError(this.options.maxLineBytes));
      return out;
    }
    let text = typeof line === 'string' ? line : DECODER.decode(line);
    if (text.endsWith('\r')) text = text.slice(0, -1);
    text = sanitizeText(text);
    if (client.pending) {
      if (client.pending.lines.length < MAX_PENDING_LINES) client.pending.lines.push(text);
      else sendError(out, clientId, new ChatNickPendingError(MAX_PENDING_LINES));
      return out;
    }
    this.handle(client, text, now, out);
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
      sendError(out, clientId, new ChatLineTooLongError(this.options.maxLineBytes));
    return out;
  }

  /**
   * The client will send no more lines (a TCP peer's FIN, as `printf 'alice\nhello\n' | nc`
   * sends): once every line it sent is handled, a `close` for it (and it leaves, as with
   * `disconnect`). That is at once, unless a nickname claim is pending: then after
   * `claimResult`, so that the lines waiting for the claim are not lost.
   */
  finish(clientId: ClientId, now: number): ChatDelivery[] {
    const client = this.clients.get(clientId);
    const out: ChatDelivery[] = [];
    if (!client) return out;
    if (client.pending) client.finishing = true;
    else this.closeNow(client, now, out);
    return out;
  }

  /** The client is gone: its rooms are told it quit and its nickname is free. Idempotent. */
  disconnect(clientId: ClientId, now: number): ChatDelivery[] {
    const out: ChatDelivery[] = [];
    this.remove(clientId, now, out);
    return out;
  }

  // --- federation (see protocol/federation.ts) ------------------------------------------

  /**
   * The answer to a `claim`: the client gets the nickname (or an NK_CHAT_NICK_TAKEN error),
   * then the lines it sent meanwhile are handled. A stale answer (the client left, or claims
   * something else now) is ignored.
   */
  claimResult(clientId: ClientId, nick: string, granted: boolean, now: number): ChatDelivery[] {
    const client = this.clients.get(clientId);
    const out: ChatDelivery[] = [];
    if (!client?.pending || client.pending.nick !== nick) return out;
    const { lines } = client.pending;
    client.pending = undefined;
    this.claims.delete(nameKey(nick));
    if (granted) {
      const old = client.nick;
      this.takeNick(client, nick);
      if (old === undefined) this.welcome(client, nick, now, out);
      else {
        this.renamed(client, old, nick, now, out);
        out.push({ type: 'release', nick: old });
      }
    } else {
      sendError(out, clientId, new ChatNickTakenError(nick));
      if (client.nick === undefined) this.askNick(out, clientId);
    }
    for (let i = 0; i < lines.length; i++) {
      if (!this.clients.has(clientId)) break;
      // A line handled below may have made a new claim: the rest waits for that one.
      const pending = client.pending as Client['pending'];
      if (pending) {
        pending.lines.push(...lines.slice(i));
        break;
      }
      this.handle(client, lines[i]!, now, out);
    }
    if (client.finishing && !client.pending && this.clients.has(clientId)) this.closeNow(client, now, out);
    return out;
  }

  /** An event published by another hub (re-validated: a malformed one is dropped and counted). */
  remote(message: FederationMessage, now: number): ChatDelivery[] {
    const out: ChatDelivery[] = [];
    this.remoteUsers.apply(message, now, out);
    return out;
  }

  /** A hub vanished (no heartbeat, or cut off from it): its users quit every room. */
  remoteHubGone(hubId: string, now: number): ChatDelivery[] {
    const out: ChatDelivery[] = [];
    this.remoteUsers.hubGone(hubId, now, out);
    return out;
  }

  /**
   * Another hub holds `nick` for good (settled after an outage): the local client holding it
   * is told NK_CHAT_NICK_LOST and closed.
   */
  nickLost(nick: string, now: number): ChatDelivery[] {
    const out: ChatDelivery[] = [];
    const id = this.nicks.get(nameKey(nick));
    if (id === undefined) return out;
    sendError(out, id, new ChatNickLostError(this.clients.get(id)!.nick!));
    out.push({ type: 'close', to: id });
    this.remove(id, now, out);
    return out;
  }

  /** Nicknames held on this hub. */
  localNicks(): string[] {
    return [...this.nicks.values()].map((id) => this.clients.get(id)!.nick!);
  }

  /** Ids of the other hubs that have users, as this hub knows them. */
  remoteHubs(): string[] {
    return this.remoteUsers.hubs();
  }

  private closeNow(client: Client, now: number, out: ChatDelivery[]): void {
    out.push({ type: 'close', to: client.id });
    this.remove(client.id, now, out);
  }

  /** Remote messages dropped as malformed since the start. */
  get remoteDropped(): number {
    return this.remoteUsers.dropped;
  }
}
