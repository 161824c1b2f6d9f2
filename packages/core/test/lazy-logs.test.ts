import { describe, expect, it } from 'vitest';
import { lazyLogs } from '../src/models/lazy-logs.js';

describe('lazyLogs', () => {
  it('reads each value when first looked at, once, and then holds it', () => {
    const reads: string[] = [];
    let accuracy = 0.5;
    const logs = lazyLogs([['accuracy', () => (reads.push('accuracy'), accuracy)], ['loss', () => (reads.push('loss'), 0.25)]]);
    expect(reads).toEqual([]);
    expect(Object.keys(logs)).toEqual(['accuracy', 'loss']);
    expect(reads).toEqual([]);
    expect(logs.accuracy).toBe(0.5);
    accuracy = 0.75;
    expect(logs.accuracy).toBe(0.5);
    expect({ ...logs }).toEqual({ accuracy: 0.5, loss: 0.25 });
    expect(JSON.stringify(logs)).toBe('{"accuracy":0.5,"loss":0.25}');
    expect(reads).toEqual(['accuracy', 'loss']);
  });

  it('takes new keys and new values like any logs, without reading what it replaces', () => {
    let read = false;
    const logs = lazyLogs([['loss', () => ((read = true), 1)]]);
    logs.loss = 2;
    logs.learning_rate = 0.001;
    expect({ ...logs }).toEqual({ loss: 2, learning_rate: 0.001 });
    delete logs.loss;
    expect(Object.keys(logs)).toEqual(['learning_rate']);
    expect(read).toBe(false);
  });
});
