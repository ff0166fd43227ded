// The fake's modals through Slack's own SDK: views.open and views.update through @slack/web-api's WebClient,
// with trigger ids as interactions carry them, and the view_submission payload through a real Bolt app's
// app.view() listener, whose acknowledgement the fake applies to the view as Slack does.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel, type types, webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  blockActionsPayload,
  type FakeSlack,
  issueTrigger,
  startFakeSlack,
  TRIGGER_LIFETIME_MS,
} from '../support/fake-slack.js';

const SECRET = 'fake-slack-views-secret';
let slack: FakeSlack;
let app: App;
let events: string;
const submitted: { privateMetadata: string; values: unknown; user: string }[] = [];
const chosenBy: string[] = [];

const client = () =>
  new webApi.WebClient('xoxb-test', { slackApiUrl: slack.apiUrl, logLevel: LogLevel.ERROR });

const modal = (title = 'Explain an error'): types.ModalView => ({
  type: 'modal',
  callback_id: 'paste',
  private_metadata: 'imap',
  title: { type: 'plain_text', text: title },
  submit: { type: 'plain_text', text: 'Explain' },
  blocks: [
    {
      type: 'input',
      block_id: 'error',
      label: { type: 'plain_text', text: 'Error' },
      element: { type: 'plain_text_input', action_id: 'text', multiline: true, max_length: 3000 },
    },
    {
      type: 'input',
      block_id: 'address',
      label: { type: 'plain_text', text: 'Address' },
      element: { type: 'plain_text_input', action_id: 'text', initial_value: 'alice@example.com' },
    },
  ],
});

const refusal = (call: Promise<unknown>) =>
  call.then(
    () => 'no error',
    (error: { data?: { error: string; response_metadata?: { messages?: string[] } } }) => error.data,
  );

beforeAll(async () => {
  slack = await startFakeSlack();
  app = new App({
    token: 'xoxb-test',
    signingSecret: SECRET,
    clientOptions: { slackApiUrl: slack.apiUrl },
    logLevel: LogLevel.ERROR,
  });
  app.view('choose', async ({ ack, body, view }) => {
    submitted.push({ privateMetadata: view.private_metadata, values: view.state.values, user: body.user.id });
    chosenBy.push(body.user.name ?? '');
    await ack();
  });
  app.view('paste', async ({ ack, body, view }) => {
    const error = view.state.values.error?.text?.value ?? '';
    submitted.push({ privateMetadata: view.private_metadata, values: view.state.values, user: body.user.id });
    if (error === '') return ack({ response_action: 'errors', errors: { error: 'Paste the error first.' } });
    await ack({
      response_action: 'update',
      view: { type: 'modal', title: { type: 'plain_text', text: 'Done' }, blocks: [] },
    });
  });
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
  events = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
});
afterAll(async () => {
  await app?.stop();
  await slack?.close();
});

describe('fake Slack: views.open and views.update', () => {
  it('opens a modal with the trigger id of a button press, once, and stores it as Slack returns it', async () => {
    const press = blockActionsPayload({
      actionId: 'x',
      user: { id: 'U7' },
      channel: 'C1',
      messageTs: '1.2',
      responseUrl: slack.responseUrl('x'),
    });
    const opened = await client().views.open({ trigger_id: String(press.trigger_id), view: modal() });
    expect(opened.view).toMatchObject({
      id: expect.stringMatching(/^V/),
      type: 'modal',
      callback_id: 'paste',
      private_metadata: 'imap',
      state: { values: {} },
      hash: expect.any(String),
      root_view_id: opened.view?.id,
    });
    expect(opened.view?.blocks?.map((block) => block.block_id)).toEqual(['error', 'address']);
    expect(slack.views().find((view) => view.id === opened.view?.id)?.user).toBe('U7');
    expect(
      await refusal(client().views.open({ trigger_id: String(press.trigger_id), view: modal() })),
    ).toMatchObject({ error: 'exchanged_trigger_id' });
  });

  it('refuses a trigger id that expired, was never issued, or is malformed', async () => {
    const stale = issueTrigger('U7', Date.now() - TRIGGER_LIFETIME_MS - 1000);
    expect(await refusal(client().views.open({ trigger_id: stale, view: modal() }))).toMatchObject({
      error: 'expired_trigger_id',
    });
    for (const triggerId of ['12345.98765.abcd2358fdea', 'not-a-trigger']) {
      expect(await refusal(client().views.open({ trigger_id: triggerId, view: modal() }))).toMatchObject({
        error: 'invalid_trigger_id',
      });
    }
  });

  it('refuses a view Slack would not show, saying where', async () => {
    const data = await refusal(
      client().views.open({ trigger_id: issueTrigger('U7'), view: modal('A title far longer than allowed') }),
    );
    expect(data).toMatchObject({
      error: 'invalid_arguments',
      response_metadata: {
        messages: ['[ERROR] must be less than 25 characters [json-pointer:/view/title/text]'],
      },
    });
  });

  it('updates an open view by its id, and knows no other', async () => {
    const opened = await client().views.open({ trigger_id: issueTrigger('U7'), view: modal() });
    const view: types.ModalView = { type: 'modal', title: { type: 'plain_text', text: 'Later' }, blocks: [] };
    const updated = await client().views.update({ view_id: String(opened.view?.id), view });
    expect(updated.view).toMatchObject({ id: opened.view?.id, title: { text: 'Later' } });
    expect(await refusal(client().views.update({ view_id: 'V0000000999', view }))).toMatchObject({
      error: 'not_found',
    });
  });
});

