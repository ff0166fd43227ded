// The bot's own error type: a stable `name` and `code` for logs and tests, and the original `cause`.
// Expected failures (bad input, nothing found) are values, not errors; these are for configuration and bugs.
export class MailSettingsError extends Error {
  override readonly name: string = 'MailSettingsError';
  readonly code: string = 'MAILSETTINGS_ERROR';
}

/** Start-up configuration is wrong; the message names the setting and how to fix it. */
export class ConfigError extends MailSettingsError {
  override readonly name = 'ConfigError';
  override readonly code = 'CONFIG_INVALID';
}
