// Shared benchmark helpers: timing samples, a bounded worker pool, percentiles, number formatting, process
// memory and a small aligned table.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface Stats {
  n: number;
  mean: number;
  min: number;
  p50: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile of already sorted samples. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] as number;
}

export function stats(samples: ArrayLike<number>): Stats {
  const sorted = Float64Array.from(samples).sort();
  const sum = sorted.reduce((total, value) => total + value, 0);
  return {
    n: sorted.length,
    mean: sum / sorted.length,
    min: sorted[0] ?? Number.NaN,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

export interface Samples {
  /** Each call's duration, in ms. */
  times: Float64Array;
  /** The whole loop, in ms, timing overhead included. */
  wallMs: number;
}

/** Runs `fn` sequentially up to `count` times, or until `maxMs` has passed; times every call. */
export async function sample(
  fn: (index: number) => unknown,
  { count, maxMs }: { count: number; maxMs: number },
): Promise<Samples> {
  const times = new Float64Array(count);
  const begun = performance.now();
  const stop = begun + maxMs;
  let done = 0;
  while (done < count) {
    const started = performance.now();
    const result = fn(done);
    if (result instanceof Promise) await result; // sync work is timed without an extra microtask
    const ended = performance.now();
    times[done++] = ended - started;
    if (ended > stop) break;
  }
  return { times: times.subarray(0, done), wallMs: performance.now() - begun };
}

/** Runs `count` jobs with at most `concurrency` in flight, stopping new ones after `maxMs`; times each job. */
export async function pool(
  count: number,
  concurrency: number,
  maxMs: number,
  job: (index: number) => Promise<void>,
): Promise<Samples> {
  const times: number[] = [];
  const begun = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < count && performance.now() - begun < maxMs) {
      const index = next++;
      const started = performance.now();
      await job(index);
      times.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { times: Float64Array.from(times), wallMs: performance.now() - begun };
}

let gc: (() => void) | undefined;
/**
 * A full garbage collection, so `heapUsed` counts live objects rather than whatever garbage the last loop left.
 * Node runs without --expose-gc here; the flag is set at run time and `gc` taken from a fresh context.
 */
export function collectGarbage(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}

/** process.memoryUsage(), optionally right after a full GC. */
export function memoryUsage(options: { gc?: boolean } = {}): NodeJS.MemoryUsage {
  if (options.gc) collectGarbage();
  return process.memoryUsage();
}

/** rss, heapUsed, heapTotal and external as table cells. */
export function memoryCells(memory: NodeJS.MemoryUsage = process.memoryUsage()): Row {
  return {
    rss: mb(memory.rss),
    heapUsed: mb(memory.heapUsed),
    heapTotal: mb(memory.heapTotal),
    external: mb(memory.external),
  };
}

/** The change from `from` to `to`, as signed MB cells. */
export function memoryChange(from: NodeJS.MemoryUsage, to: NodeJS.MemoryUsage): Row {
  const change = (key: 'rss' | 'heapUsed' | 'heapTotal' | 'external') => {
    const bytes = to[key] - from[key];
    return `${bytes >= 0 ? '+' : '−'}${mb(Math.abs(bytes))}`;
  };
  return {
    rss: change('rss'),
    heapUsed: change('heapUsed'),
    heapTotal: change('heapTotal'),
    external: change('external'),
  };
}

export const us = (ms: number): string => `${(ms * 1000).toFixed(ms < 0.01 ? 2 : 1)} µs`;
export const ms = (value: number): string => `${value.toFixed(Math.abs(value) < 10 ? 2 : 1)} ms`;
export const perSecond = (value: number): string => `${Math.round(value).toLocaleString('en-US')}/s`;
export const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
export const ratio = (value: number): string => `${value.toFixed(value < 10 ? 2 : 1)}×`;

export type Row = Record<string, string | number>;

/** Prints rows as a left-aligned text table under a title; columns are the union of the rows' keys. */
export function printTable(title: string, rows: Row[], note?: string): void {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const cell = (row: Row, column: string) => String(row[column] ?? '');
  const widths = columns.map((column) =>
    Math.max(column.length, ...rows.map((row) => cell(row, column).length)),
  );
  const line = (cells: string[]) => `| ${cells.map((text, i) => text.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  console.log(`\n${title}`);
  console.log(line(columns));
  console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
  for (const row of rows) console.log(line(columns.map((column) => cell(row, column))));
  if (note) console.log(note);
}
