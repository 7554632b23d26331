/**
 * The chat's pure parts: the hub, the router with the slow-reader rule, the UDP peer table
 * and the federation messages. The classes live in protocol/ so that the purity lint and
 * test/architecture/pure-cores.test.ts cover them; this module is their public face.
 */
export { DatagramPeers } from './protocol/datagram-peers.js';
export { CHAT_DEFAULTS, type ChatOptions } from './protocol/defaults.js';
export { type ChatEvent, clockTime, formatLine } from './protocol/events.js';
export type { FederationDelivery, FederationMessage } from './protocol/federation.js';
export { type ChatDelivery, ChatHub, type ClientId } from './protocol/hub.js';
export { validateNick, validateRoom } from './protocol/names.js';
export { ChatRouter, type ChatRouterOptions, type ChatSink } from './protocol/router.js';
export { sanitizeText } from './protocol/sanitize.js';
