// The console front end `npm start` runs when no chat credentials are set: type what you would type in
// Slack or Discord and see the bot's answer. Interactive on a terminal until Ctrl-D (Ctrl-C abandons an
// answer still being looked up, or quits at the prompt); otherwise it answers each stdin line in order and
// exits at end of input. A question ending in a mail program's name also gets that program's set-up steps;
// without one, the answer ends with the line saying which programs one can ask for. Control characters in
// anything printed are shown escaped.
import { createInterface } from 'node:readline';
import type { Checker } from '../../src/index.js';
import { ask, escapeControls, INTERNAL_ERROR, type Resolver, USAGE } from '../../src/index.js';
import { answerWithSetup, splitProgram } from './setup-text.js';

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
  let abandon: (() => void) | undefined;
  lines.on('SIGINT', () => (abandon ? abandon() : lines.close()));
  // A reader gone (`| head -1`) ends the console quietly; output that cannot be written otherwise, in one line.
  io.output.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') {
      io.log(`The output could not be written (${error.code ?? error.message}).`);
      process.exitCode = 1;
    }
    lines.close();
  });
  if (interactive) {
    io.output.write(`Type a question as in chat, e.g. /mailsettings example.com pop (Ctrl-D to quit).\n`);
    lines.setPrompt('mailsettings> ');
    lines.prompt();
  }
  for await (const line of lines) {
    const text = line.replace(COMMAND, '').trim();
    // The command alone asks for help, as in chat; an empty line asks nothing.
    const question = text === '' && COMMAND.test(line.trim()) ? 'help' : text;
    if (question !== '') {
      const abandoned = new Promise<undefined>((resolve) => {
        abandon = () => resolve(undefined);
      });
      // An abandoned lookup runs on to its deadline; its answer is simply never shown.
      const answer = await Promise.race([answerLine(resolver, question, io, checker), abandoned]);
      abandon = undefined;
      io.output.write(
        answer === undefined ? '^C\n' : `${escapeControls(answer, { keepNewlines: true })}\n\n`,
      );
    }
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
    const split = splitProgram(text);
    if (!split.ok) return split.error;
    const outcome = await ask(resolver, split.value.question);
    if (!outcome.ok) return `${outcome.error.message}\nUsage: ${USAGE}`;
    const { settings } = outcome.value.answer;
    const report = outcome.value.check && checker ? await checker(settings) : undefined;
    return answerWithSetup(settings, report, split.value.program, true);
  } catch (error) {
    io.log(`console: failed to answer "${text}"`, error);
    return INTERNAL_ERROR;
  }
}
