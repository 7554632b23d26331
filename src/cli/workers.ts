/**
 * `netkit serve NAME --workers N`: N processes (node:cluster) running the same service on
 * the same endpoints, for CPU-bound services such as dns. The runtime stays single-process:
 * each worker runs the service exactly as `netkit serve NAME` does, and cluster shares the
 * listeners (the primary owns each UDP socket and hands it to every worker; it accepts TCP
 * connections and deals them out round-robin).
 *
 * The primary prints the one `listening on` line once every worker listens, passes SIGINT
 * and SIGTERM on (as a message: a terminal's Ctrl-C also reaches the workers themselves,
 * and must not count twice), waits for the workers to finish and exits 0. SIGHUP goes on to
 * every worker the same way, where it is raised again for the service (dns reloads its zones). A worker that dies
 * while serving is logged and replaced, at most N times a minute; then the primary stops
 * the rest and exits 1. A worker that fails to start (a zone that does not load, a port in
 * use) prints why and the primary exits with its code.
 */
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '../runtime/logger.js';
import type { RunningService } from '../runtime/run-service.js';

type WorkerMessage = { netkit: 'ready'; endpoints: string[] } | { netkit: 'shutdown' } | { netkit: 'reload' };

function isMessage(value: unknown, kind: WorkerMessage['netkit']): boolean {
  return typeof value === 'object' && value !== null && (value as { netkit?: unknown }).netkit === kind;
}

export const isWorkerProcess = (): boolean => cluster.isWorker;

export interface PrimaryOptions {
  /** The service's name, for the `netkit serve NAME: listening on` line. */
  name: string;
  count: number;
  logger: Logger;
  /** Restarts allowed: `count` within this window (default one minute). */
  restartWindowMs?: number;
}

/** Forks `count` workers with the same argv; resolves to the exit code once all are gone. */
export function runPrimary({
  name,
  count,
  logger,
  restartWindowMs = 60_000,
}: PrimaryOptions): Promise<number> {
  return new Promise((resolve) => {
    let phase: 'starting' | 'running' | 'stopping' = 'starting';
    let exitCode = 0;
    const live = new Set<Worker>();
    const ready = new Set<Worker>();
    const restarts: number[] = [];

    const finish = () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.off('SIGHUP', onHangup);
      resolve(exitCode);
    };

    const stopAll = () => {
      phase = 'stopping';
      for (const worker of live) {
        if (!worker.isConnected()) continue;
        try {
          worker.send({ netkit: 'shutdown' } satisfies WorkerMessage);
        } catch {
          // Its channel closed meanwhile: it is exiting anyway.
        }
      }
      if (live.size === 0) finish();
    };

    const onMessage = (worker: Worker, message: unknown) => {
      if (!isMessage(message, 'ready')) return;
      const { endpoints } = message as { endpoints: string[] };
      if (phase === 'starting') {
        ready.add(worker);
        if (ready.size === count) {
          phase = 'running';
          process.stderr.write(
            `netkit serve ${name}: listening on ${endpoints.join(', ')} (${count} workers)\n`,
          );
        }
      } else if (phase === 'running') {
        logger.info({ pid: worker.process.pid }, 'replacement worker listening');
      }
    };

    const onExit = (worker: Worker, code: number | null, signal: string | null) => {
      live.delete(worker);
      const pid = worker.process.pid;
      if (phase === 'stopping') {
        if (code !== 0 && exitCode === 0) exitCode = code ?? 1;
        if (live.size === 0) finish();
        return;
      }
      if (phase === 'starting') {
        // It could not start and said why itself; the others would fail the same way.
        logger.debug({ pid, code, signal }, 'worker exited before listening');
        exitCode = code || 1;
        stopAll();
        return;
      }
      const now = Date.now();
      while (restarts.length > 0 && restarts[0]! <= now - restartWindowMs) restarts.shift();
      if (restarts.length >= count) {
        logger.error(
          { pid, code, signal, restarts: restarts.length },
          `worker died; ${count} restarts within ${restartWindowMs / 1000} s: stopping`,
        );
        exitCode = 1;
        stopAll();
        return;
      }
      restarts.push(now);
      logger.error({ pid, code, signal }, 'worker died; starting another');
      fork();
    };

    const fork = () => {
      const worker = cluster.fork();
      live.add(worker);
      worker.on('message', (message: unknown) => onMessage(worker, message));
      worker.on('exit', (code: number | null, signal: string | null) => onExit(worker, code, signal));
      worker.on('error', (error) =>
        logger.warn({ err: error, pid: worker.process.pid }, 'worker channel error'),
      );
    };

    let signalled = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (signalled) {
        // The workers exit at once when their channel to the primary closes.
        logger.warn({ signal }, 'second signal: exiting now');
        process.exit(130);
      }
      signalled = true;
      logger.info({ signal, workers: live.size }, 'shutting down');
      stopAll();
    };
    const onHangup = () => {
      logger.info({ workers: live.size }, 'SIGHUP: passing it on to the workers');
      for (const worker of live) {
        if (!worker.isConnected()) continue;
        try {
          worker.send({ netkit: 'reload' } satisfies WorkerMessage);
        } catch {
          // Its channel closed meanwhile: it is exiting.
        }
      }
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    process.on('SIGHUP', onHangup);

    // The workers re-run this command line; cluster marks them (NODE_UNIQUE_ID).
    for (let i = 0; i < count; i++) fork();
  });
}

/**
 * In a worker, once the service listens: tells the primary, then runs until the primary
 * says stop or a signal comes (the first of them shuts down gracefully; a second signal
 * exits at once with 130), and disconnects so that the process can end.
 */
export function runWorker(running: RunningService, logger: Logger, graceMs?: number): Promise<void> {
  process.send?.({ netkit: 'ready', endpoints: running.endpoints } satisfies WorkerMessage);
  return new Promise((resolve) => {
    let stopping = false;
    const stop = (reason: string) => {
      stopping = true;
      logger.info({ reason }, 'shutting down');
      void running.close(graceMs).then(() => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        process.off('message', onMessage);
        disconnectWorker();
        resolve();
      });
    };
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        logger.warn({ signal }, 'second signal: exiting now');
        process.exit(130);
      }
      stop(signal);
    };
    const onMessage = (message: unknown) => {
      if (isMessage(message, 'shutdown') && !stopping) stop('primary');
      // The primary's SIGHUP, raised here as if it had come to this process: the service
      // listens for SIGHUP (dns reloads its zones) and need not know it runs as a worker.
      if (isMessage(message, 'reload') && !stopping) process.emit('SIGHUP', 'SIGHUP');
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    process.on('message', onMessage);
  });
}

/** Closes the channel to the primary (it keeps a worker's event loop alive). */
export function disconnectWorker(): void {
  if (cluster.worker?.isConnected()) cluster.worker.disconnect();
}
