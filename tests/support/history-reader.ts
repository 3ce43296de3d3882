/**
 * A process reading a capacity history as `tenantctl capacity`, the watch and the History screen do
 * (tests/unit/main/history-bounded.test.ts measures its peak memory):
 * `history-reader.ts <history dir> <instance>` prints {samples, maxRssKb, notices} as JSON.
 */
import { HistoryService, HistoryStore } from '../../main/services/history';

const [dir, instance] = process.argv.slice(2);
const notices: string[] = [];
const store = new HistoryStore({ dir: dir!, report: (line) => notices.push(line) });
const service = new HistoryService({ store });
const view = await service.view(instance!, '90d');
await service.forecasts([instance!]);
console.log(JSON.stringify({ samples: view.samples, maxRssKb: process.resourceUsage().maxRSS, notices }));
