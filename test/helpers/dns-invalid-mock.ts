/**
 * In-process tests must never ask the machine's DNS resolver anything (it is not on this
 * machine). Importing this module (before the code under test) makes node:dns/promises'
 * lookup fail with ENOTFOUND at once for names under `.invalid` (RFC 6761), as a resolver
 * would, and pass every other name through. Out-of-process tests use hermetic.ts instead.
 */
import { vi } from 'vitest';

vi.mock('node:dns/promises', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:dns/promises')>();
  const lookup = ((hostname: string, options?: unknown) => {
    if (/\.invalid\.?$/i.test(hostname)) {
      const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
        code: 'ENOTFOUND',
        syscall: 'getaddrinfo',
        hostname,
      });
      return Promise.reject(error);
    }
    return (original.lookup as (h: string, o?: unknown) => Promise<unknown>)(hostname, options);
  }) as typeof original.lookup;
  return { ...original, default: { ...original, lookup }, lookup };
});
