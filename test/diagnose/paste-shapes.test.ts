// Passwords in the shapes developers and mail tools paste them (configuration files, quoting that does not
// close, curl -v and swaks transcripts): cut out by the paste reader, which also runs on every case message and
// on the "What happens?" text before they are stored.
import { describe, expect, it } from 'vitest';
import { cutPasswords, readPaste } from '../../src/diagnose/paste.js';

const SECRET = 'hunter2';
const SECRET_B64 = 'aHVudGVyMg=='; // base64("hunter2")
const PLAIN_B64 = 'AGFsaWNlAGh1bnRlcjI='; // base64("\0alice\0hunter2")

describe('a password in a common shape never survives the paste reader', () => {
  it.each([
    // .env / config files as developers paste them (Laravel, Django, WordPress WP Mail SMTP, docker-compose)
    ['an .env line', `MAIL_PASSWORD=${SECRET}`, SECRET],
    ['an upper-case prefixed env variable', `SMTP_PASSWORD=${SECRET}`, SECRET],
    ['a snake_case config key', `smtp_pass: ${SECRET}`, SECRET],
    ['a WordPress constant', `define( 'WPMS_SMTP_PASS', '${SECRET}' );`, SECRET],
    ['a camelCase JSON key', `{"smtpPassword": "${SECRET}"}`, SECRET],
    ['an XML element', `<password>${SECRET}</password>`, SECRET],
    // "my password is …", as the docs promise, in its usual variants
    ['my password is: …', `my password is: ${SECRET}`, SECRET],
    ['my password is "two words"', 'my password is "hunter two"', 'two'],
    ['the password is …', `the password is ${SECRET}`, SECRET],
    ['my email password is …', `my email password is ${SECRET} and Outlook says 0x800CCC92`, SECRET],
    ['Password is …', `Password is ${SECRET}. Thunderbird: Login to server mail.example.com failed.`, SECRET],
    ['an app password in its four groups', 'the app password is abcd efgh ijkl mnop', 'mnop'],
    // quoting that does not close where the pattern expects
    ['a JSON value with an escaped quote', '{"password":"hun\\"ter2"}', 'ter2'],
    ['a quote never closed', 'password: "hunter2', SECRET],
    // curl -v transcripts (curl marks what it received with "<" and what it sent with ">")
    [
      'curl -v, SMTP AUTH LOGIN',
      `> AUTH LOGIN\n< 334 VXNlcm5hbWU6\n> YWxpY2U=\n< 334 UGFzc3dvcmQ6\n> ${SECRET_B64}\n< 535 5.7.8 Error: authentication failed`,
      SECRET_B64,
    ],
    [
      'PHPMailer debug output (WordPress SMTP plugins), AUTH LOGIN',
      [
        '2019-05-01 10:00:00 CLIENT -> SERVER: AUTH LOGIN',
        '2019-05-01 10:00:00 SERVER -> CLIENT: 334 VXNlcm5hbWU6',
        '2019-05-01 10:00:00 CLIENT -> SERVER: YWxpY2U=',
        '2019-05-01 10:00:00 SERVER -> CLIENT: 334 UGFzc3dvcmQ6',
        `2019-05-01 10:00:00 CLIENT -> SERVER: ${SECRET_B64}`,
        '2019-05-01 10:00:00 SERVER -> CLIENT: 535 5.7.8 Error: authentication failed',
      ].join('\n'),
      SECRET_B64,
    ],
    [
      "Python smtplib's debug output, AUTH LOGIN",
      [
        "send: 'AUTH LOGIN YWxpY2U=\\r\\n'",
        "reply: b'334 UGFzc3dvcmQ6\\r\\n'",
        `send: '${SECRET_B64}\\r\\n'`,
        "reply: b'535 5.7.8 Error: authentication failed\\r\\n'",
      ].join('\n'),
      SECRET_B64,
    ],
    [
      'curl -v, SMTP AUTH PLAIN without an initial response',
      `> AUTH PLAIN\n< 334 \n> ${PLAIN_B64}\n< 535 5.7.8 Error: authentication failed`,
      PLAIN_B64,
    ],
    [
      'curl -v, IMAP AUTHENTICATE PLAIN',
      `> A001 AUTHENTICATE PLAIN\n< +\n> ${PLAIN_B64}\n< A001 NO [AUTHENTICATIONFAILED] Authentication failed.`,
      PLAIN_B64,
    ],
    // swaks, the usual SMTP test tool (<~ received over TLS, ~> sent)
    [
      'swaks over TLS, AUTH LOGIN',
      ` ~> AUTH LOGIN\n<~  334 VXNlcm5hbWU6\n ~> YWxpY2U=\n<~  334 UGFzc3dvcmQ6\n ~> ${SECRET_B64}\n<~* 535 5.7.8 Error: authentication failed`,
      SECRET_B64,
    ],
  ])('%s', (_shape, raw, secret) => {
    const cut = cutPasswords(raw);
    expect(cut.text).not.toContain(secret);
    expect(cut.redacted).toBe(true);
    const read = readPaste(raw);
    expect(read.ok && read.value.text).not.toContain(secret);
  });
});

describe('what is said of a password, not the password itself', () => {
  it.each([
    'Your password is locked',
    'Your password is about to expire',
    'The account password is disabled',
    'Your password is weak',
    'password is no longer valid',
    'Your Apple ID password is needed',
    'Password is: wrong',
  ])('"%s" is kept as written', (text) => {
    expect(cutPasswords(text)).toEqual({ text, redacted: false });
  });
});
