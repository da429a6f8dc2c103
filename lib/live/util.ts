/**
 * Small helpers of the live clients.
 * @internal
 * @module
 */

/** rtype of SymbolMappingMsg. */
export const RTYPE_SYMBOL_MAPPING = 0x16;

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
