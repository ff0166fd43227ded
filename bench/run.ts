// Runs every benchmark in turn (resolver on loopback servers, the Slack and Discord front ends against their
// loopback fakes, the memory of the started bot's process tree, the live check against real mail servers, then
// the CLI: start-up, exit, bulk memory; the support-case relay and the agent's desk; fail-over between replicas)
// and prints their tables.
import os from 'node:os';
import { benchCheck } from './check.bench.js';
import { benchCliBulk } from './cli-bulk.bench.js';
import { benchCliStartup } from './cli-startup.bench.js';
import { benchDesk } from './desk.bench.js';
import { benchDiagnose } from './diagnose.bench.js';
import { benchDiscord } from './discord.bench.js';
import { benchFailover } from './failover.bench.js';
import { benchFootprint } from './footprint.bench.js';
import { benchRelay } from './relay.bench.js';
import { runResolveBenchmarks } from './resolve.bench.js';
import { benchSlack } from './slack.bench.js';
import { memoryCells, printTable } from './table.js';

const started = performance.now();
console.log(
  `mailsettings benchmarks — ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ` +
    `${os.platform()} ${os.arch()}, ${os.availableParallelism()} cores (${os.cpus()[0]?.model ?? 'unknown CPU'})`,
);

await runResolveBenchmarks();
printTable('Process memory after the resolver benchmarks', [memoryCells()]);

await benchSlack();
await benchDiscord();
await benchFootprint();
await benchRelay();
await benchDesk();

await benchCheck();
await benchDiagnose();

await benchCliStartup();
await benchCliBulk();

await benchFailover();
console.log(`\nAll benchmarks took ${((performance.now() - started) / 1000).toFixed(1)} s.`);
