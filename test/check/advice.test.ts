import { describe, expect, it } from 'vitest';
import { adviseOn } from '../../src/check/advice.js';
import type { ProbeResult, TlsReport } from '../../src/check/probe.js';
import type { CheckReport, MailSettings, Server } from '../../src/index.js';
import { checkToReply } from '../../src/index.js';
import type { Security, ServerType } from '../../src/testing.js';

const server = (type: ServerType, port: number, security: Security, hostname = 'mail.host.test'): Server => ({
  type,
  hostname,
  port,
  security,
  username: '%EMAILADDRESS%',
  authentication: [],
});

const goodTls = (overrides: Partial<TlsReport> = {}): TlsReport => ({
  version: 'TLSv1.3',
  valid: true,
  names: ['mail.host.test'],
  matchesHost: true,
  expired: false,
  validTo: '2099-01-01',
  ...overrides,
});

const ok = (srv: Server, overrides: Partial<ProbeResult> = {}): ProbeResult => ({
  server: srv,
  address: '192.0.2.1',
  outcome: 'ok',
  tls: goodTls(),
  mechanisms: ['PLAIN', 'LOGIN'],
  ...(srv.security === 'starttls' ? { starttls: 'upgraded' as const } : {}),
  ...overrides,
});

const closed = (srv: Server): ProbeResult => ({
  server: srv,
  address: '192.0.2.1',
  outcome: 'closed',
  mechanisms: [],
  error: 'connect ECONNREFUSED',
});

const HEALTHY =
  'Every recommended server answered with a valid certificate: these settings work. If the mail program still fails, check the username and password.';

describe('advice on a closed port', () => {
  it('suggests the other port of that type when its certificate is valid', () => {
    const advice = adviseOn([closed(server('imap', 993, 'tls')), ok(server('imap', 143, 'starttls'))]);
    expect(advice).toEqual([
      'mail.host.test port 993 is closed. Use mail.host.test port 143 with STARTTLS instead.',
    ]);
  });

  it('does not suggest the other port when its certificate is invalid', () => {
    const invalid = ok(server('imap', 143, 'starttls'), {
      tls: goodTls({ valid: false, problem: 'SELF_SIGNED_CERT_IN_CHAIN' }),
    });
    const advice = adviseOn([closed(server('imap', 993, 'tls')), invalid]);
    expect(advice).toContain('mail.host.test port 993 is closed.');
    expect(advice.join('\n')).not.toMatch(/instead/);
  });

  it('does not suggest a working server of another type', () => {
    const advice = adviseOn([closed(server('imap', 993, 'tls')), ok(server('smtp', 465, 'tls'))]);
    expect(advice).toEqual(['mail.host.test port 993 is closed.']);
  });
});

describe('advice on TLS', () => {
  it('warns that a server speaking only TLSv1 is refused by current mail programs', () => {
    const advice = adviseOn([ok(server('imap', 993, 'tls'), { tls: goodTls({ version: 'TLSv1' }) })]);
    expect(advice).toEqual([
      'mail.host.test port 993 only speaks TLSv1, which current mail programs refuse.',
    ]);
  });

  it('does not warn about TLSv1.2', () => {
    const advice = adviseOn([ok(server('imap', 993, 'tls'), { tls: goodTls({ version: 'TLSv1.2' }) })]);
    expect(advice).toEqual([HEALTHY]);
  });

  it('suggests the certificate’s plain host name, never its wildcard, when the name does not match', () => {
    const result = ok(server('imap', 993, 'tls', 'mail.other.test'), {
      tls: goodTls({ valid: false, matchesHost: false, names: ['*.host.test', 'host.test'] }),
    });
    const advice = adviseOn([result]);
    expect(advice).toContain(
      'mail.other.test has a certificate for *.host.test, host.test only: use host.test as the server name.',
    );
    expect(advice.join('\n')).not.toMatch(/use \*\./);
  });

  it('suggests no server name when the certificate only has a wildcard', () => {
    const result = ok(server('imap', 993, 'tls', 'mail.other.test'), {
      tls: goodTls({ valid: false, matchesHost: false, names: ['*.host.test'] }),
    });
    expect(adviseOn([result])).toContain('mail.other.test has a certificate for *.host.test only.');
  });

  it('reports a STARTTLS server that refused to start TLS', () => {
    const result: ProbeResult = {
      server: server('imap', 143, 'starttls'),
      outcome: 'ok',
      starttls: 'failed',
      mechanisms: [],
    };
    expect(adviseOn([result])).toEqual(['mail.host.test port 143 offers STARTTLS but refused to start it.']);
  });
});

