import { describe, expect, it } from 'vitest';
import { parseArgs } from '../src/args.js';
import { workloadNotes } from '../src/notes.js';

describe('workloadNotes', () => {
  const noteOn = (argv: string[]) => workloadNotes(parseArgs(argv), null, []).filter((note) => note.includes('stepsPerExecution'));

  it('says when Perceptron trains in executions of several steps, and how many', () => {
    expect(noteOn(['--steps-per-execution', '10', '--only', 'lab'])).toEqual([
      'Perceptron\'s models are compiled with stepsPerExecution 10 (--steps-per-execution): fit reads the loss and metrics, and calls the batch callbacks, once per 10 steps.',
    ]);
    expect(noteOn(['--only', 'lab'])).toEqual([]);
    expect(noteOn(['--steps-per-execution', '10', '--stacks', 'tfjs'])).toEqual([]);
  });
});
