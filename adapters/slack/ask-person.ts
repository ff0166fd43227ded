// "Ask a person": the button opens a short modal (views.open with the press's trigger_id, which Slack honours
// once, within 3 seconds) asking what happens and which mail program, preset from the question. Its submission
// (view_submission, from the same person the modal was opened for) opens the case as the press used to: stored
// before Slack gets its acknowledgement, then the staff post, then the thread. What became of it is said in the
// modal itself: a view_submission carries no response_url (only a message-based modal with a channel select
// and response_url_enabled gets one), chat.postEphemeral fails in exactly the channel where a case cannot open
// (the bot is not a member), and the modal is private wherever the customer asked. The acknowledgement shows
// the outcome when the post is made within ACK_WITHIN_MS; otherwise it says the question is on its way and
// views.update gives the outcome later (if the customer closed the modal by then, it comes as an ephemeral).
import { randomUUID } from 'node:crypto';
import type { AllMiddlewareArgs, AnyMiddlewareArgs, SlackViewMiddlewareArgs } from '@slack/bolt';
import {
  caseWords,
  type FirstDelivery,
  questionWithoutAddress,
  takeProgram,
  withTimeout,
} from '../../src/index.js';
import {
  ASK_INPUTS,
  ASK_PERSON_VIEW,
  askedView,
  askPersonModal,
  OTHER_PROGRAM,
  readAskMetadata,
} from './ask-person-render.js';
import { type ActionArgs, type CaseDeps, personOf } from './case-listeners.js';
import { placeRef } from './refs.js';

type ViewArgs = SlackViewMiddlewareArgs & AllMiddlewareArgs;

/** How long a submission waits for the customer's name, then for the staff post (Slack waits 3 s in all). */
const PERSON_WITHIN_MS = 800;
const ACK_WITHIN_MS = 1200;
/** How long a case on its way is followed, for the customer's second word. */
const SETTLE_WITHIN_MS = 25 * 60_000;

/**
 * The question a button under an answer carries, for whoever pressed it. Under an answer everyone in the channel
 * sees, the presser may not be who asked: they get the domain the question was about, never the address someone
 * else named.
 */
export function presserQuestion(body: ActionArgs['body'], question: string): string {
  const container = (body as { container?: { is_ephemeral?: boolean; channel_id?: string } }).container;
  const channel = body.channel?.id ?? container?.channel_id ?? '';
  const seenByOthers = container?.is_ephemeral !== true && !channel.startsWith('D');
  return (seenByOthers && questionWithoutAddress(question)) || question;
}

/** Opens the modal for the question the button carries ("alice@example.com pop outlook"). */
export async function openAskPerson(
  { ack, body, action, client }: ActionArgs,
  deps: CaseDeps,
): Promise<void> {
  await ack();
  const channel = body.channel?.id;
  const triggerId = (body as { trigger_id?: string }).trigger_id;
  if (!channel || !triggerId) return;
  const value = action.type === 'button' ? (action.value ?? '') : '';
  const taken = takeProgram(value);
  const program = taken.program?.ok ? taken.program.value : undefined;
  const question = presserQuestion(body, program ? taken.question : value);
  try {
    await client.views.open({
      trigger_id: triggerId,
      view: askPersonModal({ question, channel, user: body.user.id }, program),
    });
  } catch (error) {
    deps.log.warn('slack: could not open the "Ask a person" modal', { user: body.user.id, error });
  }
}

export const isAskPersonSubmission = (args: AnyMiddlewareArgs) =>
  'view' in args && args.body.type === 'view_submission' && args.view.callback_id === ASK_PERSON_VIEW;

/**
 * The modal's submission: the case opens with what the customer wrote and chose, and they hear what became of
 * it. Anything that breaks before the acknowledgement is logged and answered with an apology in the modal.
 */
export async function askPersonSubmitted(args: AnyMiddlewareArgs & AllMiddlewareArgs, deps: CaseDeps) {
  const { ack, body } = args as ViewArgs;
  let acknowledged = false;
  const update = (line: string) => {
    acknowledged = true;
    return ack({ response_action: 'update', view: askedView(line) });
  };
  try {
    await submitted(args as ViewArgs, update, deps);
  } catch (error) {
    const reference = randomUUID().slice(0, 8);
    deps.log.error('slack: could not pass on an "Ask a person" request', {
      user: body.user.id,
      reference,
      error,
    });
    if (!acknowledged) await update(caseWords.notSent(reference));
  }
}

async function submitted(
  { body, view, client }: ViewArgs,
  update: (line: string) => Promise<void>,
  deps: CaseDeps,
) {
  const asked = readAskMetadata(view.private_metadata);
  // Slack lets only the person it was opened for submit a modal; the metadata is checked all the same.
  if (!asked || asked.user !== body.user.id) {
    deps.log.warn('slack: an "Ask a person" submission by someone it was not opened for', {
      user: body.user.id,
    });
    return update(caseWords.ONLY_THE_ASKER_SENDS);
  }
  const values = view.state.values;
  const words = values[ASK_INPUTS.words]?.[ASK_INPUTS.text]?.value ?? '';
  const chosen = values[ASK_INPUTS.program]?.[ASK_INPUTS.choice]?.selected_option?.value;
  // Slack waits 3 seconds for the acknowledgement: a slow users.info leaves the name Slack sent.
  const named: { name: string; email?: string } = { name: body.user.name ?? body.user.id };
  const person = await withTimeout(personOf(client, body.user, deps), PERSON_WITHIN_MS, () => named);
  // Stored before the submission is acknowledged: from here on, the case cannot be lost.
  const opened = await deps.cases.open({
    place: placeRef(asked.channel),
    customerId: body.user.id,
    customerName: person.name,
    question: asked.question,
    words,
    ...(chosen && chosen !== OTHER_PROGRAM ? { program: chosen } : {}),
    ...(person.email ? { email: person.email } : {}),
  });
  if (!opened.ok) return update(caseWords.ALREADY_OPEN);
  const { id } = opened.value;
  // Never "our team has it" before the staff post exists: until then the customer hears it is on its way.
  const first = deps.cases.firstDelivery(id);
  const soon = await withTimeout(first, ACK_WITHIN_MS, () => undefined);
  if (soon && soon.status !== 'pending') return update(outcome(soon, asked.channel, deps));
  await update(caseWords.requestPending(id));
  // The first delivery may still be under way: its outcome, else the case followed until it settles.
  const drained = await first;
  const later =
    drained.status === 'pending'
      ? await deps.cases.settled(id, SETTLE_WITHIN_MS, deps.settlePollMs)
      : drained;
  if (later.status === 'pending') return;
  const line = outcome(later, asked.channel, deps);
  try {
    await client.views.update({ view_id: view.id, view: askedView(line) });
  } catch {
    // The customer closed the modal: the outcome comes where they asked, for them alone.
    await client.chat
      .postEphemeral({ channel: asked.channel, user: body.user.id, text: line })
      .catch((error: unknown) =>
        deps.log.warn('slack: could not tell a customer about their case', { id, error }),
      );
  }
}

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
