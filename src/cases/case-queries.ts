// The queries behind an agent's lists of cases: the open ones by status and age, and past ones found by the
// question's domain or address or by the customer's id or name. Each case comes with its post on the staff
// side (the staff thread reference), which that side turns into a link.
import type { Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely';
import { parseQuery } from '../question/parse-question.js';
import { takeProgram } from '../setup/programs.js';
import type { CaseRow, Schema } from '../store/schema.js';
import { toView } from './case-store.js';
import type { CaseView } from './ports.js';

export interface CaseListing {
  view: CaseView;
  openedAt: number;
  /** When the case last changed (for a resolved case: about when it was resolved). */
  changedAt: number;
}

/** Some cases, and how many more matched than were returned. */
export interface CaseList {
  cases: CaseListing[];
  more: number;
}

/** A search reads at most this many candidates: more than any list shows (any beyond are counted). */
const CANDIDATES = 500;

type Cases = ExpressionBuilder<Schema, 'cases'>;
/** Open cases in this order: nobody has them yet, then staff's turn, then the customer's. */
const openRank = (eb: Cases) =>
  eb.case().when('status', '=', 'new').then(0).when('status', '=', 'claimed').then(1).else(2).end();

const listing = (row: CaseRow): CaseListing => ({
  view: toView(row),
  openedAt: row.created_at,
  changedAt: row.updated_at,
});

/** What a search term names: a domain or an address (as the question would have it), and a customer. */
function searchOf(term: string) {
  const typed = term.trim().replace(/^@/, '');
  const parsed = parseQuery(typed);
  const query = parsed.ok ? parsed.value.query : undefined;
  return {
    typed,
    domain: query && !query.email ? query.domain : undefined,
    email: query?.email,
    /** The domain asked about, and the text (the address, or the domain) a question would hold. */
    about: query && { domain: query.domain, text: (query.email ?? query.domain).toLowerCase() },
  };
}

/** Whether a case's question asked about `domain` (by its domain or an address in it) or about `email`. */
function asksAbout(question: string, search: ReturnType<typeof searchOf>): boolean {
  const parsed = parseQuery(takeProgram(question).question);
  if (!parsed.ok) return false;
  const { domain, email } = parsed.value.query;
  return search.email ? email === search.email : domain === search.domain;
}

/** `%` and `_` match anything in LIKE: a term's own are escaped (with `\`, named in each query). */
const likeEscaped = (text: string) => text.replace(/[\\%_]/g, (found) => `\\${found}`);

export function createCaseQueries(db: Kysely<Schema>) {
  /** How many cases `where` takes. */
  const count = async (where: (eb: Cases) => Expression<SqlBool>) => {
    const counted = db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n'));
    return Number((await counted.where(where).executeTakeFirstOrThrow()).n);
  };
  return {
    /** The open cases, by status (new, claimed, waiting), the oldest first within each; `limit` of them. */
    async openCases(limit: number): Promise<CaseList> {
      const rows = await db
        .selectFrom('cases')
        .selectAll()
        .where('status', '!=', 'resolved')
        .orderBy(openRank)
        .orderBy('created_at')
        .orderBy('id')
        .limit(limit)
        .execute();
      const open = await count((eb) => eb('status', '!=', 'resolved'));
      return { cases: rows.map(listing), more: open - rows.length };
    },

    /**
     * Cases whose question asked about a domain or address, or whose customer has this id or name (a leading
     * `@` is dropped), the newest first; `limit` of them.
     */
    async findCases(term: string, limit: number): Promise<CaseList> {
      const search = searchOf(term);
      if (search.typed === '') return { cases: [], more: 0 };
      // Taken here, not imported at the top: the core's API brings this file into the CLI's bundle, whose
      // answers never open a database.
      const { sql } = await import('kysely');
      const matching = (eb: Cases) =>
        eb.or([
          eb('customer_id', '=', search.typed),
          // SQLite's lower() folds ASCII only: any other letter matches any one here; the exact test is below.
          sql<SqlBool>`lower(customer_name) like ${likeEscaped(search.typed.toLowerCase()).replace(/[^\0-\x7f]/gu, '_')} escape '\\'`,
          // By the case's domain (indexed), so newer cases about names that merely contain it never crowd
          // the matches out; by the question where the domain was not read from it.
          ...(search.about
            ? [
                eb('domain', '=', search.about.domain),
                eb.and([
                  eb('domain', 'is', null),
                  sql<SqlBool>`lower(question) like ${`%${likeEscaped(search.about.text)}%`} escape '\\'`,
                ]),
              ]
            : []),
        ]);
      const rows = await db
        .selectFrom('cases')
        .selectAll()
        .where(matching)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(CANDIDATES)
        .execute();
      const found = rows.filter(
        (row) =>
          row.customer_id === search.typed ||
          row.customer_name.toLowerCase() === search.typed.toLowerCase() ||
          (search.about !== undefined && asksAbout(row.question, search)),
      );
      // Candidates past the ones read are counted, not read: the database's test is all that is asked of them.
      const beyond = rows.length < CANDIDATES ? 0 : (await count(matching)) - CANDIDATES;
      return { cases: found.slice(0, limit).map(listing), more: Math.max(found.length - limit, 0) + beyond };
    },
  };
}
export type CaseQueries = ReturnType<typeof createCaseQueries>;
