// Checks for constructor arguments, shared so every error reads the same way:
// "<owner>: <argument> must be <expected>, got <given>".

import { isPlainObject } from './plain-object.js';

/** A condition a numeric argument must meet, and how error messages describe it. */
export type Requirement = readonly [expected: string, holds: (value: number) => boolean];

export const POSITIVE: Requirement = ['a positive number', (x) => x > 0];
export const NON_NEGATIVE: Requirement = ['a non-negative number', (x) => x >= 0];
export const NON_NEGATIVE_INTEGER: Requirement = ['a non-negative integer', (x) => x >= 0 && Number.isInteger(x)];
export const FINITE: Requirement = ['a finite number', () => true];
export const INTEGER: Requirement = ['an integer', (x) => Number.isInteger(x)];
export const POSITIVE_INTEGER: Requirement = ['a positive integer', (x) => x > 0 && Number.isInteger(x)];
export const UNIT_INTERVAL: Requirement = ['in [0, 1]', (x) => x >= 0 && x <= 1];
export const UNIT_INTERVAL_BELOW_ONE: Requirement = ['in [0, 1)', (x) => x >= 0 && x < 1];
export const UNIT_INTERVAL_ABOVE_ZERO: Requirement = ['in (0, 1]', (x) => x > 0 && x <= 1];

/** How an argument is shown in an error: strings, arrays and object literals as JSON, the rest as they print. */
export function describeValue(value: unknown): string {
  return typeof value === 'string' || Array.isArray(value) || isPlainObject(value) ? JSON.stringify(value) : String(value);
}

/** `value` if it is a finite number meeting `requirement`; otherwise an error naming `owner` and `argument`. */
export function numberArgument(owner: string, argument: string, value: unknown, [expected, holds]: Requirement): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !holds(value)) {
    throw new Error(`${owner}: ${argument} must be ${expected}, got ${describeValue(value)}`);
  }
  return value;
}

/** Throws, naming `owner` and `argument`, unless `value` is a function: at call time, not when it is first called. */
export function checkFunction(owner: string, argument: string, value: unknown): void {
  if (typeof value !== 'function') throw new Error(`${owner}: ${argument} must be a function, got ${describeValue(value)}`);
}

/** `value`, or `fallback` when absent; anything but a boolean is an error. */
export function booleanArgument(owner: string, argument: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new Error(`${owner}: ${argument} must be true or false, got ${describeValue(value)}`);
  return value;
}
