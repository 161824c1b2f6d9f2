/** How many of an SVG's paths (Vega draws each rect as one) have each fill, spelt as Vega wrote it. */
export function pathFillCounts(svg: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [, fill] of svg.matchAll(/<path [^>]*fill="([^"]+)"/g)) counts.set(fill!, (counts.get(fill!) ?? 0) + 1);
  return counts;
}
