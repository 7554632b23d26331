/**
 * Nickname and room-name rules (sans I/O).
 *
 * A nickname is 1 to `maxNickLength` (default 16) ASCII characters: a letter first, then
 * letters, digits, `_` or `-`. Nicknames are unique compared case-insensitively (`Alice`
 * and `alice` are the same person) and shown as their owner typed them.
 * A room name is `#` and 1 to 32 ASCII letters, digits, `_` or `-`, compared
 * case-insensitively and shown as whoever created the room typed it.
 */
import { ChatBadRoomError, ChatNickInvalidError } from '../errors.js';
import { ROOM_PATTERN } from './defaults.js';

const NICK_PATTERN = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** Throws ChatNickInvalidError, with a reason that never quotes the input, or returns the nickname. */
export function validateNick(nick: string, maxLength: number): string {
  if (nick.length === 0) throw new ChatNickInvalidError('it is empty');
  if (nick.length > maxLength) throw new ChatNickInvalidError(`it is longer than ${maxLength} characters`);
  if (!/^[A-Za-z]/.test(nick)) throw new ChatNickInvalidError('it must start with a letter (A-Z, a-z)');
  if (!NICK_PATTERN.test(nick))
    throw new ChatNickInvalidError('only letters (A-Z, a-z), digits, _ and - are allowed');
  return nick;
}

/** Throws ChatBadRoomError, with a reason that never quotes the input, or returns the room name. */
export function validateRoom(room: string): string {
  if (!room.startsWith('#')) throw new ChatBadRoomError('a room name starts with #, as in #lobby');
  if (!ROOM_PATTERN.test(room))
    throw new ChatBadRoomError('# then 1 to 32 letters (A-Z, a-z), digits, _ or - are allowed');
  return room;
}

/** The key nicknames and rooms are compared by. */
export function nameKey(name: string): string {
  return name.toLowerCase();
}
