export { StatusBar } from './status-bar';
