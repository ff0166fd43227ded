// The customer's side of support cases in Slack: "Ask a person" opens a case, a message in a case's thread is
// relayed to staff (edits follow, deletions are marked), and the customer rates the help when it is resolved.
// Each event's key makes a retried event (Slack re-sends what it thinks was missed) a no-op.
import type { AllMiddlewareArgs, SlackActionMiddlewareArgs, webApi } from '@slack/bolt';
import type { Cases, Logger } from '../../src/index.js';
import { caseWords } from '../../src/index.js';
import { messageRef, placeRef, threadRef } from './refs.js';
import { ASK_PERSON_ACTION, RATE_ACTIONS } from './render.js';
import { unwrapSlackText } from './unwrap.js';

export interface CaseDeps {
  cases: Cases;
  log: Logger;
  /** Whether the token may read users' display names (users:read). */
  canReadUsers: boolean;
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
  const first = await deps.cases.firstDelivery(opened.value.id);
  if (first.status === 'refused') {
    deps.log.warn('slack: cannot open a case here', { channel, reason: first.reason });
    return void (await tell(caseWords.CANNOT_POST));
  }
  await tell(first.status === 'opened' ? caseWords.REQUEST_OPENED : caseWords.REQUEST_SAVED);
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
export async function relayToCase(event: MessageEvent, key: string, { cases }: CaseDeps): Promise<boolean> {
  if (event.subtype === 'message_changed') {
    const changed = event.message;
    if (!changed?.ts || !changed.thread_ts || changed.bot_id || changed.text === event.previous_message?.text)
      return false;
    const result = await cases.customerChanged({
      key,
      message: messageRef(event.channel, changed.ts),
      text: plain(changed),
    });
    return result.ok || result.error === 'duplicate';
  }
  if (event.subtype === 'message_deleted') {
    if (!event.deleted_ts || event.previous_message?.bot_id) return false;
    const result = await cases.customerChanged({ key, message: messageRef(event.channel, event.deleted_ts) });
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

/** The customer's display name with users:read, otherwise the name Slack sent with the click, or their id. */
async function displayName(client: webApi.WebClient, user: { id: string; name?: string }, deps: CaseDeps) {
  if (deps.canReadUsers) {
    try {
      const { user: found } = await client.users.info({ user: user.id });
      const name = found?.profile?.display_name || found?.real_name || found?.name;
      if (name) return name;
    } catch (error) {
      deps.log.warn('slack: could not read a display name', { user: user.id, error });
    }
  }
  return user.name ?? user.id;
}