describe('advice on login', () => {
  it('says a normal password will not work when only XOAUTH2 is offered after TLS', () => {
    const advice = adviseOn([ok(server('imap', 993, 'tls'), { mechanisms: ['XOAUTH2'] })]);
    expect(advice).toEqual([
      'IMAP on mail.host.test port 993 only accepts XOAUTH2: "normal password" will not work; choose the matching authentication method.',
    ]);
  });

  it('says an SMTP server offering no login after TLS may be for receiving mail only', () => {
    const advice = adviseOn([ok(server('smtp', 465, 'tls'), { mechanisms: [] })]);
    expect(advice).toEqual([
      'mail.host.test port 465 offers no login after TLS: it may be for receiving mail only, not for sending.',
    ]);
  });

  it('says only that no login is offered for an incoming server without login', () => {
    const advice = adviseOn([ok(server('imap', 993, 'tls'), { mechanisms: [] })]);
    expect(advice).toEqual(['mail.host.test port 993 offers no login after TLS.']);
  });

  it('has no login advice when PLAIN or LOGIN is offered next to XOAUTH2', () => {
    expect(adviseOn([ok(server('imap', 993, 'tls'), { mechanisms: ['XOAUTH2', 'LOGIN'] })])).toEqual([
      HEALTHY,
    ]);
  });
});

const failed = (srv: Server, outcome: ProbeResult['outcome'], error?: string): ProbeResult => ({
  server: srv,
  outcome,
  mechanisms: [],
  ...(error ? { error } : {}),
});

describe('advice on a port that is no mail server', () => {
  it('says a port that does not greet like a mail server is not one, and what works instead', () => {
    const advice = adviseOn([
      failed(server('imap', 993, 'tls'), 'not-mail'),
      ok(server('imap', 143, 'starttls')),
    ]);
    expect(advice).toEqual([
      'mail.host.test port 993 does not answer like a mail server: check the server name and port. Use mail.host.test port 143 with STARTTLS instead.',
    ]);
  });

  it('says a server that sent too much was hung up on', () => {
    expect(adviseOn([failed(server('smtp', 465, 'tls'), 'too-much')])).toEqual([
      'mail.host.test port 465 sent far more than a mail server would, so the check hung up: it is probably not a mail server.',
    ]);
  });
});

describe('the overall conclusion when nothing works', () => {
  it('has none when one server works', () => {
    const advice = adviseOn([failed(server('imap', 993, 'tls'), 'closed'), ok(server('smtp', 465, 'tls'))]);
    expect(advice.join('\n')).not.toMatch(/In short/);
  });

  it('has none for a single probe: its own line says it all', () => {
    expect(adviseOn([failed(server('imap', 993, 'tls'), 'closed')])).toEqual([
      'mail.host.test port 993 is closed.',
    ]);
  });

  it('has none when every server was refused as private: nothing was tried', () => {
    const advice = adviseOn([
      failed(server('imap', 993, 'tls'), 'refused'),
      failed(server('smtp', 465, 'tls'), 'refused'),
    ]);
    expect(advice).toEqual([
      'mail.host.test points at a private or reserved address, so it was not checked.',
    ]);
  });

  it('says the ports are probably wrong when none answers like a mail server', () => {
    const advice = adviseOn([
      failed(server('imap', 993, 'tls'), 'not-mail'),
      failed(server('smtp', 465, 'tls'), 'too-much'),
    ]);
    expect(advice.at(-1)).toBe(
      'In short: no port of mail.host.test answers like a mail server. The server name or the ports are probably wrong.',
    );
  });

  it('ends a mix of failures with one general conclusion', () => {
    const advice = adviseOn([
      failed(server('imap', 993, 'tls'), 'closed'),
      failed(server('smtp', 465, 'tls'), 'failed', 'the TLS handshake failed'),
    ]);
    expect(advice).toEqual([
      'mail.host.test port 993 is closed.',
      'mail.host.test port 465 failed: the TLS handshake failed.',
      'In short: no server answered as a working mail server should, so these settings will not work as they are.',
    ]);
  });
});

