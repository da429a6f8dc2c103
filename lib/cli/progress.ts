/**
 * Progress bars of the `databento-node` command, drawn with `cli-progress`
 * on stderr, and only when stderr is a terminal: in a pipe or a log file
 * they would only be noise.
 * @internal
 * @module
 */
import cliProgress from 'cli-progress';

/** One progress bar; every method does nothing when stderr is not a terminal. */
export interface Progress {
  /** Sets the amount done so far, and optionally a new total. */
  update(done: number, total?: number): void;
  /** Removes the bar (the final figures are printed as a message by the caller). */
  stop(): void;
}

const quiet: Progress = { update: () => undefined, stop: () => undefined };

/** A bar of `total` `unit`s (`'records'`, `'bytes'`) on stderr when it is a terminal. */
export function progressBar(total: number, unit: 'records' | 'bytes'): Progress {
  if (!process.stderr.isTTY) return quiet;
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: unit === 'bytes' ? '{bar} {percentage}% | {done} of {size}' : '{bar} {percentage}% | {value}/{total} records',
      hideCursor: true,
      clearOnComplete: true,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  const sizes = (done: number, all: number) => (unit === 'bytes' ? { done: mib(done), size: mib(all) } : {});
  let max = Math.max(total, 1);
  bar.start(max, 0, sizes(0, max));
  return {
    update(done, newTotal) {
      if (newTotal !== undefined && newTotal !== max) {
        max = Math.max(newTotal, 1);
        bar.setTotal(max);
      }
      bar.update(Math.min(done, max), sizes(done, max));
    },
    stop: () => bar.stop(),
  };
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}
