/**
 * One parser for the endpoint URLs used everywhere in netkit (--listen, connect, clients):
 *   tcp://HOST:PORT   udp://HOST:PORT   unix:/path/to/socket
 * IPv6 literals go in brackets (tcp://[::1]:7). HOST may be a name; resolving it is the
 * runtime's job (this module is pure). Web endpoints (http://, ws://) share the same shape.
 */

import { EndpointError } from './errors.js';
import { ipFamily } from './ip.js';

export type InetTransport = 'tcp' | 'udp' | 'http' | 'ws';
export type Transport = InetTransport | 'unix';

export interface InetEndpoint {
  transport: InetTransport;
  /** Host as written, without brackets: a name, an IPv4 or an IPv6 literal. */
  host: string;
  port: number;
  /** 4 or 6 for an address literal, 0 for a name still to be resolved. */
  family: 0 | 4 | 6;
}

export interface UnixEndpoint {
  transport: 'unix';
  path: string;
}

export type Endpoint = InetEndpoint | UnixEndpoint;

export const ENDPOINT_FORMS = [
  'tcp://HOST:PORT',
  'udp://HOST:PORT',
  'unix:/path/to/socket',
  'tcp://[IPv6]:PORT',
] as const;

export interface ParseEndpointOptions {
  /** Used when the URL has no port. Without it, a port is required. */
  defaultPort?: number;
  /** Transports the caller accepts; others are an error. Default: tcp, udp, unix. */
  allow?: readonly Transport[];
}

const KNOWN: readonly Transport[] = ['tcp', 'udp', 'unix', 'http', 'ws'];
// RFC 1123 host names: letters, digits, hyphens, dots; a trailing dot allowed; underscores
// too, since service names such as _sip._udp appear in practice.
const HOSTNAME =
  /^(?=.{1,254}$)([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/;

function fail(text: string, why: string, allow: readonly Transport[]): never {
  const forms = ENDPOINT_FORMS.filter((form) => allow.some((t) => form.startsWith(t)));
  const extra = allow.filter((t) => t === 'http' || t === 'ws').map((t) => `${t}://HOST:PORT`);
  throw new EndpointError(
    `invalid endpoint ${JSON.stringify(text)}: ${why}; expected one of ${[...forms, ...extra].join(', ')}`,
    { details: { endpoint: text, reason: why } },
  );
}

export function parsePort(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port <= 65535 ? port : undefined;
}

export function parseEndpoint(text: string, options: ParseEndpointOptions = {}): Endpoint {
  const allow = options.allow ?? ['tcp', 'udp', 'unix'];
  const schemeMatch = /^([a-z]+):/i.exec(text);
  if (!schemeMatch) fail(text, 'missing scheme', allow);
  const scheme = schemeMatch[1]!.toLowerCase() as Transport;
  if (!KNOWN.includes(scheme) || !allow.includes(scheme)) fail(text, `unsupported scheme "${scheme}"`, allow);
  const rest = text.slice(schemeMatch[0].length);

  if (scheme === 'unix') {
    // unix:/abs/path, unix:relative/path and unix:///abs/path are all accepted.
    const path = rest.startsWith('//') ? rest.slice(2) : rest;
    if (path.length === 0) fail(text, 'empty socket path', allow);
    if (path.includes('\0')) fail(text, 'NUL byte in socket path', allow);
    // sockaddr_un.sun_path is 108 bytes on Linux, NUL included.
    if (Buffer.byteLength(path) > 107) fail(text, 'socket path longer than 107 bytes', allow);
    return { transport: 'unix', path };
  }

  if (!rest.startsWith('//')) fail(text, 'expected "//" after the scheme', allow);
  let authority = rest.slice(2);
  if (authority.endsWith('/')) authority = authority.slice(0, -1);
  if (authority.includes('/')) fail(text, 'unexpected path after host and port', allow);

  let host: string;
  let portText: string | undefined;
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    if (close < 0) fail(text, 'unclosed "[" in IPv6 address', allow);
    host = authority.slice(1, close);
    const after = authority.slice(close + 1);
    if (after.length > 0) {
      if (!after.startsWith(':')) fail(text, 'expected ":PORT" after "]"', allow);
      portText = after.slice(1);
    }
    if (ipFamily(host.split('%')[0]!) !== 6) fail(text, `"${host}" is not an IPv6 address`, allow);
  } else {
    const colons = authority.split(':').length - 1;
    if (colons > 1) fail(text, 'IPv6 addresses must be written in brackets, as [::1]', allow);
    const colon = authority.lastIndexOf(':');
    host = colon >= 0 ? authority.slice(0, colon) : authority;
    portText = colon >= 0 ? authority.slice(colon + 1) : undefined;
  }
  if (host.length === 0) fail(text, 'missing host', allow);

  let port: number;
  if (portText === undefined) {
    if (options.defaultPort === undefined) fail(text, 'missing port', allow);
    port = options.defaultPort;
  } else {
    const parsed = parsePort(portText);
    if (parsed === undefined) fail(text, `port "${portText}" is not a number from 0 to 65535`, allow);
    port = parsed;
  }

  const literal = ipFamily(host.split('%')[0]!);
  if (literal === 0 && !HOSTNAME.test(host))
    fail(text, `"${host}" is not a valid host name or address`, allow);
  return { transport: scheme, host, port, family: literal as 0 | 4 | 6 };
}

/** The canonical text of an endpoint; parseEndpoint(formatEndpoint(e)) equals e. */
export function formatEndpoint(endpoint: Endpoint): string {
  if (endpoint.transport === 'unix') return `unix:${endpoint.path}`;
  const host = endpoint.family === 6 ? `[${endpoint.host}]` : endpoint.host;
  return `${endpoint.transport}://${host}:${endpoint.port}`;
}

/** host:port as nc users write it, with IPv6 in brackets. */
export function formatHostPort(host: string, port: number): string {
  return ipFamily(host.split('%')[0]!) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * A one-line nc command that sends `request` to `endpointText` and prints the reply
 * (for `netkit start`'s table and the docs). Without a request: nc, interactive.
 */
export function ncCommandFor(endpointText: string, request?: string): string {
  const endpoint = parseEndpoint(endpointText);
  const target = endpoint.transport === 'unix' ? `-U ${endpoint.path}` : `${endpoint.host} ${endpoint.port}`;
  const udp = endpoint.transport === 'udp';
  if (request === undefined) return `nc ${udp ? '-u ' : ''}${target}`;
  const quoted = `'${request.replaceAll("'", "'\\''")}'`;
  return `echo ${quoted} | nc ${udp ? '-u -w1' : '-N'} ${target}`;
}
