export { FoundScreen } from './found-screen';
