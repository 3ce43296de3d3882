/**
 * One uPlot chart, in its own chunk (the history screen loads it with React.lazy): the first screen
 * never parses uPlot. Colours come from the theme's variables and are read again when the theme
 * changes. The chart is an image to screen readers (aria-hidden); the table next to it says it all.
 */
import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatBytes, formatCount } from '../../lib/format';
import type { ChartModel } from './chart-model';

/** The resolved colour of a theme variable (light-dark() resolved by the browser). */
function themeColour(probe: HTMLElement, variable: string): string {
  probe.style.color = `var(${variable})`;
  return getComputedStyle(probe).color;
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

export default function HistoryChart({ model, width = 640 }: { model: ChartModel; width?: number }) {
  const host = useRef<HTMLDivElement>(null);
  const themeKey = useThemeKey();
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const probe = document.createElement('span');
    probe.hidden = true;
    el.appendChild(probe);
    const text = themeColour(probe, '--text');
    const grid = themeColour(probe, '--border');
    const fmt = (v: number) => (model.unit === 'bytes' ? formatBytes(v) : formatCount(Math.round(v)));
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const opts: uPlot.Options = {
      width,
      height: 220,
      legend: { show: true },
      scales: { x: { time: true } },
      axes: [axis, { ...axis, size: 80, values: (_u, vals) => vals.map((v) => fmt(v)) }],
      series: [
        {},
        ...model.lines.map((l) => ({
          label: l.label,
          stroke: themeColour(probe, l.colour),
          width: 2,
          ...(l.dash ? { dash: l.dash } : {}),
          spanGaps: false,
          value: (_u: uPlot, v: number | null) => (v === null ? '–' : fmt(v)),
        })),
      ],
    };
    probe.remove();
    const plot = new uPlot(opts, [model.t, ...model.lines.map((l) => l.values)] as uPlot.AlignedData, el);
    return () => plot.destroy();
  }, [model, width, themeKey]);
  return <div ref={host} className="history-chart" aria-hidden="true" data-chart={model.kind} />;
}
