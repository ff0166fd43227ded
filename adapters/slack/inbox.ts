// Message events are stored in the database before Slack gets its acknowledgement. Bolt acknowledges an
// event before any listener runs (in HTTP and Socket Mode alike), so this sits in front of Bolt: every
// receiver hands events to `app.processEvent`, and here each message event is recorded under its event_id
// first. An event Slack re-sends (X-Slack-Retry-Num) after it was handled is only acknowledged; events a
// stopped process never finished are processed again at the next start (replayStoredEvents).
import type { App, ReceiverEvent } from '@slack/bolt';
import type { Inbox, Logger } from '../../src/index.js';

interface EventBody {
  type?: string;
  event_id?: string;
  event?: { type?: string };
}

export function storeEventsFirst(app: App, inbox: Inbox, log: Logger): void {
  const process = app.processEvent.bind(app);
  app.processEvent = async (event: ReceiverEvent) => {
    const body = event.body as EventBody;
    if (body.type === 'event_callback' && body.event?.type === 'message' && body.event_id) {
      const seen = await inbox.record(`slack:${body.event_id}`, JSON.stringify(body));
      if (seen === 'done') {
        log.info('slack: event already handled', { event: body.event_id, retry: event.retryNum });
        return event.ack();
      }
    }
    return process(event);
  };
}

/** Processes again the message events stored but never finished (the process stopped); returns how many. */
export async function replayStoredEvents(app: App, inbox: Inbox, log: Logger): Promise<number> {
  const unfinished = (await inbox.unfinished()).filter(({ key }) => key.startsWith('slack:'));
  for (const { key, body } of unfinished) {
    log.info('slack: finishing an event taken in before a restart', { key });
    await app
      .processEvent({ body: JSON.parse(body), ack: async () => {} })
      .catch((error: unknown) => log.error('slack: could not finish an event', { key, error }));
  }
  return unfinished.length;
}
