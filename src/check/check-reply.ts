// Turns a live check into the neutral reply the front ends render: one section per probed server and
// port with what was seen, the advice as notes, and a source line.

import { ENCRYPTION_NAMES, NORMAL_PASSWORD_MECHANISMS, PROTOCOL_NAMES } from '../model/settings.js';
import { type Reply, type ReplyField, replyToText, settingsToReply } from '../reply/reply.js';
import type { MailSettings } from '../resolve/answer.js';
import type { CheckReport } from './check.js';
import { describeCertificateProblem } from './failures.js';
import { PAIRS_PER_TYPE } from './limits.js';
import type { ProbeResult } from './probe-result.js';

const OUTCOME: Record<ProbeResult['outcome'], string> = {
  ok: 'answered',
  unresolved: 'not checked: the name could not be looked up',
  refused: 'not checked: private or reserved address',
  closed: 'closed (connection refused)',
  unreachable: 'could not be reached',
  silent: 'accepted the connection but said nothing',
  'not-mail': 'this port does not answer like a mail server',
  'too-much': 'the server sent too much',
  failed: 'failed',
};

export function checkToReply(report: CheckReport): Reply {
  const { query } = report.settings;
  return {
    title: `Live check of the mail servers for ${query.domain}`,
    sections: report.results.map((result) => ({
      title: `${PROTOCOL_NAMES[result.server.type]} ${result.server.hostname} port ${result.server.port} (${ENCRYPTION_NAMES[result.server.security]})`,
      fields: probeFields(result),
    })),
    notes: report.advice,
    source: `Checked ${report.results.length} server/port pairs in ${report.ms} ms, without logging in.${skippedNote(report.skipped)} Settings from: ${report.settings.source.detail}`,
  };
}

function skippedNote(skipped = 0): string {
  if (skipped === 0) return '';
  const pairs = skipped === 1 ? '1 more pair is' : `${skipped} more pairs are`;
  return ` ${pairs} listed but not checked: a mail program only tries the first ${PAIRS_PER_TYPE} of each kind.`;
}

function probeFields(result: ProbeResult): ReplyField[] {
  const fields: ReplyField[] = [
    {
      label: 'Result',
      value: result.error ? `${OUTCOME[result.outcome]}: ${result.error}` : OUTCOME[result.outcome],
    },
  ];
  if (result.address) {
    const rtt = result.rttMs === undefined ? '' : ` (connected in ${result.rttMs} ms)`;
    fields.push({ label: 'Address', value: `${result.address}${rtt}` });
  }
  if (result.greeting) fields.push({ label: 'Greeting', value: result.greeting });
  if (result.starttls === 'not-offered') fields.push({ label: 'STARTTLS', value: 'not offered' });
  if (result.starttls === 'failed')
    fields.push({ label: 'STARTTLS', value: 'offered, but the upgrade was refused' });
  const { tls } = result;
  if (tls) {
    const verdict = tls.valid
      ? 'valid'
      : tls.expired
        ? `expired on ${tls.validTo}`
        : `not valid: ${describeCertificateProblem(tls.problem)}`;
    fields.push({ label: 'TLS', value: `${tls.version}, certificate ${verdict}` });
    fields.push({
      label: 'Certificate names',
      value: `${tls.names.join(', ') || 'none'}${tls.matchesHost ? '' : ' (not this host name)'}`,
    });
  }
  if (result.outcome === 'ok') {
    const normal = result.mechanisms.some((mechanism) => NORMAL_PASSWORD_MECHANISMS.includes(mechanism));
    const list = result.mechanisms.join(', ') || 'none';
    fields.push({
      label: 'Login offered',
      value: normal ? `${list} (normal password, SPA unchecked, is right)` : list,
    });
  }
  return fields;
}

/** The plain-text answer, followed by the live check when there was one (CLI and console). */
export function answerToText(settings: MailSettings, report?: CheckReport): string {
  const text = replyToText(settingsToReply(settings));
  return report ? `${text}\n\n${replyToText(checkToReply(report))}` : text;
}
