/**
 * A second process appending to a capacity history (tests/unit/main/history-store.test.ts):
 * `history-writer.ts <dir> <instance> <first ms> <count> <step ms>` appends `count` samples.
 */
import { HistoryStore } from '../../main/services/history';
import type { HistorySample } from '../../shared/capacity/capacity-history';

const [dir, instance, first, count, step] = process.argv.slice(2);
const start = Number(first);
let now = start;
// Compaction once in a while, as the app does, while the other process appends.
const store = new HistoryStore({
  dir: dir!,
  clock: { now: () => now },
  rawMinIntervalMs: 0,
});
for (let i = 0; i < Number(count); i++) {
  now = start + i * Number(step);
  const sample: HistorySample = {
    t: now,
    st: 'green',
    n: [['n1', 100 + i, 1000, 850, 900, 950, 1, 2]],
    sh: [10 + i, 1000],
    ix: 5,
    tn: 1,
    pt: { acme: [3, 100] },
  };
  if (!(await store.append(sample, instance!))) throw new Error(`sample ${i} not written`);
  if (i % 50 === 49) await store.compact(instance!);
}
