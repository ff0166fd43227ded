// Checks the provider dataset against the providers' real servers: every entry's hosts are looked up and
// every port is probed like the live check does (TLS handshake, greeting, logins offered; never a login, the
// same private-address refusal, deadlines and reply limits), a few at a time. An entry is dead when a server
// cannot be reached at all, changed when it answers differently from what the dataset promises. A server that
// is each customer's own MX host (%MXHOST%) has no one name to check, so it is left out.
import type { Server } from '../model/settings.js';
import { MX_HOST, type Provider, type ProviderIndex } from '../resolve/providers/dataset.js';
import { type ProbeOptions, type ProbeResult, probeServer } from './probe.js';

export type Verdict = 'ok' | 'dead' | 'changed';

export interface ServerCheck {
  type: Server['type'];
  host: string;
  port: number;
  security: 'ssl' | 'starttls';
  verdict: Verdict;
  /** What is dead or changed, in words; empty when ok. */
  problems: string[];
  probe: Omit<ProbeResult, 'server'>;
}

export interface EntryCheck {
  id: string;
  name: string;
  /** The worst of its servers'. */
  verdict: Verdict;
  servers: ServerCheck[];
}

export interface VerifyReport {
  checkedAt: string;
  entries: EntryCheck[];
  counts: Record<Verdict, number>;
}

export interface VerifyOptions extends Omit<ProbeOptions, 'signal'> {
  /** Each server's whole probe. @default 15_000 */
  serverDeadlineMs?: number;
  /** Probes at once. @default 8 */
  concurrency?: number;
}

const DEAD: ProbeResult['outcome'][] = [
  'unresolved',
  'refused',
  'closed',
  'unreachable',
  'silent',
  'not-mail',
];
const RANK: Record<Verdict, number> = { ok: 0, changed: 1, dead: 2 };

export async function verifyProviders(index: ProviderIndex, options: VerifyOptions): Promise<VerifyReport> {
  const jobs = index.dataset.providers.flatMap((provider) =>
    provider.servers.filter((server) => server.host !== MX_HOST).map((server) => ({ provider, server })),
  );
  const results: ServerCheck[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const at = next++;
      const job = jobs[at] as (typeof jobs)[number];
      results[at] = await checkServer(job.server, options);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
  const entries = index.dataset.providers
    .filter((provider) => jobs.some((job) => job.provider === provider))
    .map((provider) =>
      entryOf(
        provider,
        results.filter((_, at) => jobs[at]?.provider === provider),
      ),
    );
  const counts = { ok: 0, dead: 0, changed: 0 };
  for (const entry of entries) counts[entry.verdict] += 1;
  return { checkedAt: (options.now?.() ?? new Date()).toISOString(), entries, counts };
}

function entryOf(provider: Provider, servers: ServerCheck[]): EntryCheck {
  const verdict = servers.reduce<Verdict>(
    (worst, check) => (RANK[check.verdict] > RANK[worst] ? check.verdict : worst),
    'ok',
  );
  return { id: provider.id, name: provider.name, verdict, servers };
}

async function checkServer(entry: Provider['servers'][number], options: VerifyOptions): Promise<ServerCheck> {
  const server: Server = {
    type: entry.type,
    hostname: entry.host,
    port: entry.port,
    security: entry.security === 'ssl' ? 'tls' : 'starttls',
    username: '%EMAILADDRESS%',
    authentication: [],
  };
  const { server: _, ...probe } = await probeServer(server, {
    ...options,
    signal: AbortSignal.timeout(options.serverDeadlineMs ?? 15_000),
  });
  const { verdict, problems } = judge(probe, entry.security);
  return {
    type: entry.type,
    host: entry.host,
    port: entry.port,
    security: entry.security,
    verdict,
    problems,
    probe,
  };
}

/** Dead: nothing to talk to. Changed: it talks, but not as the dataset says (certificate, STARTTLS, logins). */
export function judge(probe: Omit<ProbeResult, 'server'>, security: 'ssl' | 'starttls') {
  if (DEAD.includes(probe.outcome) || (probe.outcome === 'failed' && !probe.greeting))
    return { verdict: 'dead' as const, problems: [probe.error ?? probe.outcome] };
  const problems: string[] = [];
  if (probe.outcome !== 'ok') problems.push(probe.error ?? probe.outcome);
  if (security === 'starttls' && probe.starttls !== 'upgraded')
    problems.push('STARTTLS is no longer offered');
  if (probe.tls && !probe.tls.matchesHost) problems.push('the certificate no longer matches the host name');
  if (probe.tls?.expired) problems.push('the certificate has expired');
  else if (probe.tls && !probe.tls.valid)
    problems.push(`the certificate is not trusted (${probe.tls.problem ?? 'unknown'})`);
  if (probe.outcome === 'ok' && probe.mechanisms.length === 0)
    problems.push('no login mechanism is offered any more');
  return { verdict: problems.length > 0 ? ('changed' as const) : ('ok' as const), problems };
}
