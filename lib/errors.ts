/**
 * Every error databento-node throws is a {@link DatabentoError}: a subclass of
 * `Error` with a string `code` that programs can switch on. The API key never
 * appears in a message.
 * @module
 */
import type { DbnErrorCode, LiveErrorCode } from './generated/errors.js';

export type { DbnErrorCode, LiveErrorCode };

/** Base class of every error thrown by databento-node. */
export class DatabentoError extends Error {
  /** Stable, machine-readable reason, e.g. `'TRUNCATED_RECORD'`. */
  readonly code: string;

  constructor(message: string, code: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/**
 * A DBN stream or file could not be read or written: bad magic bytes, an
 * unsupported version, a truncated header or record, a corrupt length, corrupt
 * zstd data, a missing libzstd, a legacy DBZ file, or an invalid value to encode.
 */
export class DbnError extends DatabentoError {
  declare readonly code: DbnErrorCode;

  constructor(message: string, code: DbnErrorCode, options?: ErrorOptions) {
    super(message, code, options);
  }
}

/** A live session failed: see {@link LiveErrorCode} for the reasons. */
export class LiveError extends DatabentoError {
  declare readonly code: LiveErrorCode;

  constructor(message: string, code: LiveErrorCode, options?: ErrorOptions) {
    super(message, code, options);
  }
}

/** An argument or option has a value the API does not accept; thrown before any I/O. */
export class InvalidArgumentError extends DatabentoError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, 'INVALID_ARGUMENT', options);
  }
}
