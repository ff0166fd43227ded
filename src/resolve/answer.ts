// The answer to one question: the settings exactly as `mailsettings --json` prints them (their zod schema, for
// other tools to validate them, is in answer-schema.ts) and, for staff diagnostics, what every source said.
import type * as z from '../model/zod.js';
import type { mailSettingsSchema } from './answer-schema.js';
import type { SourceName } from './sources/ranked.js';

export type { SourceKind } from './answer-schema.js';
export type MailSettings = z.infer<typeof mailSettingsSchema>;

export interface SourceReport {
  source: SourceName;
  status: 'found' | 'none' | 'failed' | 'timeout' | 'pending';
  /** Why nothing was found, what failed, or what was found. */
  detail: string;
  ms: number;
}

/** Shared by everyone who asks the same question while it is cached (resolver.ts): never changed once made. */
export interface Answer {
  settings: MailSettings;
  /** What every source said, for staff diagnostics. */
  reports: SourceReport[];
}

/** The sentence said instead of settings when the domain does not exist, else undefined. */
export function noSettingsReason(answer: Answer): string | undefined {
  const { source } = answer.settings;
  return source.kind === 'missing' ? source.detail : undefined;
}
