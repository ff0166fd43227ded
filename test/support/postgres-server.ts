// vitest's global setup: one real PostgreSQL server for the whole run (test/support/postgres.ts). Tests get
// its URL through inject('postgres') and make a database of their own on it (test/support/databases.ts).
import type { TestProject } from 'vitest/node';
import { startPostgres } from './postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The server's URL, or why there is none. */
    postgres: { url: string } | { unavailable: string };
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const server = await startPostgres();
  if ('unavailable' in server) {
    // CI runs every test it can: there a missing server is a failure, not a skip.
    if (process.env.CI) throw new Error(server.unavailable);
    project.provide('postgres', { unavailable: server.unavailable });
    return undefined;
  }
  project.provide('postgres', { url: server.url });
  return server.stop;
}
