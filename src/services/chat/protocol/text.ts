/** Small helpers the hub's files share (sans I/O). */
import type { ChatError } from '../errors.js';
import { type ChatEvent, formatLine } from './events.js';
import type { ChatDelivery, ClientId } from './hub.js';

/** UTF-8 length of a JS string, without encoding it. */
export function utf8Length(text: string): number {
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

// A message to a room is one event sent to every member: its line is made once, not once
// per member (a one-entry memo; the event objects are never changed after they are made).
let lastEvent: ChatEvent | undefined;
let lastLine = '';

export function send(out: ChatDelivery[], to: ClientId, event: ChatEvent): void {
  if (event !== lastEvent) {
    lastEvent = event;
    lastLine = formatLine(event);
  }
  out.push({ type: 'send', to, event, line: lastLine });
}

export function sendError(out: ChatDelivery[], to: ClientId, error: ChatError): void {
  send(out, to, { type: 'error', code: error.code, message: error.message });
}

/** Sorts names as the hub lists them: case-insensitively. */
export function byKey(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}
