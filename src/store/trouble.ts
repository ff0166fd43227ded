// What kind of database failure an error is, so callers can say something useful: PostgreSQL cannot be
// reached (refused, reset, restarting: SQLSTATE class 08 and 57P01-57P03), or the database cannot be written
// (a full disk: SQLITE_FULL or PostgreSQL's 53100; a read-only file: SQLITE_READONLY). Anything else is not a
// database outage and is `undefined`. Also how a DATABASE_URL is shown in logs: with its password masked.

export type DatabaseTrouble = 'unreachable' | 'full' | 'read-only';

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  '57P01', // admin_shutdown: the server is stopping (a restart)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or shutting down
]);

/** pg's own words for a connection that went away without a server error. */
const UNREACHABLE_WORDS =
  /Connection terminated|connection timeout|not queryable|Client was closed|the database system is (starting up|shutting down)/i;

export function databaseTrouble(error: unknown): DatabaseTrouble | undefined {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 4; depth++) {
    const code = String((cause as { code?: unknown }).code ?? '');
    if (UNREACHABLE_CODES.has(code) || code.startsWith('08') || UNREACHABLE_WORDS.test(cause.message))
      return 'unreachable';
    if (code === '53100' || code.startsWith('SQLITE_FULL') || /disk is full/i.test(cause.message))
      return 'full';
    if (code.startsWith('SQLITE_READONLY') || /readonly database|read-only/i.test(cause.message))
      return 'read-only';
    // AggregateError (several addresses refused) keeps the first in `errors`.
    cause = (cause as { errors?: unknown[] }).errors?.[0] ?? cause.cause;
  }
  return undefined;
}

/** A one-line reason for logs: the error's code and message, without a stack. */
export function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const first = (error as { errors?: unknown[] }).errors?.[0];
  const message = error.message || (first instanceof Error ? first.message : '') || error.name;
  const code = String((error as { code?: unknown }).code ?? '');
  // libsql names some SQLite codes only by number (UNKNOWN_SQLITE_ERROR_1544): the message says it better.
  return code && !code.startsWith('UNKNOWN') && !message.includes(code) ? `${message} (${code})` : message;
}

/**
 * A URL (or a text holding URLs) for logs and start-up lines, passwords hidden: `postgres://bot:***@db/cases`,
 * `postgres://bot@db/cases?password=***`. A URL given alone keeps its password to its last "@", whatever it
 * holds ("/", "@", a space: URL() misreads them, pg takes them); in a sentence, a password ends at a space.
 */
export function maskUrl(text: string): string {
  // Alone: a login (not a port and path: host:8080/…) running to an "@" after which nothing is a sentence.
  const alone = /^[a-z][\w+.-]*:\/\/[^\s:@/]*:(?!\d{1,5}(?:[/?#]|$))[^\n]*@\S*$/i.test(text);
  const login = alone
    ? /^([a-z][\w+.-]*:\/\/)([^\s:@/]*):[^\n]*@/i
    : /([a-z][\w+.-]*:\/\/)([^\s:@/]*):\S*@/gi;
  return text.replace(login, '$1$2:***@').replace(/([?&](?:ssl)?password=)[^&\s#]*/gi, '$1***');
}

/** A unique constraint refused the write (PostgreSQL 23505, SQLite's SQLITE_CONSTRAINT_UNIQUE), e.g. a second open case. */
export function isConflict(error: unknown, constraint?: string): boolean {
  const {
    code,
    constraint: name,
    message = '',
  } = (error ?? {}) as {
    code?: unknown;
    constraint?: string;
    message?: string;
  };
  if (code === '23505') return constraint === undefined || name === constraint;
  // SQLite names the columns, not the index: the caller's own check says which rule it was.
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed/.test(message);
}
