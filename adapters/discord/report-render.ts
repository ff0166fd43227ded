// The lead's report as a Discord message: an embed with the figures, the chart (report-chart.ts) as its
// image, and the CSV attached. Names, domains and sources come from people and the internet: escaped, and
// each field clipped to Discord's limits. Used privately by /cases report and in the weekly digest's channel.
import type { APIEmbed } from 'discord.js';
import { clip, type Report, reportToCsv, reportWords as words } from '../../src/index.js';
import { MAX_FIELD_VALUE } from './embeds.js';
import { escapeDiscordText } from './escape.js';
import { renderChart, reportChart } from './report-chart.js';

export const CHART_FILE = 'report.png';
export const CSV_FILE = 'report.csv';
const COLOR = 0x5865f2;

/** The embed of a report; `title` says whether it is asked for or the weekly digest. */
export function reportEmbed(report: Report, title: string): APIEmbed {
  const day = (at: number) =>
    new Intl.DateTimeFormat('en-GB', { timeZone: report.timeZone, dateStyle: 'medium' }).format(at);
  const list = (lines: string[]) =>
    clip(lines.length === 0 ? words.NOTHING : lines.join('\n'), MAX_FIELD_VALUE);
  const named = (name: string) => escapeDiscordText(name);
  const { targets } = report;
  const busiest = report.hours
    .map((count, hour) => ({ count, hour }))
    .filter(({ count }) => count > 0)
    .sort((a, b) => b.count - a.count || a.hour - b.hour)
    .slice(0, 3)
    .map(({ count, hour }) => `${String(hour).padStart(2, '0')}:00 ${count}`);
  return {
    title,
    description: `${day(report.since)} – ${day(report.until)} (${report.timeZone})`,
    color: COLOR,
    fields: [
      { name: 'Cases', value: words.casesLine(report.opened, report.resolved, report.oneTouch) },
      {
        name: 'First response',
        value: words.timesLine(
          report.firstResponse.count,
          report.firstResponse.p50Ms,
          report.firstResponse.p90Ms,
        ),
        inline: true,
      },
      {
        name: 'Resolution',
        value: words.timesLine(report.resolution.count, report.resolution.p50Ms, report.resolution.p90Ms),
        inline: true,
      },
      {
        name: 'Ratings',
        value: words.ratingsLine(report.ratings.helpful, report.ratings.notHelpful),
        inline: true,
      },
      {
        name: 'Targets met',
        value: (['firstResponse', 'nextResponse', 'resolution'] as const)
          .map(
            (name) =>
              `${words.TARGET_NAMES[name]}: ${words.targetLine(targets[name].met, targets[name].missed, targets[name].targetMs)}`,
          )
          .join('\n'),
      },
      {
        name: 'Staff',
        value: list(
          report.staff.map(
            (s) =>
              `${named(s.name)}: ${words.staffLine(s.resolved, s.firstResponses, s.medianFirstResponseMs)}`,
          ),
        ),
      },
      {
        name: 'Top domains',
        value: list(report.domains.map((d) => `${named(d.name)}: ${d.count}`)),
        inline: true,
      },
      {
        name: 'Answer sources',
        value: list(report.sources.map((s) => `${named(s.name)}: ${s.count}`)),
        inline: true,
      },
      {
        name: 'Failing checks',
        value: list(report.failingChecks.map((c) => `${named(c.name)} ${c.outcome}: ${c.count}`)),
      },
      { name: 'Busiest hours', value: list(busiest) },
    ],
    image: { url: `attachment://${CHART_FILE}` },
    footer: { text: words.EXPLAINED },
  };
}

/** The message: embed, chart and CSV, mentioning nobody. */
export async function reportMessage(report: Report, title: string, warn: (message: string) => void) {
  const png = await renderChart(reportChart(report), warn);
  return {
    embeds: [reportEmbed(report, title)],
    files: [
      { name: CHART_FILE, data: png },
      { name: CSV_FILE, data: Buffer.from(reportToCsv(report), 'utf8') },
    ],
    allowed_mentions: { parse: [] as [] },
  };
}
