import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export type VegaLiteSpec = TopLevelSpec;

// resvg draws text with the fonts it finds; naming one family keeps Vega's measurements
// (done with the same name) and the raster in agreement on any machine with DejaVu.
const FONT = 'DejaVu Sans';

/** Renders a Vega-Lite spec headless to SVG (no browser, no canvas package). */
export async function vegaLiteToSvg(spec: VegaLiteSpec): Promise<string> {
  const withFont = {
    ...spec,
    config: { font: FONT, background: 'white', ...(spec.config ?? {}) },
  } as TopLevelSpec;
  const view = new vega.View(vega.parse(compile(withFont).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Rasterises SVG to PNG at `scale` times its size. */
export function svgToPng(svg: string, scale = 2): Uint8Array {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: FONT, sansSerifFamily: FONT },
  });
  return resvg.render().asPng();
}

/** Renders a Vega-Lite chart headless and rasterises it to PNG at `scale` times its size. */
export async function vegaLiteToPng(spec: VegaLiteSpec, scale = 2): Promise<Uint8Array> {
  return svgToPng(await vegaLiteToSvg(spec), scale);
}
