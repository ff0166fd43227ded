// What a forgotten customer's id becomes (data-care.ts): a tombstone, new at each forgetting so it cannot be
// matched, and how to tell one.
const TOMBSTONE = 'forgotten:';

export const tombstone = () => `${TOMBSTONE}${crypto.randomUUID()}`;

/** An id a forgotten person's became. */
export const isTombstone = (id: string | null | undefined) => id?.startsWith(TOMBSTONE) === true;

/** A message written by someone since forgotten: what Slack later says of it (an edit, a deletion) is not kept. */
export const forgottenAuthor = (row: { author_id: string | null } | undefined) => isTombstone(row?.author_id);
