// Decides the stand-in for an asker: a new person asking with their own address about a domain already known
// gets the answer everyone asking about it gets, but for their address (and their set-up link). The stand-in
// asks the same question with an address of the same length whose local part is a character no text carries
// (Unicode's private use area), so a chat front end renders the stand-in's answer once and fills in each
// asker's own strings (render-cache.ts) instead of rendering the whole answer again for every new address.
import type { Query } from '../model/settings.js';
import { withoutTag } from '../reply/reply.js';
import type { Answer } from '../resolve/answer.js';
import type { SetupOffer } from '../setup/setup-offer.js';
import type { Said, Saying, StandIn } from './responder.js';

/** Stands in for each character of the asker's local part, and of their set-up link. */
export const STAND_IN = '\uE000';
export const LINK_STAND_IN = '\uE001';

type Answered = Extract<Said, { kind: 'answer' }>;

/** The ways one answer is asked for (private or not, each wording) whose stand-in is kept. */
const KEPT_PER_OFFER = 16;
/** Stand-ins of questions asked before, by the asker's offer (one per answer and program), privacy and wording. */
const made = new WeakMap<SetupOffer, Map<string, StandIn | null>>();

/** An answer to an address, and the conversation's own ways to answer and to offer set-up. */
export interface Answering {
  query: Query;
  said: Answered;
  /** The question as the asker's buttons carry it. */
  asked: string;
  answerFor(query: Query): Promise<Answer>;
  setupFor(answer: Answer): Promise<SetupOffer>;
}

/**
 * The stand-in for an answer, or undefined when there is none to share: no address, an address not typed as it
 * is answered (capitals), a tagged address, or an Apple profile, which is made for one asker. The stand-in's
 * answer and offer come from the conversation's own `answerFor` and `setupFor`, so they are cached as any
 * other's and stay the same objects from one asker to the next. A question asked before (not `firstAsked`) gets the stand-in it got then,
 * and its message is kept; a first one keeps nothing (most askers ask once).
 */
export async function standInFor(answering: Answering, firstAsked: boolean): Promise<StandIn | undefined> {
  if (firstAsked) return makeStandIn(answering, false);
  const { said, asked } = answering;
  let byOffer = made.get(said.setup);
  if (!byOffer) {
    byOffer = new Map();
    made.set(said.setup, byOffer);
  }
  const key = `${said.private}\0${asked}`;
  let standIn = byOffer.get(key);
  if (standIn === undefined) {
    standIn = (await makeStandIn(answering, true)) ?? null;
    if (byOffer.size < KEPT_PER_OFFER) byOffer.set(key, standIn);
  }
  return standIn ?? undefined;
}

async function makeStandIn(
  { query, said, asked, answerFor, setupFor }: Answering,
  keep: boolean,
): Promise<StandIn | undefined> {
  const { email } = query;
  const local = email?.slice(0, email.lastIndexOf('@')) ?? '';
  // The question and the one to share start with the address; the stand-in's start with its own.
  const sameAddress = (text = email) => text === email || text?.startsWith(`${email} `);
  if (
    !email ||
    query.input !== email ||
    said.setup.profile ||
    !sameAddress(asked) ||
    !sameAddress(said.shareAs)
  )
    return undefined;
  // A tagged address (alice+news@) signs in without its tag: its username is not its local part.
  if (local.includes(STAND_IN) || local.includes(LINK_STAND_IN) || withoutTag(email) !== email)
    return undefined;
  const standIn = STAND_IN.repeat(local.length);
  const instead = (text: string) => `${standIn}${text.slice(local.length)}`;
  const answer = await answerFor({ ...query, input: instead(email), email: instead(email) });
  const { link } = said.setup;
  const setup = withLinkOfLength(await setupFor(answer), link?.length);
  const saying: Saying = {
    said: { ...said, answer, setup, ...(said.shareAs ? { shareAs: instead(said.shareAs) } : {}) },
    asked: instead(asked),
  };
  const swaps: [string, string][] = [[standIn, local]];
  if (link) swaps.push([LINK_STAND_IN.repeat(link.length), link]);
  return { saying, swaps, keep };
}

/** Stand-in offers whose link stands in for one of a given length, kept as long as the offer they came from. */
const withLinks = new WeakMap<SetupOffer, Map<number, SetupOffer>>();

/** The stand-in's offer with a link as long as the asker's, so that text is cut at the same places. */
function withLinkOfLength(setup: SetupOffer, length: number | undefined): SetupOffer {
  if (length === undefined) return setup;
  const byLength = withLinks.get(setup) ?? new Map<number, SetupOffer>();
  withLinks.set(setup, byLength);
  let offer = byLength.get(length);
  if (!offer) {
    offer = { ...setup, link: LINK_STAND_IN.repeat(length) };
    byLength.set(length, offer);
  }
  return offer;
}
