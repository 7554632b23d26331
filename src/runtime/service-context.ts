/** What every listener and connection of one running service shares. */
import type { NetkitError } from '../core/errors.js';
import type { Limits } from '../core/limits.js';
import type { Logger } from './logger.js';
import type { Payload, ServiceDefinition } from './service.js';
import type { ServiceStats } from './stats.js';
import type { StreamConnection } from './stream-connection.js';

export interface ServiceContext {
  readonly service: ServiceDefinition;
  readonly limits: Limits;
  readonly logger: Logger;
  readonly stats: ServiceStats;
  formatError(error: NetkitError): Payload;
  connectionClosed(connection: StreamConnection): void;
}

export function defaultFormatError(error: NetkitError): string {
  return `error ${error.code}: ${error.message}\n`;
}
