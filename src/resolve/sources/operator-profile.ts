// The operator's own servers, read once from MAILSETTINGS_PROFILE (YAML or JSON) and checked by a schema.
import ipaddr from 'ipaddr.js';
import { ConfigError } from '../../model/errors.js';
import * as z from '../../model/zod.js';
import { TEMPLATE_PORTS } from './template.js';

const portChoice = z.object({
  port: z.number().check(z.int(), z.minimum(1), z.maximum(65535)),
  security: z.enum(['tls', 'starttls', 'none']),
});
const hostname = z.pipe(
  z.string().check(z.regex(/^[a-z0-9.-]+\.[a-z0-9-]+\.?$/i, 'must be a host name like server1.example.com')),
  z.transform((name) => name.toLowerCase().replace(/\.$/, '')),
);

export const profileSchema = z.object({
  /** The company's name, shown as the source of hosted answers. */
  provider: z.string().check(z.minLength(1)),
  servers: z
    .array(
      z.object({
        hostname,
        // Kept as DNS writes them (2001:DB8::10 as 2001:db8::10), to be compared with what it answers.
        addresses: z._default(
          z.array(
            z.pipe(
              z.string().check(z.refine((value) => ipaddr.isValid(value), 'must be an IP address')),
              z.transform((value) => ipaddr.parse(value).toString()),
            ),
          ),
          [],
        ),
      }),
    )
    .check(z.minLength(1)),
  /** Ports to offer per protocol, best first. @default the knowledge-base template */
  ports: z._default(
    z.pipe(
      z.partial(
        z.object({ imap: z.array(portChoice), pop3: z.array(portChoice), smtp: z.array(portChoice) }),
      ),
      z.transform((ports) => ({ ...TEMPLATE_PORTS, ...ports })),
    ),
    TEMPLATE_PORTS,
  ),
  /** Extra sentences shown under every hosted answer. */
  notes: z._default(z.array(z.string()), []),
  /** The knowledge-base article, linked from hosted answers. */
  supportUrl: z.optional(z.url()),
  /** The company's logo, shown at the top of the set-up page (https, so the page stays secure). */
  logoUrl: z.optional(z.url({ protocol: /^https$/, error: 'must be an https:// address of an image' })),
});
export type Profile = z.infer<typeof profileSchema>;

export async function loadProfile(file: string): Promise<Profile> {
  let text: string;
  try {
    // Loaded here: without a profile (most runs of the command line) nothing is read from a file.
    const { readFile } = await import('node:fs/promises');
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new ConfigError(`MAILSETTINGS_PROFILE: cannot read ${file} (${(cause as Error).message}).`, {
      cause,
    });
  }
  let data: unknown;
  try {
    // Loaded only when a profile is configured: most start-ups (the CLI above all) never need a YAML parser.
    data = /\.json$/i.test(file) ? JSON.parse(text) : (await import('yaml')).parse(text);
  } catch (cause) {
    throw new ConfigError(
      // The parser's first line names the place; the code frame after it would break the one-line message.
      `MAILSETTINGS_PROFILE: ${file} is not valid YAML or JSON (${(cause as Error).message.split('\n')[0]}).`,
      { cause },
    );
  }
  const parsed = profileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || 'the file';
    throw new ConfigError(`MAILSETTINGS_PROFILE: in ${file}, ${where} ${issue?.message ?? 'is invalid'}.`);
  }
  return parsed.data;
}
