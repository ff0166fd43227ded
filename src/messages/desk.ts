// Every sentence of an agent's desk: saved replies and their placeholders, handing a case over, and the lists of
// cases. Names are plain text here: each side escapes them for its own markup.
const list = (names: string[]) => names.map((name) => `{${name}}`).join(', ');
/** Placeholders a text got wrong: the first few, then how many more (a text may hold hundreds). */
const NAMED = 5;
const someOf = (names: string[]) =>
  names.length > NAMED ? `${list(names.slice(0, NAMED))} and ${names.length - NAMED} more` : list(names);

// Saved replies, to staff (privately).
export const badName = (max: number) =>
  `A saved reply's name is a short slug: lower-case letters, digits and dashes, up to ${max} characters, starting and ending with a letter or digit (for example imap-ports).`;
export const EMPTY_SNIPPET = 'A saved reply needs some text.';
export const snippetTooLong = (length: number, max: number) =>
  `This saved reply is ${length} characters; at most ${max} fit in one.`;
export const snippetExists = (name: string) =>
  `There is a saved reply called ${name} already: change it with /snippet edit.`;
export const noSnippet = (name: string) =>
  `There is no saved reply called ${name}: /snippet list shows them.`;
export const snippetSaved = (name: string) => `Saved the reply ${name}.`;
export const snippetRemoved = (name: string) => `Removed the saved reply ${name}.`;
export const NO_SNIPPETS = 'There are no saved replies yet: /snippet add saves one.';
const notOurs = (unknown: string[]) =>
  unknown.length === 0
    ? []
    : [`${someOf(unknown)} ${unknown.length === 1 ? 'is not a placeholder' : 'are not placeholders'}`];
export const placeholdersAre = (known: readonly string[]) => `The placeholders are ${list([...known])}.`;
/** What refuses a saved reply before anything is sent, naming each placeholder. */
export function placeholderProblem(unknown: string[], unfilled: string[], known: readonly string[]): string {
  const cannot = unfilled.length > 0 ? [`this case has nothing to fill ${someOf(unfilled)} with`] : [];
  return `Nothing was sent: ${[...notOurs(unknown), ...cannot].join(', and ')}. ${placeholdersAre(known)}`;
}
/** What refuses to save a reply with placeholders nobody knows. */
export const unknownOnSave = (unknown: string[], known: readonly string[]) =>
  `Not saved: ${notOurs(unknown).join('')}. ${placeholdersAre(known)}`;
export const replyTooLong = (length: number, max: number) =>
  `Nothing was sent: the saved reply with your words is ${length} characters, and at most ${max} go in one reply.`;
export const NOTHING_TO_SEND = 'Nothing was sent: choose a saved reply or write a reply.';

// Handing a case over.
export const HAND_OVER_TO = 'Who takes this case? Choose a member of the support staff.';
export const handedOverTo = (to: string) => `The case is ${to}'s now; they have been told.`;
export const notStaffMember = (name: string) =>
  `${name} is not support staff, so the case stays where it is: choose a member of the support staff.`;
export const alreadyTheirs = (name: string) => `${name} has this case already.`;
export const RESOLVED_NO_HAND_OVER = 'This case is resolved: claim it to open it again first.';

// Lists of cases, to staff (privately).
export const NO_OPEN_CASES = 'No open cases: nothing waits on the support staff.';
export const andMore = (count: number) => `…and ${count} more.`;
export const noCasesFound = (term: string) =>
  `No cases found for ${term}. Search by a domain, an email address, or the customer's id or name.`;
export const EMPTY_SEARCH = 'Search by a domain, an email address, or the customer’s id or name.';
