// The live check: probes every recommended server and port at once, each within the whole check's
// deadline, and turns what it saw into advice. Never sends credentials, never sends mail.
import type { MailSettings, Server } from '../settings.js';
import { adviseOn } from './advice.js';
import { type ProbeOptions, type ProbeResult, probeServer } from './probe.js';

export interface CheckReport {
  settings: MailSettings;
  results: ProbeResult[];
  advice: string[];
  /** Wall time of the whole check. */
  ms: number;
}

export interface CheckOptions extends ProbeOptions {
  /** The whole check. @default 8000 */
  deadlineMs?: number;
}

export async function checkSettings(settings: MailSettings, options: CheckOptions): Promise<CheckReport> {
  const started = performance.now();
  const deadlineMs = options.deadlineMs ?? 8000;
  // Each step may use at most the whole deadline, so a probe never outlives the check by much.
  const stepMs = Math.min(options.timeoutMs ?? 4000, deadlineMs);
  const servers = uniqueServers([...settings.incoming, ...settings.outgoing]);
  // At the deadline every conversation still going is ended, so no socket outlives the check.
  const controller = new AbortController();
  const probeOptions = { ...options, timeoutMs: stepMs, signal: controller.signal };
  const results = await Promise.all(
    servers.map((server) => withDeadline(probeServer(server, probeOptions), server, deadlineMs)),
  );
  controller.abort();
  return { settings, results, advice: adviseOn(results), ms: Math.round(performance.now() - started) };
}

function uniqueServers(servers: Server[]): Server[] {
  const seen = new Set<string>();
  return servers.filter((server) => {
    const key = `${server.type} ${server.hostname} ${server.port} ${server.security}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

async function withDeadline(probe: Promise<ProbeResult>, server: Server, ms: number): Promise<ProbeResult> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<ProbeResult>((resolve) => {
    timer = setTimeout(resolve, ms, {
      server,
      outcome: 'silent',
      mechanisms: [],
      error: `no complete answer within ${ms} ms`,
    });
  });
  try {
    return await Promise.race([probe, late]);
  } finally {
    clearTimeout(timer);
  }
}
