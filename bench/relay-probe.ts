// Loaded into the bot's process by the relay benchmark (node --import), and only there: listens to the stages
// the relay publishes (src/model/trace.ts) and to how long the event loop was held up, and appends them as JSON
// lines to RELAY_PROBE_FILE every 200 ms, off the loop's hot path (one asynchronous write each time). Times are
// milliseconds since the epoch with the fraction performance.now() gives, so the benchmark's own process can set
// them beside its fakes' clocks.
import { subscribe } from 'node:diagnostics_channel';
import { appendFile } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.RELAY_PROBE_FILE;
const CHANNEL = 'mailsettings:relay'; // RELAY_TRACE_CHANNEL, src/model/trace.ts
const FLUSH_MS = 200;

if (file) {
  const at = () => performance.timeOrigin + performance.now();
  let lines: string[] = [];
  subscribe(CHANNEL, (trace) => {
    lines.push(JSON.stringify({ ...(trace as object), t: at() }));
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
