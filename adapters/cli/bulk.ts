// The command's bulk mode, `mailsettings - < questions.txt`: one question per line, answered concurrently
// (bounded) and printed in input order as soon as each is ready, with reading paused while too many answers
// wait behind a slow earlier line, so memory stays flat however long the input.
import { once } from 'node:events';
import { StringDecoder } from 'node:string_decoder';
import pLimit from 'p-limit';
import { ask, escapeControls, stringifyJson } from '../../src/index.js';
import { describeError, formatAnswer, formatReports, type Run } from './answer-text.js';
import type { CliIo } from './cli.js';
import { splitProgram } from './setup-text.js';

const BULK_CONCURRENCY = 8;
/** Lines read but not yet printed, e.g. waiting behind a slow earlier line; beyond this, reading pauses. */
const BULK_AHEAD = 256;
/** Of a longer line only this much is kept (the rest skipped unread into memory): a question is far shorter. */
const MAX_LINE = 4096;

/**
 * Answers each stdin line, printing results in input order as soon as they are ready: lines are looked up
 * concurrently (bounded), and reading pauses while too many results wait behind a slow earlier line.
 * Exit code: 0 when every line was answered, 2 when some were not understood, 1 when some failed.
 */
export async function runBulk(run: Run, io: CliIo): Promise<number> {
  const limit = pLimit(BULK_CONCURRENCY);
  const counts = { ok: 0, bad: 0, failed: 0 };
  const print = async (result: BulkResult) => {
    const first = counts.ok + counts.bad + counts.failed === 0;
    counts[result.status] += 1;
    if (result.reports) io.stderr.write(`${result.reports}\n`); // --debug: what every source said, line by line
    await write(io.stdout, `${run.json || first ? '' : '\n'}${result.text}\n`);
  };
  // Each line's result is printed after the previous line's: a chain, with one link per unprinted line.
  let printed = Promise.resolve();
  const unprinted: Promise<void>[] = [];
  for await (const line of linesOf(io.stdin)) {
    // A line cut for its length is answered (as too long) even when what was kept of it is blank.
    if ((line.length <= MAX_LINE && line.trim() === '') || line.trimStart().startsWith('#')) continue;
    const result = limit(() => answerLine(run, line));
    printed = printed.then(async () => print(await result));
    unprinted.push(printed);
    if (unprinted.length >= BULK_AHEAD) await unprinted.shift();
  }
  await printed;

  const unanswered = counts.bad + counts.failed;
  if (unanswered === 0) return 0;
  io.stderr.write(
    `${unanswered} of ${unanswered + counts.ok} lines could not be answered; their errors are in the output.\n`,
  );
  return counts.failed > 0 ? 1 : 2;
}

/**
 * The input's lines (\n or \r\n), each cut to MAX_LINE + 1 characters, so a line too long to be a question
 * (a binary file piped in by mistake) is answered as too long, and memory stays bounded however long it is.
 */
async function* linesOf(input: NodeJS.ReadableStream): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let line = '';
  const take = (text: string) => {
    if (line.length <= MAX_LINE) line += text.slice(0, MAX_LINE + 1 - line.length);
  };
  const ended = () => (line.endsWith('\r') ? line.slice(0, -1) : line);
  for await (const chunk of input) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let from = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', from)) {
      take(text.slice(from, end));
      yield ended();
      line = '';
      from = end + 1;
    }
    take(text.slice(from));
  }
  take(decoder.end());
  if (line !== '') yield ended(); // the last line, without its \n: a \r before the end of input goes too
}

interface BulkResult {
  status: 'ok' | 'bad' | 'failed';
  text: string;
  /** With --debug: what every source said for the line, for stderr. */
  reports?: string;
}

/** One stdin line; never rejects. `input` is the whole line as read, so results can be matched to lines. */
async function answerLine(run: Run, line: string): Promise<BulkResult> {
  const problem = (status: BulkResult['status'], message: string): BulkResult => ({
    status,
    text: run.json ? stringifyJson({ input: line, error: message }) : escapeControls(`${line}: ${message}`),
  });
  try {
    const split = splitProgram(line);
    if (!split.ok) return problem('bad', split.error);
    const outcome = await ask(run.resolver, split.value.question);
    if (!outcome.ok) return problem('bad', outcome.error.message);
    const { settings } = outcome.value.answer;
    const reports = run.debug
      ? { reports: escapeControls(`${line}\n${formatReports(outcome)}`, { keepNewlines: true }) }
      : {};
    // No line offering the programs after every answer: a list of answers is for reading, not for a chat.
    const text = await formatAnswer(
      { ...settings, query: { ...settings.query, input: line } },
      outcome.value.check,
      run,
      split.value.program,
      false,
    );
    return { status: 'ok', text, ...reports };
  } catch (error) {
    return problem('failed', describeError(error, run.debug));
  }
}

/** Waits when the reader is slower than the answers, so unread output does not pile up in memory. */
async function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}
