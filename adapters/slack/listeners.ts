// The Slack listeners, registered in one place: the /mailsettings command, the "Share in channel" button,
// mentions (answered in a thread) and direct messages. Each unwraps Slack's markup into the question, asks
// the core once and renders the reply; every failure is logged with context and answered with a short apology.
import { randomUUID } from 'node:crypto';
import type {
  AllMiddlewareArgs,
  App,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
} from '@slack/bolt';
import type { Checker } from '../../src/check/check.js';
import {
  answerSoon,
  checkToReply,
  INTERNAL_ERROR,
  type Logger,
  parseQuery,
  type Query,
  queryProblem,
  type RateLimiter,
  type Resolver,
  settingsToReply,
  slowDownMessage,
  USAGE,
} from '../../src/index.js';
import type { Answer } from '../../src/resolve/answer.js';
import { lineToBlockKit, replyToBlockKit, SHARE_ACTION, type SlackMessage } from './render.js';
import { MAX_SLACK_TEXT, unwrapSlackText } from './unwrap.js';

export interface SlackDeps {
  resolver: Resolver;
  limiter: RateLimiter;
  log: Logger;
  /** How long to wait for an answer before acknowledging with "Looking up…". @default 300 */
  inlineWaitMs?: number;
  /** Live checks ("example.com check"), when customers may run them (MAILSETTINGS_CHECK_AUDIENCE=everyone). */
  check?: { run: Checker; limiter: RateLimiter };
}

const HELP = `Usage: /${USAGE}. For example: /mailsettings example.com pop, or /mailsettings alice@example.com. The answer is visible only to you until you share it.`;

export function register(app: App, deps: SlackDeps): void {
  app.command('/mailsettings', (args) => answerCommand(args, deps));
  app.action(SHARE_ACTION, (args) => shareAnswer(args, deps));
  app.event('app_mention', async ({ event, say }) => {
    const text = await answerText(event.text, event.user ?? 'unknown', deps, 'mention');
    await say({ ...text, thread_ts: event.thread_ts ?? event.ts });
  });
  app.message(async ({ message, say }) => {
    // Only people's own messages in a direct conversation; edits, joins and bots (this one too) are ignored.
    if (message.channel_type !== 'im' || message.subtype !== undefined || 'bot_id' in message) return;
    await say(await answerText(message.text ?? '', message.user, deps, 'direct message'));
  });
  app.error(async (error) => {
    deps.log.error('slack: unhandled error', { error });
  });
}

const STAFF_ONLY =
  'Live checks are run by our support staff: ask here and we will check the servers for you.';

/** The question in a command or message, or a one-line reply when it is not a question to answer. */
function readQuestion(
  text: string,
  user: string,
  deps: SlackDeps,
): { query: Query; check: boolean } | { line: string } {
  // A hostile paste is refused by its length alone, before any pass over it.
  const question = text.length > MAX_SLACK_TEXT ? undefined : unwrapSlackText(text).trim();
  if (question === '' || /^help$/i.test(question ?? '')) return { line: HELP };
  const limited = deps.limiter(user);
  if (!limited.allowed) return { line: slowDownMessage(limited.retryAfterMs) };
  if (question === undefined) return { line: `${queryProblem('too-long').message} Usage: /${USAGE}` };
  const parsed = parseQuery(question);
  if (!parsed.ok) return { line: `${parsed.error.message} Usage: /${USAGE}` };
  if (!parsed.check) return { query: parsed.query, check: false };
  if (!deps.check) return { line: STAFF_ONLY };
  const checks = deps.check.limiter(user);
  return checks.allowed
    ? { query: parsed.query, check: true }
    : { line: slowDownMessage(checks.retryAfterMs) };
}

/** Resolves, probes every recommended server, and renders what the check saw. */
async function checkMessage(query: Query, deps: SlackDeps): Promise<SlackMessage> {
  const { settings } = await deps.resolver.answer(query);
  return replyToBlockKit(checkToReply(await (deps.check as NonNullable<SlackDeps['check']>).run(settings)));
}

function answerMessage(answer: Answer, share: boolean): SlackMessage {
  const { query } = answer.settings;
  const question = `${query.email ?? query.domain} ${query.protocol}`;
  return replyToBlockKit(settingsToReply(answer.settings), share ? { share: question } : {});
}

async function answerCommand(
  { command, ack, respond }: SlackCommandMiddlewareArgs,
  deps: SlackDeps,
): Promise<void> {
  const read = readQuestion(command.text, command.user_id, deps);
  if ('line' in read) return ack({ response_type: 'ephemeral', ...lineToBlockKit(read.line) });
  let acked = false;
  try {
    if (read.check) {
      acked = true;
      await ack({
        response_type: 'ephemeral',
        ...lineToBlockKit(`Checking the mail servers for ${read.query.domain}…`),
      });
      const message = await checkMessage(read.query, deps);
      await respond({ response_type: 'ephemeral', replace_original: true, ...message });
      return;
    }
    const { quick, pending } = await answerSoon(deps.resolver, read.query, deps.inlineWaitMs ?? 300);
    if (quick) {
      acked = true;
      return await ack({ response_type: 'ephemeral', ...answerMessage(quick, true) });
    }
    acked = true;
    await ack({ response_type: 'ephemeral', ...lineToBlockKit(`Looking up ${read.query.domain}…`) });
    await respond({
      response_type: 'ephemeral',
      replace_original: true,
      ...answerMessage(await pending, true),
    });
  } catch (error) {
    const apology = apologize(deps, { command: command.text, user: command.user_id, error });
    if (acked) await respond({ response_type: 'ephemeral', replace_original: true, ...apology });
    else await ack({ response_type: 'ephemeral', ...apology });
  }
}

async function shareAnswer(
  { ack, body, respond, action }: SlackActionMiddlewareArgs & AllMiddlewareArgs,
  deps: SlackDeps,
): Promise<void> {
  await ack();
  const question = action.type === 'button' ? (action.value ?? '') : '';
  try {
    const parsed = parseQuery(question);
    if (!parsed.ok) throw new Error(`unexpected share value ${JSON.stringify(question)}`);
    const reply = settingsToReply((await deps.resolver.answer(parsed.query)).settings);
    const sharer = body.user.name ?? body.user.id;
    await respond({
      response_type: 'in_channel',
      replace_original: false,
      ...replyToBlockKit(reply, { footer: `Shared by ${sharer}` }),
    });
    // The private answer now says so, without its button: pressing again cannot post it twice.
    await respond({
      response_type: 'ephemeral',
      replace_original: true,
      ...replyToBlockKit(reply, { footer: 'You shared this answer in the channel.' }),
    });
  } catch (error) {
    await respond({
      response_type: 'ephemeral',
      replace_original: false,
      ...apologize(deps, { share: question, user: body.user.id, error }),
    });
  }
}

/** Mentions and direct messages: always a full message, since there is no acknowledgement to race. */
async function answerText(text: string, user: string, deps: SlackDeps, via: string): Promise<SlackMessage> {
  const read = readQuestion(text, user, deps);
  if ('line' in read) return lineToBlockKit(read.line);
  try {
    if (read.check) return await checkMessage(read.query, deps);
    return answerMessage(await deps.resolver.answer(read.query), false);
  } catch (error) {
    return apologize(deps, { via, text, user, error });
  }
}

function apologize(deps: SlackDeps, context: Record<string, unknown>): SlackMessage {
  const requestId = randomUUID().slice(0, 8);
  deps.log.error('slack: failed to answer', { ...context, requestId });
  return lineToBlockKit(`${INTERNAL_ERROR} (reference ${requestId})`);
}
