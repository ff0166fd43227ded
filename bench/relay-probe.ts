// Loaded into the bot's process by the relay benchmark (node --import), and only there: listens to the stages
// the relay publishes (src/model/trace.ts) and to how long the event loop was held up, and appends them as JSON
// lines to RELAY_PROBE_FILE every 200 ms, off the loop's hot path (one asynchronous write each time). Times are
// milliseconds since the epoch with the fraction performance.now() gives, so the benchmark's own process can set
// them beside its fakes' clocks. With RELAY_PROBE_PROFILE_DIR, it also profiles the CPU from the first message
// relayed to the process's exit (the cases' opening left out), into a .cpuprofile file there.
import { subscribe } from 'node:diagnostics_channel';
import { appendFile, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.RELAY_PROBE_FILE;
const CHANNEL = 'mailsettings:relay'; // RELAY_TRACE_CHANNEL, src/model/trace.ts
const FLUSH_MS = 200;

if (file) {
  const at = () => performance.timeOrigin + performance.now();
  let lines: string[] = [];
  const profileDir = process.env.RELAY_PROBE_PROFILE_DIR;
  let profiling = false;
  subscribe(CHANNEL, (trace) => {
    lines.push(JSON.stringify({ ...(trace as object), t: at() }));
    if (profileDir && !profiling && (trace as { stage?: string }).stage === 'received') {
      profiling = true;
      profile(profileDir);
    }
  });
  // How long the loop was late to run a timer that wanted to run every millisecond, per flush period.
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  setInterval(() => {
    lines.push(
      JSON.stringify({
        stage: 'loop',
        t: at(),
        maxMs: delay.max / 1e6,
        p99Ms: delay.percentile(99) / 1e6,
      }),
    );
    delay.reset();
    const out = `${lines.join('\n')}\n`;
    lines = [];
    appendFile(file, out, () => {});
  }, FLUSH_MS).unref();
}

/** Profiles the CPU until the process exits (a session in this thread answers at once, even while exiting). */
function profile(dir: string): void {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  // When the relay was at work: each stage's time on performance.now(), to tell its samples from the rest.
  const stages: [string, number][] = [];
  subscribe(CHANNEL, (trace) => {
    const { stage, kind } = trace as { stage: string; kind?: string };
    if (stage !== 'picked' || kind === 'relay') stages.push([stage, performance.now()]);
  });
  session.post('Profiler.start', () => {
    const started = performance.now();
    process.once('exit', () => {
      session.post('Profiler.stop', (error, result) => {
        if (error) return;
        const name = join(dir, `relay-${process.pid}`);
        writeFileSync(`${name}.cpuprofile`, JSON.stringify(result.profile));
        writeFileSync(`${name}.stages.json`, JSON.stringify({ started, stages }));
      });
    });
  });
}
