/**
 * Decoding options shared by the decoder and the stores.
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import type { NativeDecoderOptions } from '../native.js';

/**
 * How records of older DBN versions are handed out: `'upgrade'` (default)
 * converts DBN v1 and v2 records to the current v3 layouts, as the official
 * clients do; `'as-is'` keeps each version's own layout (see `InstrumentDefMsgV1` …).
 */
export type UpgradePolicy = 'upgrade' | 'as-is';

/** Options of {@link DbnDecoder}, {@link DbnStore.fromFile} and {@link DbnStore.fromBytes}. */
export interface DecoderOptions {
  /** Default `'upgrade'`. */
  upgradePolicy?: UpgradePolicy;
  /**
   * Set for record-only fragments (no metadata header): the DBN version of
   * their layout and whether they carry ts_out suffixes.
   */
  fragment?: {
    /** DBN version whose record layouts the fragment uses. */
    version: 1 | 2 | 3;
    /** Whether every record ends with an 8-byte `ts_out` gateway send time. Default false. */
    tsOut?: boolean;
  };
}

/** @internal */
export function nativeDecoderOptions(opts: DecoderOptions = {}): NativeDecoderOptions {
  if (opts === null || typeof opts !== 'object') throw new InvalidArgumentError('options must be an object');
  const policy = opts.upgradePolicy ?? 'upgrade';
  if (policy !== 'upgrade' && policy !== 'as-is') {
    throw new InvalidArgumentError(`upgradePolicy must be 'upgrade' or 'as-is', not ${JSON.stringify(policy)}`);
  }
  const out: NativeDecoderOptions = { upgradePolicy: policy === 'upgrade' ? 3 : 1, hasMetadata: !opts.fragment };
  if (opts.fragment) {
    const { version, tsOut = false } = opts.fragment;
    if (version !== 1 && version !== 2 && version !== 3) {
      throw new InvalidArgumentError(`fragment.version must be 1, 2 or 3, not ${JSON.stringify(version)}`);
    }
    out.version = version;
    out.tsOut = Boolean(tsOut);
  }
  return out;
}
