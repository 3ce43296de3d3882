/**
 * Each instance's team registry health, one query the whole window shares: the read-only banner
 * (features/team), the Instance screen and Settings read it. The frame polls it modestly with a
 * sync (a registry that went away or came back shows without a list refresh), and asks again,
 * without a sync, after every tenant list or record fetch and after a refused change (those
 * already synced or met the registry).
 */
import { useEffect, useRef, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { RegistryStatus } from '../../shared/contract/contract';
import { useApi } from './api-context';
import { qk } from './query-client';
import { isApiError } from './transport';
import { registriesBack } from './registry-back';

/** The first poll waits this long: the first screen's own calls go first. */
const FIRST_POLL_MS = 2_000;
/** Every registry answering and writable: a sync this often is enough to notice one going away. */
const POLL_OK_MS = 60_000;
/** While any registry is read-only or unreachable: how soon its return shows. */
const POLL_DOWN_MS = 10_000;

/** True when the registry cannot take a change now (the banner shows it). */
export function isRegistryDown(s: RegistryStatus): boolean {
  return s.health.state === 'unreachable' || s.health.state === 'read-only';
}

/** The registry status as the window last saw it (no request of its own: the frame's poll sends them). */
export function useRegistryStatus() {
  const api = useApi();
  return useQuery({
    queryKey: qk.registryStatus,
    queryFn: () => api['registry.status']({}),
    staleTime: 5_000,
  });
}

/** The frame's poll (mounted once, in app.tsx); answers the instances whose registry is down. */
export function useRegistryPoll(): RegistryStatus[] {
  const api = useApi();
  const qc = useQueryClient();
  const [started, setStarted] = useState(false);
  useEffect(() => {
    const t = setTimeout(() => setStarted(true), FIRST_POLL_MS);
    return () => clearTimeout(t);
  }, []);
  const query = useQuery({
    queryKey: qk.registryStatus,
    queryFn: () => api['registry.status']({ sync: true }),
    enabled: started,
    staleTime: 5_000,
    refetchInterval: (q) => ((q.state.data ?? []).some(isRegistryDown) ? POLL_DOWN_MS : POLL_OK_MS),
  });

  // A list, record or snapshot fetch synced (or met) the registries, a change was refused for one: ask again
  // what each registry's health is now, without another sync; several in a burst make one call.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const again = () => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        void qc.fetchQuery({ queryKey: qk.registryStatus, queryFn: () => api['registry.status']({}), staleTime: 0 });
      }, 300);
    };
    const offQueries = qc.getQueryCache().subscribe((event) => {
      if (event.type !== 'updated' || (event.action.type !== 'success' && event.action.type !== 'error')) return;
      const key = event.query.queryKey[0];
      // A capacity snapshot's refresh syncs its instance's registry too (main/handlers.ts).
      if (key === qk.tenants[0] || key === qk.snapshots[0]) again();
    });
    const offMutations = qc.getMutationCache().subscribe((event) => {
      if (event.type !== 'updated' || event.action.type !== 'error') return;
      const error = event.action.error;
      if (isApiError(error) && (error.code === 'registry-read-only' || error.code === 'conflict')) again();
    });
    return () => {
      offQueries();
      offMutations();
      if (timer) clearTimeout(timer);
    };
  }, [qc, api]);

  // A registry back from unreachable: the list answered from its cache meanwhile (main's list does
  // not wait for a registry that was away), so it is fetched again, with what the team did meanwhile.
  const wasDown = useRef<ReadonlySet<string>>(new Set());
  useEffect(() => {
    if (!query.data) return;
    const { unreachable, back } = registriesBack(wasDown.current, query.data);
    wasDown.current = unreachable;
    if (back) void qc.invalidateQueries({ queryKey: qk.tenants });
  }, [query.data, qc]);

  return (query.data ?? []).filter(isRegistryDown);
}
