// The live check: probes the server/port pairs a mail program would try (a handful, never every port a
// file lists) at once, ends every probe at the whole check's deadline, and turns what it saw into advice.
// Never sends credentials, never sends mail. The probes (and TLS with them) are loaded by the first check, not
// by everyone who loads the core: most runs (the command line's above all) never check.
import type { Server } from '../model/settings.js';
import type { MailSettings } from '../resolve/answer.js';
import { adviseOn } from './advice.js';
import { CHECK_DEADLINE_MS, PAIRS_PER_TYPE } from './limits.js';
import type { ProbeOptions, ProbeResult } from './probe.js';

export { CHECK_DEADLINE_MS, PAIRS_PER_TYPE };

/** Runs the live check of an answer's servers, with the deadline and network policy already bound. */
export type Checker = (settings: MailSettings) => Promise<CheckReport>;

export interface CheckReport {
  settings: MailSettings;
  results: ProbeResult[];
  /** Distinct server/port pairs the settings list beyond those checked (absent: none). */
  skipped?: number;
  advice: string[];
  /** Wall time of the whole check. */
  ms: number;
}

export interface CheckOptions extends Omit<ProbeOptions, 'signal'> {
  /** The whole check: every socket is closed by then. @default 8000 */
  deadlineMs?: number;
}

export async function checkSettings(settings: MailSettings, options: CheckOptions): Promise<CheckReport> {
  const started = performance.now();
  const deadlineMs = options.deadlineMs ?? CHECK_DEADLINE_MS;
  // Each step may use at most the whole deadline, so a probe never outlives the check by much.
  const stepMs = Math.min(options.timeoutMs ?? 4000, deadlineMs);
  const listed = distinctPairs([...settings.incoming, ...settings.outgoing]);
  const servers = firstOfEachType(listed);
  // At the deadline every probe still going is ended wherever it is, its DNS lookup included.
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), deadlineMs);
  const probeOptions = { ...options, timeoutMs: stepMs, signal: controller.signal };
  try {
    const { probeServer } = await import('./probe.js');
    const results = await Promise.all(servers.map((server) => probeServer(server, probeOptions)));
    return {
      settings,
      results,
      skipped: listed.length - servers.length,
      advice: adviseOn(results),
      ms: Math.round(performance.now() - started),
    };
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

/** One entry per kind, host and port: the same port listed twice (or with two securities) is probed once. */
function distinctPairs(servers: Server[]): Server[] {
  const seen = new Set<string>();
  return servers.filter((server) => {
    const key = `${server.type} ${server.hostname.toLowerCase()} ${server.port}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function firstOfEachType(servers: Server[]): Server[] {
  const counts = new Map<Server['type'], number>();
  return servers.filter((server) => {
    const count = counts.get(server.type) ?? 0;
    counts.set(server.type, count + 1);
    return count < PAIRS_PER_TYPE;
  });
}
