/**
 * netkit/dns: the DNS codec (pure, no I/O): names, records of every supported type both ways
 * between wire and text, messages with compression and EDNS(0).
 */
import './rdata/all.js';

export * from './authority/answer.js';
export * from './constants.js';
export * from './edns.js';
export * from './errors.js';
export { explainMessage } from './explain.js';
export * from './message.js';
export * from './message-text.js';
export * from './name.js';
export * from './rdata/registry.js';
export type * from './rdata/types.js';
export * from './record.js';
export * from './text.js';
export * from './tsig.js';
export { WireReader, WireWriter } from './wire.js';
export * from './zone/check.js';
export * from './zone/errors.js';
export * from './zone/format.js';
export { expandTemplate, parseRange, parseTemplate } from './zone/generate.js';
export * from './zone/parse.js';
export * from './zone/zone.js';
