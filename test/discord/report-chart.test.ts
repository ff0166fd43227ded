// The report as Discord shows it, read back: the chart's bars measured in the PNG's pixels (one bar per hour
// with cases, in hour order, heights in proportion to the counts), the image's real size, and the embed
// within Discord's limits with every name from people escaped.
import { describe, expect, it } from 'vitest';
import { embedLength, MAX_TOTAL } from '../../adapters/discord/embeds.js';
import { BAR_COLOR, CHART_SIZE, renderChart, reportChart } from '../../adapters/discord/report-chart.js';
import { reportEmbed } from '../../adapters/discord/report-render.js';
import { CLOCK_DEFAULTS } from '../../src/cases/clocks.js';
import { ALWAYS_OPEN, buildReport } from '../../src/testing.js';
import { barsIn, pngSize } from '../support/report-files.js';

const MONDAY = Date.parse('2026-12-07T00:00:00Z');
const HOUR = 3_600_000;
/** Cases opened at 09:00 (3), 10:00 (6) and 16:00 (1), UTC. */
const opened = [9, 9, 9, 10, 10, 10, 10, 10, 10, 16];
const report = buildReport(
  {
    cases: opened.map((hour, id) => ({
      id,
      status: id === 1 ? ('resolved' as const) : ('new' as const),
      question: id === 0 ? '[evil](https://evil.test) pop' : `customer${id}.example pop`,
      card: undefined,
      rating: null,
      createdAt: MONDAY + hour * HOUR + id * 60_000,
      firstResponseAt: null,
      resolvedAt: id === 1 ? MONDAY + 11 * HOUR : null,
    })),
    activity: [
      { caseId: 1, kind: 'resolved', staffId: 'X', staffName: '**Boss** [x](https://evil.test)', at: MONDAY },
    ],
  },
  { since: MONDAY, until: MONDAY + 24 * HOUR },
  { ...CLOCK_DEFAULTS, hours: ALWAYS_OPEN },
);

describe('the report chart', () => {
  it('models the cases opened per hour of the day', () => {
    const model = reportChart(report);
    expect(model.labels).toEqual(Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0')));
    expect(model.values.filter(Boolean)).toEqual([3, 6, 1]);
    expect(model.title).toBe('Cases opened by hour of the day (UTC)');
  });

  it('draws a PNG of its size whose bars stand at those hours, in proportion to the counts', async () => {
    const png = await renderChart(reportChart(report), () => {});
    expect(pngSize(png)).toEqual(CHART_SIZE);
    const bars = await barsIn(png, BAR_COLOR);
    expect(bars).toHaveLength(3);
    const [nine, ten, four] = bars as [
      { x: number; height: number },
      { x: number; height: number },
      { x: number; height: number },
    ];
    // Hour slots are evenly spaced: 10:00 is one slot after 09:00, 16:00 seven.
    expect((four.x - ten.x) / (ten.x - nine.x)).toBeCloseTo(6, 0);
    expect(ten.height / nine.height).toBeCloseTo(2, 1);
    expect(ten.height / four.height).toBeCloseTo(6, 0);
  });
});

describe('the report embed', () => {
  it('stays within Discord’s limits and shows names from people as text', () => {
    const embed = reportEmbed(report, 'Support report: last 7 days');
    expect(embedLength(embed)).toBeLessThanOrEqual(MAX_TOTAL);
    for (const field of embed.fields ?? []) expect(field.value.length).toBeLessThanOrEqual(1024);
    const text = JSON.stringify(embed);
    expect(text).not.toContain('[x](https://evil.test)');
    expect(embed.fields?.find((f) => f.name === 'Staff')?.value).toBe(
      '\\*\\*Boss\\*\\* \\[x\\](https://evil.test): 1 resolved, 0 first responses',
    );
    expect(embed.fields?.find((f) => f.name === 'Busiest hours')?.value).toBe('10:00 6\n09:00 3\n16:00 1');
  });
});
