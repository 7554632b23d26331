/**
 * `netkit start`: every service on loopback at its default endpoints, a table of what
 * listens where with a command to try each, then run until SIGINT or SIGTERM.
 */
import type { Command } from 'commander';
import { ncCommandFor, parseEndpoint } from '../../core/endpoint.js';
import { type RunningService, startService } from '../../runtime/run-service.js';
import { SERVICES } from '../../services/registry.js';
import { formatTable, printJson, printLine } from '../output.js';
import { runUntilSignal } from '../run-until-signal.js';
import { addServerOptions, limitsFromFlags, loggerFromFlags, type ServerFlags } from '../server-options.js';

interface StartFlags extends ServerFlags {
  json?: boolean;
}

export function registerStart(program: Command): void {
  const command = program
    .command('start')
    .description('run every service on loopback and print what listens where, with a command to try each')
    .option('--json', 'print the table as JSON');
  addServerOptions(command, { listen: false });
  command.action(async (flags: StartFlags) => {
    const limits = limitsFromFlags(flags);
    const logger = loggerFromFlags(flags);
    const running: RunningService[] = [];
    try {
      for (const entry of SERVICES) {
        const service = entry.create({});
        running.push(await startService(service, { listen: entry.defaultListen, limits, logger }));
      }
    } catch (error) {
      await Promise.all(running.map((service) => service.close(0)));
      throw error;
    }
    const rows = running.flatMap((service) =>
      service.endpoints.map((endpoint) => ({
        service: service.service.name,
        transport: parseEndpoint(endpoint, { allow: ['tcp', 'udp', 'unix', 'http'] }).transport,
        address: endpoint,
        try: service.service.tryCommand?.(endpoint) ?? ncCommandFor(endpoint),
      })),
    );
    if (flags.json) {
      printJson({ services: rows });
    } else {
      printLine(
        formatTable(
          ['SERVICE', 'TRANSPORT', 'ADDRESS', 'TRY'],
          rows.map((row) => [row.service, row.transport, row.address, row.try]),
        ),
      );
      printLine('\nnetkit start: all services up; Ctrl-C stops them.');
    }
    await runUntilSignal(running, logger, limits.shutdownGraceMs);
  });
}
