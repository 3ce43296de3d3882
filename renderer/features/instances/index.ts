export { InstancesScreen } from './instances-screen';
