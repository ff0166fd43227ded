// Real error texts read as their cause (a .NET handshake failure, Postfix's "not logged in", Exchange's
// STARTTLS requirement), and fixes that fit the provider: never the usual password where an app password is
// needed, and the username in the form the provider uses.
import { describe, expect, it } from 'vitest';
import { diagnoseError, explainDiagnosis, readPaste } from '../../src/diagnose/stage.js';
import type { MailSettings } from '../../src/index.js';
import { settingsWith } from './error-texts.js';

const hosting = settingsWith('example.com', ['password-cleartext']);
const google = settingsWith('gmail.com', ['OAuth2', 'password-cleartext']);

const paste = (text: string) => {
  const read = readPaste(text);
  if (!read.ok) throw new Error(read.error.code);
  return read.value;
};

describe('real texts read as their cause', () => {
  it.each([
    // .NET SslStream (System.Net.Mail, MailKit): the TLS handshake failed; no password was ever sent.
    [
      '.NET SslStream',
      'System.Security.Authentication.AuthenticationException: Authentication failed because the remote party has closed the transport stream.',
      'encryption-mismatch',
    ],
    // Postfix reject_sender_login_mismatch for a client that did not sign in (smtpd_check.c).
    [
      'Postfix, unauthenticated sender',
      '553 5.7.1 <alice@example.com>: Sender address rejected: not logged in',
      'relay',
    ],
    // Postfix when its own TLS set-up is broken (no certificate readable): nothing to do with connections.
    [
      'Postfix, server-side TLS broken',
      '454 4.7.0 TLS not available due to local problem',
      'encryption-mismatch',
    ],
    // Exchange Online: STARTTLS required; no password was refused.
    [
      'Exchange Online, STARTTLS required',
      '451 5.7.3 STARTTLS is required to send mail',
      'encryption-mismatch',
    ],
  ])('%s: %s', (_from, text, cause) => {
    expect(diagnoseError(text, hosting).cause).toBe(cause);
  });

  it('a failed TLS handshake from .NET at a Gmail domain is not “create an app password”', () => {
    const text = 'Authentication failed because the remote party has closed the transport stream.';
    expect(diagnoseError(text, google).cause).not.toBe('app-password');
  });
});

describe('the fix fits the provider', () => {
  it('modern-auth at a provider that takes OAuth2 or an app password: never the usual password', () => {
    // Thunderbird's "does not seem to support encrypted passwords" (modern-auth) for a Google Workspace domain.
    const diagnosis = diagnoseError(
      "The IMAP server alice@example.com does not seem to support encrypted passwords. If you just set up the account, try changing the 'Authentication method' in 'Account Settings | Server settings' to 'Normal password'.",
      google,
    );
    expect(diagnosis.cause).toBe('modern-auth');
    const { fix } = explainDiagnosis(diagnosis, { settings: google, reports: [] }, paste('x'));
    // Never the usual password: modern sign-in, or an app password where only "Normal password" is offered.
    expect(fix).not.toMatch(/^Set the authentication method to “Normal password”/);
    expect(fix).toMatch(/OAuth2.*app password/);
  });

  it('a refused password where the username is the part before the @: not “your full email address”', () => {
    const server = (type: 'imap' | 'smtp') => ({
      ...(type === 'imap' ? hosting.incoming[0] : hosting.outgoing[0]),
      username: '%EMAILLOCALPART%',
    });
    const settings: MailSettings = {
      ...hosting,
      incoming: [server('imap') as MailSettings['incoming'][number]],
      outgoing: [server('smtp') as MailSettings['outgoing'][number]],
    };
    const diagnosis = diagnoseError('Login to server mail.example.com with username alice failed.', settings);
    expect(diagnosis.cause).toBe('password');
    const { fix } = explainDiagnosis(diagnosis, { settings, reports: [] }, paste('x'));
    expect(fix).not.toContain('full email address');
  });
});
