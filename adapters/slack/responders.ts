// The Responders Slack's requests answer through (see src/conversation/responder.ts): a slash command's
// acknowledgement and response_url, "Share in channel" (the answer for everyone, the private one replaced), and
// a mention or direct message (one message when ready, a mention's in its thread).
import type { RespondFn, SayFn, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { Responder, Saying } from '../../src/index.js';
import type { SlackMessage } from './render.js';

export type Render = (saying: Saying) => SlackMessage;

/** A slash command: the first response goes in the acknowledgement, later ones through response_url. */
export function commandResponder(
  ack: SlackCommandMiddlewareArgs['ack'],
  respond: RespondFn,
  render: Render,
): Responder {
  const acknowledge: Responder['answer'] = (saying) => ack({ response_type: 'ephemeral', ...render(saying) });
  return {
    answer: acknowledge,
    acknowledge,
    replace: (saying) =>
      respond({ response_type: 'ephemeral', replace_original: true, ...render(saying) }).then(() => {}),
  };
}

/** "Share in channel": the answer posted for everyone, then the private one replaced without its button. */
export function shareResponder(respond: RespondFn, render: Render): Responder {
  const send =
    (responseType: 'in_channel' | 'ephemeral', replace: boolean): Responder['answer'] =>
    (saying) =>
      respond({ response_type: responseType, replace_original: replace, ...render(saying) }).then(() => {});
  return {
    post: send('in_channel', false),
    replace: send('ephemeral', true),
    answer: send('ephemeral', false),
  };
}

/** A mention (answered in its thread) or a direct message: nothing to acknowledge, one message when ready. */
export function messageResponder(say: SayFn, render: Render, threadTs?: string): Responder {
  const send: Responder['answer'] = (saying) =>
    say({ ...render(saying), ...(threadTs ? { thread_ts: threadTs } : {}) }).then(() => {});
  return { answer: send, replace: send };
}
