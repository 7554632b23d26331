export * from './endpoint.js';
export * from './errors.js';
export * from './ip.js';
export * from './limits.js';
export * from './line-framer.js';
export * from './rate-limiter.js';
