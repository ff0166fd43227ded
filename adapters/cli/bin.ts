#!/usr/bin/env node
// Entry point of the `mailsettings` command (package bin and `npm run mailsettings`).
import { runCli } from './cli.js';

process.exitCode = await runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
