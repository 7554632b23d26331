/**
 * netkit/chat: the chat hub and its pieces, to embed or to serve.
 * - the pure core (hub.ts): ChatHub, ChatRouter, formatLine, ...;
 * - createChatService: the hub as a runtime service (TCP, Unix, UDP, http + WebSocket),
 *   for startService from netkit/runtime;
 * - startFederation: several hubs sharing rooms through Redis.
 */
export * from './errors.js';
export { type Federation, type FederationOptions, startFederation } from './federation/index.js';
export * from './hub.js';
export { CHAT_LIMITS, CHAT_SERVICE_DEFAULTS, type ChatServiceOptions, createChatService } from './service.js';
