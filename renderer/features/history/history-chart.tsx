/**
 * One uPlot chart, as wide as its panel: drag across it to zoom in on a span of time, "Zoom to the
 * history" for the samples alone, "Reset zoom" to see it whole again (from the first sample to the
 * forecast's crossing). Each line is named on the plot where it ends, and the legend below lists
 * every line's latest figures, or those under the cursor. Colours come from the theme's variables
 * and are read again when the theme changes. The plot is an image to screen readers (aria-hidden);
 * the legend and the table say it in words.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatClock, formatDate, formatMinute } from '../../lib/format';
import { LABEL_HEIGHT, lastValueIn, spreadLabels } from './chart-labels';
import { ChartLegend } from './chart-legend';
import { chartValue, fullSpan, historySpan, LINE_STYLES, type ChartModel } from './chart-model';

/** The chart's height with its axes (history.css reserves it before the chart is drawn). */
const HEIGHT = 240;
const DAY_S = 86_400;
/** Tick steps of a bytes axis: 1, 2 and 5 times a power of 1024, so ticks fall on 20 GiB, not 18.6 GiB. */
const BYTE_INCRS = [0, 1, 2, 3, 4, 5].flatMap((k) => [1, 2, 5, 10, 20, 50, 100, 200, 500].map((m) => m * 1024 ** k));

/**
 * The resolved colours of theme variables (light-dark() resolved by the browser): one probe each,
 * all added before the first read, so the page's style is computed once, not once per colour.
 */
function themeColours(host: HTMLElement, variables: readonly string[]): string[] {
  const probes = variables.map((v) => {
    const probe = document.createElement('span');
    probe.hidden = true;
    probe.style.color = `var(${v})`;
    return probe;
  });
  host.append(...probes);
  const colours = probes.map((p) => getComputedStyle(p).color);
  for (const p of probes) p.remove();
  return colours;
}

/** Bumps when the theme (data-theme or the system's scheme) changes. */
function useThemeKey(): number {
  const [key, setKey] = useState(0);
  useEffect(() => {
    const bump = () => setKey((k) => k + 1);
    const observer = new MutationObserver(bump);
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    const media = matchMedia('(prefers-color-scheme: dark)');
    media.addEventListener('change', bump);
    return () => {
      observer.disconnect();
      media.removeEventListener('change', bump);
    };
  }, []);
  return key;
}

/** Time-axis ticks in the console's format: dates, with the 24-hour time when ticks are under a day apart. */
function timeTicks(splits: number[], incr: number): string[] {
  return splits.map((s) =>
    incr >= DAY_S ? formatDate(s * 1000) : `${formatDate(s * 1000)}\n${formatClock(s * 1000)}`,
  );
}

/** "2026-09-08 to 2027-11-03" (with times when the span is under three days). */
function spanText(min: number, max: number): string {
  const at = (s: number) => (max - min < 3 * DAY_S ? formatMinute(s * 1000) : formatDate(s * 1000));
  return `${at(min)} to ${at(max)}`;
}

/** The font of .chart-label (history.css), to measure a label without a layout of the page. */
const LABEL_FONT = '600 12px system-ui, sans-serif';
let measuring: CanvasRenderingContext2D | null = null;

/** A label's width in pixels (its text and padding), measured on a canvas: no layout is forced. */
function labelWidth(text: string): number {
  measuring ??= document.createElement('canvas').getContext('2d');
  if (!measuring) return text.length * 7;
  measuring.font = LABEL_FONT;
  return measuring.measureText(text).width + 6;
}

/** Put each line's label where the line ends in view, spread so that no two overlap. */
function placeLabels(u: uPlot, model: ChartModel, spans: HTMLElement[]): void {
  const { min, max } = u.scales.x;
  if (min === undefined || max === undefined) return;
  const from = model.t.findIndex((t) => t >= min);
  let to = model.t.length - 1;
  while (to >= 0 && model.t[to]! > max) to--;
  // uPlot sizes the plot area by its style: read there, not from the layout.
  const width = parseFloat(u.over.style.width);
  const height = parseFloat(u.over.style.height);
  const visible = model.lines.flatMap((l, k) => {
    const i = from < 0 ? -1 : lastValueIn(l.values, from, to);
    return i < 0 ? [] : [{ span: spans[k]!, x: u.valToPos(model.t[i]!, 'x'), y: u.valToPos(l.values[i]!, 'y') }];
  });
  const tops = spreadLabels(
    visible.map((s) => s.y - LABEL_HEIGHT - 2),
    LABEL_HEIGHT,
    height,
  );
  for (const span of spans) span.hidden = !visible.some((s) => s.span === span);
  visible.forEach((s, n) => {
    s.span.style.top = `${tops[n]}px`;
    // Right-aligned to the line's end; from the left edge when the end is too far left for the text.
    const leftAligned = s.x < labelWidth(s.span.textContent ?? '') + 4;
    s.span.style.left = leftAligned ? '4px' : '';
    s.span.style.right = leftAligned ? '' : `${Math.max(0, width - s.x)}px`;
  });
}

