import { describe, expect, it } from 'vitest';
import { formatNumber, formatRatio, markdownTable } from '../src/format.js';

describe('formatNumber', () => {
  it('keeps about three significant digits and groups thousands', () => {
    expect(formatNumber(1234567.8)).toBe('1,234,568');
    expect(formatNumber(123.456)).toBe('123');
    expect(formatNumber(12.345)).toBe('12.3');
    expect(formatNumber(1.2345)).toBe('1.23');
    expect(formatNumber(0.12345)).toBe('0.123');
    expect(formatNumber(0.012345)).toBe('0.0123');
    expect(formatNumber(-2.5)).toBe('-2.50');
  });

  it('writes non-finite values as they are', () => {
    expect(formatNumber(NaN)).toBe('NaN');
    expect(formatNumber(Infinity)).toBe('Infinity');
  });
});

describe('formatRatio', () => {
  it('writes two decimals and ×, or a dash when a side is missing', () => {
    expect(formatRatio(3)).toBe('3.00×');
    expect(formatRatio(0.456)).toBe('0.46×');
    expect(formatRatio(null)).toBe('—');
    expect(formatRatio(NaN)).toBe('—');
  });
});

describe('markdownTable', () => {
  it('pads columns to the widest cell, right-aligning where asked', () => {
    const table = markdownTable(['name', 'µs'], [['naive', '2.5'], ['tfjs-wasm', '12.0']], ['left', 'right']);
    expect(table.split('\n')).toEqual([
      '| name      |   µs |',
      '|-----------|-----:|',
      '| naive     |  2.5 |',
      '| tfjs-wasm | 12.0 |',
    ]);
  });

  it('counts × and µ as one character each', () => {
    const lines = markdownTable(['×'], [['1.00×']]).split('\n');
    expect(new Set(lines.map((line) => [...line].length)).size).toBe(1);
  });

  it('escapes pipes inside cells', () => {
    expect(markdownTable(['a'], [['x|y']]).split('\n')[2]).toBe('| x\\|y |');
  });

  it('refuses a row with the wrong number of cells', () => {
    expect(() => markdownTable(['a', 'b'], [['1']])).toThrow(/row 0 has 1 cells, the header has 2/);
  });
});
