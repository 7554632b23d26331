/**
 * netkit/lookup: the socket module's lookup functions with Python's semantics, typed and
 * promise-based, plus the pure parsers they are built on.
 */
export { bundledServices } from './bundled-services.js';
export * from './errors.js';
export type { HostLookupOptions } from './host-config.js';
export { DEFAULT_PATHS } from './host-config.js';
export type { HostEntry } from './host-sources.js';
export {
  checkHostName,
  getAllAddresses,
  getaddrinfo,
  gethostbyaddr,
  gethostbyname,
  gethostbynameEx,
} from './hosts.js';
export * from './hosts-file.js';
export * from './interfaces.js';
export { formatAddress, inetAton, parseAddress, reverseName } from './ip-text.js';
export * from './nsswitch.js';
export * from './resolver-config.js';
export * from './services.js';
export * from './services-file.js';
export type { AddressInfo, DnsClient, SystemResolver } from './system-resolver.js';
