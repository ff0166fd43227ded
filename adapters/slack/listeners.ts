// What the bot does with Slack's requests, routed in one place: the /mailsettings command, the "Share in
// channel" button, the mail program buttons, mentions (answered in a thread) and direct messages. Each turns
// the event into a question for the core's conversation and gives it a Responder over Bolt's ack / respond /
// say (which also sends an answer's Apple profile as a file where the scopes allow); nothing else happens here.
import type {
  AllMiddlewareArgs,
  App,
  BlockButtonAction,
  SayFn,
  SlackCommandMiddlewareArgs,
  SlackEventMiddlewareArgs,
  webApi,
} from '@slack/bolt';
import {
  type Conversation,
  type Inbox,
  keepRendered,
  type Logger,
  type Responder,
  type Saying,
  type SetupHandler,
} from '../../src/index.js';
import { askPersonSubmitted, isAskPersonSubmission, presserQuestion } from './ask-person.js';
import {
  type ActionArgs,
  type CaseDeps,
  caseAction,
  type MessageEvent,
  relayToCase,
} from './case-listeners.js';
import { explainRequest, isExplainRequest } from './explain-listeners.js';
import { withExplainButton } from './explain-render.js';
import { escapeMrkdwn, SHARE_ACTION, sayingToBlockKit } from './render.js';
import { commandResponder, messageResponder, type Render, shareResponder } from './responders.js';
import { type FileTarget, profileAsFor, withProfileUpload } from './setup-files.js';
import { PROGRAM_ACTION, type ProfileAs, withSetup } from './setup-render.js';
import { MAX_SLACK_TEXT, unwrapSlackText } from './unwrap.js';

export interface SlackDeps {
  conversation: Conversation;
  log: Logger;
  /** Support cases, when the relay to Discord is configured: "Ask a person" and the case threads. */
  cases?: Omit<CaseDeps, 'log'>;
  /** Where message events are stored before they are acknowledged (see inbox.ts). */
  inbox?: Inbox;
  /** The set-up page and autoconfig, served beside /slack/events in HTTP mode (app.ts). */
  setup?: SetupHandler;
}

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;
type EventArgs = SlackEventMiddlewareArgs & AllMiddlewareArgs;

/** The plain question: Slack's markup undone. A hostile paste is passed on whole, refused by its length alone. */
const questionIn = (text: string) => (text.length > MAX_SLACK_TEXT ? text : unwrapSlackText(text));

