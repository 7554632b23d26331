/**
 * Runs one service on any number of endpoints (TCP, UDP, Unix; IPv4 and IPv6): the one
 * runtime every netkit server stands on. startService() resolves once every endpoint
 * listens, or rejects with a ListenError (and closes what it had opened).
 */
import { lookup } from 'node:dns/promises';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { type Endpoint, formatEndpoint, formatHostPort, parseEndpoint } from '../core/endpoint.js';
import { LocalError } from '../core/errors.js';
import { type Limits, resolveLimits } from '../core/limits.js';
import { DatagramListener } from './datagram-listener.js';
import { TooManyConnectionsError, TooManyFromAddressError } from './errors.js';
import { toListenError } from './listen-error.js';
import { type Logger, silentLogger } from './logger.js';
import type { ServiceDefinition } from './service.js';
import { defaultFormatError, type ServiceContext } from './service-context.js';
import { emptyStats, type ServiceStats } from './stats.js';
import { StreamConnection } from './stream-connection.js';
import { prepareUnixSocketPath, removeUnixSocketFile } from './unix-socket-file.js';

export interface StartServiceOptions {
  /** Endpoint URLs or parsed endpoints; default: the service's defaultListen. */
  listen?: (string | Endpoint)[];
  /** Overrides over the service's own defaults and DEFAULT_LIMITS. */
  limits?: Partial<Limits>;
  logger?: Logger;
}

export interface RunningService {
  readonly service: ServiceDefinition;
  /** The endpoints actually listened on (port 0 replaced by the port the OS chose). */
  readonly endpoints: string[];
  readonly limits: Limits;
  stats(): ServiceStats;
  /** The service's own counters (ServiceDefinition.stats), if it keeps any. */
  serviceStats(): Record<string, number>;
  /**
   * Graceful shutdown: stop accepting, let requests in flight finish and replies flush for
   * up to `graceMs`, then drop what is left. Resolves when everything is closed.
   */
  close(graceMs?: number): Promise<void>;
}

let nextConnectionId = 1;

