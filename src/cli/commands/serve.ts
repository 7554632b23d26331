/**
 * `netkit serve NAME [--listen URL]... [options]`: one service on the shared runtime, in
 * the foreground, until SIGINT or SIGTERM. Each service is a subcommand, so
 * `netkit serve --help` lists them and `netkit serve NAME --help` shows its own options.
 */
import { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { resolveLimits } from '../../core/limits.js';
import { startService } from '../../runtime/run-service.js';
import { SERVICES, type ServiceEntry } from '../../services/registry.js';
import { runUntilSignal } from '../run-until-signal.js';
import {
  addServerOptions,
  limitsFromFlags,
  loggerFromFlags,
  type ServerFlags,
  workersFromFlags,
} from '../server-options.js';
import { disconnectWorker, isWorkerProcess, runPrimary, runWorker } from '../workers.js';

async function serve(entry: ServiceEntry, flags: ServerFlags & Record<string, unknown>): Promise<void> {
  const workers = workersFromFlags(flags);
  const limits = limitsFromFlags(flags);
  // A secondary's transfers and the NOTIFYs sent are one process's job: N workers would each
  // transfer every zone and notify every secondary.
  if (workers > 1 && (isSet(flags.secondary) || isSet(flags.notify)))
    throw new UsageError('--secondary and --notify run in one process: leave out --workers');
  if (workers > 1 && !isWorkerProcess()) {
    // --workers N: this process only forks and watches (src/cli/workers.ts).
    process.exitCode = await runPrimary({ name: entry.name, count: workers, logger: loggerFromFlags(flags) });
    return;
  }
  if (isWorkerProcess()) return serveAsWorker(entry, flags, limits);
  const logger = loggerFromFlags(flags);
  const service = entry.create(flags);
  const running = await startService(service, {
    listen: flags.listen ?? entry.defaultListen,
    limits,
    logger,
  });
  process.stderr.write(`netkit serve ${entry.name}: listening on ${running.endpoints.join(', ')}\n`);
  await runUntilSignal([running], logger, limits.shutdownGraceMs);
}

function isSet(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : value !== undefined;
}

/** One of the --workers processes: the same service; the primary prints `listening on`. */
async function serveAsWorker(
  entry: ServiceEntry,
  flags: ServerFlags & Record<string, unknown>,
  limits: ReturnType<typeof limitsFromFlags>,
): Promise<void> {
  const logger = loggerFromFlags(flags).child({ pid: process.pid });
  let running: Awaited<ReturnType<typeof startService>>;
  try {
    const service = entry.create(flags);
    running = await startService(service, { listen: flags.listen ?? entry.defaultListen, limits, logger });
  } catch (error) {
    // main reports it and sets the exit code; the channel to the primary would keep us alive.
    disconnectWorker();
    throw error;
  }
  await runWorker(running, logger, limits.shutdownGraceMs);
}

export function registerServe(program: Command): void {
  const serveCommand = program
    .command('serve')
    .description('run one service in the foreground (see the list below)')
    .addHelpText('after', '\nEach service listens on its default endpoints unless --listen is given.');
  for (const entry of SERVICES) {
    const command = new Command(entry.name).description(
      `${entry.summary}\n(default: ${entry.defaultListen.join(' ')})`,
    );
    addServerOptions(command, { workers: true, defaults: resolveLimits(entry.limits) });
    for (const option of entry.options ?? [])
      command.option(option.flags, option.description, option.default);
    command.action((flags: ServerFlags & Record<string, unknown>) => serve(entry, flags));
    serveCommand.addCommand(command);
  }
}
