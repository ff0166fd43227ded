// The customer's side of support cases in Slack: "Ask a person" opens a case, a message in a case's thread is
// relayed to staff (edits follow, deletions are marked), and the customer rates the help when it is resolved.
// Each event's key makes a retried event (Slack re-sends what it thinks was missed) a no-op.
import type { AllMiddlewareArgs, SlackActionMiddlewareArgs, webApi } from '@slack/bolt';
import { LRUCache } from 'lru-cache';
import type { Cases, FirstDelivery, Logger } from '../../src/index.js';
import { caseWords } from '../../src/index.js';
import { messageRef, placeRef, threadRef } from './refs.js';
import { ASK_PERSON_ACTION, RATE_ACTIONS } from './render.js';
import { unwrapSlackText } from './unwrap.js';

export interface CaseDeps {
  cases: Cases;
  log: Logger;
  /** Whether the token may read users' display names (users:read). */
  canReadUsers: boolean;
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
  if (id === ASK_PERSON_ACTION) await askPerson(args, deps);
  else {
    const rating = RATE_ACTIONS.find(({ actionId }) => actionId === id);
    if (!rating) return false;
    await rate(args, rating.helpful, deps);
  }
  return true;
}

async function askPerson({ ack, body, action, respond, client }: ActionArgs, deps: CaseDeps): Promise<void> {
  const channel = body.channel?.id;
  const question = action.type === 'button' ? (action.value ?? '') : '';
  if (!channel) return ack();
  const customerName = await displayName(client, body.user, deps);
  // Stored before the press is acknowledged: from here on, the case cannot be lost.
  const opened = await deps.cases.open({
    place: placeRef(channel),
    customerId: body.user.id,
    customerName,
    question,
  });
  await ack();
  const tell = (text: string) => respond({ response_type: 'ephemeral', replace_original: false, text });
  if (!opened.ok) return void (await tell(caseWords.ALREADY_OPEN));
  // Never "our team has it" before the staff post exists: until then the customer hears that it is on its way.
  const first = await deps.cases.firstDelivery(opened.value.id);
  if (first.status !== 'pending') return void (await tell(outcome(first, channel, deps)));
  await tell(caseWords.requestPending(opened.value.id));
  const later = await deps.cases.settled(opened.value.id, SETTLE_WITHIN_MS, deps.settlePollMs);
  if (later.status !== 'pending') await tell(outcome(later, channel, deps));
}

/** How long a case on its way is followed, for the customer's second word (a response URL lives 30 minutes). */
const SETTLE_WITHIN_MS = 25 * 60_000;

/** What the customer is told about a new case that was opened, or refused by either side. */
function outcome(
  first: Exclude<FirstDelivery, { status: 'pending' }>,
  channel: string,
  deps: CaseDeps,
): string {
  if (first.status === 'opened') {
    const away = first.view.awayUntil ? ` ${caseWords.awayUntil(first.view.awayUntil)}` : '';
    return `${caseWords.requestOpened(first.view.id)}${away}`;
  }
  if (first.side === 'staff') return caseWords.notThrough(first.id);
  deps.log.warn('slack: cannot open a case here', { channel, reason: first.reason });
  return caseWords.CANNOT_POST;
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
  if (!rated.ok && rated.error === 'not-yours') {
    await respond({ response_type: 'ephemeral', replace_original: false, text: caseWords.ONLY_THE_ASKER });
  } else if (rated.ok) {
    await respond({
      replace_original: true,
      text: caseWords.thanksForRating(rated.value.resolvedBy ?? 'our team'),
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
  const by = async (message: MessageEvent | undefined) => {
    const id = message?.user ?? '';
    return { id, name: await displayName(client, { id }, deps) };
  };
  if (event.subtype === 'message_changed' || event.subtype === 'message_deleted') {
    const deleted = event.subtype === 'message_deleted';
    const message = deleted ? event.previous_message : event.message;
    const ts = deleted ? event.deleted_ts : message?.ts;
    const changed = !deleted && message?.text === event.previous_message?.text;
    if (!message || !ts || !message.thread_ts || message.bot_id || changed) return false;
    const result = await cases.customerChanged({
      key,
      customerThread: threadRef(event.channel, message.thread_ts),
      message: messageRef(event.channel, ts),
      by: await by(message),
      ...(deleted ? {} : { text: plain(message) }),
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
    by: await by(event),
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
 * A person's display name with users:read, otherwise the name Slack sent with a click, or their id. Names are
 * kept a while: every message in a case's thread names its author.
 */
async function displayName(client: webApi.WebClient, user: { id: string; name?: string }, deps: CaseDeps) {
  const known = names.get(user.id);
  if (known) return known;
  if (deps.canReadUsers && user.id) {
    try {
      const { user: found } = await client.users.info({ user: user.id });
      const name = found?.profile?.display_name || found?.real_name || found?.name;
      if (name) {
        names.set(user.id, name);
        return name;
      }
    } catch (error) {
      deps.log.warn('slack: could not read a display name', { user: user.id, error });
    }
  }
  return user.name ?? user.id;
}
const names = new LRUCache<string, string>({ max: 10_000, ttl: 10 * 60_000 });
