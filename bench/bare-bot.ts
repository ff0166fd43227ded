// The baseline process of the footprint benchmark: bare Bolt (HTTP mode) and bare discord.js in one process,
// configured as the bot configures them, answering every /mailsettings with a fixed message of the size ours
// sends (BARE_ANSWERS: a JSON file { slack, discord } holding our own answers). Compiled to plain JavaScript
// and run with node, as the bot is in production: no TypeScript loader in its memory.
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { type APIEmbed, Client, Events, GatewayIntentBits, type MessageFlags } from 'discord.js';

function env(name: string): string {
  const value = process.env[name];
  if (value === undefined) throw new Error(`bare-bot: ${name} is not set`);
  return value;
}
const answers = JSON.parse(readFileSync(env('BARE_ANSWERS'), 'utf8')) as {
  slack: Record<string, unknown>;
  discord: { embeds: APIEmbed[]; flags?: MessageFlags.Ephemeral };
};

const app = new App({
  token: env('SLACK_BOT_TOKEN'),
  signingSecret: env('SLACK_SIGNING_SECRET'),
  clientOptions: { slackApiUrl: env('SLACK_API_URL') },
  logLevel: LogLevel.WARN,
  convoStore: false,
});
app.command('/mailsettings', async ({ ack }) => ack(answers.slack));
const server = (await app.start({ port: Number(env('PORT')), host: '127.0.0.1' })) as Server;
console.error(`slack: started port=${(server.address() as AddressInfo).port}`);

const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: env('DISCORD_API_URL') } });
client.on(Events.InteractionCreate, (interaction) => {
  if (interaction.isRepliable()) {
    void interaction.reply({ ...answers.discord, allowedMentions: { parse: [] } }).catch(() => {});
  }
});
const ready = new Promise((resolve) => client.once(Events.ClientReady, resolve));
await client.login(env('DISCORD_TOKEN'));
await ready;
console.error('discord: started');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    console.error(`stopping signal="${signal}"`);
    await app.stop();
    await client.destroy();
    process.exit(0);
  });
}
