export { HistoryScreen } from './history-screen';
export { HeadroomOverview } from './headroom-overview';
