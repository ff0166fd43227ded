// "My mail program shows an error": the button opens the modal (views.open with the press's trigger_id, which
// Slack honours once and only for 3 seconds), and the modal's submission (view_submission) is explained through
// the conversation and answered in the modal itself, which only the asker sees: at once, or with a progress view
// in the acknowledgement that views.update replaces when the lookup or the live check takes longer. A problem
// with what was typed is shown under its field (response_action: errors). Nothing of the paste is logged.
import type { AllMiddlewareArgs, AnyMiddlewareArgs, SlackViewMiddlewareArgs } from '@slack/bolt';
import type { Conversation, ExplainResponder, Logger } from '../../src/index.js';
import { presserQuestion } from './ask-person.js';
import type { ActionArgs } from './case-listeners.js';
import {
  EXPLAIN_ACTION,
  EXPLAIN_INPUTS,
  EXPLAIN_VIEW,
  explainedView,
  explainModal,
} from './explain-render.js';

type ViewArgs = SlackViewMiddlewareArgs & AllMiddlewareArgs;
type AnyArgs = AnyMiddlewareArgs & AllMiddlewareArgs;

/** Whether a request is the explain button or the modal's submission (the router hands those over here). */
export function isExplainRequest(args: AnyArgs): boolean {
  if ('view' in args) return args.body.type === 'view_submission' && args.view.callback_id === EXPLAIN_VIEW;
  return 'action' in args && 'action_id' in args.action && args.action.action_id === EXPLAIN_ACTION;
}

export function explainRequest(
  args: AnyArgs,
  deps: { conversation: Conversation; log: Logger },
): Promise<void> {
  return 'view' in args ? submit(args as ViewArgs, deps) : openModal(args as ActionArgs, deps.log);
}

async function openModal({ ack, body, action, client }: ActionArgs, log: Logger): Promise<void> {
  await ack();
  const triggerId = (body as { trigger_id?: string }).trigger_id;
  if (!triggerId) return;
  const question = action.type === 'button' ? presserQuestion(body, action.value ?? '') : '';
  try {
    await client.views.open({ trigger_id: triggerId, view: explainModal(question) });
  } catch (error) {
    log.warn('slack: could not open the explain modal', { user: body.user.id, error });
  }
}

async function submit(
  { ack, body, view, client }: ViewArgs,
  deps: { conversation: Conversation; log: Logger },
) {
  const typed = (block: string) => view.state.values[block]?.[EXPLAIN_INPUTS.text]?.value ?? '';
  const question = `${typed(EXPLAIN_INPUTS.question).trim()} ${view.private_metadata}`.trim();
  const responder: ExplainResponder = {
    answer: (said) =>
      said.kind === 'line' && said.field
        ? ack({ response_action: 'errors', errors: { [EXPLAIN_INPUTS[said.field]]: said.text } })
        : ack({ response_action: 'update', view: explainedView(said) }),
    acknowledge: (progress) =>
      ack({ response_action: 'update', view: explainedView({ kind: 'line', text: progress }) }),
    replace: async (said) => {
      await client.views.update({ view_id: view.id, view: explainedView(said) });
    },
  };
  await deps.conversation.explain(
    { text: question, user: body.user.id, audience: 'customer', via: 'slack explain' },
    typed(EXPLAIN_INPUTS.paste),
    responder,
  );
}
