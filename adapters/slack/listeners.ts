// The Slack listeners, registered in one place: the /mailsettings command, the "Share in channel" button,
// mentions (answered in a thread) and direct messages. Each turns the event into a question for the core's
// conversation and gives it a Responder over Bolt's ack / respond / say; nothing else happens here.
import type {
  AllMiddlewareArgs,
  App,
  RespondFn,
  SayFn,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
} from '@slack/bolt';
import type { Conversation, Logger, Responder } from '../../src/index.js';
import { SHARE_ACTION, sayingToBlockKit } from './render.js';
import { MAX_SLACK_TEXT, unwrapSlackText } from './unwrap.js';

export interface SlackDeps {
  conversation: Conversation;
  log: Logger;
}

/** The plain question: Slack's markup undone. A hostile paste is passed on whole, refused by its length alone. */
const questionIn = (text: string) => (text.length > MAX_SLACK_TEXT ? text : unwrapSlackText(text));

export function register(app: App, { conversation, log }: SlackDeps): void {
  app.command('/mailsettings', ({ command, ack, respond }: SlackCommandMiddlewareArgs) =>
    conversation.ask(
      {
        text: questionIn(command.text),
        user: command.user_id,
        audience: 'customer',
        private: true,
        via: 'slack command',
      },
      commandResponder(ack, respond),
    ),
  );
  app.action(
    SHARE_ACTION,
    async ({ ack, body, respond, action }: SlackActionMiddlewareArgs & AllMiddlewareArgs) => {
      await ack();
      const question = action.type === 'button' ? (action.value ?? '') : '';
      const by = body.user.name ?? body.user.id;
      await conversation.share(
        { question, by, user: body.user.id, via: 'slack share' },
        shareResponder(respond),
      );
    },
  );
  app.event('app_mention', ({ event, say }) =>
    conversation.ask(
      {
        text: questionIn(event.text),
        user: event.user ?? 'unknown',
        audience: 'customer',
        private: false,
        via: 'slack mention',
      },
      messageResponder(say, event.thread_ts ?? event.ts),
    ),
  );
  app.message(async ({ message, say }) => {
    // Only people's own messages in a direct conversation; edits, joins and bots (this one too) are ignored.
    if (message.channel_type !== 'im' || message.subtype !== undefined || 'bot_id' in message) return;
    await conversation.ask(
      {
        text: questionIn(message.text ?? ''),
        user: message.user,
        audience: 'customer',
        private: false,
        via: 'slack direct message',
      },
      messageResponder(say),
    );
  });
  app.error(async (error) => {
    log.error('slack: unhandled error', { error });
  });
}

/** A slash command: the first response goes in the acknowledgement, later ones through response_url. */
function commandResponder(ack: SlackCommandMiddlewareArgs['ack'], respond: RespondFn): Responder {
  const acknowledge: Responder['answer'] = (saying) =>
    ack({ response_type: 'ephemeral', ...sayingToBlockKit(saying) });
  return {
    answer: acknowledge,
    acknowledge,
    replace: (saying) =>
      respond({ response_type: 'ephemeral', replace_original: true, ...sayingToBlockKit(saying) }).then(
        () => {},
      ),
  };
}

/** "Share in channel": the answer posted for everyone, then the private one replaced without its button. */
function shareResponder(respond: RespondFn): Responder {
  const send =
    (responseType: 'in_channel' | 'ephemeral', replace: boolean): Responder['answer'] =>
    (saying) =>
      respond({ response_type: responseType, replace_original: replace, ...sayingToBlockKit(saying) }).then(
        () => {},
      );
  return {
    post: send('in_channel', false),
    replace: send('ephemeral', true),
    answer: send('ephemeral', false),
  };
}

/** A mention (answered in its thread) or a direct message: nothing to acknowledge, one message when ready. */
function messageResponder(say: SayFn, threadTs?: string): Responder {
  const send: Responder['answer'] = (saying) =>
    say({ ...sayingToBlockKit(saying), ...(threadTs ? { thread_ts: threadTs } : {}) }).then(() => {});
  return { answer: send, replace: send };
}
