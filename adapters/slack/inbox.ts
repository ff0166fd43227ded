// Message and mention events are stored in the database before Slack gets its acknowledgement. Bolt
// acknowledges an event before any listener runs (in HTTP and Socket Mode alike), so this sits in front of Bolt:
// every receiver hands events to `app.processEvent`. A message in a case's thread is taken in whole here, the
// event's key, the message and what it must send in one transaction, then acknowledged; any other such event is
// recorded under its event_id first and then handled. One that cannot be stored is not acknowledged (HTTP 500,
// or no Socket Mode ack), so Slack sends it again. A copy Slack sends (X-Slack-Retry-Num) of an event handled
// already, or still being handled by a live process, is only acknowledged; an event a process recorded and
// never finished (it died, or its work failed) is finished at the next start, and by any running process once
// it is a minute old (finishAbandonedEvents). Without a database, the process remembers the events it took in.
import type { App, ReceiverEvent } from '@slack/bolt';
import { LRUCache } from 'lru-cache';
import { type Inbox, type Logger, reasonOf, traceRelay } from '../../src/index.js';
import type { MessageEvent } from './case-listeners.js';

interface EventBody {
  type?: string;
  event_id?: string;
  event?: { type?: string };
}

/** How long an unfinished event waits before a running process takes it over, and how often they look. */
const ABANDONED_AFTER_MS = 60_000;
/** Slack stops retrying within hours; an event still failing after a day is given up, with a log line. */
const GIVE_UP_AFTER_MS = 24 * 60 * 60_000;

/** Events handled once whatever Slack sends again: messages (case threads, direct questions) and mentions. */
const ANSWERED_ONCE = new Set(['message', 'app_mention']);
/** Events Slack may send again that a process without a database remembers having taken in. */
const REMEMBERED = { max: 10_000, ttl: 60 * 60_000 };

/** Each app's own processEvent, for events this process already holds (replayStoredEvents). */
const unrecorded = new WeakMap<App, App['processEvent']>();

/**
 * Takes a message event in whole before it is acknowledged, when it can: a message in a case's thread is
 * stored with the event's key, and what it must send, in one transaction (adapters/slack/case-listeners.ts).
 * False: not such a message; it is recorded and handled as any other.
 */
export type TakeFirst = (event: MessageEvent, key: string) => Promise<boolean>;

export function storeEventsFirst(app: App, inbox: Inbox, log: Logger, takeFirst?: TakeFirst): void {
  const process = app.processEvent.bind(app);
  unrecorded.set(app, process);
  app.processEvent = async (event: ReceiverEvent) => {
    const body = event.body as EventBody;
    if (body.type !== 'event_callback' || !ANSWERED_ONCE.has(body.event?.type ?? '') || !body.event_id)
      return process(event);
    const key = `slack:${body.event_id}`;
    traceRelay({ stage: 'received', key });
    const context = { event: body.event_id, retry: event.retryNum };
    const notStored = (error: unknown) => {
      log.warn('slack: could not store an event; Slack will send it again', {
        ...context,
        reason: reasonOf(error),
      });
      throw error; // not acknowledged: Bolt answers 500 (HTTP) or leaves the envelope unacknowledged
    };
    // A message in a case's thread is written once, in whole: a retry of it is a duplicate there, and nothing is
    // left unfinished. (A mention there is answered as anywhere; its message event is what staff get.)
    const message = body.event?.type === 'message' ? (body.event as MessageEvent) : undefined;
    if (message && (await takeFirst?.(message, key).catch(notStored))) {
      await event.ack();
      traceRelay({ stage: 'acked', key });
      return;
    }
    const seen = await inbox.record(key, JSON.stringify(body)).catch(notStored);
    if (seen === 'done' || seen === 'in-progress') {
      log.info(
        seen === 'done' ? 'slack: event already handled' : 'slack: event already being handled',
        context,
      );
      return event.ack();
    }
    if (seen === 'unfinished') log.info('slack: finishing an event another run took in', context);
    try {
      return await process(event);
    } finally {
      inbox.release(key);
    }
  };
}

/**
 * Processes again the message events left unfinished that no live process holds, received at least
 * `olderThanMs` ago (at start: all of them); returns how many.
 */
export async function replayStoredEvents(
  app: App,
  inbox: Inbox,
  log: Logger,
  olderThanMs = 0,
): Promise<number> {
  const events = await inbox.abandoned(olderThanMs);
  const process = unrecorded.get(app) ?? app.processEvent.bind(app);
  for (const { key, body, receivedAt } of events) {
    try {
      if (!key.startsWith('slack:')) continue;
      if (Date.now() - receivedAt > GIVE_UP_AFTER_MS) {
        log.error('slack: giving up on an event that failed for a day', { key });
        await inbox.finish(key);
        continue;
      }
      const since = new Date(receivedAt).toISOString();
      const atStart = olderThanMs === 0;
      log.info(`slack: finishing an event ${atStart ? 'taken in before a restart' : 'left unfinished'}`, {
        key,
        since,
      });
      await process({ body: JSON.parse(body), ack: async () => {} });
    } catch (error) {
      log.error('slack: could not finish an event', { key, reason: reasonOf(error) });
    } finally {
      inbox.release(key);
    }
  }
  return events.length;
}

/** Every minute, finishes the events left unfinished for a minute (a replica died, or the work failed). */
export function keepFinishingEvents(app: App, inbox: Inbox, log: Logger): () => void {
  const timer = setInterval(
    () =>
      void replayStoredEvents(app, inbox, log, ABANDONED_AFTER_MS).catch((error: unknown) =>
        log.warn('slack: could not look for unfinished events', { reason: reasonOf(error) }),
      ),
    ABANDONED_AFTER_MS,
  );
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Without a database (no support cases), a copy Slack sends (X-Slack-Retry-Num) of an event this process took
 * in already is only acknowledged: a question is answered once. Slack retries within the hour.
 */
export function answerEventsOnce(app: App, log: Logger): void {
  const process = app.processEvent.bind(app);
  const seen = new LRUCache<string, true>(REMEMBERED);
  app.processEvent = async (event: ReceiverEvent) => {
    const body = event.body as EventBody;
    const id = body.type === 'event_callback' ? body.event_id : undefined;
    if (id && seen.has(id)) {
      log.info('slack: event already handled', { event: id, retry: event.retryNum });
      return event.ack();
    }
    if (id) seen.set(id, true);
    return process(event);
  };
}
