/**
 * Writing DBN: metadata and records to bytes or a file, optionally
 * zstd-compressed.
 * @module
 */
import { open } from 'node:fs/promises';
import { InvalidArgumentError } from '../errors.js';
import { native, type NativeEncoder } from '../native.js';
import { RecordBatch } from './batch.js';
import { metadataToNative, type MetadataInput } from './metadata.js';

/** Options of {@link DbnEncoder}. */
export interface EncoderOptions {
  /** `'zstd'` compresses the whole stream (header included) as one zstd frame. Default `'none'`. */
  compression?: 'none' | 'zstd';
  /** zstd compression level, 1 to 19 (default 3). */
  level?: number;
}

/** Anything that can be written as records: raw record bytes, a batch, or record views. */
export type RecordsInput =
  | Uint8Array
  | RecordBatch
  | Iterable<{
      /** The record's raw DBN bytes, header included, as record views give them. */
      bytes(): Uint8Array;
    }>;

/**
 * Encodes a DBN stream: the metadata header, then records. Each call returns
 * the bytes encoded so far, to be written out in order; {@link end} returns
 * the last of them. Records must already be in the layouts of
 * `metadata.version` (3 by default), as the decoder hands them out with its
 * default upgrade policy.
 *
 * ```ts
 * const encoder = new DbnEncoder(store.metadata, { compression: 'zstd' });
 * const parts = [encoder.write(store.toArray()), encoder.end()];
 * ```
 */
export class DbnEncoder {
  readonly #native: NativeEncoder;
  #ended = false;

  constructor(metadata: MetadataInput, options: EncoderOptions = {}) {
    const compression = options.compression ?? 'none';
    if (compression !== 'none' && compression !== 'zstd') {
      throw new InvalidArgumentError(`compression must be 'none' or 'zstd', not ${JSON.stringify(compression)}`);
    }
    const level = options.level ?? 3;
    if (!Number.isInteger(level) || level < 1 || level > 19) {
      throw new InvalidArgumentError(`level must be an integer from 1 to 19, not ${level}`);
    }
    this.#native = new native.NativeEncoder(metadataToNative(metadata), { zstd: compression === 'zstd', level });
  }

  /** Encodes records; returns the encoded bytes (the header too, on the first call). */
  write(records: RecordsInput): Uint8Array {
    if (this.#ended) throw new InvalidArgumentError('the encoder has ended');
    return this.#native.write(recordBytes(records));
  }

  /** Makes everything written so far decodable by a reader (a zstd flush) and returns the bytes. */
  flush(): Uint8Array {
    if (this.#ended) throw new InvalidArgumentError('the encoder has ended');
    return this.#native.flush();
  }

  /** Ends the stream and returns its last bytes. */
  end(): Uint8Array {
    if (this.#ended) throw new InvalidArgumentError('the encoder has already ended');
    this.#ended = true;
    return this.#native.finish();
  }

  /** Encodes a whole stream in one call. */
  static encode(metadata: MetadataInput, records: RecordsInput, options?: EncoderOptions): Uint8Array {
    const encoder = new DbnEncoder(metadata, options);
    return concat([encoder.write(records), encoder.end()]);
  }
}

/**
 * Writes a DBN file from metadata and records (any iterable or async
 * iterable of record inputs, e.g. a store's `batches()`), streaming: memory
 * stays bounded by one input item.
 */
export async function writeDbnFile(
  path: string,
  metadata: MetadataInput,
  records: RecordsInput | AsyncIterable<RecordsInput> | Iterable<RecordsInput>,
  options?: EncoderOptions,
): Promise<void> {
  const encoder = new DbnEncoder(metadata, options);
  const file = await open(path, 'w');
  try {
    if (isRecordsInput(records)) {
      await file.write(encoder.write(records));
    } else {
      await file.write(encoder.write(new Uint8Array(0)));
      for await (const item of records as AsyncIterable<RecordsInput>) {
        const out = encoder.write(item);
        if (out.length) await file.write(out);
      }
    }
    await file.write(encoder.end());
  } finally {
    await file.close();
  }
}

function isRecordsInput(x: unknown): x is RecordsInput {
  if (x instanceof Uint8Array || x instanceof RecordBatch) return true;
  if (Array.isArray(x)) return x.length === 0 || typeof (x[0] as { bytes?: unknown })?.bytes === 'function';
  return false;
}

function recordBytes(records: RecordsInput): Uint8Array {
  if (records instanceof Uint8Array) return records;
  if (records instanceof RecordBatch) return records.bytes();
  if (records == null || typeof (records as Iterable<unknown>)[Symbol.iterator] !== 'function') {
    throw new InvalidArgumentError('records must be a Uint8Array, a RecordBatch or an iterable of records');
  }
  const parts: Uint8Array[] = [];
  for (const rec of records) parts.push(rec.bytes());
  return concat(parts);
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  let size = 0;
  for (const p of parts) size += p.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
