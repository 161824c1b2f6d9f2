import type { VegaLiteSpec } from './render.js';

/**
 * How an image's values in [0, 1] become colours. Images given the same object share one
 * Vega-Lite colour scale (and legend); different objects get independent ones.
 */
export interface ColourScale {
  /** A Vega colour scheme's name (e.g. 'viridis'), or the colours of 0 and 1 with a ramp between. */
  colours: string | readonly [string, string];
  /** The colour of NaN pixels (e.g. masked cells), best one `colours` never reach; without it they are left out. */
  missing?: string;
  /** The legend's title; without one the scale has no legend. */
  legend?: string;
}

/** 0 black, 1 white: the lab's `imshow(x, cmap="gray")`. */
export const GREY_LEVELS: ColourScale = { colours: ['black', 'white'] };

/** One image to draw: rows × cols values in [0, 1], with a caption. */
export interface DigitImage {
  pixels: ArrayLike<number>;
  /** GREY_LEVELS unless given. */
  scale?: ColourScale;
  caption?: string;
  /** Draws the caption in red (e.g. a wrong prediction). */
  highlight?: boolean;
}

export interface DigitGridOptions {
  rows: number;
  cols: number;
  /** Images per line of the grid. */
  columns: number;
  title?: string;
  /** Size of one image in pixels before rasterising. */
  cellSize?: number;
}

type Pixel = { x: number; y: number; v: number };

/** The rects of the pixels drawn with `scale`, in the grid's units. */
function pixelLayer(pixels: readonly Pixel[], scale: ColourScale, x: object, y: object): object {
  const { colours, missing, legend } = scale;
  const color = {
    field: 'v',
    type: 'quantitative',
    legend: legend ? { title: legend } : null,
    scale: { domain: [0, 1], ...(typeof colours === 'string' ? { scheme: colours } : { range: colours }) },
  };
  return {
    data: { values: pixels },
    transform: [{ calculate: 'datum.x + 1', as: 'x2' }, { calculate: 'datum.y + 1', as: 'y2' }],
    // Vega-Lite leaves out rects whose colour value is NaN; 'show' keeps them for the condition to paint.
    mark: { type: 'rect', strokeWidth: 0, ...(missing ? { invalid: 'show' } : {}) },
    encoding: {
      x: { field: 'x', ...x },
      x2: { field: 'x2' },
      y: { field: 'y', ...y },
      y2: { field: 'y2' },
      color: missing ? { condition: { test: 'isNaN(datum.v)', value: missing }, ...color } : color,
    },
  };
}

/**
 * A grid of images (the lab's `plt.subplot(5,5,i+1); plt.imshow(x, cmap="gray")`), each in its
 * colour scale, one pixel = one rect, no axes. The layout is computed here in pixel units on one
 * view: Vega-Lite's wrapped facets always print a header label per cell.
 */
export function digitGridSpec(images: readonly DigitImage[], options: DigitGridOptions): VegaLiteSpec {
  const { rows, cols, columns, cellSize = 84 } = options;
  const hasCaptions = images.some((img) => img.caption);
  const gap = Math.max(1, Math.round(cols / 14));
  // Captions are wider than an image, so captioned grids get wide gaps between columns.
  const gapX = hasCaptions ? Math.round(cols / 2) : gap;
  const captionBand = hasCaptions ? Math.round(rows * 0.3) : 0;
  const cellW = cols + gapX;
  const cellH = rows + gap + captionBand;
  const gridRows = Math.ceil(images.length / columns);
  const unitsW = columns * cellW - gapX;
  const unitsH = gridRows * cellH - gap;
  const pixelsByScale = new Map<ColourScale, Pixel[]>();
  const captions: { x: number; y: number; text: string; highlight: boolean }[] = [];
  images.forEach((img, image) => {
    if (img.pixels.length !== rows * cols) {
      throw new Error(`digitGridSpec: image ${image} has ${img.pixels.length} pixels, expected ${rows}×${cols} = ${rows * cols}`);
    }
    const left = (image % columns) * cellW;
    const top = Math.floor(image / columns) * cellH + captionBand;
    const scale = img.scale ?? GREY_LEVELS;
    const pixels = pixelsByScale.get(scale) ?? [];
    pixelsByScale.set(scale, pixels);
    for (let k = 0; k < rows * cols; k++) pixels.push({ x: left + (k % cols), y: top + Math.floor(k / cols), v: img.pixels[k]! });
    if (img.caption) captions.push({ x: left + cols / 2, y: top - 1, text: img.caption, highlight: img.highlight ?? false });
  });
  const unit = cellSize / cols;
  const x = { type: 'quantitative', axis: null, scale: { domain: [0, unitsW], nice: false, zero: false } };
  const y = { type: 'quantitative', axis: null, scale: { domain: [0, unitsH], nice: false, zero: false, reverse: true } };
  const layer = [...pixelsByScale].map(([scale, pixels]) => pixelLayer(pixels, scale, x, y));
  if (captions.length > 0) {
    layer.push({
      data: { values: captions },
      mark: { type: 'text', fontSize: 13, baseline: 'bottom' },
      encoding: {
        x: { field: 'x', ...x },
        y: { field: 'y', ...y },
        text: { field: 'text' },
        color: { condition: { test: 'datum.highlight', value: '#c0392b' }, value: 'black' },
      },
    });
  }
  return {
    ...(options.title ? { title: { text: options.title, fontSize: 16 } } : {}),
    width: Math.round(unitsW * unit),
    height: Math.round(unitsH * unit),
    layer,
    resolve: { scale: { color: 'independent' } },
    config: { view: { stroke: null } },
  } as VegaLiteSpec;
}
