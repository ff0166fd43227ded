// The bot's one error family: a stable `name` and `code` for logs, `instanceof` for code, and the original
// `cause`. Expected failures (bad input, nothing found) are values (src/model/result.ts), not errors; these
// are for configuration, refusals that end a lookup, and bugs.
export class MailSettingsError extends Error {
  override readonly name: string = 'MailSettingsError';
  readonly code: string = 'MAILSETTINGS_ERROR';
}

/** Start-up configuration is wrong; the message names the setting and how to fix it. */
export class ConfigError extends MailSettingsError {
  override readonly name = 'ConfigError';
  override readonly code = 'CONFIG_INVALID';
}

/** A name the customer controls leads to a private or reserved address: the bot will not connect there. */
export class BlockedAddressError extends MailSettingsError {
  override readonly name = 'BlockedAddressError';
  override readonly code = 'BLOCKED_ADDRESS';
  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super(`${host} resolves to ${address}, a private or reserved address; refusing to connect`);
  }
}

/** A name has no address at all: an answer about the name ("it does not exist"), not a network failure. */
export class NoAddressError extends MailSettingsError {
  override readonly name = 'NoAddressError';
  override readonly code = 'ENOTFOUND';
  constructor(readonly host: string) {
    super(`${host} has no address`);
  }
}

/** No URL of a source held a file and at least one could not be asked: the source failed, it did not find "none". */
export class LookupFailedError extends MailSettingsError {
  override readonly name = 'LookupFailedError';
  override readonly code = 'LOOKUP_FAILED';
}

/** A front end could not start (its platform unreachable, its token refused). */
export class StartError extends MailSettingsError {
  override readonly name = 'StartError';
  override readonly code = 'START_FAILED';
}
