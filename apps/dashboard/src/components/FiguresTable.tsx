import type { ReactNode } from 'react';

export interface FiguresColumn<Row> {
  heading: string;
  /** Explains the heading on hover, when the heading alone could be misread. */
  hint?: string;
  /** Figures are right-aligned, so that their digits line up. */
  numeric?: boolean;
  render: (row: Row) => ReactNode;
}

interface FiguresTableProps<Row> {
  columns: FiguresColumn<Row>[];
  rows: Row[];
  rowKey: (row: Row) => string;
  testId?: string;
}

/** A table of figures, one row per segment, complexity level or weights source. */
export function FiguresTable<Row>({ columns, rows, rowKey, testId }: FiguresTableProps<Row>) {
  return (
    <div className="table-scroll">
      <table className="figures-table" data-testid={testId}>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.heading} className={column.numeric ? 'numeric' : undefined} title={column.hint}>
                {column.heading}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((column) => (
                <td key={column.heading} className={column.numeric ? 'numeric' : undefined}>
                  {column.render(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
