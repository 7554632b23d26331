import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Interop and end-to-end tests start real processes; two cores are all we have.
    maxWorkers: 2,
    // `netkit serve dns` keeps journals in $XDG_STATE_HOME/netkit/dns by default: the servers the
    // tests start keep theirs in a folder of this run, not in the home folder.
    env: { XDG_STATE_HOME: mkdtempSync(join(tmpdir(), 'netkit-test-state-')) },
  },
});
