import type { ReactNode } from 'react';
import type { Column } from '@web/components';

/** A table's last column of row buttons: no visible header, "Actions" as the label of a stacked (phone) row. */
export const actionsColumn = <Row,>(cell: (row: Row) => ReactNode): Column<Row> => ({
  key: 'actions',
  header: <span className="visually-hidden">Actions</span>,
  label: 'Actions',
  cell,
});
