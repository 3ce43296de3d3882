// Chart benchmark: a history chart of 10,000 points (the disk chart's four lines: used, low
// watermark, flood stage, forecast) drawn by uPlot in Chromium, with the options the History screen
// uses (time axis, dashed limit lines, legend). Prints the median draw time of --runs charts (create
// + first paint, measured in the page) next to the target: under 50 ms.
//
//   npx tsx bench/chart.ts [--points 10000] [--runs 15]
// Needs Debian's Chromium (E2E_CHROMIUM to use another).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { REPO_ROOT } from '../tests/e2e/support/build';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/e2e/support/chromium';

const TARGET_MS = 50;
const { values } = parseArgs({
  options: { points: { type: 'string', default: '10000' }, runs: { type: 'string', default: '15' } },
});
const points = Number(values.points);
const runs = Number(values.runs);

async function main(): Promise<void> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.setContent('<!doctype html><html><body><div id="host"></div></body></html>');
    await page.addStyleTag({ content: readFileSync(join(REPO_ROOT, 'node_modules/uplot/dist/uPlot.min.css'), 'utf8') });
    await page.addScriptTag({
      content: readFileSync(join(REPO_ROOT, 'node_modules/uplot/dist/uPlot.iife.min.js'), 'utf8'),
    });
    const times = await page.evaluate(
      async ({ points, runs }) => {
        type Plot = { destroy(): void };
        const g = globalThis as unknown as {
          uPlot: new (opts: unknown, data: unknown, el: unknown) => Plot;
          document: { getElementById(id: string): unknown };
          performance: { now(): number };
          requestAnimationFrame(cb: () => void): void;
        };
        const t0 = 1_700_000_000;
        const t = Array.from({ length: points }, (_, i) => t0 + i * 900);
        const used = t.map((_, i) => 4e11 + i * 1e7 + Math.sin(i / 50) * 1e9);
        const low = t.map(() => 8.5e11);
        const flood = t.map(() => 9.5e11);
        const forecast = t.map((_, i) => (i === points - 1 ? used[i]! : null));
        let drawnAt = 0;
        const opts = {
          hooks: { draw: [() => (drawnAt = g.performance.now())] },
          width: 640,
          height: 220,
          scales: { x: { time: true } },
          series: [
            {},
            { label: 'Disk used', stroke: '#2456c7', width: 2 },
            { label: 'Low watermark', stroke: '#8a5a00', width: 2, dash: [2, 3] },
            { label: 'Flood stage', stroke: '#b3261e', width: 2, dash: [2, 3] },
            { label: 'Forecast', stroke: '#8a5a00', width: 2, dash: [6, 4] },
          ],
        };
        const host = g.document.getElementById('host');
        const out: number[] = [];
        for (let r = 0; r < runs; r++) {
          drawnAt = 0;
          const start = g.performance.now();
          // uPlot draws in a microtask after its constructor; its draw hook marks the end.
          const plot = new g.uPlot(opts, [t, used, low, flood, forecast], host);
          for (let k = 0; drawnAt === 0; k++)
            await new Promise<void>((resolve) => (k < 1000 ? queueMicrotask(resolve) : setTimeout(resolve, 1)));
          out.push(drawnAt - start);
          plot.destroy();
        }
        return out;
      },
      { points, runs },
    );
    const sorted = [...times].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    console.log(
      `chart of ${points} points × 4 lines: median ${median.toFixed(1)} ms (min ${sorted[0]!.toFixed(1)}, max ${sorted.at(-1)!.toFixed(1)}; ${runs} runs)  target < ${TARGET_MS} ms: ${median < TARGET_MS ? 'MET' : 'NOT MET'}`,
    );
  } finally {
    await browser.close();
  }
}

await main();
