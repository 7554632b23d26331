/**
 * getservbyname and getservbyport: the lecture's service lookups, from the system's
 * services database (/etc/services, read as glibc's files source reads it), or from the
 * bundled copy of the well-known assignments when the system has none. Python returns only
 * the port (getservbyname) or the name (getservbyport); these return the whole entry.
 */
import { readFile } from 'node:fs/promises';
import { bundledServices } from './bundled-services.js';
import {
  BadNameError,
  BadPortError,
  BadProtoError,
  PortNotFoundError,
  ServiceNotFoundError,
} from './errors.js';
import {
  parseServicesFile,
  type ServiceEntry,
  type ServicesLine,
  serviceByName,
  serviceByPort,
} from './services-file.js';

export const DEFAULT_SERVICES_PATH = '/etc/services';

export interface ServiceLookupOptions {
  /** The services file's contents; when given, no file is read. */
  servicesText?: string;
  /** Where the services file is; default /etc/services. */
  servicesPath?: string;
}

export interface ServicesDatabase {
  /** Where the entries came from: the file's path, or "bundled". */
  source: string;
  lines: readonly ServicesLine[];
}

/** The services database these options name, falling back to the bundled copy when the file is missing. */
export async function loadServices(options: ServiceLookupOptions = {}): Promise<ServicesDatabase> {
  if (options.servicesText !== undefined) {
    return { source: options.servicesPath ?? '(text)', lines: parseServicesFile(options.servicesText) };
  }
  const path = options.servicesPath ?? DEFAULT_SERVICES_PATH;
  try {
    return { source: path, lines: parseServicesFile(await readFile(path, 'utf8')) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { source: 'bundled', lines: bundledServices() };
    throw error;
  }
}

/**
 * Any string glibc can compare is a protocol, even "" (it matches lines written "99/" or
 * "99"); only a NUL byte, which C cannot pass, is refused (Python: ValueError).
 */
function checkProto(proto: string | undefined): void {
  if (proto === undefined) return;
  if (typeof proto !== 'string' || proto.includes('\0')) throw new BadProtoError(String(proto));
}

export function checkPort(port: number): void {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new BadPortError(port);
  }
}

/** Python: socket.getservbyname(name, proto) gives the port; this gives the whole entry. */
export async function getservbyname(
  name: string,
  proto?: string,
  options: ServiceLookupOptions = {},
): Promise<ServiceEntry> {
  if (name.includes('\0')) throw new BadNameError(name, 'it contains a NUL byte', 'ValueError');
  checkProto(proto);
  const { lines } = await loadServices(options);
  const entry = serviceByName(lines, name, proto);
  if (!entry) throw new ServiceNotFoundError(name, proto);
  return entry;
}

/** Python: socket.getservbyport(port, proto) gives the name; this gives the whole entry. */
export async function getservbyport(
  port: number,
  proto?: string,
  options: ServiceLookupOptions = {},
): Promise<ServiceEntry> {
  checkPort(port);
  checkProto(proto);
  const { lines } = await loadServices(options);
  const entry = serviceByPort(lines, port, proto);
  if (!entry) throw new PortNotFoundError(port, proto);
  return entry;
}
