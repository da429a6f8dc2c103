/**
 * What every subcommand of the `databento-node` command shares: data goes to
 * stdout, messages to stderr, a failure prints its error `code` and exits
 * non-zero, a closed stdout (`| head`) is success, and the API key comes from
 * `DATABENTO_API_KEY` and is never printed.
 * @internal
 * @module
 */
import { Command, CommanderError, InvalidArgumentError as OptionValueError } from 'commander';
import { DatabentoError } from '../errors.js';
import { packageVersion } from '../historical/version.js';

let stdoutClosed = false;

/** A subcommand module: adds its command (options, help, action) to the program. */
export interface CommandModule {
  register(program: Command): void;
}

/** Exit status of a failed command. */
export const EXIT_FAILURE = 1;
/** Exit status of a command line that could not be parsed (unknown option, missing argument). */
export const EXIT_USAGE = 2;

/** A failure of the command line itself, e.g. a missing API key or an unreadable input file. */
export class CliError extends DatabentoError {}

/** Writes data to stdout; resolves once stdout can take more (backpressure). */
export function writeOut(data: string | Uint8Array): Promise<void> {
  if (stdoutClosed) return Promise.resolve();
  if (process.stdout.write(data)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      process.stdout.off('drain', done);
      process.stdout.off('close', done);
      resolve();
    };
    process.stdout.once('drain', done);
    process.stdout.once('close', done);
  });
}

/** Whether stdout's reader has gone (EPIPE): commands may stop producing data. */
export function stdoutGone(): boolean {
  return stdoutClosed;
}

/** Prints a line for people (progress, notes, errors) on stderr; never data. */
export function message(text: string): void {
  process.stderr.write(redactKey(text.endsWith('\n') ? text : `${text}\n`));
}

/** The API key from `DATABENTO_API_KEY`; a {@link CliError} `NO_API_KEY` when unset. */
export function apiKey(): string {
  const key = process.env['DATABENTO_API_KEY'];
  if (!key) throw new CliError('set DATABENTO_API_KEY to your API key (or run `databento-node mock` for a local one)', 'NO_API_KEY');
  return key;
}

/** Removes the API key of the environment from text meant for a terminal, should any part of the library echo it. */
export function redactKey(text: string): string {
  const key = process.env['DATABENTO_API_KEY'];
  if (!key || key.length < 4) return text;
  return text.split(key).join('<API key>');
}

/**
 * Prints an error as `databento-node: <CODE>: <message>` on stderr and sets
 * the exit status: the library's errors carry their own `code`, anything else
 * is `INTERNAL`.
 */
export function reportError(err: unknown): void {
  const code = err instanceof DatabentoError || hasStringCode(err) ? err.code : 'INTERNAL';
  const text = err instanceof Error ? err.message : String(err);
  message(`databento-node: ${code}: ${text}`);
  if (process.env['DATABENTO_DEBUG_CLI'] && err instanceof Error && err.stack) message(err.stack);
  process.exitCode = EXIT_FAILURE;
}

function hasStringCode(err: unknown): err is { code: string } {
  return typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string';
}

/**
 * Wraps a command's action: a thrown or rejected error is reported with its
 * code and a non-zero exit status instead of an unhandled-rejection trace.
 */
export function action<A extends unknown[]>(fn: (...args: A) => unknown): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (err) {
      if (isEpipe(err)) return;
      reportError(err);
    }
  };
}

/**
 * An option parser for integers from `min` to `max`
 * (`.option('--port <n>', 'port', integerOption(1, 65535))`); a bad value is a
 * usage error.
 */
export function integerOption(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new OptionValueError(`expected an integer from ${min} to ${max}, got '${value}'`);
    }
    return n;
  };
}

/** An option parser for counts (whole numbers ≥ 1); a bad value is a usage error. */
export function wholeNumber(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new OptionValueError('must be a whole number ≥ 1');
  return n;
}

/** An option parser for amounts of US dollars (≥ 0); a bad value is a usage error. */
export function usd(text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0) throw new OptionValueError('must be an amount of US dollars ≥ 0');
  return n;
}

/** Resolves on the first Ctrl-C (SIGINT) or SIGTERM; a second one exits at once. */
export function interrupted(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.once('SIGINT', () => process.exit(130));
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

function isEpipe(err: unknown): boolean {
  return hasStringCode(err) && err.code === 'EPIPE';
}

/**
 * The program with every subcommand of `commands` registered, ready to parse.
 * Usage errors (unknown option, missing argument) exit with {@link EXIT_USAGE}
 * and the code `USAGE`; `--help` and `--version` exit 0.
 */
export function createProgram(commands: readonly CommandModule[]): Command {
  const program = new Command('databento-node')
    .description('Databento market data from the command line: files, historical and live data, and local mocks to try it without an account.')
    .version(packageVersion(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ outputError: (text, write) => write(`databento-node: USAGE: ${text.replace(/^error: /, '')}`) })
    .exitOverride((err: CommanderError) => {
      process.exit(err.exitCode === 0 ? 0 : EXIT_USAGE);
    });
  for (const command of commands) command.register(program);
  return program;
}

/** Runs the command line: stdout's EPIPE is success, every failure is reported with its code. */
export async function main(commands: readonly CommandModule[], argv: readonly string[] = process.argv): Promise<void> {
  process.stdout.on('error', (err) => {
    if (isEpipe(err)) {
      // The reader went away (`| head`): what it wanted, it has.
      stdoutClosed = true;
      process.exit(process.exitCode ?? 0);
    }
    reportError(err);
  });
  try {
    await createProgram(commands).parseAsync(argv as string[]);
  } catch (err) {
    reportError(err);
  }
}
