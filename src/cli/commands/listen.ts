/**
 * `netkit listen URL [--echo] [--keep-open]`: as `nc -l`, accept on a TCP or Unix
 * endpoint (or receive on UDP) and write what arrives to stdout; --echo also sends it
 * back. Like nc, it serves one TCP connection and exits when that ends, unless -k.
 * Built on the shared runtime, with raw framing.
 */
import type { Command } from 'commander';
import { parseEndpoint } from '../../core/endpoint.js';
import type { Limits } from '../../core/limits.js';
import { startService } from '../../runtime/run-service.js';
import type { ServiceDefinition } from '../../runtime/service.js';
import { runUntilSignal } from '../run-until-signal.js';
import { addServerOptions, limitsFromFlags, loggerFromFlags, type ServerFlags } from '../server-options.js';

interface ListenFlags extends ServerFlags {
  echo?: boolean;
  keepOpen?: boolean;
  verbose?: boolean;
}

export function registerListen(program: Command): void {
  const command = program
    .command('listen')
    .description('accept connections (or datagrams) on URL and print what arrives, as nc -l does')
    .argument('<url>', 'tcp://HOST:PORT, udp://HOST:PORT or unix:/path')
    .option('-e, --echo', 'send back what arrives (an echo server)')
    .option('-k, --keep-open', 'keep accepting after the first TCP or Unix connection ends')
    .option('-v, --verbose', 'report connections and the bound address on stderr');
  addServerOptions(command, { listen: false });
  command.action(async (url: string, flags: ListenFlags) => {
    const endpoint = parseEndpoint(url);
    const logger = loggerFromFlags(flags);
    const given = limitsFromFlags(flags);
    const limits: Partial<Limits> = {
      ...given,
      // nc -l serves one connection and never times out; so do we unless told otherwise.
      maxConnections: given.maxConnections ?? (flags.keepOpen ? undefined : 1),
      idleTimeoutMs: given.idleTimeoutMs ?? 0,
    };
    const verbose = (text: string) => {
      if (flags.verbose) process.stderr.write(`${text}\n`);
    };
    let finished: (() => void) | undefined;
    const service: ServiceDefinition = {
      name: 'listen',
      summary: 'print what arrives',
      defaultListen: [url],
      stream: {
        framing: 'raw',
        session: (info) => ({
          open: () => {
            verbose(`connection from ${info.remote}`);
            return [];
          },
          receive: (chunk) => {
            process.stdout.write(chunk);
            return flags.echo ? [{ type: 'send', data: chunk }] : [];
          },
          closed: () => {
            verbose(`connection from ${info.remote} closed`);
            if (!flags.keepOpen) finished?.();
          },
        }),
      },
      datagram: {
        receive: (datagram, peer) => {
          verbose(`datagram of ${datagram.length} bytes from ${peer.address}:${peer.port}`);
          process.stdout.write(datagram);
          return flags.echo ? [datagram] : [];
        },
      },
    };
    const running = await startService(service, { listen: [endpoint], limits, logger });
    verbose(`listening on ${running.endpoints.join(', ')}`);
    const done = new Promise<void>((resolve) => {
      finished = resolve;
    });
    await Promise.race([runUntilSignal([running], logger, running.limits.shutdownGraceMs), done]);
    await running.close(0);
  });
}
