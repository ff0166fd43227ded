// The case card's answer, diagnostics and live check as short labelled lines for staff reading at a glance
// (a platform's renderer adds its markup and keeps its limits): one line per server, one per source, one per
// probed port. The full answer and check are what /mailsettings shows; the card keeps what tells them apart.
import type { CheckReport } from '../check/check.js';
import type { ProbeResult } from '../check/probe-result.js';
import { ENCRYPTION_NAMES, PROTOCOL_NAMES, type Server, signInOf } from '../model/settings.js';
import { clip, describeUsername } from '../reply/reply.js';
import type { Answer, MailSettings } from '../resolve/answer.js';
import { notNeededReason, reportStatus } from '../resolve/report-status.js';

export interface CardLine {
  label: string;
  text: string;
  /** A line about something that failed. */
  failed?: true;
}

const PASSWORDS = {
  password: 'the normal email password, SPA off',
  'app-password': 'an app password, not the usual one; SPA off',
  'modern-or-app-password': 'modern sign-in, else an app password',
  'modern-only': 'modern sign-in (OAuth2) only',
} as const;

const at = (server: Server) => `${server.port} ${ENCRYPTION_NAMES[server.security]}`;

/** One line per kind of server (the first, and the others as alternatives), then sign-in and the notes. */
export function settingsLines(settings: MailSettings): CardLine[] {
  const servers = [...settings.incoming, ...settings.outgoing];
  const types = [...new Set(servers.map((server) => server.type))];
  const lines = types.map((type) => {
    const [first, ...others] = servers.filter((server) => server.type === type) as [Server, ...Server[]];
    const alternatives = others
      .slice(0, 2)
      .map((other) => (other.hostname === first.hostname ? at(other) : `${other.hostname} ${at(other)}`));
    const or = alternatives.length > 0 ? ` (or ${alternatives.join(', ')})` : '';
    return { label: PROTOCOL_NAMES[type], text: `${first.hostname} ${at(first)}${or}` };
  });
  const [first] = servers;
  if (!first) return [{ label: 'No settings', text: settings.source.detail }];
  return [
    ...lines,
    { label: 'Username', text: describeUsername(first.username, settings.query.email) },
    { label: 'Password', text: PASSWORDS[signInOf(servers)] },
    ...settings.notes.map((note) => ({ label: 'Note', text: note })),
  ];
}

/**
 * What each source said: the one that answered first, then the others (a short reason each), the ones not
 * needed together on one line.
 */
export function reportLines(answer: Answer): CardLine[] {
  const notNeeded: string[] = [];
  const lines: CardLine[] = [];
  for (const report of answer.reports) {
    const status = reportStatus(report, answer);
    if (status === 'not-needed') notNeeded.push(report.source);
    else
      lines.push({
        label: report.source,
        text: `${STATUS[status]}${report.detail ? `: ${clip(report.detail, MAX_DETAIL)}` : ''} (${report.ms} ms)`,
        ...(status === 'found' || status === 'none' ? {} : { failed: true as const }),
      });
  }
  const found = lines.filter((line) => line.text.startsWith(STATUS.found));
  return [
    ...found,
    ...lines.filter((line) => !found.includes(line)),
    ...(notNeeded.length > 0 ? [{ label: notNeeded.join(', '), text: notNeededReason(answer) }] : []),
  ];
}
/** A source's reason, shortened: the full one is in /mailsettings' diagnostics. */
const MAX_DETAIL = 100;
const STATUS = {
  found: 'found',
  none: 'nothing',
  failed: 'failed',
  timeout: 'timed out',
  pending: 'still running at the deadline',
} as const;

/** One line per probed server and port: what answered, and what failed; then the check's advice. */
export function checkLines(report: CheckReport): CardLine[] {
  return [
    ...report.results.map((probe) => ({
      label: `${PROTOCOL_NAMES[probe.server.type]} ${probe.server.hostname}:${probe.server.port}`,
      ...probeText(probe),
    })),
    ...report.advice.map((advice) => ({ label: 'Advice', text: advice })),
  ];
}

function probeText(probe: ProbeResult): { text: string; failed?: true } {
  const { tls } = probe;
  const certificate = tls
    ? tls.valid
      ? `, ${tls.version}, certificate valid`
      : tls.expired
        ? `, certificate expired on ${tls.validTo}`
        : `, certificate not valid${tls.matchesHost ? '' : ` (for ${tls.names.join(', ') || 'no name'})`}`
    : '';
  const starttls = probe.starttls === 'not-offered' || probe.starttls === 'failed' ? ', no STARTTLS' : '';
  const text = `${OUTCOMES[probe.outcome]}${probe.error ? ` (${probe.error})` : ''}${certificate}${starttls}`;
  // A private address is not checked: nothing failed there.
  const failed = !['ok', 'refused'].includes(probe.outcome) || (tls && !tls.valid) || starttls !== '';
  return failed ? { text, failed: true } : { text };
}
const OUTCOMES: Record<ProbeResult['outcome'], string> = {
  ok: 'answered',
  unresolved: 'name not found',
  refused: 'not checked (a private address)',
  closed: 'closed',
  unreachable: 'unreachable',
  silent: 'silent',
  'not-mail': 'not a mail server',
  'too-much': 'said too much',
  failed: 'failed',
};
