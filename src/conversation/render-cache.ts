// Keeps each platform's rendering of an answer with the answer. While a question's answer is cached, the
// resolver hands out the very same Answer and the conversation the very same set-up offer for it, so the
// message built for one asker is the message for the next: a chat front end wraps its renderer in this and
// renders a cached answer once instead of for every command. Only answers are kept (lines are cheap, checks
// are live); everything else the message depends on is in the key.
import type { Saying } from './responder.js';

/** Messages kept per set-up offer: the ways one answer is asked for (private or not, each asker's wording). */
const MESSAGES_PER_OFFER = 16;

/**
 * `render` as it is, remembering its messages for answers. `variant` names whatever else the caller's message
 * depends on (Slack: how the profile travels to this asker); the message is shared, so it is never changed.
 */
export function keepRendered<Message, Variant extends string = ''>(
  render: (saying: Saying, variant: Variant) => Message,
): (saying: Saying, variant: Variant) => Message {
  const kept = new WeakMap<object, Map<string, Message>>();
  return (saying, variant) => {
    const { said } = saying;
    if (said.kind !== 'answer') return render(saying, variant);
    const key = [variant, said.private, said.shareAs, saying.asked].join('\0');
    const messages = kept.get(said.setup) ?? new Map<string, Message>();
    const hit = messages.get(key);
    if (hit) return hit;
    const message = render(saying, variant);
    if (messages.size < MESSAGES_PER_OFFER) messages.set(key, message);
    kept.set(said.setup, messages);
    return message;
  };
}
