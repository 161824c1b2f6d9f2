/** Number and table formatting for the printed report. */

/** About three significant digits, thousands grouped: 0.0123, 1.23, 12.3, 1,234. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  const digits = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : magnitude >= 0.1 ? 3 : 4;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** `ratio` as "3.10×"; '—' when either side is missing. */
export function formatRatio(ratio: number | null): string {
  return ratio === null || !Number.isFinite(ratio) ? '—' : `${ratio.toFixed(2)}×`;
}

export type Align = 'left' | 'right';

/** A GitHub markdown table whose columns are padded to line up in a terminal too. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[], align: readonly Align[] = []): string {
  const bad = rows.findIndex((row) => row.length !== header.length);
  if (bad >= 0) throw new Error(`markdownTable: row ${bad} has ${rows[bad]!.length} cells, the header has ${header.length}`);
  const escape = (cell: string): string => cell.replace(/\|/g, '\\|');
  const cells = [header, ...rows].map((row) => row.map(escape));
  // Characters, not UTF-16 units, so '×' and 'µ' count once.
  const width = (s: string): number => [...s].length;
  const widths = header.map((_, c) => Math.max(3, ...cells.map((row) => width(row[c]!))));
  const pad = (cell: string, c: number): string => {
    const fill = ' '.repeat(widths[c]! - width(cell));
    return align[c] === 'right' ? fill + cell : cell + fill;
  };
  const line = (row: readonly string[]): string => `| ${row.map(pad).join(' | ')} |`;
  const rule = `|${widths.map((w, c) => (align[c] === 'right' ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(cells[0]!), rule, ...cells.slice(1).map(line)].join('\n');
}
