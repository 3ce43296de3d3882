/**
 * The read-only banner, on every screen while any instance's team registry is unreachable or may not
 * be written: which instance, since when, why, when its shown record was last in sync, and that
 * changes are refused. A chunk of its own (app.tsx loads it only when a registry is down); it goes
 * once a sync succeeds (the frame's poll, or Check again).
 */
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { RegistryStatus } from '../../../shared/contract/contract';
import { useApi } from '../../lib/api-context';
import { formatTime } from '../../lib/format';
import { qk } from '../../lib/query-client';
import { useInstanceMap } from '../../lib/use-server-state';
import { bannerText } from './registry-words';
import './team.css';

export default function RegistryBanner({ down }: { down: RegistryStatus[] }) {
  const api = useApi();
  const qc = useQueryClient();
  const names = useInstanceMap();
  const [checking, setChecking] = useState(false);
  async function checkAgain() {
    setChecking(true);
    try {
      await qc.fetchQuery({
        queryKey: qk.registryStatus,
        queryFn: () => api['registry.status']({ sync: true }),
        staleTime: 0,
      });
      // The lists show the registry's record again once it answers.
      void qc.invalidateQueries({ queryKey: qk.tenants });
    } catch {
      // The status call itself failed: the status bar and the next poll say so.
    } finally {
      setChecking(false);
    }
  }
  return (
    <section className="registry-banner" aria-label="Team registry read-only" data-testid="registry-banner">
      <div role="alert">
        <p className="registry-banner-title">
          <strong>Read-only:</strong> changes are refused on{' '}
          {down.length === 1 ? 'one instance' : `${down.length} instances`} until the team registry takes them.
        </p>
        <ul>
          {down.map((s) => (
            <li key={s.instanceId} data-instance-id={s.instanceId}>
              {bannerText(s, names.get(s.instanceId)?.instance.name ?? s.instanceId, formatTime)}
            </li>
          ))}
        </ul>
      </div>
      <button type="button" className="small" onClick={() => void checkAgain()} disabled={checking}>
        {checking ? 'Checking…' : 'Check again'}
      </button>
    </section>
  );
}
