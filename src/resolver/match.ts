/** Which reply answers which query (RFC 5452 §9.1: the ID and the question). */
import type { Message } from '../dns/message.js';

/** True when `reply` answers `query`: same ID and the same question. */
export function repliesTo(query: Message, reply: Message): boolean {
  if (reply.id !== query.id || !reply.flags.qr) return false;
  const asked = query.question[0];
  const answered = reply.question[0];
  // A reply may omit the question (some servers do for errors such as FORMERR, NOTIMP).
  if (!asked || !answered) return reply.question.length === 0;
  return answered.type === asked.type && answered.class === asked.class && answered.name.equals(asked.name);
}
