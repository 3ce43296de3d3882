export { HistoryScreen } from './history-screen';
// The Fleet imports the headroom overview from its own file: this chunk does not carry it.
