/**
 * The services database netkit carries for systems without /etc/services (containers,
 * Windows, macOS without netbase's list): the well-known IANA assignments plus the
 * Debian additions, in Debian's order. Rows are compact (one row for the tcp and udp lines
 * of a service that share port and aliases); bundledServices() expands them to the same
 * lines parseServicesFile would give for netbase's file.
 */
import { DEBIAN_SERVICES } from './services-debian.js';
import type { ServicesLine } from './services-file.js';
import { IANA_SERVICES } from './services-iana.js';

/** name, port, protocols separated by spaces (in file order), aliases separated by spaces. */
export type BundledService = readonly [name: string, port: number, protos: string, aliases?: string];

let expanded: ServicesLine[] | undefined;

/** The bundled database as services lines (numbered in order, as if read from a file). */
export function bundledServices(): readonly ServicesLine[] {
  if (!expanded) {
    const lines: ServicesLine[] = [];
    for (const [name, port, protos, aliases] of [...IANA_SERVICES, ...DEBIAN_SERVICES]) {
      for (const proto of protos.split(' ')) {
        lines.push({
          line: lines.length + 1,
          name,
          port,
          proto,
          aliases: aliases ? aliases.split(' ') : [],
        });
      }
    }
    expanded = lines;
  }
  return expanded;
}
