// The floor of the relay benchmark (bench/relay.bench.ts), in a process of its own: a bare Bolt app and a bare
// discord.js client relaying between a Slack thread and a forum post with the REST calls our relay makes for
// the same words, and nothing else: no store, no outbox. Slack in HTTP mode with Bolt's own receiver, the bot's
// identity given as ours gets it (auth.test at start), no conversation store; discord.js with its own REST
// client for the relayed text, as adapters/relay.ts has. A customer's message becomes the post's message ours
// writes (the same prefix, the claimer's mention after a staff reply); the Reply button opens the modal ours
// opens, and its submit posts to the thread as ours does (the customer mentioned, under the staff member's name)
// and answers with the post's record ours sends. Compiled to plain JavaScript and run with node, as the bot is.
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel, webApi } from '@slack/bolt';
import {
  Client,
  Events,
  GatewayIntentBits,
  LabelBuilder,
  ModalBuilder,
  REST,
  Routes,
  TextInputBuilder,
  TextInputStyle,
} from 'discord.js';

/** One case as the benchmark made it on both fakes. */
export interface FloorCase {
  slackChannel: string;
  slackThread: string;
  customerId: string;
  customerName: string;
  discordThread: string;
}
/** The custom ids ours uses (adapters/discord/command.ts), so the fake shows and submits the same modal. */
export interface FloorIds {
  reply: string;
  replyModal: string;
  replyText: string;
  maxReply: number;
}

function env(name: string): string {
  const value = process.env[name];
  if (value === undefined) throw new Error(`relay-floor: ${name} is not set`);
  return value;
}
const cases = JSON.parse(readFileSync(env('RELAY_FLOOR_CASES'), 'utf8')) as FloorCase[];
const ids = JSON.parse(env('RELAY_FLOOR_IDS')) as FloorIds;
const bySlackThread = new Map(cases.map((each) => [each.slackThread, each]));
const byPost = new Map(cases.map((each) => [each.discordThread, each]));
/** Cases whose last word was a staff reply: the customer's next message pings the staff member, as ours does. */
const waitingSince = new Map<string, string>();

const token = env('SLACK_BOT_TOKEN');
const slackApiUrl = env('SLACK_API_URL');
const identity = await new webApi.WebClient(token, { slackApiUrl }).auth.test();
const app = new App({
  token,
  signingSecret: env('SLACK_SIGNING_SECRET'),
  botId: String(identity.bot_id),
  botUserId: String(identity.user_id),
  clientOptions: { slackApiUrl },
  convoStore: false,
  logLevel: LogLevel.WARN,
});
// Our relay's own clients: a WebClient retrying little, and a REST client apart from the gateway's.
const web = new webApi.WebClient(token, { slackApiUrl, retryConfig: { retries: 1 } });
const rest = new REST({ api: env('DISCORD_API_URL') }).setToken(env('DISCORD_TOKEN'));

app.event('message', async ({ event }) => {
  const message = event as { thread_ts?: string; text?: string };
  const each = message.thread_ts ? bySlackThread.get(message.thread_ts) : undefined;
  if (!each) return;
  const staff = waitingSince.get(each.discordThread);
  waitingSince.delete(each.discordThread);
  await rest.post(Routes.channelMessages(each.discordThread), {
    body: {
      content: `${staff ? `<@${staff}> ` : ''}**${each.customerName} (customer):** ${message.text ?? ''}`,
      allowed_mentions: staff ? { parse: [], users: [staff] } : { parse: [] },
    },
  });
});
const server = (await app.start({ port: Number(env('PORT')), host: '127.0.0.1' })) as Server;

const modal = new ModalBuilder()
  .setCustomId(ids.replyModal)
  .setTitle('Reply to the customer')
  .addLabelComponents(
    new LabelBuilder()
      .setLabel('Your reply to the customer')
      .setTextInputComponent(
        new TextInputBuilder()
          .setCustomId(ids.replyText)
          .setStyle(TextInputStyle.Paragraph)
          .setMaxLength(ids.maxReply)
          .setRequired(true),
      ),
  );
const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: env('DISCORD_API_URL') } });
client.on(Events.InteractionCreate, async (interaction) => {
  try {
    if (interaction.isButton() && interaction.customId === ids.reply) await interaction.showModal(modal);
    if (!interaction.isModalSubmit() || !interaction.channelId) return;
    const each = byPost.get(interaction.channelId);
    if (!each) return;
    const text = interaction.fields.getTextInputValue(ids.replyText);
    const name =
      interaction.member && 'displayName' in interaction.member ? interaction.member.displayName : '';
    await web.chat.postMessage({
      channel: each.slackChannel,
      thread_ts: each.slackThread,
      text: `<@${each.customerId}> ${text}`,
      username: `${name} (support)`,
      unfurl_links: false,
    });
    waitingSince.set(each.discordThread, interaction.user.id);
    await interaction.reply({
      embeds: [
        {
          author: { name: `${name} → customer` },
          description: text,
          footer: { text: 'Sent to the customer in Slack' },
        },
      ],
      allowedMentions: { parse: [] },
    });
  } catch (error) {
    console.error('floor: interaction failed', error);
  }
});
const ready = new Promise((resolve) => client.once(Events.ClientReady, resolve));
await client.login(env('DISCORD_TOKEN'));
await ready;
console.error(`floor: started port=${(server.address() as AddressInfo).port}`);

process.once('SIGTERM', async () => {
  await app.stop();
  await client.destroy();
  process.exit(0);
});
