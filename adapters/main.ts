// `npm start`: reads the configuration once and starts every front end whose credentials are set; with
// none set, the console front end, so the bot works out of the box on built-in defaults.
import { ConfigError, loadConfig, resolverFromConfig } from '../src/index.js';
import { runConsole } from './cli/console.js';

const log = (message: string, error?: unknown) => console.error(message, error ?? '');

try {
  const config = loadConfig();
  const resolver = await resolverFromConfig(config);
  await runConsole(resolver, { input: process.stdin, output: process.stdout, log });
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
