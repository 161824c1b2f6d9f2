// The browser run as parity-report material: a per-op column for tfjs-webgl, and the lines
// stating what precision WebGL had and how each backend fared in Chromium.
import type { BrowserConformanceReport, MaxError } from './results.js';

/** One op's cell, the shape parity.ts tabulates. */
export interface BrowserCell {
  cases: number;
  failed: string[];
  forward: MaxError;
  gradient: MaxError | null;
}

const widen = (a: MaxError | null, b: MaxError | null): MaxError | null =>
  (b === null ? a : { abs: Math.max(a?.abs ?? 0, b.abs), rel: Math.max(a?.rel ?? 0, b.rel) });

/** Per op, the largest errors `backend` showed in the browser run. */
export function browserColumn(report: BrowserConformanceReport, backend: string): Map<string, BrowserCell> {
  const cells = new Map<string, BrowserCell>();
  const run = report.runs.find((r) => r.backend === backend);
  for (const c of run?.results ?? []) {
    const cell = cells.get(c.op) ?? { cases: 0, failed: [], forward: { abs: 0, rel: 0 }, gradient: null };
    cells.set(c.op, cell);
    cell.cases++;
    if (!c.pass) cell.failed.push(`${c.id}: ${c.messages.filter((m) => !m.endsWith(': ok')).join('; ')}`);
    cell.forward = widen(cell.forward, c.forward)!;
    cell.gradient = widen(cell.gradient, c.gradient);
  }
  return cells;
}

/** Markdown lines: the measured WebGL precision and the per-backend counts in Chromium. */
export function browserSummary(report: BrowserConformanceReport): string[] {
  const webgl = report.webgl;
  const precision = 'unavailable' in webgl
    ? [`- tfjs-webgl could not run: ${webgl.unavailable}`]
    : [
      `- Renderer: ${webgl.renderer}`,
      `- tfjs flags: ${Object.entries(webgl.tfjsFlags).map(([k, v]) => `\`${k}=${v}\``).join(', ')}`,
      `- Fragment shader highp float: ${webgl.fragmentHighp.precision}-bit mantissa, exponent range ±${webgl.fragmentHighp.rangeMax}`,
      `- Measured: 1 + 2^-k survives a tfjs-webgl add up to k = ${webgl.measuredMantissaBits}, so u = 2^-${webgl.measuredMantissaBits + 1} = ${webgl.unitRoundoff.toExponential(2)}; backend floatPrecision ${webgl.floatPrecision}`,
      '- WebGL bounds: src/tolerances.ts\' `webgl` column (multiples of u), re-derived for the measured u.',
    ];
  return [
    `Chromium: ${report.userAgent}`,
    '',
    ...precision,
    '',
    ...report.runs.map((r) => (r.skipped !== null
      ? `- ${r.backend}: skipped: ${r.skipped}`
      : `- ${r.backend}: ${r.results.filter((c) => c.pass).length}/${r.results.length} cases pass (${r.seconds.toFixed(1)} s)`)),
  ];
}
