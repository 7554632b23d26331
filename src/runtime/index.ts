export { wallClockMs } from './clock.js';
export { IdleTimeoutError, InternalError, TooManyConnectionsError } from './errors.js';
export { ListenError } from './listen-error.js';
export { createLogger, LOG_LEVELS, type Logger, silentLogger } from './logger.js';
export { type RunningService, type StartServiceOptions, startService } from './run-service.js';
export type * from './service.js';
export { defaultFormatError } from './service-context.js';
export type { ServiceStats } from './stats.js';