export async function startService(
  service: ServiceDefinition,
  options: StartServiceOptions = {},
): Promise<RunningService> {
  const limits = resolveLimits(service.limits, options.limits);
  const logger = (options.logger ?? silentLogger()).child({ service: service.name });
  const stats = emptyStats();
  const connections = new Set<StreamConnection>();
  /** Open connections per peer address, for maxConnectionsPerAddress. */
  const perAddress = new Map<string, number>();
  let allClosed: (() => void) | undefined;
  const context: ServiceContext = {
    service,
    limits,
    logger,
    stats,
    formatError: service.formatError ?? defaultFormatError,
    connectionClosed(connection) {
      connections.delete(connection);
      const address = connection.info.address;
      if (address !== undefined) {
        const count = (perAddress.get(address) ?? 1) - 1;
        if (count <= 0) perAddress.delete(address);
        else perAddress.set(address, count);
      }
      stats.connectionsOpen = connections.size;
      logger.debug({ conn: connection.info.id }, 'connection closed');
      if (connections.size === 0) allClosed?.();
    },
  };

  const servers: { server: Server | ReturnType<typeof createHttpServer>; unixPath?: string }[] = [];
  const datagrams: DatagramListener[] = [];
  const endpoints: string[] = [];
  const allow = service.http ? (['tcp', 'udp', 'unix', 'http'] as const) : undefined;
  const requested = (options.listen ?? service.defaultListen).map((e) =>
    typeof e === 'string' ? parseEndpoint(e, { allow }) : e,
  );

  const refuse = (socket: Socket, error: TooManyConnectionsError | TooManyFromAddressError) => {
    stats.connectionsRefused++;
    logger.warn({ remote: socket.remoteAddress, code: error.code }, `connection refused: ${error.message}`);
    socket.on('error', () => {});
    socket.end(context.formatError(error));
    socket.setTimeout(2_000, () => socket.destroy());
  };

  const accept = (socket: Socket, local: string, transport: 'tcp' | 'unix') => {
    stats.connectionsTotal++;
    if (connections.size >= limits.maxConnections) {
      refuse(socket, new TooManyConnectionsError(limits.maxConnections));
      return;
    }
    const address = transport === 'tcp' ? socket.remoteAddress : undefined;
    if (address !== undefined && limits.maxConnectionsPerAddress > 0) {
      const count = perAddress.get(address) ?? 0;
      if (count >= limits.maxConnectionsPerAddress) {
        refuse(socket, new TooManyFromAddressError(limits.maxConnectionsPerAddress));
        return;
      }
      perAddress.set(address, count + 1);
    }
    const remote =
      transport === 'unix' ? local : formatHostPort(socket.remoteAddress ?? '?', socket.remotePort ?? 0);
    const connection = new StreamConnection(
      socket,
      { id: nextConnectionId++, transport, remote, local, address },
      context,
    );
    connections.add(connection);
    stats.connectionsOpen = connections.size;
    logger.debug({ conn: connection.info.id, remote, local }, 'connection opened');
    connection.start();
  };

  // Stops every listener at once; resolves when their open connections are gone too.
  const closeAll = () =>
    Promise.all([
      ...servers.map(
        ({ server, unixPath }) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            // An http server's keep-alive connections would hold close() open.
            if ('closeIdleConnections' in server) server.closeIdleConnections();
            if (unixPath) void removeUnixSocketFile(unixPath);
          }),
      ),
      ...datagrams.map((datagram) => datagram.close()),
    ]);

  try {
    await service.start?.({ logger, limits });
    for (const endpoint of requested) {
      const text = formatEndpoint(endpoint);
      if (endpoint.transport === 'udp') {
        if (!service.datagram)
          throw new LocalError('NK_TRANSPORT_UNSUPPORTED', `${service.name} does not serve UDP (${text})`);
        const address = await resolveHost(endpoint.host, endpoint.family, text);
        const listener = new DatagramListener(service.datagram, context, address);
        datagrams.push(listener);
        endpoints.push(await listener.listen(endpoint.port, text));
        continue;
      }
      if (endpoint.transport === 'http') {
        const http = service.http;
        if (!http)
          throw new LocalError('NK_TRANSPORT_UNSUPPORTED', `${service.name} does not serve http (${text})`);
        const address = await resolveHost(endpoint.host, endpoint.family, text);
        const server = createHttpServer((request, response) => http.request(request, response));
        server.maxConnections = limits.maxConnections;
        server.on('upgrade', (request, socket, head) => {
          if (http.upgrade) http.upgrade(request, socket, head);
          else socket.destroy();
        });
        await listenServer(server, { host: address.address, port: endpoint.port }, text, logger);
        servers.push({ server });
        const bound = server.address();
        const port = typeof bound === 'object' && bound ? bound.port : endpoint.port;
        endpoints.push(`http://${formatHostPort(address.address, port)}`);
        continue;
      }
      if (endpoint.transport !== 'tcp' && endpoint.transport !== 'unix') {
        throw new LocalError('NK_TRANSPORT_UNSUPPORTED', `${service.name} cannot listen on ${text}`);
      }
      if (!service.stream)
        throw new LocalError('NK_TRANSPORT_UNSUPPORTED', `${service.name} does not serve streams (${text})`);
      const transport = endpoint.transport;
      // allowHalfOpen: a client that sends its request and then its FIN (nc -N) still gets the reply.
      const server = createServer({ allowHalfOpen: true, pauseOnConnect: false });
      if (endpoint.transport === 'unix') {
        await prepareUnixSocketPath(endpoint.path, text);
        await listenServer(server, { path: endpoint.path }, text, logger);
        servers.push({ server, unixPath: endpoint.path });
        endpoints.push(text);
        server.on('connection', (socket) => accept(socket, text, transport));
      } else {
        const address = await resolveHost(endpoint.host, endpoint.family, text);
        await listenServer(server, { host: address.address, port: endpoint.port }, text, logger);
        servers.push({ server });
        const bound = server.address();
        const port = typeof bound === 'object' && bound ? bound.port : endpoint.port;
        const local = `tcp://${formatHostPort(address.address, port)}`;
        endpoints.push(local);
        server.on('connection', (socket) => accept(socket, local, transport));
      }
    }
  } catch (error) {
    await closeAll();
    await service.stop?.();
    throw error;
  }
  logger.info({ endpoints }, 'listening');

  let closing: Promise<void> | undefined;
  return {
    service,
    endpoints,
    limits,
    stats: () => ({ ...stats }),
    serviceStats: () => service.stats?.() ?? {},
    close(graceMs = limits.shutdownGraceMs) {
      closing ??= (async () => {
        logger.info({ open: connections.size }, 'shutting down');
        const stopped = closeAll();
        const drained = new Promise<void>((resolve) => {
          allClosed = resolve;
          if (connections.size === 0) resolve();
        });
        for (const connection of connections) connection.shutdown();
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<'deadline'>((resolve) => {
          timer = setTimeout(() => resolve('deadline'), graceMs);
        });
        if ((await Promise.race([drained, deadline])) === 'deadline') {
          logger.warn({ open: connections.size }, 'shutdown deadline passed; dropping connections');
          for (const connection of connections) connection.destroy();
        }
        clearTimeout(timer);
        // The service closes what it holds itself (WebSockets, timers, backends) ...
        await service.stop?.();
        // ... and whatever an http server still has open is dropped.
        for (const { server } of servers) if ('closeAllConnections' in server) server.closeAllConnections();
        await stopped;
        logger.info('stopped');
      })();
      return closing;
    },
  };
}

function listenServer(
  server: Server,
  options: { host?: string; port?: number; path?: string },
  text: string,
  logger: Logger,
) {
  return new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(toListenError(error, text));
    server.once('error', onError);
    server.listen({ ...options, backlog: 511 }, () => {
      server.off('error', onError);
      // After listening, an error (EMFILE on accept, say) is logged; it must not crash the process.
      server.on('error', (error) => logger.error({ err: error, endpoint: text }, 'listener error'));
      resolve();
    });
  });
}

async function resolveHost(
  host: string,
  family: 0 | 4 | 6,
  text: string,
): Promise<{ address: string; family: 4 | 6 }> {
  if (family !== 0) return { address: host, family };
  try {
    const result = await lookup(host);
    return { address: result.address, family: result.family === 6 ? 6 : 4 };
  } catch (error) {
    throw toListenError(error, text);
  }
}
