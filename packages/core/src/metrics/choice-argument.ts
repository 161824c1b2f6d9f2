import { describeValue } from '../util/arguments.js';

/** The member of `choices` that `value` spells, in any case; otherwise an error naming `owner`, `argument` and the choices. */
export function choiceArgument<T extends string>(owner: string, argument: string, value: unknown, choices: readonly T[]): T {
  const match = choices.find((choice) => typeof value === 'string' && choice.toLowerCase() === value.toLowerCase());
  if (match === undefined) throw new Error(`${owner}: ${argument} must be one of ${choices.map((c) => `'${c}'`).join(', ')}, got ${describeValue(value)}`);
  return match;
}