export function HistoryChart({ model }: { model: ChartModel }) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const themeKey = useThemeKey();
  const [hover, setHover] = useState<number | null>(null);
  const full = fullSpan(model);
  const [view, setView] = useState(full);

  useLayoutEffect(() => {
    const el = host.current;
    if (!el) return;
    const [text, grid, ...colours] = themeColours(el, [
      '--text',
      '--border',
      ...model.lines.map((l) => LINE_STYLES[l.style].colour),
    ]) as [string, string, ...string[]];
    const fmt = (v: number) => chartValue(model.unit, v);
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const spans = model.lines.map((l, k) => {
      const span = document.createElement('span');
      span.className = 'chart-label';
      span.textContent = l.label;
      span.style.color = colours[k]!;
      span.hidden = true;
      return span;
    });
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height: HEIGHT,
      legend: { show: false },
      cursor: { drag: { x: true, y: false, setScale: true } },
      scales: { x: { time: true } },
      axes: [
        { ...axis, space: 100, size: 52, values: (_u, splits, _a, _s, incr) => timeTicks(splits, incr) },
        {
          ...axis,
          size: 80,
          ...(model.unit === 'bytes' ? { incrs: BYTE_INCRS } : {}),
          values: (_u, splits) => splits.map((v) => fmt(v)),
        },
      ],
      series: [
        {},
        ...model.lines.map((l, k) => ({
          label: l.label,
          stroke: colours[k]!,
          width: l.style === 'measured' ? 2 : 1.5,
          dash: [...LINE_STYLES[l.style].dash],
          spanGaps: false,
          points: { show: false },
        })),
      ],
      hooks: {
        setCursor: [(u) => setHover(u.cursor.idx ?? null)],
        setScale: [
          (u, key) => {
            const { min, max } = u.scales.x;
            if (key === 'x' && min !== undefined && max !== undefined) setView({ min, max });
          },
        ],
        draw: [(u) => placeLabels(u, model, spans)],
      },
    };
    const p = new uPlot(opts, [model.t, ...model.lines.map((l) => l.values)] as uPlot.AlignedData, el);
    p.over.append(...spans);
    plot.current = p;
    setView(fullSpan(model));
    const resize = new ResizeObserver(() => {
      const width = Math.max(200, el.clientWidth);
      if (width !== p.width) p.setSize({ width, height: HEIGHT });
    });
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.current = null;
      p.destroy();
    };
  }, [model, themeKey]);

  const same = (a: { min: number; max: number } | null) =>
    a !== null && view !== null && Math.abs(view.min - a.min) <= 1 && Math.abs(view.max - a.max) <= 1;
  const zoomed = full !== null && view !== null && !same(full);
  // Keyboard users cannot drag: the history alone (without the forecast's months) is one button away.
  const past = historySpan(model);
  const zoomTo = (span: { min: number; max: number } | null) => {
    if (span !== null && !same(span)) plot.current?.setScale('x', span);
  };
  return (
    <div className="history-chart-block">
      <div className="chart-toolbar">
        <span aria-live="polite">
          {view ? `Showing ${spanText(view.min, view.max)}` : ''}
          {zoomed ? ' (zoomed in)' : ''}
        </span>
        <span className="muted">Drag across the chart to zoom in.</span>
        <span className="chart-actions">
          {past !== null ? (
            <button type="button" aria-disabled={same(past)} onClick={() => zoomTo(past)}>
              Zoom to the history
            </button>
          ) : null}
          <button type="button" aria-disabled={!zoomed} onClick={() => zoomTo(full)}>
            Reset zoom
          </button>
        </span>
      </div>
      <div ref={host} className="history-chart" aria-hidden="true" data-chart={model.kind} />
      {model.crossingBeyond !== null ? (
        <p className="muted">
          The forecast line stops at {formatDate((model.forecastEnd ?? 0) * 1000)}: it reaches the limit on{' '}
          {formatDate(model.crossingBeyond * 1000)}, more than ten years out.
        </p>
      ) : null}
      <ChartLegend model={model} index={hover} />
    </div>
  );
}
