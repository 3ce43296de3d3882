/** A table column header that sorts: a button inside a <th> carrying aria-sort. */

export interface SortState<K extends string> {
  key: K;
  dir: 'asc' | 'desc';
}

export function SortableHeader<K extends string>({
  label,
  column,
  sort,
  onSort,
  numeric = false,
}: {
  label: string;
  column: K;
  sort: SortState<K>;
  onSort: (next: SortState<K>) => void;
  numeric?: boolean;
}) {
  const active = sort.key === column;
  const next: SortState<K> = {
    key: column,
    dir: active && sort.dir === 'asc' ? 'desc' : active ? 'asc' : numeric ? 'desc' : 'asc',
  };
  return (
    <th
      scope="col"
      aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
      className={numeric ? 'num' : undefined}
    >
      <button type="button" className="sort-button" onClick={() => onSort(next)}>
        {label}
        <span aria-hidden="true" className="sort-arrow">
          {active ? (sort.dir === 'asc' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );
}

/** Rows sorted by one key (strings by locale, numbers numerically). */
export function sortRows<T, K extends string>(
  rows: readonly T[],
  sort: SortState<K>,
  value: (row: T, key: K) => string | number,
): T[] {
  const sign = sort.dir === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = value(a, sort.key);
    const y = value(b, sort.key);
    if (typeof x === 'number' && typeof y === 'number') return (x - y) * sign;
    return String(x).localeCompare(String(y)) * sign;
  });
}
