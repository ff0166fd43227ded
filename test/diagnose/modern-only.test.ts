// A refused password at a provider that takes modern sign-in only (Microsoft 365): its servers list password
// methods they turn down, so the check confirms the cause by the modern methods on offer and never offers a
// password login to choose.
import { describe, expect, it } from 'vitest';
import type { ProbeResult } from '../../src/check/probe-result.js';
import { diagnoseError, explainDiagnosis, readPaste } from '../../src/diagnose/stage.js';
import type { Answer, CheckReport } from '../../src/index.js';
import { settingsWith } from './error-texts.js';

const VALID_TLS = {
  version: 'TLSv1.3',
  valid: true,
  names: ['outlook.office365.com', 'smtp.office365.com'],
  matchesHost: true,
  expired: false,
  validTo: '2030-01-01',
};

describe('a refused password at Microsoft 365 (modern sign-in only)', () => {
  // What Exchange Online really advertises after TLS: IMAP "AUTH=PLAIN AUTH=XOAUTH2", SMTP "AUTH LOGIN XOAUTH2",
  // although it turns every password login down (basic authentication is off).
  const microsoft365 = settingsWith('office365.com', ['OAuth2']);
  const [imap] = microsoft365.incoming;
  const [smtp] = microsoft365.outgoing;
  const probe = (server: typeof imap, mechanisms: string[]): ProbeResult => ({
    server: server as NonNullable<typeof imap>,
    address: '203.0.113.5',
    outcome: 'ok',
    tls: VALID_TLS,
    mechanisms,
  });
  const report: CheckReport = {
    settings: microsoft365,
    results: [probe(imap, ['PLAIN', 'XOAUTH2']), probe(smtp, ['LOGIN', 'XOAUTH2'])],
    advice: [],
    ms: 40,
  };
  const answer: Answer = { settings: microsoft365, reports: [] };

  it('does not tell the customer to choose a password login the provider refuses', () => {
    const paste = readPaste('535 5.7.3 Authentication unsuccessful');
    if (!paste.ok) throw new Error('paste refused');
    const diagnosis = diagnoseError(paste.value.text, microsoft365);
    expect(diagnosis.cause).toBe('modern-auth');
    const explanation = explainDiagnosis(diagnosis, answer, paste.value, report);
    expect(explanation.fix).toContain('a password alone will not work');
    // The summary must not contradict the fix by offering LOGIN/PLAIN (password logins) to choose from.
    expect(explanation.summary).not.toMatch(/(LOGIN|PLAIN)[^.]*\. Choose one of them/);
  });
});
