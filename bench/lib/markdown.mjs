// Markdown tables, padded so that they read well in a terminal too.

/**
 * @param {string[]} headers
 * @param {string[][]} rows
 * @param {('left'|'right')[]} align one per column
 */
export function markdownTable(headers, rows, align) {
  const widths = headers.map((header, column) =>
    Math.max(3, header.length, ...rows.map((row) => row[column].length)),
  );
  const line = (cells) =>
    `| ${cells
      .map((cell, column) =>
        align[column] === 'right' ? cell.padStart(widths[column]) : cell.padEnd(widths[column]),
      )
      .join(' | ')} |`;
  const rule = widths.map((width, column) =>
    align[column] === 'right' ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width),
  );
  return [line(headers), `| ${rule.join(' | ')} |`, ...rows.map(line)].join('\n');
}
