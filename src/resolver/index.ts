/**
 * netkit/resolver: DNS queries over the network, on the netkit/dns codec: `query` (one
 * question to one server, UDP or TCP), `resolve` and `resolveReverse` (the system's settings,
 * search list, CNAMEs, typed errors), `axfr` (zone transfer, streamed), `openDnsTcp`
 * (several queries on one connection).
 */
export { type AxfrOptions, axfr } from './axfr.js';
export * from './errors.js';
export { repliesTo } from './match.js';
export { buildQuery, exchange, QUERY_DEFAULTS, type QueryOptions, type QueryResult, query } from './query.js';
export {
  type Answer,
  type ResolveOptions,
  resolve,
  resolveReverse,
  searchCandidates,
  systemResolverConfig,
} from './resolve.js';
export { type DnsTcpConnection, type DnsTcpReply, openDnsTcp } from './tcp.js';
export { type ZoneTransferOptions, zoneTransfer } from './transfer.js';
