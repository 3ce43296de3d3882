/**
 * Acting on the record the operator saw: every change from a tenant's details carries the version
 * of the record shown (`expectedVersion`), and the core refuses it with `conflict`, saying what
 * another operator changed, when the team's record moved on since. Then the record is read again, so
 * the details show what is true now beside the message.
 */
import type { QueryClient } from '@tanstack/react-query';
import { qk } from './query-client';
import { isApiError } from './transport';

/** `{ expectedVersion }` when the record's version is known. */
export function expectedVersion(version: string | undefined): { expectedVersion?: string } {
  return version === undefined ? {} : { expectedVersion: version };
}

/** After a refused change: a `conflict` reads the list and the open record again. */
export function reReadOnConflict(qc: QueryClient): (error: unknown) => void {
  return (error) => {
    if (isApiError(error) && error.code === 'conflict') void qc.invalidateQueries({ queryKey: qk.tenants });
  };
}
