/** The chat hub: its pure core and errors (GitHub issue 6; transports not wired yet). */
export * from './errors.js';
export * from './hub.js';
