// Shows control characters as escapes (\x1b, \r, \x9b, \u202e) wherever text reaches a terminal or a log, so
// text from users, DNS or the web cannot drive the terminal (retitle it, move the cursor, hide or rewrite lines)
// nor make a line read in another order. Covers C0, DEL and C1 (ECMA-48) and the bidi controls; a tab is
// harmless and stays.

// Bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) and the invisible marks that steer them:
// in a name or a file name they make text read in another order than it is (`invoice‮fdp.exe`).
const BIDI_CLASS = '\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069';
const BIDI = new RegExp(`[${BIDI_CLASS}]`, 'g');
const CONTROLS = new RegExp(`[\\u0000-\\u0008\\u000a-\\u001f\\u007f-\\u009f${BIDI_CLASS}]`, 'g');
const CONTROLS_BUT_NEWLINE = new RegExp(`[\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f${BIDI_CLASS}]`, 'g');
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r' };

const escapeOne = (char: string): string => {
  const code = char.charCodeAt(0);
  return (
    NAMED[char] ??
    (code > 0xff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\x${code.toString(16).padStart(2, '0')}`)
  );
};

/** One line (newlines escaped too), or a block whose newlines are kept with `keepNewlines`. */
export function escapeControls(text: string, options: { keepNewlines?: boolean } = {}): string {
  return text.replace(options.keepNewlines ? CONTROLS_BUT_NEWLINE : CONTROLS, escapeOne);
}

/** JSON.stringify, which escapes C0 already, with DEL and C1 escaped as well: still valid, same value. */
export function stringifyJson(value: unknown, indent?: number): string {
  const json = JSON.stringify(value, null, indent);
  if (json === undefined) return escapeControls(String(value)); // undefined, a function: not JSON at all
  return json.replace(/[\u007f-\u009f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CHAT_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Text from people for a chat message: bidi controls removed, other control characters (NUL, ESC…) shown as
 * U+FFFD. Newlines and tabs stay. Every renderer passes what people wrote through this before its markup.
 */
export function neutralizeText(text: string): string {
  return text.replace(BIDI, '').replace(CHAT_CONTROLS, '\ufffd');
}
