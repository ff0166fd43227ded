// Runs every benchmark in turn (resolver on loopback servers, then CLI start-up) and prints their tables.
import os from 'node:os';
import { benchCliStartup } from './cli-startup.bench.js';
import { runResolveBenchmarks } from './resolve.bench.js';
import { mb, printTable } from './table.js';

const started = performance.now();
console.log(
  `mailsettings benchmarks — ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ` +
    `${os.platform()} ${os.arch()}, ${os.availableParallelism()} cores (${os.cpus()[0]?.model ?? 'unknown CPU'})`,
);

await runResolveBenchmarks();
const memory = process.memoryUsage();
printTable('Process memory after the resolver benchmarks', [
  {
    rss: mb(memory.rss),
    heapUsed: mb(memory.heapUsed),
    heapTotal: mb(memory.heapTotal),
    external: mb(memory.external),
  },
]);

await benchCliStartup();
console.log(`\nAll benchmarks took ${((performance.now() - started) / 1000).toFixed(1)} s.`);
