// The customer's side of support cases in Slack: "Ask a person" opens a short modal (ask-person.ts) whose
// submission opens a case, a message in a case's thread is relayed to staff (edits follow, deletions are
// marked), and the customer rates the help when it is resolved. Each event's key makes a retried event (Slack
// re-sends what it thinks was missed) a no-op.
import type { AllMiddlewareArgs, SlackActionMiddlewareArgs, webApi } from '@slack/bolt';
import { LRUCache } from 'lru-cache';
import type { Cases, Logger } from '../../src/index.js';
import { caseWords } from '../../src/index.js';
import { openAskPerson } from './ask-person.js';
import { messageRef, threadRef } from './refs.js';
import { ASK_PERSON_ACTION, escapeMrkdwn, RATE_ACTIONS } from './render.js';
import { unwrapSlackText } from './unwrap.js';

export interface CaseDeps {
  cases: Cases;
  log: Logger;
  /** Whether the token may read users' display names (users:read). */
  canReadUsers: boolean;
  /** Whether it may read their email addresses too (users:read.email), for the case card. */
  canReadEmail?: boolean;
  /** How often a case on its way is looked at again for the customer's second word. @default 1000 */
  settlePollMs?: number;
}

export type ActionArgs = SlackActionMiddlewareArgs & AllMiddlewareArgs;

/** A Slack message event, as much of it as the relay reads. */
export interface MessageEvent {
  type: 'message';
  subtype?: string;
  channel: string;
  user?: string;
  bot_id?: string;
  text?: string;
  ts?: string;
  thread_ts?: string;
  files?: { name?: string; title?: string; permalink?: string }[];
  message?: MessageEvent;
  previous_message?: MessageEvent;
  deleted_ts?: string;
}

/** Handles the button when it is a case's ("Ask a person", a rating); false when it is another one. */
export async function caseAction(args: ActionArgs, deps: CaseDeps): Promise<boolean> {
  const id = 'action_id' in args.action ? args.action.action_id : '';
  if (id === ASK_PERSON_ACTION) await openAskPerson(args, deps);
  else {
    const rating = RATE_ACTIONS.find(({ actionId }) => actionId === id);
    if (!rating) return false;
    await rate(args, rating.helpful, deps);
  }
  return true;
}

async function rate({ ack, body, action, respond }: ActionArgs, helpful: boolean, deps: CaseDeps) {
  await ack();
  const message = (body as { message?: { thread_ts?: string; ts?: string } }).message;
  const threadTs = message?.thread_ts ?? message?.ts;
  const channel = body.channel?.id;
  if (!channel || !threadTs) return;
  const key = `slack:rate:${channel}:${threadTs}:${'action_ts' in action ? action.action_ts : ''}`;
  const rated = await deps.cases.rate({
    key,
    customerThread: threadRef(channel, threadTs),
    customerId: body.user.id,
    helpful,
  });
  if (!rated.ok && (rated.error === 'not-yours' || rated.error === 'not-resolved')) {
    const text = rated.error === 'not-yours' ? caseWords.ONLY_THE_ASKER : caseWords.OPEN_AGAIN;
    await respond({ response_type: 'ephemeral', replace_original: false, text });
  } else if (rated.ok) {
    await respond({
      replace_original: true,
      text: caseWords.thanksForRating(escapeMrkdwn(rated.value.resolvedBy ?? 'our team')), // a staff name
    });
  }
}

/**
 * Relays a message event to its case when it belongs to one: a reply in the case's thread, an edit of one, or
 * a deletion. Returns whether it was a case's (then nothing else should answer it). The bot's own posts are
 * never relayed back.
 */
export async function relayToCase(
  event: MessageEvent,
  key: string,
  client: webApi.WebClient,
  deps: CaseDeps,
): Promise<boolean> {
  const { cases } = deps;
  // The name is looked up only when the case needs it: a customer's own messages carry the case's name.
  const by = (message: MessageEvent | undefined) => {
    const id = message?.user ?? '';
    return { id, name: () => displayName(client, { id }, deps) };
  };
  if (event.subtype === 'message_changed' || event.subtype === 'message_deleted') {
    const deleted = event.subtype === 'message_deleted';
    const message = deleted ? event.previous_message : event.message;
    const ts = deleted ? event.deleted_ts : message?.ts;
    const changed = !deleted && message?.text === event.previous_message?.text;
    if (!message || !ts || !message.thread_ts || message.bot_id || changed) return false;
    // When the edit was made (Slack's `edited.ts`): an older one retried after a newer changes nothing.
    const editedAt = Math.round(
      Number((message as { edited?: { ts?: string } }).edited?.ts ?? event.ts) * 1000,
    );
    const result = await cases.customerChanged({
      key,
      customerThread: threadRef(event.channel, message.thread_ts),
      message: messageRef(event.channel, ts),
      by: by(message),
      ...(deleted ? {} : { text: plain(message), ...(Number.isFinite(editedAt) ? { editedAt } : {}) }),
    });
    return result.ok || result.error === 'duplicate';
  }
  const reply = event.thread_ts && event.ts && event.thread_ts !== event.ts;
  const human =
    !event.bot_id &&
    (event.subtype === undefined || event.subtype === 'file_share' || event.subtype === 'thread_broadcast');
  if (!reply || !human || !event.ts || !event.thread_ts) return false;
  const result = await cases.customerMessage({
    key,
    customerThread: threadRef(event.channel, event.thread_ts),
    message: messageRef(event.channel, event.ts),
    by: by(event),
    text: plain(event),
  });
  return result.ok || result.error === 'duplicate';
}

/** What the customer wrote, readable outside Slack; an attachment is named, with where to see it. */
function plain(message: MessageEvent): string {
  const files = (message.files ?? []).map((file) =>
    caseWords.fileAttached(file.title ?? file.name ?? 'a file', 'Slack', file.permalink ?? 'the thread'),
  );
  return [unwrapSlackText(message.text ?? '', 'keep'), ...files].filter(Boolean).join('\n');
}

/**
 * A person's display name with users:read, otherwise the name Slack sent with a click, or their id; and their
 * email address with users:read.email. Kept a while: every message in a case's thread names its author.
 */
export async function personOf(
  client: webApi.WebClient,
  user: { id: string; name?: string },
  deps: CaseDeps,
): Promise<{ name: string; email?: string }> {
  const people = peopleOf(deps);
  const known = people.get(user.id);
  if (known) return known;
  if (deps.canReadUsers && user.id) {
    try {
      const { user: found } = await client.users.info({ user: user.id });
      const name = found?.profile?.display_name || found?.real_name || found?.name;
      const email = deps.canReadEmail ? found?.profile?.email : undefined;
      if (name) {
        const person = { name, ...(email ? { email } : {}) };
        people.set(user.id, person);
        return person;
      }
    } catch (error) {
      deps.log.warn('slack: could not read a display name', { user: user.id, error });
    }
  }
  return { name: user.name ?? user.id };
}
const displayName = async (...args: Parameters<typeof personOf>) => (await personOf(...args)).name;
/** Who was read lately, per app (its deps): one process may run more than one, tests do. */
const peopleByApp = new WeakMap<CaseDeps, LRUCache<string, { name: string; email?: string }>>();
function peopleOf(deps: CaseDeps) {
  const people = peopleByApp.get(deps) ?? new LRUCache({ max: 10_000, ttl: 10 * 60_000 });
  peopleByApp.set(deps, people);
  return people;
}