describe('overall advice', () => {
  it('gives exactly the "everything works" advice for a healthy set', () => {
    const advice = adviseOn([
      ok(server('imap', 993, 'tls')),
      ok(server('imap', 143, 'starttls')),
      ok(server('smtp', 465, 'tls')),
    ]);
    expect(advice).toEqual([HEALTHY]);
  });

  it('gives no advice for an empty result list', () => {
    expect(adviseOn([])).toEqual([]);
  });
});

describe('the live check reply', () => {
  const settings: MailSettings = {
    query: { input: 'host.test', domain: 'host.test', protocol: 'all' },
    incoming: [],
    outgoing: [],
    source: { kind: 'ispdb', detail: 'test' },
    notes: [],
  };
  const report = (results: ProbeResult[]): CheckReport => ({
    settings,
    results,
    advice: adviseOn(results),
    ms: 12,
  });
  const fieldOf = (result: ProbeResult, label: string) =>
    checkToReply(report([result])).sections[0]?.fields.find((field) => field.label === label)?.value;

  it('names each outcome in words', () => {
    const labels = (['not-mail', 'too-much', 'unresolved', 'unreachable'] as const).map((outcome) =>
      fieldOf(failed(server('imap', 993, 'tls'), outcome), 'Result'),
    );
    expect(labels).toEqual([
      'this port does not answer like a mail server',
      'the server sent too much',
      'not checked: the name could not be looked up',
      'could not be reached',
    ]);
  });

  it('says why a certificate is not valid in words, not as OpenSSL’s code', () => {
    const result = ok(server('imap', 993, 'tls'), {
      tls: goodTls({ valid: false, problem: 'DEPTH_ZERO_SELF_SIGNED_CERT' }),
    });
    expect(fieldOf(result, 'TLS')).toBe('TLSv1.3, certificate not valid: it is self-signed');
    expect(adviseOn([result])).toEqual([
      'The certificate of mail.host.test is not trusted (it is self-signed): mail programs will warn about it.',
    ]);
  });

  it('says how many listed pairs were left out', () => {
    const one = checkToReply({ ...report([ok(server('imap', 993, 'tls'))]), skipped: 1 });
    expect(one.source).toContain(
      '1 more pair is listed but not checked: a mail program only tries the first 2 of each kind.',
    );
    expect(checkToReply(report([ok(server('imap', 993, 'tls'))])).source).not.toMatch(/not checked/);
  });

  it('marks certificate names that do not match the host name', () => {
    const result = ok(server('imap', 993, 'tls', 'mail.other.test'), {
      tls: goodTls({ valid: false, matchesHost: false, names: ['*.host.test', 'host.test'] }),
    });
    expect(fieldOf(result, 'Certificate names')).toBe('*.host.test, host.test (not this host name)');
  });

  it('shows certificate names without a mark when they match', () => {
    expect(fieldOf(ok(server('imap', 993, 'tls')), 'Certificate names')).toBe('mail.host.test');
  });

  it('says the normal password is right when PLAIN is offered', () => {
    expect(
      fieldOf(ok(server('imap', 993, 'tls'), { mechanisms: ['PLAIN', 'XOAUTH2'] }), 'Login offered'),
    ).toBe('PLAIN, XOAUTH2 (normal password, SPA unchecked, is right)');
  });

  it('says the normal password is right when LOGIN is offered', () => {
    expect(fieldOf(ok(server('smtp', 587, 'starttls'), { mechanisms: ['LOGIN'] }), 'Login offered')).toBe(
      'LOGIN (normal password, SPA unchecked, is right)',
    );
  });

  it('does not call the normal password right when neither PLAIN nor LOGIN is offered', () => {
    expect(
      fieldOf(ok(server('imap', 993, 'tls'), { mechanisms: ['XOAUTH2', 'CRAM-MD5'] }), 'Login offered'),
    ).toBe('XOAUTH2, CRAM-MD5');
    expect(fieldOf(ok(server('imap', 993, 'tls'), { mechanisms: [] }), 'Login offered')).toBe('none');
  });
});
