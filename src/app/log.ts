// A small structured logger for the front ends: one line per event with its context, errors with their
// stack. Callers pass context explicitly; nothing here reads tokens or the environment. Control characters
// are escaped, so a logged question cannot drive the terminal or forge a second log line.
import { escapeControls, stringifyJson } from '../model/escape-controls.js';
import type { Logger } from '../model/logger.js';

export function createLogger(
  write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Logger {
  const emit =
    (level: string) =>
    (message: string, context: Record<string, unknown> = {}) => {
      const fields = Object.entries(context).map(([key, value]) => `${key}=${format(value)}`);
      write([new Date().toISOString(), level, escapeControls(message), ...fields].join(' '));
    };
  return { info: emit('info'), warn: emit('warn'), error: emit('error') };
}

function format(value: unknown): string {
  if (value instanceof Error) return stringifyJson(value.stack ?? value.message);
  return stringifyJson(value);
}
