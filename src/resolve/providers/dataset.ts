// The project's own provider dataset (providers.json beside this file, format in docs/providers.md), indexed
// by mail domain and MX host suffix when first needed; an operator's file (`providers verify --dataset`) is
// checked by the schema first. The resolver loads the dataset on its first lookup, never at start-up.
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../../model/errors.js';
import { PROTOCOLS } from '../../model/settings.js';
import * as z from '../../model/zod.js';

/** How a person signs in, beyond the host names: what the answer's notes tell them. */
export const PASSWORD_KINDS = [
  'password',
  'app-password',
  'app-password-with-2fa',
  'modern-or-app-password',
  'modern-only',
  'bridge',
  'webmail-only',
] as const;
export type PasswordKind = (typeof PASSWORD_KINDS)[number];
/** Kinds with no servers for mail programs: the note says what to use instead. */
const WITHOUT_SERVERS: readonly PasswordKind[] = ['bridge', 'webmail-only'];

/**
 * A server host that is the customer's own preferred MX host, for providers whose documentation says the mail
 * server is the one the domain's MX names (MXroute: `<server>.mxrouting.net`). Only MX-matched entries have one.
 */
export const MX_HOST = '%MXHOST%';

/**
 * The dataset's schema, built when first needed (an operator's file, the tests): answering uses the shipped
 * file as it ships, which the tests check with it.
 */
function makeSchema() {
  const domain = z
    .string()
    .check(z.regex(/^([a-z0-9-]+\.)+[a-z0-9-]+$/, 'must be a lower-case domain like example.com'));
  const day = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-12-07'));

  const serverSchema = z.object({
    type: z.enum(PROTOCOLS),
    host: z.union([domain, z.literal(MX_HOST)]),
    port: z.int().check(z.gte(1), z.lte(65535)),
    security: z.enum(['ssl', 'starttls']),
    username: z.enum(['address', 'local-part']),
    /** A key of `sources`. */
    from: z.string(),
  });

  const providerSchema = z.object({
    id: z.string().check(z.regex(/^[a-z0-9-]+$/)),
    name: z.string().check(z.minLength(1)),
    /** Addresses at the provider itself (alice@gmail.com). */
    domains: z.array(domain),
    domainsFrom: z.optional(z.string()),
    /** Suffixes of the provider's MX hosts, with the leading dot: hosted domains are matched by them. */
    mx: z.array(
      z.string().check(z.regex(/^\.([a-z0-9-]+\.)+[a-z0-9-]+$/, 'must be a suffix like .mail.example.net')),
    ),
    mxFrom: z.optional(z.string()),
    servers: z.array(serverSchema),
    password: z.enum(PASSWORD_KINDS),
    passwordFrom: z.optional(z.string()),
    help: z.optional(z.object({ url: z.url({ protocol: /^https$/ }), from: z.string() })),
    /** IMAP, POP and SMTP are off until the person turns them on in the provider's web mail settings. */
    enableFirst: z.optional(z.object({ from: z.string() })),
    /** ISP database entries (by domain) this one replaces because they are stale. */
    supersedes: z.optional(z.array(domain)),
  });

  return z
    .object({
      $comment: z.optional(z.string()),
      /** Where values came from: a provider's page or a dataset (with its licence), and when it was checked. */
      sources: z.record(
        z.string(),
        z.object({
          url: z.url(),
          dataset: z.optional(z.string()),
          licence: z.optional(z.string()),
          note: z.optional(z.string()),
          checked: day,
        }),
      ),
      /** Current help pages for domains whose ISP database entry links a retired one. */
      help: z.record(domain, z.object({ url: z.url({ protocol: /^https$/ }), from: z.string() })),
      /** How to sign in where the ISP database's entry for the domain says the usual password. */
      passwords: z.optional(
        z.record(
          domain,
          z.object({ password: z.enum(['app-password', 'app-password-with-2fa']), from: z.string() }),
        ),
      ),
      /** Mail domains many people have, for "did you mean" (names only). */
      wellKnownDomains: z.array(domain),
      providers: z.array(providerSchema),
    })
    .check(
      z.superRefine((data, context) => {
        const problem = (path: (string | number)[], message: string) =>
          context.addIssue({ code: 'custom', path, message });
        const known = (key: string | undefined) => key !== undefined && key in data.sources;
        const seen = new Map<string, string>();
        for (const [index, provider] of data.providers.entries()) {
          const at = (field: string) => ['providers', index, field];
          if (provider.domains.length + provider.mx.length === 0)
            problem(at('domains'), 'needs domains or mx');
          if (provider.domains.length > 0 && !known(provider.domainsFrom))
            problem(at('domainsFrom'), 'unknown source');
          if (provider.mx.length > 0 && !known(provider.mxFrom)) problem(at('mxFrom'), 'unknown source');
          if (provider.password !== 'password' && !known(provider.passwordFrom))
            problem(at('passwordFrom'), 'unknown source');
          if (provider.help && !known(provider.help.from)) problem(at('help'), 'unknown source');
          if (provider.enableFirst && !known(provider.enableFirst.from))
            problem(at('enableFirst'), 'unknown source');
          const withoutServers = WITHOUT_SERVERS.includes(provider.password);
          if (provider.servers.length === 0 && !withoutServers) problem(at('servers'), 'is empty');
          if (provider.servers.length > 0 && withoutServers)
            problem(at('servers'), `must be empty for ${provider.password}`);
          // The MX host is only known when the entry was found through it, never by a domain's name.
          if (provider.servers.some((server) => server.host === MX_HOST))
            for (const field of ['domains', 'supersedes'] as const)
              if ((provider[field]?.length ?? 0) > 0)
                problem(at(field), `must be empty when a server is ${MX_HOST}`);
          for (const [n, server] of provider.servers.entries())
            if (!known(server.from)) problem(['providers', index, 'servers', n, 'from'], 'unknown source');
          for (const name of [provider.id, ...provider.domains, ...provider.mx]) {
            const other = seen.get(name);
            if (other) problem(at('domains'), `${name} is also listed by ${other}`);
            seen.set(name, provider.id);
          }
        }
        for (const [name, link] of Object.entries(data.help))
          if (!known(link.from)) problem(['help', name, 'from'], 'unknown source');
        for (const [name, password] of Object.entries(data.passwords ?? {}))
          if (!known(password.from)) problem(['passwords', name, 'from'], 'unknown source');
      }),
    );
}
let schema: ReturnType<typeof makeSchema> | undefined;
export const datasetSchema = () => (schema ??= makeSchema());
export type Dataset = z.infer<ReturnType<typeof makeSchema>>;
export type Provider = Dataset['providers'][number];

