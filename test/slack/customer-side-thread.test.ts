// The customer's side of a case posts into the case's thread, and only the "asked for help" message starts one
// where the customer asked: without a thread (it could not be opened), a staff reply, settings, the resolution
// or a notice is refused for good, never posted at the top of the channel for everyone to read.
import { LogLevel, webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackCustomerSide } from '../../adapters/slack/customer-side.js';
import { type CaseView, DeliveryRefused } from '../../src/index.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';

let slack: FakeSlack;
beforeAll(async () => {
  slack = await startFakeSlack();
});
afterAll(() => slack?.close());

const view = {
  id: 7,
  customerPlace: 'slack:CTOP',
  customerThread: null,
  customerId: 'U1',
} as unknown as CaseView;

describe('the customer side without a thread', () => {
  it('refuses what belongs in the thread, and posts nothing in the channel', async () => {
    const client = new webApi.WebClient('xoxb-test', { slackApiUrl: slack.apiUrl, logLevel: LogLevel.ERROR });
    const side = slackCustomerSide(client, { scopes: [] });
    const parts = { key: '1.a', done: [], record: async () => {} };
    for (const send of [
      () => side.postNotice(view, 'Dana from our support team is looking at your question (case 7).'),
      () =>
        side.postReply(view, { author: 'Dana', text: 'Your password for alice@example.com is wrong' }, parts),
      () => side.postResolved(view, 'Dana'),
    ])
      await expect(send()).rejects.toBeInstanceOf(DeliveryRefused);
    expect(slack.messages('CTOP')).toEqual([]);
    // The message that starts the thread is the one posted where the customer asked.
    await side.openThread({ ...view, question: 'example.com pop', customerName: 'alice' } as CaseView);
    expect(slack.messages('CTOP')).toHaveLength(1);
  });
});
