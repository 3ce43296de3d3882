/**
 * A `data-table`: named by a visually hidden caption (or an aria-label), one row of column headings,
 * then the rows the caller renders. With `scroll` it sits in a horizontally scrolling box
 * (`'panel'`: one with the panel's frame), focusable so that a keyboard can scroll it.
 */
import type { ReactNode } from 'react';

/** A heading: its text, or its text for screen readers only (an actions column), or a class for it. */
export type DataColumn = string | { label: string; hidden?: boolean; className?: string };

export interface DataTableProps {
  /** The table's name, as a visually hidden caption. */
  caption?: ReactNode;
  /** The table's name as an aria-label, where it has no caption. */
  label?: string;
  /** The headings; or `head`, the heading row's cells as the caller renders them (sortable headings). */
  columns?: readonly DataColumn[];
  head?: ReactNode;
  /** Classes besides `data-table`. */
  className?: string;
  scroll?: boolean | 'panel';
  testId?: string;
  /** The body rows. */
  children: ReactNode;
}

function Heading({ column }: { column: DataColumn }) {
  const { label, hidden = false, className } = typeof column === 'string' ? { label: column } : column;
  return (
    <th scope="col" className={className}>
      {hidden ? <span className="visually-hidden">{label}</span> : label}
    </th>
  );
}

export function DataTable({
  caption,
  label,
  columns = [],
  head,
  className,
  scroll = false,
  testId,
  children,
}: DataTableProps) {
  const table = (
    <table className={className ? `data-table ${className}` : 'data-table'} aria-label={label} data-testid={testId}>
      {caption !== undefined ? <caption className="visually-hidden">{caption}</caption> : null}
      <thead>
        <tr>{head ?? columns.map((c) => <Heading key={typeof c === 'string' ? c : c.label} column={c} />)}</tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
  if (!scroll) return table;
  // A box that may scroll sideways (a narrow window) is a named group a keyboard can reach and scroll.
  return (
    <div
      className={scroll === 'panel' ? 'table-scroll panel' : 'table-scroll'}
      role="group"
      aria-label={label ?? (typeof caption === 'string' ? caption : undefined)}
      tabIndex={0}
    >
      {table}
    </div>
  );
}
