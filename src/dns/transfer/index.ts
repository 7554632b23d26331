/**
 * Zone replication's pure cores (issue 9): RFC 1982 serials, zone deltas, the IXFR journal,
 * IXFR responses, and the reader of AXFR/IXFR responses.
 */
export * from './diff.js';
export * from './errors.js';
export * from './ixfr.js';
export * from './journal.js';
export * from './reader.js';
export * from './serial.js';
