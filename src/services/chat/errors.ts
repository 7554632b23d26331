/**
 * The chat hub's errors. Each has a stable `code` (docs/errors.md) and carries its wire
 * `reply`, an `error CODE: message` line (the runtime's own error form). The hub does not
 * throw them at a peer: it turns them into `error` events delivered to the sender only
 * (protocol/events.ts). Messages never quote a peer's raw input; what they quote is
 * either validated (a nickname, a room name) or sanitised (protocol/sanitize.ts).
 */
import { LocalError, RemoteError } from '../../core/errors.js';

/** A peer's bad chat input, answered to that peer only. */
export class ChatError extends RemoteError {
  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(code, message, { details, reply: `error ${code}: ${message}` });
  }
}

/** The nickname is held by another client (compared case-insensitively). */
export class ChatNickTakenError extends ChatError {
  constructor(nick: string) {
    super('NK_CHAT_NICK_TAKEN', `the nickname ${nick} is taken; choose another`, { nick });
  }
}

/** The nickname breaks the rules (length, characters); `reason` says which. */
export class ChatNickInvalidError extends ChatError {
  constructor(reason: string) {
    super('NK_CHAT_NICK_INVALID', `invalid nickname: ${reason}`, { reason });
  }
}

/** A line over the hub's `maxLineBytes`: not relayed. */
export class ChatLineTooLongError extends ChatError {
  constructor(limit: number) {
    super('NK_CHAT_LINE_TOO_LONG', `line longer than ${limit} bytes; it was not sent`, { limit });
  }
}

/** Over the per-user message rate: a warning first, then the client is disconnected. */
export class ChatFloodError extends ChatError {
  constructor(rate: number, disconnect: boolean) {
    super(
      'NK_CHAT_FLOOD',
      disconnect
        ? `still sending more than ${rate} messages a second: disconnected`
        : `more than ${rate} messages a second: slow down or you will be disconnected (line dropped)`,
      { rate, disconnect },
    );
  }
}

/** A `/command` the hub does not know. */
export class ChatUnknownCommandError extends ChatError {
  constructor(command: string) {
    super('NK_CHAT_UNKNOWN_COMMAND', `unknown command ${command}; type /help for the commands`, {
      command,
    });
  }
}

/** `/msg` to a nickname nobody holds. */
export class ChatNoSuchNickError extends ChatError {
  constructor(nick: string) {
    super('NK_CHAT_NO_SUCH_NICK', `nobody is called ${nick}`, { nick });
  }
}

/** A room name that breaks the rules (`#` and 1 to 32 letters, digits, `_` or `-`). */
export class ChatBadRoomError extends ChatError {
  constructor(reason: string) {
    super('NK_CHAT_BAD_ROOM', `invalid room name: ${reason}`, { reason });
  }
}

/** `/who #room` for a room that does not exist (nobody is in it). */
export class ChatNoSuchRoomError extends ChatError {
  constructor(room: string) {
    super('NK_CHAT_NO_SUCH_ROOM', `there is no room ${room}`, { room });
  }
}

/** A message, `/me`, `/part` or `/who` that needs a room the client is not in. */
export class ChatNotInRoomError extends ChatError {
  constructor(room: string | undefined) {
    super(
      'NK_CHAT_NOT_IN_ROOM',
      room === undefined
        ? 'you are not in a room; type /join #name'
        : `you are not in ${room}; type /join ${room}`,
      room === undefined ? {} : { room },
    );
  }
}

/** A known command with missing or extra arguments; the message gives its usage. */
export class ChatBadArgumentsError extends ChatError {
  constructor(usage: string) {
    super('NK_CHAT_BAD_ARGUMENTS', `usage: ${usage}`, { usage });
  }
}

/** A command other than /nick, /help or /quit before the client has a nickname. */
export class ChatNoNickError extends ChatError {
  constructor() {
    super('NK_CHAT_NO_NICK', 'choose a nickname first: type it, or /nick NAME');
  }
}

/** Lines sent while the hub asks the other hubs about a nickname, beyond what it keeps. */
export class ChatNickPendingError extends ChatError {
  constructor(limit: number) {
    super(
      'NK_CHAT_NICK_PENDING',
      `more than ${limit} lines while your nickname is being confirmed; line dropped`,
      { limit },
    );
  }
}

/**
 * Hubs that were cut off from each other (Redis down) both gave out one nickname; on
 * reconnecting, the hub that lost it disconnects its client with this error.
 */
export class ChatNickLostError extends ChatError {
  constructor(nick: string) {
    super(
      'NK_CHAT_NICK_LOST',
      `the nickname ${nick} was given out on another hub while this one was cut off; reconnect with another`,
      { nick },
    );
  }
}

/** An invalid hub option (library). */
export class ChatBadOptionError extends LocalError {
  constructor(name: string, value: unknown, rule: string) {
    super('NK_CHAT_BAD_OPTION', `${name} must be ${rule}, not ${String(value)}`, {
      details: { name, value },
    });
  }
}
