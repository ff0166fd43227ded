// The two database engines the store runs on, for tests that must pass on both: a fresh SQLite file, and a
// fresh database on the run's PostgreSQL server (skipped with a one-line reason only outside CI).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { adminQuery, createTestDatabase } from './postgres.js';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export interface TestEngine {
  name: 'sqlite' | 'postgres';
  /** Why this engine is skipped here, when it is. */
  skip?: string;
  fresh(): Promise<TestDatabase>;
}

let counter = 0;
let warned = false;

export function testEngines(): TestEngine[] {
  const server = inject('postgres');
  if ('unavailable' in server && !warned) {
    warned = true;
    console.warn(`skipping the PostgreSQL tests: ${server.unavailable}`);
  }
  return [
    {
      name: 'sqlite',
      fresh: async () => {
        const dir = mkdtempSync(join(tmpdir(), 'mailsettings-db-'));
        return {
          url: `file:${join(dir, 'test.db')}`,
          drop: async () => rmSync(dir, { recursive: true, force: true }),
        };
      },
    },
    {
      name: 'postgres',
      ...('unavailable' in server ? { skip: server.unavailable } : {}),
      fresh: async () => {
        if (!('url' in server)) throw new Error('no PostgreSQL server');
        const name = `test_${process.pid}_${++counter}_${Date.now() % 100_000}`;
        const url = await createTestDatabase(server.url, name);
        return { url, drop: () => adminQuery(server.url, `DROP DATABASE ${name} WITH (FORCE)`) };
      },
    },
  ];
}
