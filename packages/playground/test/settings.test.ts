import { describe, expect, it } from 'vitest';
import { parseSettings, type RawSettings } from '../src/settings.js';

const GOOD: RawSettings = { model: 'mlp', epochs: '2', batchSize: '64', learningRate: '0.001', hidden: '16, 32', trainImages: '10000' };

describe('parseSettings', () => {
  it('parses valid settings, hidden sizes as a list', () => {
    expect(parseSettings(GOOD)).toEqual({ settings: { model: 'mlp', epochs: 2, batchSize: 64, learningRate: 0.001, hidden: [16, 32], trainImages: 10000 } });
  });

  it('reads the hidden sizes for the MLP only: the CNN has its own layers', () => {
    expect(parseSettings({ ...GOOD, model: 'cnn', hidden: 'x' })).toEqual({ settings: { model: 'cnn', epochs: 2, batchSize: 64, learningRate: 0.001, hidden: [], trainImages: 10000 } });
    expect(parseSettings({ ...GOOD, hidden: 'x' })).toEqual({ errors: { hidden: 'each size must be a whole number, got "x"' } });
    expect(parseSettings({ ...GOOD, model: 'rnn' })).toEqual({ errors: { model: 'must be one of mlp, cnn, got "rnn"' } });
  });

  it('refuses empty and invalid fields, each with its own message', () => {
    const result = parseSettings({ model: 'mlp', epochs: '', batchSize: '0', learningRate: 'fast', hidden: '16,,32', trainImages: '2.5' });
    expect(result).toEqual({
      errors: {
        epochs: 'required',
        batchSize: 'must be between 1 and 4096, got 0',
        learningRate: 'must be a number, got "fast"',
        hidden: 'each size is required (empty entry)',
        trainImages: 'must be a whole number, got "2.5"',
      },
    });
  });

  it('bounds the learning rate to (0, 1] and the training images to the 55,000 not kept for validation', () => {
    const result = parseSettings({ ...GOOD, learningRate: '0', trainImages: '60000' });
    expect(result).toEqual({ errors: { learningRate: 'must be in (0, 1], got 0', trainImages: 'must be between 100 and 55000, got 60000' } });
  });
});
