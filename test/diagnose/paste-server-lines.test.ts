// What the paste reader leaves alone: a server's EHLO answer lists its login methods ("250-AUTH PLAIN LOGIN"),
// no credentials, and exactly what a support agent needs to see in a swaks or telnet transcript.
import { describe, expect, it } from 'vitest';
import { diagnoseError, explainDiagnosis, readPaste } from '../../src/diagnose/stage.js';
import type { Answer } from '../../src/index.js';
import { settingsWith } from './error-texts.js';

// swaks without --auth, refused for relaying (swaks marks received lines "<-", sent " ->", the error "<**").
const SWAKS_RELAY = `=== Trying mail.example.com:25...
=== Connected to mail.example.com.
<-  220 mail.example.com ESMTP Postfix
 -> EHLO client.example.net
<-  250-mail.example.com
<-  250-PIPELINING
<-  250-SIZE 10240000
<-  250-AUTH PLAIN LOGIN
<-  250-ENHANCEDSTATUSCODES
<-  250 8BITMIME
 -> MAIL FROM:<alice@example.com>
<-  250 2.1.0 Ok
 -> RCPT TO:<bob@example.net>
<** 554 5.7.1 <bob@example.net>: Relay access denied`;

describe('a transcript with no password in it', () => {
  it.each([
    ['Postfix/Exim EHLO line', '250-AUTH PLAIN LOGIN'],
    ['Gmail EHLO line', '250-AUTH LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH'],
    ['a swaks transcript refused for relaying', SWAKS_RELAY],
  ])('%s: nothing is cut and nobody is told to change a password', (_what, text) => {
    const read = readPaste(text);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.value.text).not.toContain('[removed]');
    expect(read.value.redacted).toBe(false);
    const hosting = settingsWith('example.com', ['password-cleartext']);
    const answer: Answer = { settings: hosting, reports: [] };
    const explanation = explainDiagnosis(diagnoseError(read.value.text, hosting), answer, read.value);
    expect(explanation.summary).not.toContain('change that password');
  });
});
