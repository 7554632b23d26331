/**
 * Errors of the chat's WebSocket transport. Like the hub's (../errors.ts), each has a stable
 * code (docs/errors.md) and is answered to the sender only, here as a JSON `error` event;
 * messages never quote the peer's input.
 */
import { ChatError } from '../errors.js';

/**
 * A WebSocket message that is not `{"type":"line","text":"..."}`: a binary frame, text that
 * is not JSON, or JSON of another shape. `reason` says which.
 */
export class ChatBadMessageError extends ChatError {
  constructor(reason: string) {
    super('NK_CHAT_BAD_MESSAGE', `${reason}; send {"type":"line","text":"..."}`, { reason });
  }
}
