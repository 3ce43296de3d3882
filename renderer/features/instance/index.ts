export { InstanceScreen } from './instance-screen';
