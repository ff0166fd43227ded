// The console front end `npm start` runs when no chat credentials are set: type what you would type in
// Slack or Discord and see the bot's answer. Interactive on a terminal until Ctrl-D; otherwise it answers
// each stdin line in order and exits at end of input.
import { createInterface } from 'node:readline';
import { answerToText, ask, type Checker, INTERNAL_ERROR, type Resolver, USAGE } from '../../src/index.js';

export interface ConsoleIo {
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: NodeJS.WritableStream;
  log: (message: string, error?: unknown) => void;
}

const COMMAND = /^\/?mailsettings(?=\s|$)/i;

export async function runConsole(resolver: Resolver, io: ConsoleIo, checker?: Checker): Promise<void> {
  const interactive = io.input.isTTY === true;
  const lines = createInterface({
    input: io.input,
    output: interactive ? io.output : undefined,
    terminal: interactive,
  });
  lines.on('SIGINT', () => lines.close());
  if (interactive) {
    io.output.write(`Type a question as in chat, e.g. /mailsettings example.com pop (Ctrl-D to quit).\n`);
    lines.setPrompt('mailsettings> ');
    lines.prompt();
  }
  for await (const line of lines) {
    const text = line.replace(COMMAND, '').trim();
    if (text !== '') io.output.write(`${await answerLine(resolver, text, io, checker)}\n\n`);
    if (interactive) lines.prompt();
  }
}

async function answerLine(
  resolver: Resolver,
  text: string,
  io: ConsoleIo,
  checker?: Checker,
): Promise<string> {
  if (text.toLowerCase() === 'help') return `Usage: ${USAGE}`;
  try {
    const outcome = await ask(resolver, text);
    if (!outcome.ok) return `${outcome.error.message}\nUsage: ${USAGE}`;
    const { settings } = outcome.answer;
    return answerToText(settings, outcome.check && checker ? await checker(settings) : undefined);
  } catch (error) {
    io.log(`console: failed to answer "${text}"`, error);
    return INTERNAL_ERROR;
  }
}