export interface ProviderIndex {
  readonly dataset: Dataset;
  /** The provider whose mail domains include this one (alice@fastmail.fm). */
  byDomain(name: string): Provider | undefined;
  /** The provider whose MX suffix is the longest one ending this MX host. */
  byMx(mxHost: string): Provider | undefined;
  /** The provider that replaces the ISP database's (stale) entry for this domain. */
  superseding(name: string): Provider | undefined;
  /** A current help page for a domain whose ISP database entry links a retired one. */
  helpFor(name: string): string | undefined;
  /** How to sign in where the ISP database's entry for this domain says the usual password. */
  passwordFor(name: string): PasswordKind | undefined;
  /** Every mail domain the dataset knows, for "did you mean". */
  mailDomains(): string[];
}

export function indexDataset(dataset: Dataset): ProviderIndex {
  const byDomain = new Map<string, Provider>();
  const superseding = new Map<string, Provider>();
  const suffixes: [string, Provider][] = [];
  for (const provider of dataset.providers) {
    for (const name of provider.domains) byDomain.set(name, provider);
    for (const name of provider.supersedes ?? []) superseding.set(name, provider);
    for (const suffix of provider.mx) suffixes.push([suffix, provider]);
  }
  suffixes.sort(([a], [b]) => b.length - a.length);
  const domains = [...new Set([...dataset.wellKnownDomains, ...byDomain.keys()])];
  return {
    dataset,
    byDomain: (name) => byDomain.get(name),
    byMx: (mxHost) => suffixes.find(([suffix]) => `.${mxHost}`.endsWith(suffix))?.[1],
    superseding: (name) => superseding.get(name),
    helpFor: (name) => dataset.help[name]?.url,
    passwordFor: (name) => dataset.passwords?.[name]?.password,
    mailDomains: () => domains,
  };
}

/** Checks a dataset; the error names the first wrong field, for the command line and the tests. */
export function parseDataset(data: unknown, where: string): ProviderIndex {
  const parsed = datasetSchema().safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(
      `${where}: ${issue?.path.join('.') || 'the file'} ${issue?.message ?? 'is invalid'}.`,
    );
  }
  return indexDataset(parsed.data);
}

/** The dataset in a file of the operator's (`providers verify --dataset`), or the one shipped beside this file. */
export async function loadProviders(file?: string): Promise<ProviderIndex> {
  if (!file) {
    // Imported, not read from disk: the bundled command line carries it in a chunk of its own. Not checked
    // again at every start: the tests check the file as it ships (test/resolve/providers.test.ts).
    const shipped = await import('./providers.json', { with: { type: 'json' } });
    return indexDataset(shipped.default as Dataset);
  }
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (cause) {
    throw new ConfigError(`${file}: cannot read it as JSON (${(cause as Error).message}).`, { cause });
  }
  return parseDataset(data, file);
}

let shipped: Promise<ProviderIndex> | undefined;
/** The shipped dataset, loaded once per process on first use. */
export function shippedProviders(): Promise<ProviderIndex> {
  shipped ??= loadProviders();
  return shipped;
}
