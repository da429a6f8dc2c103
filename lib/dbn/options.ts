/**
 * Decoding options shared by the decoder and the stores.
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import type { NativeDecoderOptions } from '../native.js';

/**
 * How records of older DBN versions are handed out: `'upgrade'` (default)
 * converts DBN v1 and v2 records to the current v3 layouts, as the official
 * clients do; `'upgrade-v2'` converts v1 records to the v2 layouts and leaves
 * v2 and v3 as they are; `'as-is'` keeps each version's own layout (see
 * `InstrumentDefMsgV1` …).
 */
export type UpgradePolicy = 'upgrade' | 'upgrade-v2' | 'as-is';

// The official clients' VersionUpgradePolicy values.
const POLICY_VALUES: Record<UpgradePolicy, 1 | 2 | 3> = { 'as-is': 1, 'upgrade-v2': 2, upgrade: 3 };

/**
 * The wire value of an upgrade policy (default `'upgrade'`); throws
 * {@link InvalidArgumentError} for anything else.
 * @internal
 */
export function upgradePolicyValue(policy: UpgradePolicy | undefined, where = 'upgradePolicy'): 1 | 2 | 3 {
  const key = policy ?? 'upgrade';
  if (!Object.hasOwn(POLICY_VALUES, key)) {
    throw new InvalidArgumentError(`${where} must be 'upgrade', 'upgrade-v2' or 'as-is', not ${JSON.stringify(policy)}`);
  }
  return POLICY_VALUES[key];
}

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
  /**
   * Longest metadata header accepted, in bytes (default 256 MiB: room for
   * about 1.7 million instruments with one mapping interval each). A header
   * that declares more fails with a {@link DbnError} `METADATA_TOO_LARGE`
   * before any of it is buffered.
   */
  maxMetadataBytes?: number;
}

/** @internal */
export function nativeDecoderOptions(opts: DecoderOptions = {}): NativeDecoderOptions {
  if (opts === null || typeof opts !== 'object') throw new InvalidArgumentError('options must be an object');
  const out: NativeDecoderOptions = { upgradePolicy: upgradePolicyValue(opts.upgradePolicy), hasMetadata: !opts.fragment };
  if (opts.fragment) {
    const { version, tsOut = false } = opts.fragment;
    if (version !== 1 && version !== 2 && version !== 3) {
      throw new InvalidArgumentError(`fragment.version must be 1, 2 or 3, not ${JSON.stringify(version)}`);
    }
    out.version = version;
    out.tsOut = Boolean(tsOut);
  }
  if (opts.maxMetadataBytes !== undefined) {
    const max = opts.maxMetadataBytes;
    if (!Number.isSafeInteger(max) || max < 112 || max > 0xffff_ffff) {
      throw new InvalidArgumentError(`maxMetadataBytes must be an integer from 112 to 4294967295, not ${String(max)}`);
    }
    out.maxMetadataBytes = max;
  }
  return out;
}
