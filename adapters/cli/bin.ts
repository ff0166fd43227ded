#!/usr/bin/env node
// Entry point of the `mailsettings` command: `npm run mailsettings` runs it from the sources, and `npm run build`
// bundles it into the package's bin, dist/mailsettings.js. The bin is CommonJS (the build's dist/package.json
// says so, and the folders of tsc's output say "module" again): Node starts it without its ES module loader,
// a few milliseconds of every answer. It holds the help text, so --help loads nothing more, and the small loader
// of the command itself, which comes from a bundle of its own with a code cache when there is one (bundle.ts).
import { loadCli } from './bundle.js';
import { HELP } from './help.js';

async function main(args: string[]): Promise<void> {
  // A reader that stops early (`mailsettings - < domains.txt | head`) closes the pipe: stop quietly, as other
  // command-line tools do, instead of failing on the next write with a stack trace.
  // Output that cannot be written otherwise (a full disk, /dev/full) is said in one line, as every failure is.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') {
      process.stderr.write(`The output could not be written (${error.code ?? error.message}).\n`);
      process.exit(1);
    }
    process.exit();
  });
  // `providers` and `cases` print their own usage.
  const own = args[0] === 'providers' || args[0] === 'cases';
  if (!own && (args.includes('--help') || args.includes('-h'))) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const { runCli } = await loadCli();
  process.exitCode = await runCli(args, {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
  });
}

void main(process.argv.slice(2));
