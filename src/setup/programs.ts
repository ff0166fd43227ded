// Which mail programs the bot has set-up steps for, and what people call them ("outlook", "mac", "ipad"): one
// place that turns a typed name into a program, or into the list of the ones it knows.
import { fail, ok, type Result } from '../model/result.js';

export const PROGRAMS = [
  'outlook',
  'outlook-mac',
  'apple-mail',
  'iphone',
  'gmail',
  'samsung',
  'thunderbird',
  'windows-mail',
] as const;
export type Program = (typeof PROGRAMS)[number];

export const PROGRAM_NAMES: Record<Program, string> = {
  outlook: 'Outlook for Windows',
  'outlook-mac': 'Outlook for Mac',
  'apple-mail': 'Apple Mail on a Mac',
  iphone: 'iPhone and iPad',
  gmail: 'Gmail app on Android',
  samsung: 'Samsung Email',
  thunderbird: 'Thunderbird',
  'windows-mail': 'Windows Mail',
};

/** Other words people use for each program; matched after lower-casing and dropping spaces, dots and dashes. */
const ALIASES: Record<Program, string[]> = {
  outlook: ['outlookwindows', 'outlookforwindows', 'outlookwin', 'outlookpc', 'windowsoutlook', 'msoutlook'],
  'outlook-mac': ['outlookformac', 'macoutlook', 'outlookmacos', 'outlookosx'],
  'apple-mail': ['applemail', 'mac', 'macos', 'macmail', 'osx', 'macbook'],
  iphone: ['iphone', 'ipad', 'ios', 'ipados', 'iphonemail', 'ipadmail', 'applephone'],
  gmail: ['gmail', 'gmailapp', 'android', 'googlemail'],
  samsung: ['samsung', 'samsungemail', 'samsungmail', 'galaxy'],
  thunderbird: ['thunderbird', 'tb', 'mozillathunderbird', 'betterbird'],
  'windows-mail': ['windowsmail', 'mailforwindows', 'windows10mail', 'windows11mail', 'win10mail'],
};

const squash = (name: string) => name.toLowerCase().replace(/[\s._-]+/g, '');

const BY_NAME = new Map<string, Program>(
  PROGRAMS.flatMap((program) =>
    [program, ...ALIASES[program]].map((name) => [squash(name), program] as const),
  ),
);

/** The program a person named, or one line listing the names that work. */
export function findProgram(name: string): Result<Program> {
  const program = BY_NAME.get(squash(name.trim()));
  if (program) return ok(program);
  const shown = name.length > 40 ? `${name.slice(0, 37)}…` : name;
  return fail(`I have no steps for “${shown}”. Choose one of: ${PROGRAMS.join(', ')}.`);
}

const PROTOCOL_WORDS = new Set(['imap', 'pop', 'pop3', 'smtp', 'all']);

/**
 * Splits a program name off the end of a question ("example.com imap outlook" → "example.com imap" and
 * outlook), so the rest goes to parseQuery unchanged. A last word after the protocol that names no program
 * comes back as the failure listing the known ones; anything else is left to parseQuery to judge.
 */
export function takeProgram(input: string): { question: string; program?: Result<Program> } {
  const words = input.trim().split(/\s+/);
  const last = words.at(-1) ?? '';
  const question = words.slice(0, -1).join(' ');
  if (words.length < 2) return { question: input };
  const program = findProgram(last);
  if (program.ok) return { question, program };
  const afterProtocol = words.length === 3 && PROTOCOL_WORDS.has((words[1] ?? '').toLowerCase());
  return afterProtocol && last.toLowerCase() !== 'check' ? { question, program } : { question: input };
}
