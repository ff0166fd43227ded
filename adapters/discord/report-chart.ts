// The report's chart as a PNG, drawn on the server without a browser: chart.js (the charting library most
// dashboards use, which draws on any Canvas 2D context) on @napi-rs/canvas (Skia, shipped prebuilt for each
// platform as an npm package: no compiler, nothing downloaded at install). Both are loaded on the first chart,
// never at the bot's start. What is drawn is a data model (reportChart), so a test can check the numbers.
import type { Report } from '../../src/index.js';
import { reportWords } from '../../src/index.js';

/** Wide enough for 24 labelled bars, small enough to sit in an embed. */
export const CHART_SIZE = { width: 960, height: 420 } as const;
/** Discord's blurple, which reads on both its light and dark themes. */
export const BAR_COLOR = '#5865F2';
const BACKGROUND = '#FFFFFF';

export interface ChartModel {
  title: string;
  labels: string[];
  values: number[];
}

/** What the chart shows: cases opened per hour of the day, in the team's time zone. */
export function reportChart(report: Report): ChartModel {
  return {
    title: reportWords.hoursNote(report.timeZone),
    labels: report.hours.map((_, hour) => String(hour).padStart(2, '0')),
    values: [...report.hours],
  };
}

let warnedNoFonts = false;

/** Draws the model as a PNG of CHART_SIZE. */
export async function renderChart(model: ChartModel, warn: (message: string) => void): Promise<Buffer> {
  const [{ createCanvas, GlobalFonts }, chartJs] = await Promise.all([
    import('@napi-rs/canvas'),
    import('chart.js'),
  ]);
  const { BarController, BarElement, CategoryScale, Chart, LinearScale, Title } = chartJs;
  Chart.register(BarController, BarElement, CategoryScale, LinearScale, Title);
  if (GlobalFonts.families.length === 0 && !warnedNoFonts) {
    warnedNoFonts = true;
    warn('discord: no fonts installed, so the report chart has no labels (install fonts-dejavu-core)');
  }
  const canvas = createCanvas(CHART_SIZE.width, CHART_SIZE.height);
  const context = canvas.getContext('2d');
  // Skia's context implements the Canvas 2D API chart.js draws with; the DOM's type is not in this project.
  const chart = new Chart(context as unknown as ConstructorParameters<typeof Chart>[0], {
    type: 'bar',
    data: {
      labels: model.labels,
      datasets: [{ data: model.values, backgroundColor: BAR_COLOR, borderWidth: 0 }],
    },
    options: {
      animation: false,
      responsive: false,
      devicePixelRatio: 1,
      plugins: { title: { display: true, text: model.title, font: { size: 18 } } },
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
    },
    plugins: [
      {
        id: 'background',
        beforeDraw: ({ ctx, width, height }) => {
          ctx.save();
          ctx.fillStyle = BACKGROUND;
          ctx.fillRect(0, 0, width, height);
          ctx.restore();
        },
      },
    ],
  });
  try {
    return await canvas.encode('png');
  } finally {
    chart.destroy();
  }
}
