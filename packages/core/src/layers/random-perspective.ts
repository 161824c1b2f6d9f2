import type { RandomGenerator } from '../random/generator.js';
import { describeValue } from '../util/arguments.js';
import { isConfig, uniform, type Factor } from './factor-range.js';
import { chanceRange, drawChance } from './image-chance.js';
import type { ConfigDict } from './layer.js';
import type { OptionList, OwnOptions } from './layer-options.js';
import { RandomAffine, type RandomAffineConfig } from './random-affine.js';
import { registerClass, type LayerClass } from './registry.js';

type Point = readonly [number, number];

const IDENTITY = [1, 0, 0, 0, 1, 0, 0, 0];

/**
 * The projective map, as a `transform` row [a0..a7], taking each of the four points `from` to
 * the matching point `to`: the 8×8 linear system of the four correspondences solved in float64
 * by Gaussian elimination. Null when the points are degenerate (three in a line).
 */
function homography(from: readonly Point[], to: readonly Point[]): number[] | null {
  const rows = from.flatMap(([x, y], i) => {
    const [u, v] = to[i]!;
    return [[x, y, 1, 0, 0, 0, -u * x, -u * y, u], [0, 0, 0, x, y, 1, -v * x, -v * y, v]];
  });
  for (let col = 0; col < 8; col++) {
    let pivot = col;
    for (let r = col + 1; r < 8; r++) if (Math.abs(rows[r]![col]!) > Math.abs(rows[pivot]![col]!)) pivot = r;
    if (Math.abs(rows[pivot]![col]!) < 1e-12) return null;
    [rows[col], rows[pivot]] = [rows[pivot]!, rows[col]!];
    const top = rows[col]!;
    for (let r = 0; r < 8; r++) {
      if (r === col) continue;
      const ratio = rows[r]![col]! / top[col]!;
      rows[r] = rows[r]!.map((v, c) => v - ratio * top[c]!);
    }
  }
  return rows.map((row, i) => row[8]! / row[i]!);
}

export interface RandomPerspectiveConfig extends RandomAffineConfig {
  /** The chance each image is warped: a range of probabilities within [0, 1], a number f being [0, f] (as Keras's code reads it). Default 1, so [0, 1]. */
  factor?: Factor;
  /** How far the corners move, in [0, 1]: each corner coordinate is scaled by 1 + a draw in [−scale/2, scale/2]. Default 1. */
  scale?: number;
}

/**
 * Keras's RandomPerspective: while training, each image is warped, by chance (`factor`), by the
 * projective map that takes its corners (0, 0), (w − 1, 0), (0, h − 1), (w − 1, h − 1) to
 * those points each coordinate scaled by its own 1 + d, d uniform in [±scale/2]: so the top-left
 * corner stays put, as in Keras. Points outside read `fillValue` (Keras fixes fillMode to
 * 'constant'; here it is the default). This is Keras 3's current RandomPerspective; its first
 * releases warped by an affine map instead, with scale defaulting to 0.3.
 * `new RandomPerspective([1, 1], {scale: 0.3})`.
 */
export class RandomPerspective extends RandomAffine {
  static override readonly className = 'RandomPerspective';
  static override readonly options: OptionList = { factor: true, scale: true } satisfies OwnOptions<RandomPerspectiveConfig, RandomAffineConfig>;
  readonly factor: [number, number];
  readonly scale: number;

  constructor(factor?: Factor | RandomPerspectiveConfig, config: Omit<RandomPerspectiveConfig, 'factor'> = {}) {
    const full: RandomPerspectiveConfig = factor !== undefined && isConfig(factor) ? factor : { ...config, factor };
    super(full, 'constant');
    this.factor = chanceRange('RandomPerspective', full.factor ?? 1);
    const scale: unknown = full.scale ?? 1;
    if (typeof scale !== 'number' || !(scale >= 0 && scale <= 1)) throw new Error(`RandomPerspective: scale must be a number in [0, 1], got ${describeValue(scale)}`);
    this.scale = scale;
  }

  protected draw(batch: number, height: number, width: number, generator: RandomGenerator): number[][] {
    const corners: Point[] = [[0, 0], [width - 1, 0], [0, height - 1], [width - 1, height - 1]];
    const shift: [number, number] = [-this.scale / 2, this.scale / 2];
    return Array.from({ length: batch }, () => {
      const warped = drawChance(generator, this.factor);
      const moved = corners.map(([x, y]): Point => [x * (1 + uniform(generator, shift)), y * (1 + uniform(generator, shift))]);
      // Each output point reads the input where the map from the moved corners back to the
      // corners takes it. Images one pixel wide or high have no such map: they stay as they are.
      return (warped && homography(moved, corners)) || IDENTITY;
    });
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), factor: [...this.factor], scale: this.scale };
  }
}
registerClass(RandomPerspective as LayerClass);