describe('fake Slack: the view_submission payload', () => {
  it('reaches a real Bolt app.view() listener with private_metadata and state.values, and applies its ack', async () => {
    const opened = await client().views.open({ trigger_id: issueTrigger('U8'), view: modal() });
    const id = String(opened.view?.id);
    const empty = await slack.submitView(events, SECRET, id, { error: null, address: 'alice@example.com' });
    expect(empty).toEqual({
      status: 200,
      ack: { response_action: 'errors', errors: { error: 'Paste the error first.' } },
    });
    expect(slack.views().find((view) => view.id === id)?.errors).toEqual({ error: 'Paste the error first.' });
    const filled = await slack.submitView(events, SECRET, id, {
      error: '0x800CCC0E',
      address: 'alice@example.com',
    });
    expect(filled.ack).toMatchObject({ response_action: 'update' });
    expect(submitted.at(-1)).toEqual({
      privateMetadata: 'imap',
      user: 'U8',
      values: {
        error: { text: { type: 'plain_text_input', value: '0x800CCC0E' } },
        address: { text: { type: 'plain_text_input', value: 'alice@example.com' } },
      },
    });
    expect(slack.views().find((view) => view.id === id)?.title.text).toBe('Done');
  });
});

/** A modal with a text preset and a select of programs, one preset. */
const choosing = (initial: types.PlainTextOption | undefined = OUTLOOK): types.ModalView => ({
  type: 'modal',
  callback_id: 'choose',
  private_metadata: '{"q":"example.com pop"}',
  title: { type: 'plain_text', text: 'Ask a person' },
  submit: { type: 'plain_text', text: 'Send' },
  blocks: [
    {
      type: 'input',
      block_id: 'words',
      optional: true,
      label: { type: 'plain_text', text: 'What happens?' },
      element: { type: 'plain_text_input', action_id: 'text', multiline: true, initial_value: 'It fails' },
    },
    {
      type: 'input',
      block_id: 'program',
      optional: true,
      label: { type: 'plain_text', text: 'Program' },
      element: {
        type: 'static_select',
        action_id: 'choice',
        options: [OUTLOOK, { text: { type: 'plain_text', text: 'Thunderbird' }, value: 'thunderbird' }],
        ...(initial ? { initial_option: initial } : {}),
      },
    },
  ],
});
const OUTLOOK: types.PlainTextOption = { text: { type: 'plain_text', text: 'Outlook' }, value: 'outlook' };

describe('fake Slack: a static select and preset inputs', () => {
  it('sends the chosen option as Slack does, and keeps what the person left alone as it was preset', async () => {
    const press = blockActionsPayload({
      actionId: 'x',
      user: { id: 'U9', name: 'zoe' },
      channel: 'C1',
      messageTs: '1.2',
      responseUrl: slack.responseUrl('x'),
    });
    const opened = await client().views.open({ trigger_id: String(press.trigger_id), view: choosing() });
    const id = String(opened.view?.id);
    await slack.submitView(events, SECRET, id, {});
    expect(submitted.at(-1)).toEqual({
      privateMetadata: '{"q":"example.com pop"}',
      user: 'U9',
      values: {
        words: { text: { type: 'plain_text_input', value: 'It fails' } },
        program: { choice: { type: 'static_select', selected_option: OUTLOOK } },
      },
    });
    expect(chosenBy.at(-1)).toBe('zoe'); // the username of whoever pressed the button that opened it
    const again = await client().views.open({ trigger_id: issueTrigger('U9'), view: choosing(undefined) });
    await expect(
      slack.submitView(events, SECRET, String(again.view?.id), { program: 'emacs' }),
    ).rejects.toThrow(/no option emacs/);
    await slack.submitView(events, SECRET, String(again.view?.id), { words: null, program: 'thunderbird' });
    expect(submitted.at(-1)?.values).toEqual({
      words: { text: { type: 'plain_text_input', value: null } },
      program: {
        choice: {
          type: 'static_select',
          selected_option: { text: { type: 'plain_text', text: 'Thunderbird' }, value: 'thunderbird' },
        },
      },
    });
  });

  it('refuses a select whose initial option is not one of its options, or whose option text is too long', async () => {
    const stray: types.PlainTextOption = { text: { type: 'plain_text', text: 'Mutt' }, value: 'mutt' };
    expect(
      await refusal(client().views.open({ trigger_id: issueTrigger('U9'), view: choosing(stray) })),
    ).toMatchObject({
      error: 'invalid_arguments',
      response_metadata: {
        messages: [
          '[ERROR] initial_option must match one of the options [json-pointer:/view/blocks/1/element/initial_option]',
        ],
      },
    });
    const long = choosing();
    const select = (long.blocks[1] as types.InputBlock).element as types.StaticSelect;
    select.options = [{ text: { type: 'plain_text', text: 'x'.repeat(76) }, value: 'x' }];
    delete select.initial_option;
    expect(await refusal(client().views.open({ trigger_id: issueTrigger('U9'), view: long }))).toMatchObject({
      response_metadata: {
        messages: [
          '[ERROR] must be less than 76 characters [json-pointer:/view/blocks/1/element/options/0/text/text]',
        ],
      },
    });
  });
});
