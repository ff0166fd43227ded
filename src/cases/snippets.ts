// Saved replies (snippets): the answers staff give again and again, kept in the database under a short name
// (a slug: what a person can type and an option's value can carry), with who wrote and who last changed each
// and when. Every query about them is here; what their placeholders mean is placeholders.ts.
import type { Kysely } from 'kysely';
import { fail, ok, type Result } from '../model/result.js';
import type { Schema, SnippetRow } from '../store/schema.js';
import type { Staff } from './lifecycle.js';
import { unknownPlaceholders } from './placeholders.js';

/** What one saved reply may hold: what a staff reply may (a modal's text input takes 4000). */
export const MAX_SNIPPET = 4000;
export const MAX_SNIPPET_NAME = 32;
const NAME = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

export interface Snippet {
  name: string;
  text: string;
  createdBy: string;
  createdAt: number;
  updatedBy: string;
  updatedAt: number;
}

/** Why a saved reply was not kept; `unknown`: written like placeholders, but none of ours (named). */
export type SnippetProblem =
  | { problem: 'bad-name' | 'empty' | 'exists' | 'missing' }
  | { problem: 'too-long'; length: number }
  | { problem: 'unknown'; names: string[] };

/** A name as typed, in its one spelling (lower case), or `bad-name`. */
export function snippetName(typed: string): Result<string, SnippetProblem> {
  const name = typed.trim().toLowerCase();
  return name.length <= MAX_SNIPPET_NAME && NAME.test(name) ? ok(name) : fail({ problem: 'bad-name' });
}

/** A reply is refused when saved with a placeholder nobody knows, rather than each time it is sent. */
function checked(name: string, text: string): Result<{ name: string; text: string }, SnippetProblem> {
  const slug = snippetName(name);
  if (!slug.ok) return slug;
  if (text.trim() === '') return fail({ problem: 'empty' });
  if (text.length > MAX_SNIPPET) return fail({ problem: 'too-long', length: text.length });
  const unknown = unknownPlaceholders(text);
  if (unknown.length > 0) return fail({ problem: 'unknown', names: unknown });
  return ok({ name: slug.value, text });
}

const toSnippet = (row: SnippetRow): Snippet => ({
  name: row.name,
  text: row.text,
  createdBy: row.created_by,
  createdAt: row.created_at,
  updatedBy: row.updated_by,
  updatedAt: row.updated_at,
});

export function createSnippets(db: Kysely<Schema>, now: () => number) {
  const changedBy = (staff: Staff) => ({
    updated_by: staff.name,
    updated_by_id: staff.id,
    updated_at: now(),
  });
  return {
    /** Every saved reply, by name. */
    list: async (): Promise<Snippet[]> =>
      (await db.selectFrom('snippets').selectAll().orderBy('name').execute()).map(toSnippet),

    async get(name: string): Promise<Snippet | undefined> {
      const slug = snippetName(name);
      if (!slug.ok) return undefined;
      const row = await db
        .selectFrom('snippets')
        .selectAll()
        .where('name', '=', slug.value)
        .executeTakeFirst();
      return row ? toSnippet(row) : undefined;
    },

    /** Saves a new reply; `exists` when the name is taken (two people adding one at once: one wins). */
    async add(name: string, text: string, staff: Staff): Promise<Result<Snippet, SnippetProblem>> {
      const valid = checked(name, text);
      if (!valid.ok) return valid;
      const row = await db
        .insertInto('snippets')
        .values({
          ...valid.value,
          created_by: staff.name,
          created_by_id: staff.id,
          created_at: now(),
          ...changedBy(staff),
        })
        .onConflict((conflict) => conflict.column('name').doNothing())
        .returningAll()
        .executeTakeFirst();
      return row ? ok(toSnippet(row)) : fail({ problem: 'exists' });
    },

    async edit(name: string, text: string, staff: Staff): Promise<Result<Snippet, SnippetProblem>> {
      const valid = checked(name, text);
      if (!valid.ok) return valid;
      const row = await db
        .updateTable('snippets')
        .set({ text: valid.value.text, ...changedBy(staff) })
        .where('name', '=', valid.value.name)
        .returningAll()
        .executeTakeFirst();
      return row ? ok(toSnippet(row)) : fail({ problem: 'missing' });
    },

    async remove(name: string): Promise<Result<string, SnippetProblem>> {
      const slug = snippetName(name);
      if (!slug.ok) return slug;
      const row = await db
        .deleteFrom('snippets')
        .where('name', '=', slug.value)
        .returning('name')
        .executeTakeFirst();
      return row ? ok(row.name) : fail({ problem: 'missing' });
    },
  };
}
export type Snippets = ReturnType<typeof createSnippets>;
