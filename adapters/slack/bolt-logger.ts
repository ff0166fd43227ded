// Bolt logs through ours, at warn and above: its debug output can include request bodies. Without a logger,
// nothing: the caller reports the failure itself.
import { type Logger as BoltLogging, LogLevel } from '@slack/bolt';
import type { Logger } from '../../src/index.js';

export interface BoltLogger extends BoltLogging {
  /** While on (Socket Mode starting), a failure is the start's own one line, not Bolt's too. */
  quiet: boolean;
}

export function boltLogger(log: Logger | undefined): BoltLogger {
  let level = LogLevel.WARN;
  const logger: BoltLogger = {
    quiet: false,
    debug: () => {},
    info: () => {},
    warn: (...messages) => {
      if (!logger.quiet) log?.warn('slack', { detail: messages.map(String).join(' ') });
    },
    error: (...messages) => {
      if (!logger.quiet) log?.error('slack', { detail: messages.map(String).join(' ') });
    },
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
  return logger;
}
