export { ChangesScreen } from './changes-screen';
