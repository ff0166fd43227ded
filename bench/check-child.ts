// Runs one live check in a process of its own and prints, as one JSON line, what it cost that process: the
// worst event-loop stall while it ran (perf_hooks.monitorEventLoopDelay) and the peak resident memory.
// Started by check.bench.ts with the servers as JSON in argv[2]; the servers run in the parent process.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { MailSettings, Server } from '../src/index.js';
import { checkSettings } from '../src/testing.js';

export interface ChildInput {
  servers: Server[];
  deadlineMs: number;
}

export interface ChildOutput {
  /** Outcome of each probe, e.g. "ok", "too-much". */
  outcomes: string[];
  ms: number;
  maxStallMs: number;
  peakRssBytes: number;
}

const input = JSON.parse(process.argv[2] ?? '{}') as ChildInput;
const settings: MailSettings = {
  query: { input: 'mail.test', domain: 'mail.test', protocol: 'all' },
  incoming: input.servers.filter((server) => server.type !== 'smtp'),
  outgoing: input.servers.filter((server) => server.type === 'smtp'),
  source: { kind: 'default', detail: 'bench' },
  notes: [],
};
const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();
const report = await checkSettings(settings, {
  lookup: async () => ['127.0.0.1'],
  allowPrivate: true,
  deadlineMs: input.deadlineMs,
});
delay.disable();
const output: ChildOutput = {
  outcomes: report.results.map((result) => result.outcome),
  ms: report.ms,
  maxStallMs: delay.max / 1e6,
  // resourceUsage().maxRSS is in kilobytes: the high-water mark of the whole process.
  peakRssBytes: process.resourceUsage().maxRSS * 1024,
};
console.log(JSON.stringify(output));
