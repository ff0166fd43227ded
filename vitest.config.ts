import os from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The run's PostgreSQL server, and dist/ built once (the tests run the command and the bot from it).
    globalSetup: ['test/support/postgres-server.ts', 'test/support/build-setup.ts'],
    // A test file spends most of its time waiting on servers and child processes, not on the CPU: two files
    // at a time on every machine (vitest's default is one fewer worker than cores, a single one on two).
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
