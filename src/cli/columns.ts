import { oneLine, terminalSafe } from '../util/text.js';

/**
 * Rows as lines of aligned columns, three spaces apart, as `ollama` prints its tables.
 * Cells are cleaned before they are measured, so a server's text cannot break the columns.
 */
export function formatColumns(rows: readonly (readonly string[])[]): string[] {
  const clean = rows.map((row) => row.map((cell) => oneLine(terminalSafe(cell))));
  const widths = (clean[0] ?? []).map((_cell, column) =>
    Math.max(...clean.map((row) => row[column].length)),
  );
  return clean.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]))
      .join('   ')
      .trimEnd(),
  );
}
