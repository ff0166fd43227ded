import { describe, expect, it } from 'vitest';
import { CAUSES, explainDiagnosis, readExplainInput, readPaste } from '../../src/diagnose/stage.js';
import { MAX_PASTE } from '../../src/index.js';
import { settingsWith } from './error-texts.js';

const read = (raw: string) => {
  const result = readPaste(raw);
  if (!result.ok) throw new Error(`refused: ${result.error.code}`);
  return result.value;
};

describe('a paste is read before anything looks at it', () => {
  it('refuses a 100 KB paste by its length, saying how long it was and what to paste instead', () => {
    const input = readExplainInput('x'.repeat(100_000), 'example.com');
    expect(input).toEqual({
      ok: false,
      error: {
        field: 'paste',
        message: `That paste is 100000 characters long, too long for one error message. Paste just the error (at most ${MAX_PASTE} characters), like “0x800CCC0E” or “535 5.7.8 Authentication failed”.`,
      },
    });
  });

  it('turns terminal escapes and control characters into spaces, and refuses a paste of nothing else', () => {
    expect(read('\u001b[31m535 5.7.8\u001b[0m\u0007 Error:\u0000 authentication\u009b failed').text).toBe(
      '535 5.7.8   Error:  authentication  failed',
    );
    expect(readPaste('\u001b[2J\u0000\u0007 \r\n\t')).toEqual({ ok: false, error: { code: 'empty' } });
    expect(readExplainInput('\u0007\u0007', 'example.com')).toMatchObject({
      ok: false,
      error: { field: 'paste', message: expect.stringMatching(/^There is no error message in that\./) },
    });
  });

  it('says what is wrong with the question, apart from the paste', () => {
    expect(readExplainInput('535 5.7.8', 'example..com')).toMatchObject({
      ok: false,
      error: { field: 'question', message: expect.stringContaining('has an empty part between dots') },
    });
  });

  it.each([
    ['password: hunter2', 'password: [removed]'],
    ['Password = "hunter 2"', 'Password = [removed]'],
    ['user=alice&pass=hunter2', 'user=alice&pass=[removed]'],
    ['pwd:hunter2', 'pwd:[removed]'],
    ['my password is hunter2', 'my password is [removed]'],
    ['imaps://alice:hunter2@mail.example.com', 'imaps://alice:[removed]@mail.example.com'],
    ['a1 LOGIN alice@example.com hunter2', 'a1 LOGIN alice@example.com [removed]'],
    ['a1 LOGIN "alice" "hunter2"', 'a1 LOGIN "alice" [removed]'],
    [
      'USER alice\nPASS hunter2\n-ERR [AUTH] Authentication failed.',
      'USER alice\nPASS [removed]\n-ERR [AUTH] Authentication failed.',
    ],
    ['AUTH PLAIN AGFsaWNlAGh1bnRlcjI=\n535 5.7.8 Error', 'AUTH PLAIN [removed]\n535 5.7.8 Error'],
    [
      'AUTH LOGIN\n334 VXNlcm5hbWU6\nYWxpY2U=\n334 UGFzc3dvcmQ6\naHVudGVyMg==\n535 5.7.8 Error: authentication failed',
      'AUTH LOGIN\n334 VXNlcm5hbWU6\n[removed]\n334 UGFzc3dvcmQ6\n[removed]\n535 5.7.8 Error: authentication failed',
    ],
    ['a1 AUTHENTICATE PLAIN\n+\nAGFsaWNlAGh1bnRlcjI=', 'a1 AUTHENTICATE PLAIN\n+\n[removed]'],
    // A mail URL's user is an address; a password may hold an @.
    [
      'imaps://alice@example.com:hunter2@mail.example.com',
      'imaps://alice@example.com:[removed]@mail.example.com',
    ],
    ['imap://alice:p@ssw0rd@mail.example.com:993', 'imap://alice:[removed]@mail.example.com:993'],
    // Slashes as typed, not percent-encoded.
    ['imap://alice:pa/ss@mail.example.com', 'imap://alice:[removed]@mail.example.com'],
    [
      'imaps://alice@example.com:a/b@c/d@mail.example.com:993',
      'imaps://alice@example.com:[removed]@mail.example.com:993',
    ],
    // Transcripts, as clients log them.
    ['C: PASS hunter2\nS: -ERR denied', 'C: PASS [removed]\nS: -ERR denied'],
    ['C: a1 LOGIN alice hunter2', 'C: a1 LOGIN alice [removed]'],
    ['a1 login alice hunter2', 'a1 login alice [removed]'],
    ['pass hunter2', 'pass [removed]'],
    ['S: 334 UGFzc3dvcmQ6\nC: aHVudGVyMg==', 'S: 334 UGFzc3dvcmQ6\nC: [removed]'],
    // Fields however they are quoted and named, the whole value.
    ['{"password":"hunter5"}', '{"password":[removed]}'],
    ['password: hunter two words', 'password: [removed]'],
    ["password: 'hunter two'", 'password: [removed]'],
    ['mot de passe : hunter2', 'mot de passe : [removed]'],
    ['contraseña: hunter2', 'contraseña: [removed]'],
    ['pw: hunter2', 'pw: [removed]'],
    ['Password\uff1ahunter2', 'Password\uff1a[removed]'],
  ])('cuts the password out of “%s”', (raw, kept) => {
    expect(read(raw)).toEqual({ text: kept, redacted: true });
  });

  it.each([
    'Login to server mail.example.com with username alice@example.com failed.',
    'Couldn’t sign in. Username or password is incorrect.',
    '535 5.7.8 Error: authentication failed: UGFzc3dvcmQ6',
    'The user name or password for “mail.example.com” is incorrect.',
    'Then I login with my account and it fails',
    'pass me the settings please',
    'https://mail.example.com:8443/owa and alice@example.com',
    'https://mail.example.com:443/owa/alice@example.com',
    'The password is incorrect. Try again.',
    'bypass: true, compass: north',
  ])('leaves an error that only mentions passwords as it is: “%s”', (raw) => {
    expect(read(raw)).toEqual({ text: raw, redacted: false });
  });

  it('says a password was left out, and the explanation never holds it', () => {
    const settings = settingsWith('example.com', ['password-cleartext']);
    const paste = read('a1 LOGIN alice hunter2\na1 NO [AUTHENTICATIONFAILED] Authentication failed.');
    const explanation = explainDiagnosis(
      { cause: 'password', recognised: 'AUTHENTICATIONFAILED' },
      { settings, reports: [] },
      paste,
    );
    expect(explanation.summary).toContain('Your paste had a password in it: I left it out');
    expect(JSON.stringify(explanation)).not.toContain('hunter2');
  });
});

describe('every cause is explained', () => {
  const settings = settingsWith('example.com', ['password-cleartext']);
  it.each(CAUSES)(
    '%s: a summary, a fix naming this domain’s servers where it matters, nothing checked',
    (cause) => {
      const explanation = explainDiagnosis({ cause }, { settings, reports: [] }, read('x'));
      expect(explanation).toMatchObject({ cause, confirmed: null });
      expect(explanation.summary.length).toBeGreaterThan(20);
      expect(explanation.fix.length).toBeGreaterThan(20);
      if (['encryption-mismatch', 'host-not-found', 'certificate-name', 'unreachable'].includes(cause))
        expect(explanation.fix).toContain('imap.example.com');
      if (['relay', 'blocked'].includes(cause)) expect(explanation.fix).toContain('smtp.example.com');
    },
  );
});
