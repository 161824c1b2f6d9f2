// A drawing turned into what MNIST's images are: the digit's bounding box scaled (keeping its
// aspect ratio) to fit 20×20 with anti-aliasing, then placed in 28×28 so its centre of mass
// is at the centre, values 0..1 (LeCun et al.'s description of the dataset).

export const SIDE = 28;
const BOX = 20;

/** Grey levels 0..1, row-major. */
export interface Gray {
  width: number;
  height: number;
  data: Float32Array;
}

/** Pixels at or below this are background (the canvas's own anti-aliasing leaves faint edges). */
const INK = 0.05;

function boundingBox(img: Gray): { x0: number; y0: number; x1: number; y1: number } | null {
  let x0 = img.width, y0 = img.height, x1 = -1, y1 = -1;
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      if (img.data[y * img.width + x]! > INK) {
        x0 = Math.min(x0, x); x1 = Math.max(x1, x);
        y0 = Math.min(y0, y); y1 = Math.max(y1, y);
      }
    }
  }
  return x1 < 0 ? null : { x0, y0, x1: x1 + 1, y1: y1 + 1 };
}

/** Area-averaging resample of the source rectangle [sx0,sx1)×[sy0,sy1) to w×h pixels. */
function resample(img: Gray, sx0: number, sy0: number, sx1: number, sy1: number, w: number, h: number): Float32Array {
  const out = new Float32Array(w * h);
  const fx = (sx1 - sx0) / w;
  const fy = (sy1 - sy0) / h;
  for (let ty = 0; ty < h; ty++) {
    const ya = sy0 + ty * fy, yb = ya + fy;
    for (let tx = 0; tx < w; tx++) {
      const xa = sx0 + tx * fx, xb = xa + fx;
      let total = 0;
      for (let y = Math.floor(ya); y < Math.ceil(yb); y++) {
        const wy = Math.min(yb, y + 1) - Math.max(ya, y);
        for (let x = Math.floor(xa); x < Math.ceil(xb); x++) {
          const wx = Math.min(xb, x + 1) - Math.max(xa, x);
          total += wx * wy * img.data[y * img.width + x]!;
        }
      }
      out[ty * w + tx] = total / (fx * fy);
    }
  }
  return out;
}

/** The MNIST-style 28×28 image of a drawing, or null when nothing is drawn. */
export function toMnist(img: Gray): Float32Array | null {
  const box = boundingBox(img);
  if (!box) return null;
  const bw = box.x1 - box.x0, bh = box.y1 - box.y0;
  const scale = BOX / Math.max(bw, bh);
  const w = Math.max(1, Math.round(bw * scale)), h = Math.max(1, Math.round(bh * scale));
  const digit = resample(img, box.x0, box.y0, box.x1, box.y1, w, h);

  let mass = 0, cx = 0, cy = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = digit[y * w + x]!;
      mass += v; cx += v * (x + 0.5); cy += v * (y + 0.5);
    }
  }
  // Shift so the centre of mass lands on the image's centre (14, 14).
  const dx = Math.round(SIDE / 2 - cx / mass), dy = Math.round(SIDE / 2 - cy / mass);
  const out = new Float32Array(SIDE * SIDE);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const ox = x + dx, oy = y + dy;
      if (ox >= 0 && ox < SIDE && oy >= 0 && oy < SIDE) out[oy * SIDE + ox] = Math.min(1, digit[y * w + x]!);
    }
  }
  return out;
}
