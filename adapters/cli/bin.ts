#!/usr/bin/env node
// Entry point of the `mailsettings` command: `npm run mailsettings` runs it from the sources, and `npm run build`
// bundles it into the package's bin, dist/mailsettings.js. The imports stay dynamic so that --help loads the
// help text alone: the bundle keeps each of them in a file of its own, loaded only when asked for. The command
// itself comes from its own bundle with a code cache, when there is one (bundle.ts).
const args = process.argv.slice(2);
// A reader that stops early (`mailsettings - < domains.txt | head`) closes the pipe: stop quietly, as other
// command-line tools do, instead of failing on the next write with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit();
});
if (args.includes('--help') || args.includes('-h')) {
  const { HELP } = await import('./help.js');
  process.stdout.write(`${HELP}\n`);
} else {
  const { loadCli } = await import('./bundle.js');
  const { runCli } = await loadCli();
  process.exitCode = await runCli(args, {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
  });
}
