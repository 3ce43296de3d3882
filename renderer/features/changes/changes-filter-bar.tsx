/** The Changes screen's filters: kind, what about, instance, words, time, new only; kept in the URL. */
import { instanceOptions, SelectField } from '../../components/select-field';
import { TextField } from '../../components/text-field';
import { setParams } from '../../lib/router';
import { useInstances } from '../../lib/use-server-state';
import { TIME_WINDOW_OPTIONS } from '../log-tools/time-window';
import { CHANGE_PARAMS, type ChangeFilters } from './changes-view';

const KIND_OPTIONS = [
  { value: 'problem', label: 'Problem' },
  { value: 'recovered', label: 'Recovered' },
  { value: 'info', label: 'Change' },
] as const;
const ABOUT_OPTIONS = [
  { value: 'tenant', label: 'Tenant' },
  { value: 'instance', label: 'Instance' },
  { value: 'shards', label: 'Shard use' },
  { value: 'disk', label: 'Disk' },
  { value: 'forecast', label: 'Shard forecast' },
  { value: 'team', label: "Another operator's change" },
] as const;

export function ChangesFilterBar({
  filters,
  onText,
}: {
  filters: ChangeFilters;
  /** The search box's text (the screen filters by it at once; the URL follows: lib/use-url-text.ts). */
  onText: (text: string) => void;
}) {
  const instances = useInstances().data ?? [];
  const set = (key: keyof ChangeFilters, value: string) => setParams({ [CHANGE_PARAMS[key]]: value });
  return (
    <div className="filter-bar" role="search" aria-label="Filter the changes">
      <TextField
        label="Search changes"
        className="grow"
        type="search"
        data-shortcut-search
        placeholder="tenant, instance, status, detail"
        value={filters.text}
        onValue={onText}
      />
      <SelectField
        label="Kind"
        value={filters.kind}
        empty="Any kind"
        options={KIND_OPTIONS}
        onChange={(v) => set('kind', v)}
      />
      <SelectField
        label="About"
        value={filters.about}
        empty="Anything"
        options={ABOUT_OPTIONS}
        onChange={(v) => set('about', v)}
      />
      <SelectField
        label="Instance"
        value={filters.instanceId}
        empty="All instances"
        options={instanceOptions(instances)}
        onChange={(v) => set('instanceId', v)}
      />
      <SelectField
        label="Since"
        value={filters.since}
        empty="Any time"
        options={TIME_WINDOW_OPTIONS}
        onChange={(v) => set('since', v)}
      />
      <SelectField
        label="Show"
        value={filters.onlyNew ? 'new' : ''}
        empty="New and seen"
        options={[{ value: 'new', label: 'New only' }]}
        onChange={(v) => set('onlyNew', v)}
      />
      <button
        type="button"
        className="align-end"
        onClick={() => setParams(Object.fromEntries(Object.values(CHANGE_PARAMS).map((p) => [p, null])))}
      >
        Clear filters
      </button>
    </div>
  );
}
