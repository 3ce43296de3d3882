/**
 * Capacity history: every successful capacity snapshot's key figures per instance, kept in the data
 * folder (`history/<instance>.jsonl`), downsampled to a bounded size, and the forecast of months to
 * the shard limit and the low watermark. The public API:
 * `import { HistoryStore, HistoryService } from './services/history'`. docs/capacity.md, "History".
 */
export { COMPACT_GROWTH, HistoryStore, type Clock, type HistoryStoreDeps, type StoredGrowth } from './history-store';
export { HistoryService } from './history-service';
export { recordedForecasts, type ForecastSource } from './recorded-forecasts';
