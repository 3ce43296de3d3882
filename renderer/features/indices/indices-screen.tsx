/**
 * An instance's indices, for one tenant (`#/indices/<instance>?tenant=<name>`, opened from a drift:
 * a verification result, a Changes entry, a tenant's details) or any pattern (`?pattern=…`): name,
 * health, documents, size, the aliases and templates of the same names, and, for a tenant, which
 * artefacts its last verification found missing and whether they are there now. Read-only.
 */
import { useCallback, useState, type FormEvent } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { tenantPattern } from '../../../shared/instances/index-listing';
import { EnvironmentBadge } from '../../components/environment-badge';
import { ErrorMessage } from '../../components/error-message';
import { Spinner } from '../../components/spinner';
import { TextField } from '../../components/text-field';
import { useApi } from '../../lib/api-context';
import { formatCount } from '../../lib/format';
import { useRefreshHandler } from '../../lib/refresh';
import { navigate, routeHash, useRoute } from '../../lib/router';
import { useInstanceMap } from '../../lib/use-server-state';
import { IndexTable } from './index-table';
import { MissingArtefacts } from './missing-artefacts';
import './indices.css';

const TENANT_RE = /^[a-z0-9]{3,40}$/;

export function IndicesScreen({ id }: { id: string }) {
  const api = useApi();
  const params = useRoute().params ?? {};
  const view = useInstanceMap().get(id);
  const name = view?.instance.name ?? id;
  // A tenant wins over a pattern; neither: the tenant field is empty and nothing is asked yet.
  const tenant = params.tenant && TENANT_RE.test(params.tenant) ? params.tenant : null;
  const pattern = tenant ? tenantPattern(tenant) : (params.pattern ?? null);
  const listing = useQuery({
    queryKey: ['instances.indices', id, tenant, pattern],
    queryFn: () => api['instances.indices'](tenant ? { id, tenant } : { id, pattern: pattern ?? '' }),
    enabled: pattern !== null,
    placeholderData: keepPreviousData,
  });
  const { refetch } = listing;
  useRefreshHandler(useCallback(() => void refetch(), [refetch]));

  const data = listing.data;
  return (
    <section className="screen" aria-labelledby="indices-heading" aria-busy={listing.isFetching}>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <a href={routeHash({ screen: 'fleet' })}>Fleet</a> <span aria-hidden="true">›</span>{' '}
        <a href={routeHash({ screen: 'instance', id })}>{name}</a> <span aria-hidden="true">›</span>
      </nav>
      <header className="screen-header">
        <h1 id="indices-heading">Indices on {name}</h1>
        {view ? <EnvironmentBadge environment={view.instance.environment} colour={view.instance.colour} /> : null}
        <span className="spacer" />
        {listing.isFetching ? <Spinner label="Reading the indices" /> : null}
        <button type="button" onClick={() => void refetch()} disabled={pattern === null || listing.isFetching}>
          Refresh
        </button>
      </header>
      {/* Keyed by the view: Back to another tenant or pattern shows its text in the box. */}
      <WhichIndices key={tenant ?? params.pattern ?? ''} id={id} initial={tenant ?? params.pattern ?? ''} />
      {pattern === null ? (
        <p className="muted">Name a tenant to see its indices, aliases and templates, or type an index pattern.</p>
      ) : null}
      {listing.error ? <ErrorMessage error={listing.error} /> : null}
      {data ? (
        <>
          <p className="muted" role="status">
            {data.truncated
              ? `The first ${formatCount(data.indices.length)} of ${formatCount(data.total)} indices`
              : `${formatCount(data.total)} ${data.total === 1 ? 'index' : 'indices'}`}{' '}
            matching <code>{data.pattern}</code>; {formatCount(data.aliases.length)} aliases,{' '}
            {formatCount(data.templates.length)} templates ({formatCount(data.esRequests)} Elasticsearch requests).
          </p>
          {tenant ? <MissingArtefacts instanceId={id} tenant={tenant} listing={data} /> : null}
          {data.indices.length > 0 ? (
            <IndexTable rows={data.indices} label={`Indices matching ${data.pattern}`} />
          ) : (
            <p>No index matches {data.pattern}.</p>
          )}
          <NameLists aliases={data.aliases} templates={data.templates} />
        </>
      ) : null}
    </section>
  );
}

/** The box naming a tenant or a pattern; submitting it is a new view (a link, a step Back undoes). */
function WhichIndices({ id, initial }: { id: string; initial: string }) {
  const [input, setInput] = useState(initial);
  function onSubmit(event: FormEvent): void {
    event.preventDefault();
    const text = input.trim().toLowerCase();
    if (!text) return;
    // A bare tenant name is that tenant's names; anything else is a pattern as typed.
    navigate({ screen: 'indices', id, params: TENANT_RE.test(text) ? { tenant: text } : { pattern: text } });
  }
  return (
    <form className="filter-bar" role="search" aria-label="Which indices" onSubmit={onSubmit}>
      <TextField
        label="Tenant or index pattern"
        className="grow"
        value={input}
        onValue={setInput}
        placeholder="a tenant name, or a pattern such as 09x.*.tracardi-event-*"
        data-shortcut-search
      />
      <button type="submit" className="align-end">
        Show indices
      </button>
    </form>
  );
}

function NameLists({ aliases, templates }: { aliases: { alias: string; index: string }[]; templates: string[] }) {
  return (
    <div className="details-columns">
      <section className="panel" aria-labelledby="aliases-heading">
        <h2 id="aliases-heading">Aliases ({formatCount(aliases.length)})</h2>
        {aliases.length === 0 ? (
          <p className="muted">None.</p>
        ) : (
          <ul className="plain name-list" aria-label="Aliases">
            {aliases.map((a) => (
              <li key={`${a.alias} ${a.index}`}>
                {a.alias} <span className="muted">→ {a.index}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="panel" aria-labelledby="templates-heading">
        <h2 id="templates-heading">Index templates ({formatCount(templates.length)})</h2>
        {templates.length === 0 ? (
          <p className="muted">None.</p>
        ) : (
          <ul className="plain name-list" aria-label="Index templates">
            {templates.map((t) => (
              <li key={t}>{t}</li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
