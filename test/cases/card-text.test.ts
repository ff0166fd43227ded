// What the case card says in its short lines, and which failures of a live check cases can share: the sources
// the resolver stopped once a better one answered are "not needed", not late; one line per server kind, per
// probed port; an expired certificate, a wrong name, a closed port, a missing STARTTLS each name one cause.
import { describe, expect, it } from 'vitest';
import { checkLines, reportLines, settingsLines } from '../../src/cases/card-text.js';
import { causeOf, failuresOf, groupFailures } from '../../src/cases/shared-cause.js';
import type { Answer, CheckReport, Server } from '../../src/index.js';
import { reportStatus } from '../../src/index.js';

const server = (type: Server['type'], port: number, security: Server['security'] = 'tls'): Server => ({
  type,
  hostname: 'server1.web-hosting.test',
  port,
  security,
  username: '%EMAILADDRESS%',
  authentication: ['password-cleartext'],
});

const hosted: Answer = {
  settings: {
    query: {
      input: 'alice@example.com',
      domain: 'example.com',
      email: 'alice@example.com',
      protocol: 'imap',
    },
    incoming: [server('imap', 993), server('imap', 143, 'starttls')],
    outgoing: [server('smtp', 465), server('smtp', 587, 'starttls')],
    source: { kind: 'profile', detail: 'Hosted by Example Web Hosting on server1.web-hosting.test' },
    notes: ['Use server1.web-hosting.test: its certificate matches.'],
  },
  reports: [
    { source: 'profile', status: 'found', detail: 'Hosted by Example Web Hosting', ms: 20 },
    { source: 'autoconfig', status: 'pending', detail: '', ms: 0 },
    { source: 'srv', status: 'none', detail: 'no mail SRV records under example.com', ms: 12 },
    { source: 'ispdb', status: 'pending', detail: '', ms: 0 },
    { source: 'providers', status: 'pending', detail: '', ms: 0 },
    { source: 'mx', status: 'pending', detail: '', ms: 0 },
  ],
};

describe('the card’s lines', () => {
  it('says the sources stopped after the company’s own server answered were not needed', () => {
    expect(hosted.reports.map((report) => reportStatus(report, hosted))).toEqual([
      'found',
      'not-needed',
      'none',
      'not-needed',
      'not-needed',
      'not-needed',
    ]);
    expect(reportLines(hosted)).toEqual([
      { label: 'profile', text: 'found: Hosted by Example Web Hosting (20 ms)' },
      { label: 'srv', text: 'nothing: no mail SRV records under example.com (12 ms)' },
      { label: 'autoconfig, ispdb, providers, mx', text: "not needed: the company's own server answered" },
    ]);
  });

  it('says a source was still running only when the deadline came before any better answer', () => {
    const late: Answer = {
      settings: { ...hosted.settings, source: { kind: 'default', detail: 'the usual settings' } },
      reports: [
        { source: 'profile', status: 'none', detail: 'not ours', ms: 10 },
        { source: 'autoconfig', status: 'pending', detail: '', ms: 0 },
      ],
    };
    expect(reportLines(late)).toEqual([
      { label: 'profile', text: 'nothing: not ours (10 ms)' },
      { label: 'autoconfig', text: 'still running at the deadline (0 ms)', failed: true },
    ]);
    const bySrv: Answer = {
      ...hosted,
      settings: { ...hosted.settings, source: { kind: 'srv', detail: 'SRV' } },
    };
    expect(reportLines(bySrv).at(-1)).toEqual({
      label: 'ispdb, providers, mx',
      text: 'not needed: DNS SRV records answered first',
    });
  });

  it('gives one line per kind of server, with its alternatives, then sign-in and notes', () => {
    expect(settingsLines(hosted.settings)).toEqual([
      { label: 'IMAP', text: 'server1.web-hosting.test 993 SSL/TLS (or 143 STARTTLS)' },
      { label: 'SMTP', text: 'server1.web-hosting.test 465 SSL/TLS (or 587 STARTTLS)' },
      { label: 'Username', text: 'alice@example.com' },
      { label: 'Password', text: 'the normal email password, SPA off' },
      { label: 'Note', text: 'Use server1.web-hosting.test: its certificate matches.' },
    ]);
  });
});

const tls = (fields: Partial<NonNullable<CheckReport['results'][number]['tls']>>) => ({
  version: 'TLSv1.3',
  valid: false,
  names: ['server1.web-hosting.test'],
  matchesHost: true,
  expired: false,
  validTo: '2020-01-02',
  ...fields,
});

const report: CheckReport = {
  settings: hosted.settings,
  results: [
    { server: server('imap', 993), outcome: 'ok', mechanisms: ['PLAIN'], tls: tls({ expired: true }) },
    { server: server('imap', 143, 'starttls'), outcome: 'ok', mechanisms: [], starttls: 'not-offered' },
    { server: server('smtp', 465), outcome: 'closed', mechanisms: [], error: 'the connection was refused' },
    {
      server: server('smtp', 587, 'starttls'),
      outcome: 'ok',
      mechanisms: ['PLAIN'],
      tls: tls({ valid: true }),
    },
    {
      server: { ...server('pop3', 995), hostname: 'MAIL.Example.com' },
      outcome: 'ok',
      mechanisms: [],
      tls: tls({ matchesHost: false, names: ['other.test'] }),
    },
    { server: server('pop3', 110), outcome: 'refused', mechanisms: [] },
  ],
  advice: ['Renew the certificate.'],
  ms: 40,
};

describe('the failures cases can share', () => {
  it('names one cause per failing probe, and none for a healthy one or one not checked', () => {
    expect(report.results.map(causeOf)).toEqual([
      'certificate-expired',
      'encryption-mismatch',
      'unreachable',
      undefined,
      'certificate-name',
      undefined,
    ]);
    expect(failuresOf(report)).toEqual([
      { host: 'server1.web-hosting.test', port: 993, cause: 'certificate-expired' },
      { host: 'server1.web-hosting.test', port: 143, cause: 'encryption-mismatch' },
      { host: 'server1.web-hosting.test', port: 465, cause: 'unreachable' },
      { host: 'mail.example.com', port: 995, cause: 'certificate-name' },
    ]);
    expect(
      groupFailures([
        { host: 'a.test', port: 993, cause: 'unreachable' },
        { host: 'a.test', port: 465, cause: 'unreachable' },
        { host: 'a.test', port: 993, cause: 'unreachable' },
      ]),
    ).toEqual([{ host: 'a.test', cause: 'unreachable', ports: [993, 465] }]);
  });

  it('reads the check as one line per port, what failed marked', () => {
    expect(checkLines(report)).toEqual([
      {
        label: 'IMAP server1.web-hosting.test:993',
        text: 'answered, certificate expired on 2020-01-02',
        failed: true,
      },
      { label: 'IMAP server1.web-hosting.test:143', text: 'answered, no STARTTLS', failed: true },
      {
        label: 'SMTP server1.web-hosting.test:465',
        text: 'closed (the connection was refused)',
        failed: true,
      },
      { label: 'SMTP server1.web-hosting.test:587', text: 'answered, TLSv1.3, certificate valid' },
      {
        label: 'POP MAIL.Example.com:995',
        text: 'answered, certificate not valid (for other.test)',
        failed: true,
      },
      { label: 'POP server1.web-hosting.test:110', text: 'not checked (a private address)' },
      { label: 'Advice', text: 'Renew the certificate.' },
    ]);
  });
});
