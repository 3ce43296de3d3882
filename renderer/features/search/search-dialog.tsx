/**
 * One search box across the console (Ctrl+K, as in Lens and Grafana): instances by id, name and
 * domain suffix, tenants by name, API and GUI domain and e-mail, and the screens. Arrow keys move
 * through the results, Enter opens one. The tenant rows come from the query cache the Tenants
 * screen fills (asked for here when they are not in yet).
 */
import { useDeferredValue, useId, useMemo, useState, type KeyboardEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Dialog } from '../../components/dialog';
import { useApi } from '../../lib/api-context';
import { formatCount } from '../../lib/format';
import { navigate } from '../../lib/router';
import { errorMessage } from '../../lib/transport';
import { tenantsQuery, useInstances } from '../../lib/use-server-state';
import { buildSearchIndex, searchEntries, type SearchHit, type SearchKind } from './search-index';
import './search.css';

const KIND_LABEL: Record<SearchKind, string> = { screen: 'Screen', instance: 'Instance', tenant: 'Tenant' };

export function SearchDialog({ onClose }: { onClose: () => void }) {
  const api = useApi();
  const instances = useInstances();
  const tenants = useQuery(tenantsQuery(api));
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const listId = useId();
  const index = useMemo(
    () => buildSearchIndex(instances.data ?? [], tenants.data ?? []),
    [instances.data, tenants.data],
  );
  // Typing stays responsive with 10,000 tenants: the results follow when React has time.
  const deferred = useDeferredValue(query);
  const hits = useMemo(() => searchEntries(index, deferred), [index, deferred]);
  const current = Math.min(active, Math.max(0, hits.length - 1));

  function open(hit: SearchHit | undefined): void {
    if (!hit) return;
    onClose();
    navigate(hit.entry.route);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>): void {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (hits.length === 0) return;
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((current + step + hits.length) % hits.length);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      open(hits[current]);
    }
  }

  const optionId = (i: number) => `${listId}-option-${i}`;
  const loading = tenants.isPending ? ' Loading the tenants…' : '';
  const status = !deferred.trim()
    ? `Type a tenant, domain, e-mail or instance.${loading}`
    : hits.length === 0
      ? `Nothing matches “${deferred.trim()}”.${loading}`
      : `${formatCount(hits.length)} result${hits.length === 1 ? '' : 's'}${hits.length >= 30 ? ' (the best 30)' : ''}.`;

  return (
    <Dialog title="Search" onClose={onClose}>
      <div className="search-box">
        <label htmlFor={`${listId}-input`} className="visually-hidden">
          Search instances, tenants and domains
        </label>
        <input
          id={`${listId}-input`}
          type="search"
          role="combobox"
          aria-expanded={hits.length > 0}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={hits.length > 0 ? optionId(current) : undefined}
          autoComplete="off"
          spellCheck={false}
          placeholder="tenant, domain, e-mail, instance or screen"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={onKeyDown}
          data-autofocus
        />
      </div>
      <p className="muted small-text" role="status">
        {status}
      </p>
      {tenants.error ? (
        <p className="error-text" role="alert">
          Tenants could not be searched: {errorMessage(tenants.error)}
        </p>
      ) : null}
      <ul id={listId} role="listbox" aria-label="Search results" className="search-results">
        {hits.map((hit, i) => (
          <li
            key={hit.entry.id}
            id={optionId(i)}
            role="option"
            aria-selected={i === current}
            className={i === current ? 'search-result is-active' : 'search-result'}
            onMouseMove={() => setActive(i)}
            onClick={() => open(hit)}
          >
            <span className="search-kind">{KIND_LABEL[hit.entry.kind]}</span>
            <span className="search-name">{hit.entry.name}</span>
            <span className="search-detail muted">
              {hit.entry.detail}
              {hit.matchedIn ? ` · ${hit.matchedIn}` : ''}
            </span>
          </li>
        ))}
      </ul>
      <p className="muted small-text">↑ ↓ to move, Enter to open, Escape to close.</p>
    </Dialog>
  );
}
