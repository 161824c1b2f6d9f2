import { IdxFormatError } from '../mnist/idx-format.js';
import { UsageError } from './flags.js';
import { OutputPathError } from './output-path.js';

export type ParsedCommand<T> = { kind: 'help' } | { kind: 'run'; options: T };

/** A command line tool: parse argv (UsageError on a bad command line), then run. */
export interface Command<T> {
  usage: string;
  parse(argv: readonly string[]): ParsedCommand<T>;
  run(options: T): Promise<void>;
}

/** The command-line flag of a lab option: exportOnnx → --export-onnx. */
function flagOf(option: string): string {
  return `--${option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

function usageFailure(message: string, usage: string): number {
  console.error(`error: ${message}\n`);
  console.error(usage);
  return 2;
}

/**
 * Runs `command`. Exit status: 0 on success; 2 on a bad command line, including a --backend, --out or
 * --export-onnx that cannot be used here (usage printed); 1 when the MNIST files are broken.
 */
export async function runCommand<T>(argv: readonly string[], command: Command<T>): Promise<number> {
  let parsed: ParsedCommand<T>;
  try {
    parsed = command.parse(argv);
  } catch (error) {
    if (error instanceof UsageError) return usageFailure(error.message, command.usage);
    throw error;
  }
  if (parsed.kind === 'help') {
    console.log(command.usage);
    return 0;
  }
  try {
    await command.run(parsed.options);
    return 0;
  } catch (error) {
    // Loaded only now, so --help and bad flags answer at once, without loading the backends.
    const { BackendUnavailableError } = await import('../backends.js');
    if (error instanceof BackendUnavailableError) return usageFailure(`--backend: ${error.message}`, command.usage);
    if (error instanceof OutputPathError) return usageFailure(`${flagOf(error.option)}: ${error.message}`, command.usage);
    if (error instanceof IdxFormatError) {
      // broken data files: not a command-line problem, so no usage
      console.error(`error: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
