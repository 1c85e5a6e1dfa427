import type { ReactNode } from 'react';
import { cx } from '../lib/cx';
import styles from './table.module.css';

/**
 * A data table: a caption (visible, or only for screen readers), column headers with
 * `scope="col"`, sortable headers as buttons with `aria-sort`, and on a phone each row stacks
 * into label/value pairs (every cell carries its column's label). Rows are reached with Tab
 * through the links and buttons they hold.
 */
export interface Column<Row> {
  key: string;
  header: ReactNode;
  /** The label a stacked (phone) row shows beside the value; the header when it is text. */
  label?: string;
  cell: (row: Row) => ReactNode;
  sortable?: boolean;
  align?: 'start' | 'end';
  /** Hidden on a phone (secondary detail). */
  wideOnly?: boolean;
}

export interface TableProps<Row> {
  caption: ReactNode;
  hideCaption?: boolean;
  columns: Column<Row>[];
  rows: Row[];
  rowKey: (row: Row) => string;
  sort?: { key: string; direction: 'ascending' | 'descending' };
  onSort?: (key: string) => void;
  /** Shown in place of the rows when there are none. */
  empty?: ReactNode;
}

export function Table<Row>({ caption, hideCaption, columns, rows, rowKey, sort, onSort, empty }: TableProps<Row>) {
  return (
    <div className={styles.scroller}>
      <table className={styles.table}>
        <caption className={hideCaption ? 'visually-hidden' : styles.caption}>{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => {
              const sorted = sort?.key === column.key ? sort.direction : undefined;
              return (
                <th key={column.key} scope="col" aria-sort={column.sortable ? (sorted ?? 'none') : undefined} className={cx(column.align === 'end' && styles.end, column.wideOnly && styles.wideOnly)}>
                  {column.sortable && onSort ? (
                    <button type="button" className={styles.sort} onClick={() => onSort(column.key)}>
                      {column.header}
                      <span aria-hidden="true">{sorted === 'ascending' ? ' ▲' : sorted === 'descending' ? ' ▼' : ' ↕'}</span>
                    </button>
                  ) : (
                    column.header
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && empty ? (
            <tr>
              <td colSpan={columns.length} className={styles.emptyCell}>
                {empty}
              </td>
            </tr>
          ) : (
            rows.map((row) => (
              <tr key={rowKey(row)}>
                {columns.map((column) => (
                  <td
                    key={column.key}
                    data-label={column.label ?? (typeof column.header === 'string' ? column.header : '')}
                    className={cx(column.align === 'end' && styles.end, column.wideOnly && styles.wideOnly)}
                  >
                    {column.cell(row)}
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
