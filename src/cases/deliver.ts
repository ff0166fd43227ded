// Delivers what the outbox holds for a case, one kind at a time: each reads the case as it is now, calls the
// platform, and writes down what the platform answered (a thread, message ids) so later deliveries can use it.
// When something meant for the customer is late or refused, staff are told in the case's post.
import type { Kysely, Transaction } from 'kysely';
import type { Checker } from '../check/check.js';
import * as words from '../messages/cases.js';
import { parseQuery } from '../question/parse-question.js';
import type { Answer } from '../resolve/answer.js';
import type { Resolver } from '../resolve/resolver.js';
import type { CaseRow, OutboxRow, Schema } from '../store/schema.js';
import { describeQuestion, toView } from './case-view.js';
import type { Delivery, Target } from './deliveries.js';
import type { CustomerSide, StaffSide } from './ports.js';

type Db = Kysely<Schema> | Transaction<Schema>;

export interface DeliveryContext {
  db: Kysely<Schema>;
  customer: CustomerSide;
  staff: StaffSide;
  resolver: Resolver;
  checker?: Checker;
  now: () => number;
  /** Stores a delivery in the outbox, inside the given transaction. */
  send(tx: Db, caseId: number, target: Target, delivery: Delivery): Promise<void>;
  /** Runs work in one transaction and wakes the outbox. */
  change(key: undefined, work: (tx: Transaction<Schema>) => Promise<unknown>): Promise<unknown>;
  /** Wakes the outbox: a delivery stored more. */
  kick(): void;
}

export function createDelivery(context: DeliveryContext) {
  const { db, customer, staff, now, send, kick, change } = context;
  const byId = (id: number): Promise<CaseRow> =>
    db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  async function resolveQuestion(question: string): Promise<Answer | undefined> {
    const parsed = parseQuery(question);
    return parsed.ok ? context.resolver.answer(parsed.value.query) : undefined;
  }

  async function deliver(row: OutboxRow, delivery: Delivery): Promise<void> {
    const current = await byId(row.case_id);
    const view = toView(current);
    switch (delivery.kind) {
      case 'open-thread': {
        if (current.slack_thread_ts) return; // delivered before a restart cut the bookkeeping short
        const ts = await customer.openThread(view);
        await db.transaction().execute(async (tx) => {
          await tx
            .updateTable('cases')
            .set({ slack_thread_ts: ts, updated_at: now() })
            .where('id', '=', row.case_id)
            .execute();
          await send(tx, row.case_id, 'discord', { kind: 'create-post' });
        });
        kick();
        return;
      }
      case 'create-post': {
        if (current.discord_thread_id) return;
        const answer = await resolveQuestion(current.question).catch(() => undefined);
        const check =
          answer && context.checker
            ? await context.checker(answer.settings).catch(() => undefined)
            : undefined;
        const threadLink = customer.threadLink(view);
        const card = {
          ...(answer ? { answer } : {}),
          ...(check ? { check } : {}),
          ...(threadLink ? { threadLink } : {}),
        };
        const threadId = await staff.createPost(view, card);
        await db
          .updateTable('cases')
          .set({ discord_thread_id: threadId })
          .where('id', '=', row.case_id)
          .execute();
        return;
      }
      case 'status': {
        // A later status update is waiting: it will show the newest state, so this one need not be sent.
        const later = await db
          .selectFrom('outbox')
          .select('id')
          .where('case_id', '=', row.case_id)
          .where('state', '=', 'pending')
          .where('payload', '=', row.payload)
          .where('id', '>', row.id)
          .executeTakeFirst();
        if (!later) await staff.updateStatus(view);
        return;
      }
      case 'relay': {
        const message = { author: delivery.author, text: delivery.text };
        if (row.target === 'discord') {
          const ids = await staff.postCustomerMessage(view, message);
          await setMessageIds(delivery.messageId, { discord_ids: ids.join(',') });
        } else {
          const ts = await customer.postReply(view, message);
          await setMessageIds(delivery.messageId, { slack_ts: ts });
        }
        return;
      }
      case 'edit': {
        const ids = await messageIds(delivery.messageId);
        const now = await staff.editCustomerMessage(view, ids, {
          author: delivery.author,
          text: delivery.text,
        });
        await setMessageIds(delivery.messageId, { discord_ids: now.join(',') });
        return;
      }
      case 'delete':
        return staff.markDeleted(view, await messageIds(delivery.messageId));
      case 'settings': {
        const answer = await resolveQuestion(delivery.question);
        if (!answer) throw new Error(`settings question no longer parses: ${delivery.question}`);
        await customer.postSettings(view, answer, delivery.staff);
        return;
      }
      case 'resolved':
        await customer.postResolved(view, delivery.staff);
        return;
      case 'note':
        return staff.postNote(view, delivery.text);
      case 'remind':
        return staff.remind(view);
    }
  }

  async function messageIds(messageId: number): Promise<string[]> {
    const message = await db
      .selectFrom('case_messages')
      .select('discord_ids')
      .where('id', '=', messageId)
      .executeTakeFirst();
    return (message?.discord_ids ?? '').split(',').filter(Boolean);
  }
  const setMessageIds = (messageId: number, ids: { slack_ts?: string; discord_ids?: string }) =>
    db.updateTable('case_messages').set(ids).where('id', '=', messageId).execute();

  /** What staff see when something has not reached the customer (only Slack-bound deliveries concern them). */
  async function late(
    row: OutboxRow,
    delivery: Delivery,
    state: 'late' | 'refused' | 'delivered',
    error?: string,
  ) {
    // Only what should reach the customer concerns staff; a case that never opened has no post to tell.
    if (row.target !== 'slack' || delivery.kind === 'open-thread') return;
    const what = describeDelivery(delivery);
    const text =
      state === 'delivered'
        ? words.deliveredNow(what)
        : state === 'late'
          ? words.notDeliveredYet(what, error ?? 'no answer')
          : words.refusedForGood(what, error ?? 'refused');
    await change(undefined, (tx) => send(tx, row.case_id, 'discord', { kind: 'note', text }));
  }

  return { deliver, late };
}

function describeDelivery(delivery: Delivery): string {
  switch (delivery.kind) {
    case 'relay':
      return `“${delivery.text.length > 80 ? `${delivery.text.slice(0, 79)}…` : delivery.text}”`;
    case 'settings':
      return `the settings for ${describeQuestion(delivery.question)}`;
    case 'resolved':
      return 'the "resolved" message';
    case 'open-thread':
      return 'the message that opens the case';
    default:
      return delivery.kind;
  }
}
