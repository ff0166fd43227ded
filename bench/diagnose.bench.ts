// What reading a pasted error costs: the catalogue matcher on a real error, on the longest paste accepted
// (MAX_PASTE) and on hostile pastes built to make backtracking patterns slow, up to 100 KB (of which only the
// first MAX_SCAN characters are looked at). The baseline is the one pass over the same text that any reading
// must make (normalising it), so the ratio is the matcher's constant factor; time per KB staying flat from
// 1 KB to the scan limit is what linear means.
import { normalize } from '../src/diagnose/match.js';
import { matchError, readPaste } from '../src/diagnose/stage.js';
import { ms, printTable, ratio, sample, stats, us } from './table.js';

const REAL =
  "Sending reported error (0x800CCC78): 'Unable to send the message. Please verify the e-mail address in your account properties. The server responded: 530 5.7.0 Authentication required'";

/** Text that almost matches everywhere: codes cut short, phrases broken, long runs for patterns to chew on. */
function hostile(length: number): string {
  const pieces = [
    'A_'.repeat(40),
    '5.5.',
    '[aaaaaaaaaaaaaaaaa',
    '0xffffff',
    'authentication faile ',
    'E'.repeat(30),
  ];
  let text = '';
  for (let i = 0; text.length < length; i++) text += `${pieces[i % pieces.length]} `;
  return text.slice(0, length);
}

export async function benchDiagnose(): Promise<void> {
  const cases: [string, string][] = [
    ['a real Outlook error (180 chars)', REAL],
    ['hostile, 1 KB', hostile(1024)],
    ['hostile, 4 KB (the longest paste)', hostile(4000)],
    ['hostile, 8 KB (the scan limit)', hostile(8000)],
    ['hostile, 100 KB (cut to 8 KB)', hostile(100_000)],
  ];
  const rows = [];
  for (const [name, text] of cases) {
    const options = { count: 2000, maxMs: 2000 };
    const base = stats((await sample(() => normalize(text), options)).times);
    const matched = stats((await sample(() => matchError(text), options)).times);
    const kb = Math.min(text.length, 8000) / 1024;
    rows.push({
      paste: name,
      'normalize p50': us(base.p50),
      'matchError p50': us(matched.p50),
      'matchError p99': us(matched.p99),
      'per KB scanned': us(matched.p50 / kb),
      'vs normalize': ratio(matched.p50 / base.p50),
    });
  }
  printTable('Diagnosis: matching a pasted error against the catalogue', rows);
  const secrets = `${'password: x '.repeat(200)}${'a1 LOGIN u p\n'.repeat(100)}`.slice(0, 4000);
  const read = stats((await sample(() => readPaste(secrets), { count: 2000, maxMs: 2000 })).times);
  printTable('Diagnosis: reading a 4 KB paste full of passwords (redaction)', [
    { 'readPaste p50': us(read.p50), 'readPaste p99': us(read.p99), max: ms(read.max) },
  ]);
}

if (import.meta.url === `file://${process.argv[1]}`) await benchDiagnose();
