/**
 * Every service `netkit serve` and `netkit start` know. An entry says how to build the
 * service from its options and where it listens by default (ports of 1024 or more, so no
 * privilege is needed; the standard port is named in the summary).
 */
import type { ServiceDefinition } from '../runtime/service.js';
import { discardDatagram, discardStream } from './discard/protocol.js';
import { echoDatagram, echoStream } from './echo/protocol.js';

/** A service-specific command-line option, declared as data so the CLI stays generic. */
export interface ServiceOption {
  /** As commander writes it: '--format <name>'. */
  flags: string;
  description: string;
  default?: string;
}

export interface ServiceEntry {
  name: string;
  summary: string;
  /** Default endpoints, used by `netkit serve NAME` without --listen and by `netkit start`. */
  defaultListen: string[];
  options?: ServiceOption[];
  /** Builds the service from its parsed options (keys as commander camel-cases them). */
  create(options: Record<string, unknown>): ServiceDefinition;
}

function plain(
  name: string,
  summary: string,
  port: number,
  parts: Pick<ServiceDefinition, 'stream' | 'datagram' | 'tryCommand'>,
): ServiceEntry {
  const defaultListen = [`tcp://127.0.0.1:${port}`, `udp://127.0.0.1:${port}`];
  return { name, summary, defaultListen, create: () => ({ name, summary, defaultListen, ...parts }) };
}

export const SERVICES: ServiceEntry[] = [
  plain('echo', 'echo (RFC 862): sends back what it receives; standard port 7', 7007, {
    stream: echoStream,
    datagram: echoDatagram,
  }),
  plain('discard', 'discard (RFC 863): reads and drops everything; standard port 9', 9009, {
    stream: discardStream,
    datagram: discardDatagram,
  }),
];

export function findService(name: string): ServiceEntry | undefined {
  return SERVICES.find((entry) => entry.name === name);
}
