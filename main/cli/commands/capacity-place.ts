/**
 * `tenantctl capacity --place`: the placement report as lines. One block per version: which
 * instances were compared and why (the tenant's environment), the next tenant's ranking (best
 * first, one line each saying why, then the instance's forecast in the words every screen uses),
 * the other environments' instances apart, the refused instances with their reason, and with
 * `--count N` where the N tenants go.
 */
import { forecastSentence, PLAIN_FORMAT } from '../../../shared/capacity/capacity-forecast';
import type { PlacementFigures, PlacementReport } from '../../../shared/capacity/placement';

const label = (f: { name: string; instanceId: string; environment: string }) =>
  `${f.name} (${f.instanceId}, ${f.environment})`;

/** The figures' why, then the instance's forecast for each limit. */
function explained(f: PlacementFigures, indent: string): string[] {
  return [
    `${indent}${f.why}`,
    `${indent}${forecastSentence('shards', f.forecast.shards, PLAIN_FORMAT)}`,
    `${indent}${forecastSentence('disk', f.forecast.disk, PLAIN_FORMAT)}`,
  ];
}

/** Lines for the placement reports (printLines escapes them). */
export function formatPlacement(reports: readonly PlacementReport[]): string[] {
  const lines: string[] = [];
  for (const r of reports) {
    if (lines.length > 0) lines.push('');
    lines.push(
      `Placement of ${r.count === 1 ? 'the next tenant' : `${r.count} tenants`} on Tracardi ${r.version}, for ${r.environment}`,
      `  ${r.reason}`,
    );
    if (r.ranking.length === 0) {
      lines.push(`  no ${r.environment} instance can take a tenant`);
    } else {
      lines.push('  ranking (best first):');
      r.ranking.forEach((f, i) => {
        lines.push(`  ${i + 1}. ${label(f)}${i === 0 ? '  BEST' : ''}`, ...explained(f, '     '));
      });
    }
    if (r.elsewhere.length > 0) {
      lines.push(`  other environments (not compared with ${r.environment}; --env picks another):`);
      for (const f of r.elsewhere) lines.push(`  -  ${label(f)}`, ...explained(f, '     '));
    }
    if (r.refused.length > 0) {
      lines.push('  refused:');
      for (const x of r.refused) lines.push(`  -  ${label(x)}  ${x.kind}: ${x.reason}`);
    }
    if (r.count > 1) {
      lines.push(`  spread of ${r.count} tenants (one by one, re-ranked after each):`);
      for (const f of r.spread) lines.push(`  ${String(f.placed).padStart(4)}  ${label(f)}  ${f.why}`);
      if (r.unplaced > 0) lines.push(`  ${String(r.unplaced).padStart(4)}  no room: the fleet cannot take them`);
    }
  }
  return lines;
}
