// Ours as `npm start` runs it: the Slack and Discord benchmarks load the front ends, the conversation and the
// resolver from what `npm run build` makes (tsc's output in dist/; `npm start` runs the same code bundled into
// one file), not from the sources as tsx serves them. tsx keeps every
// function's name, which costs a property definition each time a closure is made (several per command, a few
// microseconds in all), a cost the built code never pays; the bare apps they are compared with are Bolt and
// discord.js themselves, plain JavaScript either way.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildOnce, ROOT } from '../test/support/build.js';
import type { ChatOptions } from '../test/support/chat.js';

type SlackModule = typeof import('../adapters/slack/app.js');
type DiscordModule = typeof import('../adapters/discord/client.js');
type CoreModule = typeof import('../src/index.js');
type TestingModule = typeof import('../src/testing.js');

const load = <T>(path: string) => import(pathToFileURL(join(ROOT, 'dist', path)).href) as Promise<T>;

/** The built modules, after building when dist/ is older than the sources; `note` says whether a build ran. */
export async function loadBuilt() {
  const note = await buildOnce();
  const [slack, discord, core, testing] = await Promise.all([
    load<SlackModule>('adapters/slack/app.js'),
    load<DiscordModule>('adapters/discord/client.js'),
    load<CoreModule>('src/index.js'),
    load<TestingModule>('src/testing.js'),
  ]);
  return {
    note,
    createSlackApp: slack.createSlackApp,
    createDiscordClient: discord.createDiscordClient,
    startDiscord: discord.startDiscord,
    createResolver: testing.createResolver,
    createRateLimiter: testing.createRateLimiter,
    /** What the front ends are given, as test/support/chat.ts makes it, from the built conversation. */
    chatDeps(options: Pick<ChatOptions, 'resolver'>) {
      const log = core.createLogger(() => {});
      const conversation = testing.createConversation({
        resolver: options.resolver,
        limiter: testing.createRateLimiter({ limit: 1e9 }),
        log,
        inlineWaitMs: 2000,
      });
      return { conversation, log };
    },
  };
}
export type Built = Awaited<ReturnType<typeof loadBuilt>>;
