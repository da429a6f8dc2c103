/**
 * Small helpers of the live clients.
 * @internal
 * @module
 */
import { LiveError } from '../errors.js';

/** The error of a client whose AbortSignal fired. */
export function abortError(signal: AbortSignal | undefined): LiveError {
  return new LiveError('The live client was aborted', 'ABORTED', { cause: signal?.reason });
}

/** A promise with its resolve and reject functions. */
export class Deferred<T> {
  readonly promise: Promise<T>;
  resolve!: (value: T) => void;
  reject!: (reason: unknown) => void;

  constructor() {
    this.promise = new Promise<T>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    // A rejection nobody awaits is not an unhandled-rejection crash.
    this.promise.catch(() => {});
  }
}
