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

/** Where a public call was made: captured before the call waits on native code. */
export interface CallSite {
  stack?: string;
}

/** Captures the stack of the caller of `fn`. */
export function callSite(fn: (...args: never[]) => unknown): CallSite {
  const site: CallSite = {};
  Error.captureStackTrace(site, fn);
  return site;
}

/**
 * Errors made by native code on a later turn of the event loop carry no JS
 * frames of their own: give them the frames of the call that led to them.
 */
export function withCallSite(error: unknown, site: CallSite): unknown {
  if (error instanceof Error && site.stack) {
    const frames = site.stack.slice(site.stack.indexOf('\n'));
    error.stack = `${error.name}: ${error.message}${frames}`;
  }
  return error;
}
