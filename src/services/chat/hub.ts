/**
 * The chat hub (GitHub issue 6): pure, with `now` passed in. The class lives in
 * protocol/hub.ts so that the purity lint and test/architecture/pure-cores.test.ts cover it;
 * this module is its public face.
 */
export { CHAT_DEFAULTS, type ChatOptions } from './protocol/defaults.js';
export { type ChatEvent, clockTime, formatLine } from './protocol/events.js';
export { type ChatDelivery, ChatHub, type ClientId } from './protocol/hub.js';
export { validateNick, validateRoom } from './protocol/names.js';
export { sanitizeText } from './protocol/sanitize.js';
