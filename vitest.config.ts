import os from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The run's temporary folder, its PostgreSQL server and migrated template databases, and dist/ built once
    // (the tests run the command and the bot from it).
    globalSetup: [
      'test/support/temp-setup.ts',
      'test/support/database-setup.ts',
      'test/support/build-setup.ts',
    ],
    // A test file spends most of its time waiting on servers and child processes, not on the CPU: four files
    // at a time even on two cores (81–84 s for the suite on two cores, against 90–106 s with three). Files share a worker's loaded modules instead of loading discord.js, Bolt
    // and the core again for each (a third of the suite's time): no test mocks a module, stubs the environment
    // or fakes the global timers (test/architecture.test.ts keeps it so), and the code keeps no state per
    // process beyond what it loads once.
    maxWorkers: Math.max(4, os.availableParallelism()),
    isolate: false,
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
