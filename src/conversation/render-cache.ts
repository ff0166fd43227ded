// Keeps each platform's rendering of an answer with the answer. While a question's answer is cached, the
// resolver hands out the very same Answer and the conversation the very same set-up offer for it, so the
// message built for one asker is the message for the next: a chat front end wraps its renderer in this and
// renders a cached answer once instead of for every command. Only answers are kept (lines are cheap, checks
// are live); everything else the message depends on is in the key.
//
// A new asker about a domain already known comes with a stand-in (stand-in.ts): the same answer for an address
// of the same length. The stand-in's message is rendered once and each asker's is that message with their own
// strings in place of the stand-in's, wherever the platform shows them exactly as given (`plain`). The first
// asker's message is also rendered whole and compared: a message that does not come out the same that way
// (text cut in the middle of a stand-in, say) is always rendered whole.
import { isDeepStrictEqual } from 'node:util';
import type { Saying, StandIn } from './responder.js';
import { LINK_STAND_IN, STAND_IN } from './stand-in.js';

/** Messages kept per set-up offer: the ways one answer is asked for (private or not, each asker's wording). */
const MESSAGES_PER_OFFER = 16;

/** A stand-in's message, where its stand-ins are, and whether filling them in gives what rendering gives. */
interface Template<Message> {
  message: Message;
  holes: Holes;
  /** Undefined until the first asker's message was compared. */
  fits?: boolean;
}

/**
 * The keys that lead from an object to the strings holding a stand-in, and nothing else. Each such string is
 * kept as its pieces around the stand-ins: text, then the index of the swap that goes there, and so on.
 */
type Holes = [key: string, inner: Holes | Pieces][];
type Pieces = (string | number)[];

/**
 * `render` as it is, remembering its messages for answers. `variant` names whatever else the caller's message
 * depends on (Slack: how the profile travels to this asker); the message is shared, so it is never changed.
 * `plain` says whether the platform shows a text exactly as given (nothing escaped): only such an asker's
 * strings are filled into a stand-in's message.
 */
export function keepRendered<Message, Variant extends string = ''>(
  render: (saying: Saying, variant: Variant) => Message,
  plain: (text: string) => boolean = () => false,
): (saying: Saying, variant: Variant) => Message {
  const kept = new WeakMap<object, Map<string, Message>>();
  const templates = new WeakMap<object, Map<string, Template<Message>>>();

  /** The stand-in's message with the asker's strings in it, or undefined when it has to be rendered whole. */
  const fromStandIn = (saying: Saying, standIn: StandIn, variant: Variant): Message | undefined => {
    const { said } = standIn.saying;
    if (said.kind !== 'answer' || !standIn.swaps.every(([, asker]) => plain(asker))) return undefined;
    const byKey = templates.get(said.setup) ?? new Map<string, Template<Message>>();
    templates.set(said.setup, byKey);
    const key = keyOf(standIn.saying, variant);
    let template = byKey.get(key);
    if (!template) {
      const message = render(standIn.saying, variant);
      const holes = holesIn(message, standIn.swaps);
      template = { message, holes: isHoles(holes) ? holes : [] };
      if (byKey.size < MESSAGES_PER_OFFER) byKey.set(key, template);
    }
    if (template.fits === false) return undefined;
    const message = fillIn(template.message, template.holes, standIn.swaps) as Message;
    if (template.fits === undefined) {
      const whole = render(saying, variant);
      template.fits = isDeepStrictEqual(message, whole);
      return whole;
    }
    return message;
  };

  return (saying, variant) => {
    const { said } = saying;
    if (said.kind !== 'answer') return render(saying, variant);
    const key = keyOf(saying, variant);
    let messages = kept.get(said.setup);
    const hit = messages?.get(key);
    if (hit) return hit;
    const { standIn } = saying;
    const filled = standIn && fromStandIn(saying, standIn, variant);
    // A first question's message is filled in and given, not kept: most new askers ask once.
    if (filled && !standIn.keep) return filled;
    const message = filled ?? render(saying, variant);
    if (!messages) {
      messages = new Map();
      kept.set(said.setup, messages);
    }
    if (messages.size < MESSAGES_PER_OFFER) messages.set(key, message);
    return message;
  };
}

/** Everything an answer's message depends on besides its set-up offer. */
function keyOf({ said, asked }: Saying, variant: string): string {
  const answer = said.kind === 'answer' ? said : undefined;
  return `${variant}\0${answer?.private}\0${answer?.shareAs ?? ''}\0${asked}`;
}

/** Where a stand-in's strings are in a message: each is a run of one private-use character. */
const STAND_INS = new RegExp(`[${STAND_IN}${LINK_STAND_IN}]`);

function holesIn(value: unknown, swaps: StandIn['swaps']): Holes | Pieces | undefined {
  if (typeof value === 'string') return STAND_INS.test(value) ? piecesOf(value, swaps) : undefined;
  // Messages are plain data; anything else (a file's bytes) holds no text.
  if (typeof value !== 'object' || value === null) return undefined;
  if (!Array.isArray(value) && Object.getPrototypeOf(value) !== Object.prototype) return undefined;
  const holes: Holes = [];
  for (const [key, item] of Object.entries(value)) {
    const found = holesIn(item, swaps);
    if (found) holes.push([key, found]);
  }
  return holes.length > 0 ? holes : undefined;
}

const isHoles = (found: Holes | Pieces | undefined): found is Holes => Array.isArray(found?.[0]);

/** "Hi ⟨stand-in⟩@x.test" → ["Hi ", 0, "@x.test"]: the text split at each swap's stand-in. */
function piecesOf(text: string, swaps: StandIn['swaps']): Pieces {
  let pieces: Pieces = [text];
  swaps.forEach(([standIn], index) => {
    pieces = pieces.flatMap((piece) =>
      typeof piece === 'string'
        ? piece.split(standIn).flatMap((part, at) => (at === 0 ? [part] : [index, part]))
        : [piece],
    );
  });
  return pieces;
}

/** A copy of the message with each asker's string where its stand-in was; all else is shared, not copied. */
function fillIn(value: unknown, holes: Holes, swaps: StandIn['swaps']): unknown {
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string, unknown>;
  for (const [key, inner] of holes) {
    if (isHoles(inner)) copy[key] = fillIn(copy[key], inner, swaps);
    else {
      let text = '';
      for (const piece of inner)
        text += typeof piece === 'string' ? piece : (swaps[piece] as readonly string[])[1];
      copy[key] = text;
    }
  }
  return copy;
}
