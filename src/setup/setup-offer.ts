// Decides what an answer in chat offers for setting up the customer's own mail program: the steps for the
// program the question named (or why there are none), the programs to choose from when it named none, the
// Apple profile beside Apple's steps (or why there is none), and the signed set-up page when links are
// configured. Every chat front end renders this one value, so they all offer the same.
import { fail, ok, type Result } from '../model/result.js';
import type { MailSettings } from '../resolve/answer.js';
import { guideFor, PROFILE_NOTES } from './guide.js';
import { type Guide, hasFacts } from './guide-model.js';
import { MOBILECONFIG_TYPE, settingsToMobileconfig } from './mobileconfig.js';
import { PROGRAMS, type Program } from './programs.js';
import { setupPageUrl, signSetupLink } from './setup-link.js';

/** A file to hand over as it is: its name, media type and text. */
export interface SetupFile {
  name: string;
  type: string;
  content: string;
}

export interface SetupOffer {
  /** The question without a program ("alice@example.com imap"): a chosen program is appended to it. */
  question: string;
  /** The steps for the program the question named, or one line saying why this answer has none. */
  guide?: Result<Guide>;
  /** The programs to choose from, when the question named none and steps can be written for this answer. */
  programs: readonly Program[];
  /** Beside Apple's steps: the profile that fills them in, or one line saying why there is none. */
  profile?: Result<SetupFile>;
  /** The signed set-up page for this answer, when links are configured. */
  link?: string;
}

export interface SetupOptions {
  /** Set-up page links: the signing secret (at least 32 characters) and the bot's public base URL. */
  links?: { secret: string; baseUrl: string };
  /** The company's name, shown as who a profile is from. */
  organization?: string;
  /** Milliseconds since the epoch, for the links' expiry. @default Date.now */
  now?: () => number;
}

/** The programs whose steps a configuration profile can do instead. */
const APPLE: ReadonlySet<Program> = new Set<Program>(['iphone', 'apple-mail']);

export async function setupOffer(
  settings: MailSettings,
  asked: { question: string; program?: Program },
  options: SetupOptions = {},
): Promise<SetupOffer> {
  const { program, question } = asked;
  const guide = program ? guideFor(program, settings) : undefined;
  const profile = program && APPLE.has(program) && guide?.ok ? await profileOf(settings, options) : undefined;
  const { domain, email, protocol } = settings.query;
  const link = options.links
    ? setupPageUrl(
        options.links.baseUrl,
        signSetupLink(
          { domain, ...(email ? { email } : {}), protocol },
          options.links.secret,
          (options.now ?? Date.now)(),
        ),
      )
    : undefined;
  // The quicker way, only where there is one: a link to open and a profile it can give.
  const quicker = program && link && profile?.ok ? PROFILE_NOTES[program] : undefined;
  const noted =
    quicker && guide?.ok
      ? { ...guide, value: { ...guide.value, notes: [quicker, ...guide.value.notes] } }
      : guide;
  return {
    question,
    ...(noted ? { guide: noted } : {}),
    programs: !program && hasFacts(settings) ? PROGRAMS : [],
    ...(profile ? { profile } : {}),
    ...(link ? { link } : {}),
  };
}

async function profileOf(settings: MailSettings, options: SetupOptions): Promise<Result<SetupFile>> {
  const xml = await settingsToMobileconfig(
    settings,
    options.organization ? { organization: options.organization } : {},
  );
  if (!xml.ok) return fail(xml.error);
  return ok({ name: `${settings.query.domain}.mobileconfig`, type: MOBILECONFIG_TYPE, content: xml.value });
}
