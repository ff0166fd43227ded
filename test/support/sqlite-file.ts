// A fresh SQLite database file in a temporary folder of its own, for a test or a benchmark; drop() removes it.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** An empty file, or a copy of `template` (test/support/database-setup.ts migrates one for the tests). */
export async function freshSqlite(template?: string): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'mailsettings-db-'));
  const file = join(dir, 'test.db');
  if (template) copyFileSync(template, file);
  return {
    url: `file:${file}`,
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}
