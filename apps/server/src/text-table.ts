/**
 * Rows of cells as aligned plain text for a terminal. Text columns are left-aligned; the numeric ones
 * (by default every column but the first) are right-aligned, so numbers line up on their last digit.
 */
export function formatTable(
  rows: readonly (readonly string[])[],
  isNumeric: (column: number) => boolean = (column) => column > 0,
): string {
  const widths = (rows[0] ?? []).map((_, column) =>
    Math.max(...rows.map((row) => (row[column] ?? '').length)),
  );
  return rows
    .map((row) =>
      row
        .map((cell, column) =>
          isNumeric(column) ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0),
        )
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
