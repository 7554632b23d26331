/**
 * `netkit serve NAME [--listen URL]... [options]`: one service on the shared runtime, in
 * the foreground, until SIGINT or SIGTERM. Each service is a subcommand, so
 * `netkit serve --help` lists them and `netkit serve NAME --help` shows its own options.
 */
import { Command } from 'commander';
import { resolveLimits } from '../../core/limits.js';
import { startService } from '../../runtime/run-service.js';
import { SERVICES, type ServiceEntry } from '../../services/registry.js';
import { runUntilSignal } from '../run-until-signal.js';
import { addServerOptions, limitsFromFlags, loggerFromFlags, type ServerFlags } from '../server-options.js';

async function serve(entry: ServiceEntry, flags: ServerFlags & Record<string, unknown>): Promise<void> {
  const limits = limitsFromFlags(flags);
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

export function registerServe(program: Command): void {
  const serveCommand = program
    .command('serve')
    .description('run one service in the foreground (see the list below)')
    .addHelpText('after', '\nEach service listens on its default endpoints unless --listen is given.');
  for (const entry of SERVICES) {
    const command = new Command(entry.name).description(
      `${entry.summary}\n(default: ${entry.defaultListen.join(' ')})`,
    );
    addServerOptions(command, { defaults: resolveLimits(entry.limits) });
    for (const option of entry.options ?? [])
      command.option(option.flags, option.description, option.default);
    command.action((flags: ServerFlags & Record<string, unknown>) => serve(entry, flags));
    serveCommand.addCommand(command);
  }
}
