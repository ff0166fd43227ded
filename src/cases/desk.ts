// An agent's desk on top of the case relay: saved replies (kept in the database, and filled in for one case
// before they are sent as a staff reply), the lists of open and past cases, and how settings sent with a mail
// program's steps read in the post. Handing a case over is a lifecycle event (`assigned`, cases.ts).
import type { Kysely } from 'kysely';
import { fail, ok, type Result } from '../model/result.js';
import { PROGRAM_NAMES, takeProgram } from '../setup/programs.js';
import { type SetupOptions, setupOffer } from '../setup/setup-offer.js';
import type { Schema } from '../store/schema.js';
import { createCaseQueries } from './case-queries.js';
import { type CaseStore, toView } from './case-store.js';
import { describeQuestion } from './case-view.js';
import type { Staff } from './lifecycle.js';
import { fillPlaceholders, type PlaceholderProblem, placeholderValues } from './placeholders.js';
import { createSnippets, MAX_SNIPPET } from './snippets.js';

export interface DeskOptions {
  /** Set-up page links (and the profile's organization): `{setup_link}`, and the link in settings sent. */
  setup?: SetupOptions;
}

/** Why a saved reply was not sent: nothing has been, and the staff member is told which. */
export type SnippetReplyProblem =
  | { problem: 'not-a-case' }
  | { problem: 'no-snippet'; name: string }
  | ({ problem: 'placeholders' } & PlaceholderProblem)
  | { problem: 'too-long'; length: number };

/** "example.com (POP)", with the program whose steps went along ("… with the steps for Thunderbird"). */
export function describeSent(question: string): string {
  const { question: asked, program } = takeProgram(question);
  const described = describeQuestion(asked);
  return program?.ok ? `${described} with the steps for ${PROGRAM_NAMES[program.value]}` : described;
}

export function createDesk(db: Kysely<Schema>, store: CaseStore, options: DeskOptions, now: () => number) {
  const snippets = createSnippets(db, now);
  const queries = createCaseQueries(db);
  return {
    snippets,
    openCases: queries.openCases,
    findCases: queries.findCases,

    /**
     * The saved reply `name` filled in for the case of this post, then `text` (the staff member's own words,
     * as written) after it: what to send as the staff reply, or why not. Sends nothing itself.
     */
    async fillSnippet(event: {
      staffThread: string;
      staff: Staff;
      name: string;
      text?: string;
    }): Promise<Result<string, SnippetReplyProblem>> {
      const row = await store.byStaffThread(event.staffThread);
      if (!row) return fail({ problem: 'not-a-case' });
      const snippet = await snippets.get(event.name);
      if (!snippet) return fail({ problem: 'no-snippet', name: event.name });
      const view = toView(row);
      const settings = view.card?.answer?.settings;
      const link =
        options.setup?.links && settings
          ? (await setupOffer(settings, { question: '' }, options.setup)).link
          : undefined;
      const filled = fillPlaceholders(snippet.text, placeholderValues(view, event.staff, link));
      if (!filled.ok) return fail({ problem: 'placeholders', ...filled.error });
      const text = event.text?.trim() ? `${filled.value}\n\n${event.text}` : filled.value;
      return text.length > MAX_SNIPPET ? fail({ problem: 'too-long', length: text.length }) : ok(text);
    },
  };
}
