import { describe, expect, it } from 'vitest';
import {
  CATALOGUE,
  CAUSES,
  codesIn,
  diagnoseError,
  matchError,
  normalize,
} from '../../src/diagnose/stage.js';
import { ERROR_TEXTS, NOT_ERRORS, settingsWith } from './error-texts.js';

const hosting = settingsWith('example.com', ['password-cleartext']);
const google = settingsWith('gmail.com', ['OAuth2', 'password-cleartext']);
const microsoft365 = settingsWith('office365.com', ['OAuth2']);

describe('the catalogue reads real error texts', () => {
  it.each(ERROR_TEXTS.map((entry) => [entry.from, entry.cause, entry.text] as const))(
    '%s: %s ← %s',
    (_from, cause, text) => {
      expect(diagnoseError(text, hosting).cause).toBe(cause);
    },
  );

  it('has at least 80 real texts, and a text for every cause but unknown', () => {
    expect(ERROR_TEXTS.length).toBeGreaterThanOrEqual(80);
    const covered = new Set(ERROR_TEXTS.map((entry) => entry.cause));
    expect(CAUSES.filter((cause) => cause !== 'unknown' && !covered.has(cause))).toEqual([]);
  });

  it('recognises every catalogue entry in at least one real text (no entry is dead)', () => {
    const used = new Set(ERROR_TEXTS.map((entry) => matchError(entry.text)?.entry.id));
    expect(CATALOGUE.map((entry) => entry.id).filter((id) => !used.has(id))).toEqual([]);
  });

  it.each(NOT_ERRORS)('calls “%s” unknown: no error message in it, so nothing is guessed', (text) => {
    expect(diagnoseError(text, hosting)).toEqual({ cause: 'unknown' });
  });

  it('says what it recognised in its own words: the code first, else the phrase', () => {
    expect(diagnoseError('Error Number: 0x800ccc0e', hosting).recognised).toBe('0x800CCC0E');
    expect(diagnoseError('The Certificate Is Only Valid For server1.test', hosting).recognised).toBe(
      '“the certificate is only valid for”',
    );
  });
});

describe('the provider decides what a refused password means', () => {
  const refused = '535-5.7.8 Username and Password not accepted. For more information, go to';

  it('Gmail and Google Workspace (modern sign-in first, a password only as an app password): app-password', () => {
    expect(diagnoseError(refused, google).cause).toBe('app-password');
    expect(
      diagnoseError('Cannot Get Mail. The user name or password for “imap.gmail.com” is incorrect.', google)
        .cause,
    ).toBe('app-password');
  });

  it('Microsoft 365 (modern sign-in only): modern-auth', () => {
    expect(diagnoseError('535 5.7.3 Authentication unsuccessful', microsoft365).cause).toBe('modern-auth');
  });

  it('anywhere else: the password', () => {
    expect(diagnoseError(refused, hosting).cause).toBe('password');
  });

  it('leaves causes that are no refused password alone, wherever the domain is', () => {
    expect(diagnoseError('554 5.7.1 <bob@example.net>: Relay access denied', google).cause).toBe('relay');
  });
});

describe('the catalogue is well-formed data', () => {
  it('has unique ids', () => {
    const ids = CATALOGUE.map((entry) => entry.id);
    expect(ids.length).toBe(new Set(ids).size);
  });

  it('writes every phrase already normalised, so it can match', () => {
    const phrases = CATALOGUE.flatMap((entry) => entry.phrases ?? []).flatMap((phrase) =>
      typeof phrase === 'string' ? [phrase] : [...phrase],
    );
    expect(phrases.filter((phrase) => normalize(phrase) !== phrase || phrase.trim() !== phrase)).toEqual([]);
  });

  it('writes every code the way the paste is read, so it can match', () => {
    const codes = CATALOGUE.flatMap((entry) => entry.codes ?? []);
    // Bracketed response codes are read from "[CODE]"; enhanced status codes after a reply code, as servers
    // write them; the rest from the text as it stands.
    const unreadable = codes.filter((code) => !codesIn(`550 ${code} [${code}]`).has(code));
    expect(unreadable).toEqual([]);
  });

  it('reads an enhanced status code only where a reply puts it, not a version number or a size', () => {
    expect([...codesIn('550 5.1.1 <bob@example.com>: Recipient address rejected')]).toEqual(['5.1.1']);
    expect([...codesIn('535-5.7.8 Username and Password not accepted')]).toEqual(['5.7.8']);
    expect([...codesIn("Remote Server returned '< #5.1.0 smtp;550 unknown'")]).toEqual(['5.1.0']);
    expect(matchError('I updated to version 5.1.1 and now nothing works')).toBeUndefined();
    expect(matchError('my mailbox is at 4.7.0 GB')).toBeUndefined();
  });
});

describe('matching stays linear on hostile pastes', () => {
  it('reads a 100 KB paste by its first part only, and an error after it is not looked at', () => {
    const long = `${'a'.repeat(100_000)} 535 5.7.8 Error: authentication failed`;
    expect(matchError(long)).toBeUndefined();
    expect(matchError(`535 5.7.8 Error: authentication failed ${'a'.repeat(100_000)}`)?.entry.id).toBe(
      'smtp-credentials',
    );
  });

  it('finds nothing in 100 KB built to make backtracking patterns slow', () => {
    const hostile = [
      'A'.repeat(50_000),
      `${'A_'.repeat(10_000)}!`,
      `${'5.5.'.repeat(5000)}`,
      `[${'a'.repeat(20_000)}`,
      `0x${'f'.repeat(10_000)}`,
    ].join(' ');
    expect(hostile.length).toBeGreaterThan(100_000);
    expect(matchError(hostile)).toBeUndefined();
  });
});
