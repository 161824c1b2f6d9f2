/** The graph input's default name. */
export const DEFAULT_INPUT_NAME = 'input';
/** The graph output's default name. */
export const DEFAULT_OUTPUT_NAME = 'output';
/** The symbolic name of the batch dimension, first in the input and output shapes. */
export const BATCH_DIM = 'batch';
