// Drives the command-line tools the way the tests need: a parser's options or its UsageError,
// and a script run as its own process.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'vitest';
import { UsageError } from '../src/lab/flags.js';
import type { ParsedCommand } from '../src/lab/command.js';

export const NOW = new Date('2024-03-05T07:08:09.123Z');
export const CWD = '/work/dir';

type Parser<T> = (argv: readonly string[], now: Date, cwd: string) => ParsedCommand<T>;

/** The options `parse` gives for `argv` at NOW in CWD. */
export function optionsOf<T>(parse: Parser<T>, argv: string[]): T {
  const parsed = parse(argv, NOW, CWD);
  if (parsed.kind !== 'run') throw new Error(`${parse.name}(${JSON.stringify(argv)}): expected options, got --help`);
  return parsed.options;
}

/** The message of the UsageError `parse` throws for `argv`. */
export function usageErrorOf<T>(parse: Parser<T>, argv: string[]): string {
  try {
    parse(argv, NOW, CWD);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`${parse.name}(${JSON.stringify(argv)}) did not throw`);
}

/**
 * Runs `script` (a path inside this package) from its sources, so tests need no build (npm's
 * scripts run the compiled one). `initCwd`: where the command was typed, as npm passes it.
 */
export function runScript(script: string, args: string[], initCwd?: string): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', script, ...args], {
    cwd: join(import.meta.dirname, '..'),
    encoding: 'utf8',
    env: initCwd === undefined ? process.env : { ...process.env, INIT_CWD: initCwd },
  });
}
