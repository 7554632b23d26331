/** The calculator service's public API: the pure core, its errors and the wire helpers. */
export * from './errors.js';
export * from './protocol.js';
