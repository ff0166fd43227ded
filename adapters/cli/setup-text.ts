// How the command line and the console offer set-up help with an answer: the numbered steps for the mail
// program named at the end of the question, or one line listing the programs one can name; the `guide` of
// `--json`; and the file `--profile` writes (Apple's .mobileconfig, or Thunderbird's config-v1.1.xml).
import {
  answerToText,
  type CheckReport,
  fail,
  type GuideStep,
  guideFor,
  guideToText,
  type MailSettings,
  ok,
  PROGRAM_NAMES,
  PROGRAMS,
  type Program,
  type Result,
  settingsToConfigXml,
  settingsToMobileconfig,
  takeProgram,
} from '../../src/index.js';

/** What `--profile` accepts: Apple's profile, or the autoconfig document Thunderbird reads. */
export type ProfileKind = 'apple' | 'autoconfig';
const PROFILE_KINDS: ReadonlyMap<string, ProfileKind> = new Map([
  ['apple', 'apple'],
  ['mobileconfig', 'apple'],
  ['thunderbird', 'autoconfig'],
  ['autoconfig', 'autoconfig'],
]);

export const findProfileKind = (name: string): ProfileKind | undefined =>
  PROFILE_KINDS.get(name.toLowerCase());

/** The question with a trailing program name split off, or the line listing the known programs. */
export function splitProgram(text: string): Result<{ question: string; program?: Program }> {
  const { question, program } = takeProgram(text);
  if (!program) return ok({ question });
  return program.ok ? ok({ question, program: program.value }) : program;
}

/**
 * The answer as text, then the program's steps; without a program, when `offerPrograms`, a last line saying
 * which programs one can ask for. When the answer has no steps (an SMTP-only question), the line saying why
 * stands where the steps would be: the settings are still an answer.
 */
export function answerWithSetup(
  settings: MailSettings,
  report: CheckReport | undefined,
  program: Program | undefined,
  offerPrograms: boolean,
): string {
  const answer = answerToText(settings, report);
  if (program) {
    const guide = guideFor(program, settings);
    return `${answer}\n\n${guide.ok ? guideToText(guide.value) : guide.error}`;
  }
  const offer = offerPrograms ? programsOffer(settings) : undefined;
  return offer ? `${answer}\n\n${offer}` : answer;
}

/** The `guide` member of the JSON: the steps, or why this answer has none. */
export type GuideJson = { program: Program; name: string } & (
  | { title: string; steps: GuideStep[]; notes: string[] }
  | { error: string }
);

export function guideToJson(program: Program, settings: MailSettings): GuideJson {
  const guide = guideFor(program, settings);
  const name = PROGRAM_NAMES[program];
  if (!guide.ok) return { program, name, error: guide.error };
  const { title, steps, notes } = guide.value;
  return { program, name, title, steps, notes };
}

/** The file `--profile` writes, or one line saying why this answer cannot become one. */
export async function profileFile(kind: ProfileKind, settings: MailSettings): Promise<Result<string>> {
  if (kind === 'apple') return settingsToMobileconfig(settings);
  const { domain } = settings.query;
  // A client reading a document without an incoming or outgoing server cannot set up an account from it.
  if (settings.incoming.length === 0 || settings.outgoing.length === 0) {
    return fail(
      `There is no incoming and outgoing server for ${domain} to put in the file: ask for imap, pop or all, for example: ${domain} imap.`,
    );
  }
  return ok(settingsToConfigXml(settings));
}

/** "Steps for your mail program: add one of …", for an answer that steps can be written for. */
function programsOffer(settings: MailSettings): string | undefined {
  if (settings.incoming.length === 0 || settings.outgoing.length === 0) return undefined;
  const { email, domain, protocol } = settings.query;
  const example = [email ?? domain, ...(protocol === 'all' ? [] : [protocol]), PROGRAMS[0]].join(' ');
  const names = `${PROGRAMS.slice(0, -1).join(', ')} or ${PROGRAMS.at(-1)}`;
  return `Steps for your mail program: add one of ${names} to the question, for example: ${example}`;
}
