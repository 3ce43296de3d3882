/** Who is at this console: name, e-mail and workstation (public API of the operator service). */
export { OperatorService, type OperatorServiceOptions } from './operator-service';
