// The settings exactly as `mailsettings --json` prints them, as a zod schema other tools can validate them
// with (src/testing.ts exports it). A file of its own, so that answering never builds it.
import { PROTOCOLS, QUESTION_PROTOCOLS, type Server } from '../model/settings.js';
import * as z from '../model/zod.js';
import { SOURCES, type SourceName } from './sources/ranked.js';

/**
 * Where an answer came from: a source's name, `default` for the hosting template, or `missing` when the domain
 * does not exist (no settings then; `source.detail` says so and suggests the likely meant domain).
 */
export type SourceKind = SourceName | 'default' | 'missing';

const SOURCE_KINDS: [SourceKind, ...SourceKind[]] = [
  'default',
  'missing',
  ...SOURCES.map((source) => source.name),
];

/** The JSON form of a Server: typed as one, so the schema and the model cannot drift apart. */
const serverSchema: z.ZodMiniType<Server> = z.object({
  type: z.enum(PROTOCOLS),
  hostname: z.string(),
  port: z.number().check(z.int(), z.minimum(1), z.maximum(65535)),
  security: z.enum(['tls', 'starttls', 'none']),
  username: z.string(),
  authentication: z.array(z.string()),
  appPassword: z.optional(z.literal(true)),
});

export const mailSettingsSchema = z.object({
  query: z.object({
    input: z.string(),
    domain: z.string(),
    email: z.optional(z.string()),
    givenHost: z.optional(z.string()),
    protocol: z.enum(QUESTION_PROTOCOLS),
  }),
  incoming: z.array(serverSchema),
  outgoing: z.array(serverSchema),
  /** One short line on exactly where the answer came from. */
  source: z.object({ kind: z.enum(SOURCE_KINDS), detail: z.string() }),
  notes: z.array(z.string()),
});
