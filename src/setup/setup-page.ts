// Renders the set-up page a customer opens on their phone: the settings, the steps for every mail program and
// the Apple profile download. Plain server-rendered HTML with inline CSS and no external assets or scripts;
// headings, a language, labelled values and high-contrast colours for screen readers and small screens.
// Every piece of text is escaped, so nothing from a provider file or a question can become markup; web
// addresses in notes become links (https only). The company's name (and logo) heads the page, so a customer
// knows whose profile they are asked to install; where the provider refuses the usual password, making an app
// password is the first step.
import { PROVIDER_HELP } from '../messages/answer.js';
import { signInOf } from '../model/settings.js';
import { describeUsername, type Reply, settingsToReply } from '../reply/reply.js';
import type { MailSettings } from '../resolve/answer.js';
import { guideFor } from './guide.js';
import type { Guide } from './guide-model.js';
import { PROGRAM_NAMES, PROGRAMS } from './programs.js';

export interface SetupPageInput {
  settings: MailSettings;
  /** The profile's address relative to the page, or why this answer has none. */
  profile: { href: string } | { problem: string };
  expiresAt: number;
  /** The company's name from the operator profile. */
  organization?: string;
  /** The company's logo (https), from the operator profile. */
  logoUrl?: string;
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#fff}
main{max-width:42rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;line-height:1.25;margin:.5rem 0 1rem}
h2{font-size:1.25rem;margin:2rem 0 .5rem;border-top:1px solid #c8c8c8;padding-top:1rem}
h3{font-size:1.05rem;margin:1.25rem 0 .25rem}
a{color:#0b4fb3;overflow-wrap:anywhere}
.brand{display:flex;align-items:center;gap:.75rem;margin:.25rem 0 0;font-weight:600;font-size:1.1rem}
.brand img{max-height:2.5rem;max-width:10rem;object-fit:contain}
li,p{overflow-wrap:anywhere}
.button{display:inline-block;margin:.5rem 0;padding:.75rem 1.25rem;border-radius:.5rem;background:#0b4fb3;color:#fff;font-weight:600;text-decoration:none}
.button:focus-visible,a:focus-visible,summary:focus-visible{outline:3px solid #1a1a1a;outline-offset:2px}
dl{margin:.25rem 0}
dt{font-weight:600;margin-top:.5rem}
dd{margin:0 0 0 .75rem;overflow-wrap:anywhere}
@media (min-width:40rem){dl{display:grid;grid-template-columns:minmax(0,2fr) minmax(0,3fr);gap:.25rem .75rem}dt,dd{margin:0}}
.value{font-family:ui-monospace,Menlo,Consolas,monospace;user-select:all}
details{border:1px solid #c8c8c8;border-radius:.5rem;margin:.5rem 0;padding:.5rem .75rem}
summary{cursor:pointer;font-weight:600;padding:.25rem 0}
ol{padding-left:1.5rem}
li{margin:.75rem 0}
li dl{margin-top:.25rem}
.note{background:#f3f3f3;border-left:4px solid #595959;padding:.5rem .75rem}
.small{color:#4a4a4a;font-size:.9rem}
`;

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

/** Labelled values; one-word values (host names, ports, addresses) in a typewriter face, easy to copy. */
const valuesList = (values: { label: string; value: string }[]) =>
  values.length === 0
    ? ''
    : `<dl>${values
        .map(({ label, value }) => {
          const typed = /^\S+$/.test(value) ? ' class="value"' : '';
          return `<dt>${escapeHtml(label)}</dt><dd${typed}>${escapeHtml(value)}</dd>`;
        })
        .join('')}</dl>`;

const WEB_ADDRESS = /https:\/\/[^\s<>"')]+[^\s<>"').,;:!?]/g;

/** Escapes text and makes its https addresses links a finger can tap (they wrap, however long). */
export function linkify(text: string): string {
  let html = '';
  let at = 0;
  for (const match of text.matchAll(WEB_ADDRESS)) {
    const url = match[0];
    html += `${escapeHtml(text.slice(at, match.index))}<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>`;
    at = match.index + url.length;
  }
  return html + escapeHtml(text.slice(at));
}

function settingsSection(reply: Reply): string {
  const sections = reply.sections
    .map((section) => `<h3>${escapeHtml(section.title)}</h3>${valuesList(section.fields)}`)
    .join('\n');
  const notes =
    reply.notes.length === 0
      ? ''
      : `<h3>Good to know</h3><ul>${reply.notes.map((note) => `<li>${linkify(note)}</li>`).join('')}</ul>`;
  return `<h2>Your settings</h2>\n${sections}\n${notes}\n<p class="small">${escapeHtml(reply.source)}</p>`;
}

/** Where the provider refuses the usual password in mail programs: making an app password comes first. */
function appPasswordSection(settings: MailSettings): string {
  const signIn = signInOf([...settings.incoming, ...settings.outgoing]);
  if (signIn === 'password') return '';
  const help = settings.notes.find((note) => note.startsWith(PROVIDER_HELP))?.match(WEB_ADDRESS)?.[0];
  const where = help
    ? ` Your provider explains how: <a href="${escapeHtml(help)}">${escapeHtml(help)}</a>`
    : '';
  if (signIn === 'modern-only')
    return `<h2>First: use a mail program that can sign in with your provider</h2>
<p>Your provider does not accept a password in mail programs: choose a program (or an account type) that offers “Sign in with” your provider, and sign in on the page it shows.${where}</p>`;
  return `<h2>First: create an app password</h2>
<p>Your provider refuses your usual password in mail programs. Before anything else, create an app password in your email account’s security settings, and use it wherever the steps below ask for a password.${where}</p>`;
}

/** `user`: the user name in words, when the question had no address and the device asks for it (and the address). */
function profileSection(profile: SetupPageInput['profile'], password: string, user?: string): string {
  const heading = '<h2>One-tap set-up on iPhone, iPad or Mac</h2>';
  if ('problem' in profile) return `${heading}\n<p class="note">${escapeHtml(profile.problem)}</p>`;
  const fills = user
    ? `It fills in the servers; the device also asks for your email address and your user name (${escapeHtml(user)}), then your ${password}.`
    : `It fills in every setting; only your ${password} is asked for.`;
  return `${heading}
<p>Open this page in <strong>Safari</strong> on the device, then download the profile. ${fills}</p>
<p><a class="button" href="${escapeHtml(profile.href)}" download="email.mobileconfig">Download the profile</a></p>
<ol>
<li>Tap <strong>Allow</strong> when Safari asks to download a configuration profile.</li>
<li>Open <strong>Settings</strong> and tap <strong>Profile Downloaded</strong> near the top (on a Mac: System Settings, then Profiles).</li>
<li>Tap <strong>Install</strong> and type ${user ? 'what it asks for' : `your ${password}`} when asked.</li>
</ol>`;
}

function guideSection(guide: Guide): string {
  const steps = guide.steps
    .map((step) => `<li>${escapeHtml(step.text)}${valuesList(step.values)}</li>`)
    .join('\n');
  const notes = guide.notes.map((note) => `<p class="note">${linkify(note)}</p>`).join('');
  return `<details>
<summary>${escapeHtml(PROGRAM_NAMES[guide.program])}</summary>
<p class="small">${escapeHtml(guide.title)}</p>
<ol>
${steps}
</ol>
${notes}
</details>`;
}

/** The company the page is from, at the very top: its logo (when the profile gives one) and its name. */
function brand(organization?: string, logoUrl?: string): string {
  if (!organization) return '';
  const logo = logoUrl ? `<img src="${escapeHtml(logoUrl)}" alt="${escapeHtml(organization)} logo">` : '';
  return `<header class="brand">${logo}<span>${escapeHtml(organization)}</span></header>`;
}

export function renderSetupPage(input: SetupPageInput): string {
  const { settings, profile, expiresAt } = input;
  const password =
    signInOf([...settings.incoming, ...settings.outgoing]) === 'password' ? 'password' : 'app password';
  const { email, domain } = settings.query;
  const who = email ?? domain;
  const guides = PROGRAMS.map((program) => guideFor(program, settings));
  const shown = guides.flatMap((guide) => (guide.ok ? [guideSection(guide.value)] : []));
  const missing = guides.find((guide) => !guide.ok);
  const steps =
    shown.length > 0
      ? `<p>Choose your mail program to see where each setting goes.</p>\n${shown.join('\n')}`
      : `<p class="note">${escapeHtml(missing && !missing.ok ? missing.error : 'No steps for this answer.')}</p>`;
  const until = new Date(expiresAt).toUTCString();
  return page(
    `Email set-up for ${who}`,
    `${brand(input.organization, input.logoUrl)}
<h1>Set up your email: ${escapeHtml(who)}</h1>
${appPasswordSection(settings)}
${profileSection(profile, password, settings.query.email ? undefined : describeUsername(settings.incoming[0]?.username ?? '%EMAILADDRESS%'))}
<h2>Step by step in your mail program</h2>
${steps}
${settingsSection(settingsToReply(settings))}
<p class="small">This page works until ${escapeHtml(until)}. Ask the bot again for a new link.</p>`,
  );
}

/** A page for a link that cannot be served: what happened and what to do, nothing else. */
export function renderErrorPage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>`);
}