/** `scopes`: what the bot token was granted (auth.test), which decides how files travel. */
export function register(app: App, deps: SlackDeps, scopes: readonly string[] = []): void {
  const { conversation, log } = deps;
  const cases = deps.cases ? { ...deps.cases, log } : undefined;
  const rendered = keepRendered(
    (saying: Saying, profileAs: ProfileAs) =>
      withExplainButton(
        withSetup(sayingToBlockKit(saying, { askPerson: cases !== undefined }), saying.said, profileAs),
        saying,
      ),
    // Shown as given: nothing for escapeMrkdwn to escape (& < >) or take out (bidi and control characters).
    (text) => escapeMrkdwn(text) === text,
  );
  /** Renders for answers that go to `target`, and sends their profile there as a file when it can. */
  const to = (target: FileTarget) => {
    const profileAs = profileAsFor(target, scopes);
    const render: Render = (saying) => rendered(saying, profileAs);
    const files = (responder: Responder, client: webApi.WebClient) =>
      withProfileUpload(responder, { client, target, scopes, log });
    return { render, files };
  };
  const onCommand = ({ command, ack, respond, client }: CommandArgs) => {
    const { render, files } = to({ user: command.user_id });
    return conversation.ask(
      {
        text: questionIn(command.text),
        user: command.user_id,
        audience: 'customer',
        private: true,
        via: 'slack command',
      },
      files(commandResponder(ack, respond, render), client),
    );
  };
  const onAction = async (args: ActionArgs) => {
    if (cases && (await caseAction(args, cases))) return;
    const { ack, body, respond, action, client } = args;
    await ack();
    if (action.type !== 'button' || !('action_id' in action)) return;
    const user = body.user.id;
    if (action.action_id === SHARE_ACTION) {
      const by = body.user.name ?? user;
      // The private answer the button is on (ephemeral: only its container says which).
      const container = (body as { container?: { channel_id?: string; message_ts?: string } }).container;
      const key = `slack:${container?.channel_id}:${container?.message_ts}:${user}`;
      await conversation.share(
        { question: action.value ?? '', by, user, via: 'slack share', key },
        shareResponder(respond, to({ user }).render),
      );
    } else if (action.action_id.startsWith(`${PROGRAM_ACTION}:`)) {
      // A program chosen under an answer: the question again with the program, answered to the one who chose.
      // A private answer makes way for the one with steps; under a public one the steps are for the chooser.
      const ephemeral =
        (body as BlockButtonAction & { container: { is_ephemeral?: boolean } }).container.is_ephemeral ===
        true;
      const { render, files } = to({ user });
      const send: Responder['answer'] = (saying) =>
        respond({ response_type: 'ephemeral', replace_original: ephemeral, ...render(saying) }).then(
          () => {},
        );
      // The program chosen (the value's last word) for the question, as the presser may read it.
      const words = (action.value ?? '').trim().split(/\s+/);
      const program = words.pop() ?? '';
      const text = `${presserQuestion(body, words.join(' '))} ${program}`;
      await conversation.ask(
        { text, user, audience: 'customer', private: true, via: 'slack program' },
        files({ answer: send, replace: send }, client),
      );
    }
  };
  const onEvent = async (args: EventArgs) => {
    // Bolt gives `say` to every event in a channel; its types only know that for an event named exactly.
    const { event, body, client, say } = args as EventArgs & { say: SayFn };
    const key = `slack:${body.event_id}`;
    if (event.type === 'app_mention') {
      const threadTs = event.thread_ts ?? event.ts;
      const { render, files } = to({ channel: event.channel, threadTs });
      // Another app's bot mentioning this one is no person asking. An edit of a message with a mention comes as
      // app_mention again (with `edited`): answered only when the message itself was not, its mention added by
      // the edit; a typo fixed after the answer is not answered twice.
      const mention = event as typeof event & { edited?: unknown; bot_id?: string };
      const once = `slack-mention:${event.channel}:${event.ts}`;
      const asked = { text: questionIn(event.text), user: event.user ?? 'unknown' };
      try {
        if (mention.bot_id || (mention.edited && !(await conversation.firstTime(once)))) return;
        await conversation.ask(
          { ...asked, audience: 'customer', private: false, via: 'slack mention' },
          files(messageResponder(say, render, threadTs), client),
        );
        // Not kept, an edit may be answered again: better than a question left unanswered.
        if (!mention.edited) await conversation.firstTime(once).catch(() => false);
      } finally {
        await deps.inbox?.finish(key);
      }
      return;
    }
    const message = event as unknown as MessageEvent;
    // A reply in a case's thread goes to staff, not a question; if it is not stored, it is taken up again.
    if (cases && (await relayToCase(message, key, client, cases))) return;
    try {
      // Otherwise only people's own messages in a direct conversation, a screenshot with them too; edits, joins,
      // bots (this one too) and replies in threads are not questions.
      const threaded = message.thread_ts !== undefined && message.thread_ts !== message.ts;
      const direct = (event as { channel_type?: string }).channel_type === 'im';
      const own = message.subtype === undefined || message.subtype === 'file_share';
      if (!direct || !own || message.bot_id || threaded || !message.user) return;
      const { render, files } = to({ channel: message.channel });
      await conversation.ask(
        {
          text: questionIn(message.text ?? ''),
          user: message.user,
          audience: 'customer',
          private: false,
          via: 'slack direct message',
        },
        files(messageResponder(say, render), client),
      );
    } finally {
      await deps.inbox?.finish(key);
    }
  };
  // One middleware routes every request. Bolt runs each registered listener's own matching chain (argument
  // copies, promises) for every request, whatever it is: three listeners cost each command more than all of
  // this module's own work (bench/README.md, "Slack"). Requests that are not ours go on to Bolt, unanswered.
  app.use(async (args) => {
    if (isExplainRequest(args)) return explainRequest(args, deps);
    if (cases && isAskPersonSubmission(args)) return askPersonSubmitted(args, cases);
    if ('command' in args) {
      if (args.command.command === '/mailsettings') return onCommand(args);
    } else if ('action' in args) {
      if ('action_id' in args.action && args.action.action_id.startsWith('mailsettings_'))
        return onAction(args);
    } else if ('event' in args) {
      if (args.event.type === 'app_mention' || args.event.type === 'message') return onEvent(args);
    }
    await args.next();
  });
  app.error(async (error) => {
    log.error('slack: unhandled error', { error });
  });
}
