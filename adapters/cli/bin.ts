#!/usr/bin/env node
// Entry point of the `mailsettings` command (package bin and `npm run mailsettings`).
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
