import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandFields, finalAnswer, signedPost } from '../support/fake-slack.js';
import { type SlackOnFakes, startSlackOnFakes } from '../support/slack-app.js';

const SECRET = 'review-guard-secret';
const EVIL = '<!channel> *Evil* <@U999> &amp; <https://evil.test|help.web-hosting.test> '.repeat(80);
const xmlText = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;');
const XML = `<?xml version="1.0"?>
<clientConfig version="1.1"><emailProvider id="evil-provider.test">
  <domain>evil-provider.test</domain>
  <displayName>${xmlText(EVIL)}</displayName>
  <incomingServer type="imap"><hostname>imap.evil-provider.test</hostname><port>993</port><socketType>SSL</socketType>
    <username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></incomingServer>
  <incomingServer type="pop3"><hostname>pop.evil-provider.test</hostname><port>995</port><socketType>SSL</socketType>
    <username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></incomingServer>
  <outgoingServer type="smtp"><hostname>smtp.evil-provider.test</hostname><port>465</port><socketType>SSL</socketType>
    <username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></outgoingServer>
  <enable visiturl="https://evil-provider.test/enable"><instruction>${xmlText(EVIL)}</instruction></enable>
  <documentation url="https://evil-provider.test/help"><descr lang="en">${xmlText(EVIL)}</descr></documentation>
</emailProvider></clientConfig>`;

let bot: SlackOnFakes;

beforeAll(async () => {
  bot = await startSlackOnFakes(SECRET, {
    records: [
      { name: 'victim.test', type: 'MX', priority: 1, exchange: 'mx.evil-provider.test' },
      { name: 'autoconfig.evil-provider.test', type: 'A', address: '127.0.0.1' },
    ],
    tlsNames: ['autoconfig.evil-provider.test'],
  });
  bot.world.httpsFiles.set('autoconfig.evil-provider.test', XML);
});
afterAll(() => bot?.close());

// biome-ignore lint/suspicious/noExplicitAny: Block Kit as Slack receives it
type Json = Record<string, any>;

/** Block Kit's limits (docs.slack.dev, Block Kit reference: blocks, text object, button element). */
function limitProblems(message: Json): string[] {
  const problems: string[] = [];
  const blocks = (message.blocks ?? []) as Json[];
  if (blocks.length > 50) problems.push(`${blocks.length} blocks`);
  for (const block of blocks) {
    const text = block.text?.text as string | undefined;
    if (block.type === 'header' && (!text || text.length > 150)) problems.push('header');
    if (block.type === 'section') {
      if (text !== undefined && (text.length < 1 || text.length > 3000))
        problems.push(`section ${text.length}`);
      if ((block.fields ?? []).length > 10) problems.push('fields');
      for (const field of block.fields ?? [])
        if (field.text.length < 1 || field.text.length > 2000) problems.push(`field ${field.text.length}`);
    }
    if (block.type === 'context')
      for (const element of block.elements)
        if (element.text.length < 1 || element.text.length > 3000)
          problems.push(`context ${element.text.length}`);
    if (block.type === 'actions') {
      if (block.elements.length > 25) problems.push('buttons');
      for (const button of block.elements) {
        if (button.text.text.length > 75) problems.push('button label');
        if ((button.value ?? '').length > 2000) problems.push('button value');
        if (button.action_id.length > 255) problems.push('action_id');
      }
    }
  }
  return problems;
}

let asked = 0;
describe('hostile provider data in a Slack answer', () => {
  it.each([
    'alice@victim.test imap',
    'victim.test pop',
    'alice@victim.test imap thunderbird',
    'alice@victim.test all outlook',
    'alice@victim.test imap apple-mail',
    'alice@victim.test all iphone',
  ])('%s keeps Block Kit limits and pings nobody', async (question) => {
    const id = `guard-${asked++}`;
    const body = new URLSearchParams(
      commandFields(question, bot.slack.responseUrl(id), `UG${asked}`),
    ).toString();
    const message = await finalAnswer(bot.slack, await signedPost(bot.events, SECRET, body), id);
    expect(String(message.text)).toContain('victim.test');
    expect(limitProblems(message)).toEqual([]);
    const shown = JSON.stringify({ text: message.text, blocks: message.blocks }).replace(
      /"value":"[^"]*"/g,
      '',
    );
    expect(shown).not.toMatch(/<!|<@|<https?:\/\/evil/);
  });
});
