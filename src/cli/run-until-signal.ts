/**
 * Keeps servers running until SIGINT or SIGTERM, then shuts them down gracefully (stop
 * accepting, let requests in flight finish within the grace period) and exits 0.
 * A second signal during shutdown exits at once with 130.
 */
import type { Logger } from '../runtime/logger.js';
import type { RunningService } from '../runtime/run-service.js';

export function runUntilSignal(services: RunningService[], logger: Logger, graceMs?: number): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        logger.warn({ signal }, 'second signal: exiting now');
        process.exit(130);
      }
      stopping = true;
      logger.info({ signal }, 'shutting down');
      void Promise.all(services.map((service) => service.close(graceMs))).then(() => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
