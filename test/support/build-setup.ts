// vitest's global setup: builds dist/ once before any test runs, when a source is newer than it
// (test/support/build.ts). Tests run the command and the bot as people do, from the build: the bundled bin
// (`dist/mailsettings.js`, package.json's bin) and `npm start`'s `dist/adapters/main.js`.
import { buildOnce } from './build.js';

export default async function setup(): Promise<void> {
  await buildOnce();
}
