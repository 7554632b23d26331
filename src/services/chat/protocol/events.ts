/**
 * What the hub delivers, in two forms (sans I/O):
 * - `event`: structured, for a transport that sends JSON (a later WebSocket transport sends
 *   `JSON.stringify(event)`); every string in it is already validated or sanitised;
 * - `line`: the same event as one text line for TCP/UDP clients, without its line end (the
 *   transport appends `\n` or `\r\n`), made by `formatLine(event)`.
 *
 * Line formats (`HH:MM` is the UTC time of `now` when the hub handled the line):
 *   [HH:MM] #room <nick> text               a message to a room (the sender gets it too)
 *   [HH:MM] #room * nick text               /me
 *   [HH:MM] *private* <nick> -> target: text  /msg, to the target and as an echo to the sender
 *   [HH:MM] #room -- nick joined            notices
 *   [HH:MM] #room -- nick left
 *   [HH:MM] #room -- nick quit
 *   [HH:MM] -- old is now known as new      to the client and everyone sharing a room with it
 *   -- you are NICK                         the nickname was accepted
 *   -- rooms: #lobby (3), #x (1)            /rooms
 *   -- #lobby (2): alice, bob               /who
 *   -- text                                 information from the hub (greeting, /help, history header)
 *   error CODE: message                     to the sender only
 * History replayed on joining uses the message formats with the time each was sent.
 */

export type ChatEvent =
  | { type: 'info'; text: string }
  /** The nickname was accepted: the client is now `nick` (sent once, when it first gets one). */
  | { type: 'you'; nick: string }
  /** The answer to /rooms: every room, sorted, with its member count. */
  | { type: 'rooms'; rooms: { name: string; members: number }[] }
  /** The answer to /who: a room's members, sorted. */
  | { type: 'who'; room: string; nicks: string[] }
  | { type: 'error'; code: string; message: string }
  | { type: 'message'; time: number; room: string; from: string; text: string }
  | { type: 'action'; time: number; room: string; from: string; text: string }
  | { type: 'private'; time: number; from: string; to: string; text: string }
  | { type: 'join'; time: number; room: string; nick: string }
  | { type: 'part'; time: number; room: string; nick: string; quit: boolean }
  | { type: 'nick'; time: number; from: string; to: string };

/** `HH:MM` in UTC for `ms` since the epoch (00:00 for a non-finite time). */
export function clockTime(ms: number): string {
  const minutes = Number.isFinite(ms) ? Math.floor(ms / 60_000) : 0;
  const ofDay = ((minutes % 1440) + 1440) % 1440;
  const hh = Math.floor(ofDay / 60);
  const mm = ofDay % 60;
  return `${hh < 10 ? '0' : ''}${hh}:${mm < 10 ? '0' : ''}${mm}`;
}

export function formatLine(event: ChatEvent): string {
  switch (event.type) {
    case 'info':
      return `-- ${event.text}`;
    case 'you':
      return `-- you are ${event.nick}`;
    case 'rooms':
      return `-- rooms: ${event.rooms.map((room) => `${room.name} (${room.members})`).join(', ')}`;
    case 'who':
      return `-- ${event.room} (${event.nicks.length}): ${event.nicks.join(', ')}`;
    case 'error':
      return `error ${event.code}: ${event.message}`;
    case 'message':
      return `[${clockTime(event.time)}] ${event.room} <${event.from}> ${event.text}`;
    case 'action':
      return `[${clockTime(event.time)}] ${event.room} * ${event.from} ${event.text}`;
    case 'private':
      return `[${clockTime(event.time)}] *private* <${event.from}> -> ${event.to}: ${event.text}`;
    case 'join':
      return `[${clockTime(event.time)}] ${event.room} -- ${event.nick} joined`;
    case 'part':
      return `[${clockTime(event.time)}] ${event.room} -- ${event.nick} ${event.quit ? 'quit' : 'left'}`;
    case 'nick':
      return `[${clockTime(event.time)}] -- ${event.from} is now known as ${event.to}`;
  }
}
