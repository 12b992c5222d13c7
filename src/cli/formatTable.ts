/** Lays out rows in aligned columns; the first column is left-aligned, others as `alignRight` says. */
export function formatTable(header: string[], rows: string[][], alignRight = false): string[] {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((cells) => cells[column].length)));
  return [header, ...rows].map((cells) =>
    cells
      .map((cell, column) => (column > 0 && alignRight ? cell.padStart(widths[column]) : cell.padEnd(widths[column])))
      .join('  ')
      .trimEnd(),
  );
}
