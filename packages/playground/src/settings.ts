// The training form's values, checked before anything trains: each bad field gets a message.

/** The lab's MLP (its hidden sizes from the form) or demo:cnn's small CNN. */
export const MODELS = ['mlp', 'cnn'] as const;
export type ModelKind = (typeof MODELS)[number];

export interface Settings {
  model: ModelKind;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** The MLP's hidden layer sizes; empty for the CNN, which has its own layers. */
  hidden: number[];
  /** How many of the first 55,000 training images to train on (the last 5,000 validate). */
  trainImages: number;
}

export type SettingsField = keyof Settings;
export type RawSettings = Record<SettingsField, string>;

/** The lab keeps the last 5,000 of MNIST's 60,000 training images for validation. */
export const MAX_TRAIN_IMAGES = 55_000;

function integer(raw: string, min: number, max: number): number | string {
  if (raw.trim() === '') return 'required';
  const n = Number(raw);
  if (!Number.isInteger(n)) return `must be a whole number, got "${raw.trim()}"`;
  if (n < min || n > max) return `must be between ${min} and ${max}, got ${n}`;
  return n;
}

function learningRate(raw: string): number | string {
  if (raw.trim() === '') return 'required';
  const n = Number(raw);
  if (!Number.isFinite(n)) return `must be a number, got "${raw.trim()}"`;
  if (n <= 0 || n > 1) return `must be in (0, 1], got ${n}`;
  return n;
}

function hiddenSizes(raw: string): number[] | string {
  if (raw.trim() === '') return 'required: one or more layer sizes, e.g. "16, 32"';
  const sizes: number[] = [];
  for (const part of raw.split(',')) {
    const size = integer(part, 1, 2048);
    if (typeof size === 'string') return `each size ${size === 'required' ? 'is required (empty entry)' : size}`;
    sizes.push(size);
  }
  return sizes;
}

/** The parsed settings, or a message per invalid field (the hidden sizes are read for the MLP only). */
export function parseSettings(raw: RawSettings): { settings: Settings } | { errors: Partial<Record<SettingsField, string>> } {
  const model = (MODELS as readonly string[]).includes(raw.model) ? (raw.model as ModelKind) : null;
  const parsed = {
    epochs: integer(raw.epochs, 1, 100),
    batchSize: integer(raw.batchSize, 1, 4096),
    learningRate: learningRate(raw.learningRate),
    hidden: model === 'cnn' ? [] : hiddenSizes(raw.hidden),
    trainImages: integer(raw.trainImages, 100, MAX_TRAIN_IMAGES),
  };
  const errors = Object.fromEntries(Object.entries(parsed).filter(([, v]) => typeof v === 'string')) as Partial<Record<SettingsField, string>>;
  if (model === null) errors.model = `must be one of ${MODELS.join(', ')}, got "${raw.model}"`;
  if (Object.keys(errors).length > 0) return { errors };
  return { settings: { model: model!, ...parsed } as Settings };
}
