// `npm start`: reads the configuration once and starts every front end whose credentials are set, side by
// side, all the same way (each is a FrontEnd), and the support-case relay between them when Slack, Discord
// and the cases channel are all configured; with no front end set, the console, so the bot works out of the
// box on built-in defaults (and when stdin holds nothing either, as under systemd without its environment
// file, it says so in one line and exits 78). With set-up links configured, the set-up page and autoconfig
// are served by Slack's HTTP server in HTTP mode, otherwise on a port of their own. SIGINT/SIGTERM stop
// everything cleanly, in reverse order. A front end that cannot start stops the others and the process with
// one line saying why.
import {
  ConfigError,
  conversationFromConfig,
  createLease,
  createLogger,
  envSchema,
  escapeControls,
  type FrontEnd,
  isShared,
  loadConfig,
  openDatabaseWhenReachable,
  StartError,
  servicesFromConfig,
  setupHandlerFromConfig,
  unknownVariables,
} from '../src/index.js';
import { runConsole } from './cli/console.js';
import { discordFrontEnd } from './discord/client.js';
import { discordEnvSchema, loadDiscordConfig } from './discord/config.js';
import { type Relay, relayFromConfig } from './relay.js';
import { setupServer } from './setup-server.js';
import { identifySlackBot, slackFrontEnd } from './slack/app.js';
import { loadSlackConfig, slackEnvSchema } from './slack/config.js';

const log = createLogger();
const running: (() => Promise<void>)[] = [];

/** sysexits' EX_CONFIG, which systemd shows as `status=78/CONFIG`. */
const EXIT_NOTHING_TO_SERVE = 78;
const NOTHING_TO_SERVE =
  'No SLACK_BOT_TOKEN or DISCORD_TOKEN is set, so the bot read questions from stdin (its console), and stdin ' +
  'ended before any question: nothing to serve, stopping. Set the tokens in the environment of the bot ' +
  '(under systemd, check EnvironmentFile=).';

async function main(): Promise<void> {
  const config = loadConfig();
  const slack = loadSlackConfig(process.env);
  const discord = loadDiscordConfig(process.env);
  const known = [envSchema, slackEnvSchema, discordEnvSchema].flatMap((schema) => Object.keys(schema.shape));
  for (const line of unknownVariables(process.env, known)) log.warn(line);
  const services = await servicesFromConfig(config);
  const setup = setupHandlerFromConfig(config, services, log);
  // Slack's HTTP mode has a server the set-up page can share; Socket Mode and Discord have none.
  const onSlack = setup && slack && !slack.SLACK_APP_TOKEN ? { setup } : {};

  if (!slack && !discord) {
    // Whether stdin held anything at all: this sees the chunks the console's reader sees (both listen now).
    let read = false;
    process.stdin.once('data', () => {
      read = true;
    });
    await runConsole(
      services.resolver,
      {
        input: process.stdin,
        output: process.stdout,
        log: (message, error) => log.error(message, { error }),
      },
      services.checker,
    );
    // Under systemd or Docker without the environment file, stdin is /dev/null: a silent exit 0 would look
    // like a clean stop, so say why and fail in a way a process manager shows.
    if (!read && !process.stdin.isTTY) {
      console.error(NOTHING_TO_SERVE);
      process.exit(EXIT_NOTHING_TO_SERVE);
    }
    // An answer abandoned with Ctrl-C may still be looking up; nobody waits for it any more.
    process.exit();
  }

  const identity = slack ? await identifySlackBot(slack) : undefined;
  const casesChannel = discord?.DISCORD_CASES_CHANNEL_ID;
  // PostgreSQL means replicas: limits, share marks and the Discord gateway lease are kept there.
  const shared = isShared(config);
  // A PostgreSQL not up yet (both restarted together) is waited for, with one line naming DATABASE_URL.
  const needed = (slack && casesChannel) || shared;
  const database = needed ? await openDatabaseWhenReachable(config.DATABASE_URL, log) : undefined;
  if (database) running.push(() => database.close());
  const deps = {
    conversation: conversationFromConfig(config, services, log, shared ? database : undefined),
    log,
  };
  // Stopped after the front ends (no new questions): the answers under way are given first.
  running.push(() => deps.conversation.idle());
  let relay: Relay | undefined;
  if (slack && identity && discord && casesChannel && database) {
    const withChannel = { ...discord, DISCORD_CASES_CHANNEL_ID: casesChannel };
    const made = await relayFromConfig(config, slack, identity, withChannel, services, database, log);
    if ('off' in made) log.warn(`cases: off: ${made.off}`);
    else relay = made;
  } else if (slack && discord) {
    log.info('cases: off: set DISCORD_CASES_CHANNEL_ID to a forum channel to let customers reach staff');
  }
  const lease =
    shared && discord ? createLease({ url: config.DATABASE_URL, name: 'discord-gateway', log }) : undefined;
  const caseDeps = relay
    ? {
        cases: { cases: relay.cases, canReadUsers: relay.canReadUsers, canReadEmail: relay.canReadEmail },
        inbox: relay.inbox,
      }
    : {};
  const frontEnds: FrontEnd[] = [
    ...(slack && identity ? [slackFrontEnd(slack, { ...deps, ...onSlack, ...caseDeps }, identity)] : []),
    ...(discord
      ? [
          discordFrontEnd(
            discord,
            {
              ...deps,
              ...(relay ? { cases: relay.cases, lead: relay.lead, staffServer: relay.staffServer } : {}),
            },
            lease,
          ),
        ]
      : []),
    ...(setup && !onSlack.setup ? [setupServer(setup, { port: config.MAILSETTINGS_HTTP_PORT }, log)] : []),
  ];
  if (relay) running.push(relay.start());
  for (const frontEnd of frontEnds) running.push(await frontEnd.start());
}

// Listening from the first moment: a signal during start-up still stops cleanly, and under Docker, where node
// is PID 1, a signal nobody listens for is ignored rather than fatal. `on`, not `once`: Ctrl-C in a terminal
// reaches the bot twice under `npm start` (from the terminal, and forwarded by npm), and the second one must
// not kill it half-way through stopping.
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    await stopAll();
    process.exit(0);
  });
}

/** Docker waits 10 s after SIGTERM before it kills: what has not stopped by then is left, said in one line. */
const STOP_WITHIN_MS = 5000;

/** Front ends first (no new work), then the relay and its database; within STOP_WITHIN_MS in all. */
async function stopAll(): Promise<void> {
  const stops = (async () => {
    for (const stop of running.splice(0).reverse())
      await stop().catch((error: unknown) => log.warn('stop failed', { error }));
  })();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), STOP_WITHIN_MS);
  });
  if ((await Promise.race([stops, late])) === 'late')
    log.warn(
      `stopping took over ${STOP_WITHIN_MS / 1000} s (a platform not answering): what was under way is left`,
    );
  clearTimeout(timer);
}

main().catch(async (error: unknown) => {
  // One line, whatever a file or a variable put in the message (a path, a piece of a broken profile).
  if (error instanceof ConfigError || error instanceof StartError)
    console.error(escapeControls(error.message));
  else log.error('start-up failed', { error });
  await stopAll();
  process.exitCode = 1;
});
