#!/usr/bin/env node
// Entry point of the `mailsettings` command: `npm run mailsettings` runs it from the sources, and `npm run build`
// bundles it into the package's bin, dist/mailsettings.js. The imports stay dynamic so that --help loads the
// help text alone: the bundle keeps each of them in a file of its own, loaded only when asked for.
const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  const { HELP } = await import('./help.js');
  process.stdout.write(`${HELP}\n`);
} else {
  const { runCli } = await import('./cli.js');
  process.exitCode = await runCli(args, {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
  });
}
