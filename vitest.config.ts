import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Interop and end-to-end tests start real processes; two cores are all we have.
    maxWorkers: 2,
  },
});
