/**
 * Test connection on a saved instance, in one click (the Instances table and the Instance screen):
 * its stored settings and its keychain secrets, the same three checks as the form's test.
 */
import { useMutation } from '@tanstack/react-query';
import type { ConnectionCheck } from '../../../shared/contract/contract';
import { ErrorMessage } from '../../components/error-message';
import { Spinner } from '../../components/spinner';
import { useApi } from '../../lib/api-context';
import { announce } from '../../lib/notices';
import { ConnectionChecks } from './connection-checks';

/** The test of one saved instance: run it, and what it found. */
export function useSavedConnectionTest() {
  const api = useApi();
  return useMutation({
    mutationFn: ({ id }: { id: string; name: string }) => api['instances.test']({ id }),
    onSuccess: (checks: ConnectionCheck[], { name }) =>
      announce(
        `Connection test of ${name}: ${checks.every((c) => c.ok) ? 'all ok' : `${checks.filter((c) => !c.ok).length} failed`}.`,
      ),
  });
}

/** The outcome of a saved instance's test: busy, the three checks, or why it could not run. */
export function SavedConnectionResults({
  test,
  name,
}: {
  test: ReturnType<typeof useSavedConnectionTest>;
  name: string;
}) {
  if (test.isIdle) return null;
  return (
    <section className="panel" aria-labelledby="saved-test-heading" aria-busy={test.isPending}>
      <h2 id="saved-test-heading">Connection test of {name}</h2>
      {test.isPending ? <Spinner label={`Testing ${name}`} /> : null}
      {test.data ? <ConnectionChecks checks={test.data} /> : null}
      {test.error ? <ErrorMessage error={test.error} prefix="The test could not run:" /> : null}
    </section>
  );
}
