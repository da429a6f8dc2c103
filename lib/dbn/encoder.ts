/**
 * Writing DBN: metadata and records to bytes or a file, optionally
 * zstd-compressed.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { InvalidArgumentError } from '../errors.js';
import { native, type NativeEncoder } from '../native.js';
import { RecordBatch } from './batch.js';
import { DbnStore } from './store.js';
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
 * Writes a DBN file from metadata and records, asynchronously (await it):
 * record bytes, a batch, record views, a {@link DbnStore}, or any iterable or
 * async iterable of those (e.g. a store's `batches()`), streaming: memory
 * stays bounded by one input item. A path ending in `.zst` is written
 * zstd-compressed unless `options.compression` says otherwise. The file
 * appears only once complete: it is written under a temporary name and
 * renamed, and a failed write leaves nothing behind.
 */
export async function writeDbnFile(
  path: string,
  metadata: MetadataInput,
  records: RecordsInput | DbnStore | AsyncIterable<RecordsInput> | Iterable<RecordsInput>,
  options: EncoderOptions = {},
): Promise<void> {
  if (typeof path !== 'string' || path === '') throw new InvalidArgumentError('path must be a non-empty string');
  const compression = options.compression ?? (path.endsWith('.zst') ? 'zstd' : 'none');
  const encoder = new DbnEncoder(metadata, { ...options, compression });
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.partial`);
  const file = await open(temp, 'wx');
  try {
    try {
      await file.write(encoder.write(new Uint8Array(0)));
      for await (const bytes of recordChunks(records)) {
        const out = encoder.write(bytes);
        if (out.length) await file.write(out);
      }
      await file.write(encoder.end());
    } finally {
      await file.close();
    }
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
}

/** Record views are gathered into chunks of this many before encoding. */
const VIEWS_PER_CHUNK = 4096;

/** The records of any accepted input, as chunks of DBN record bytes. */
async function* recordChunks(records: RecordsInput | DbnStore | AsyncIterable<RecordsInput> | Iterable<RecordsInput>): AsyncGenerator<Uint8Array> {
  if (records instanceof DbnStore) {
    for await (const batch of records.batches()) yield batch.bytes();
    return;
  }
  if (records instanceof Uint8Array || records instanceof RecordBatch) {
    yield recordBytes(records);
    return;
  }
  if (records == null || (typeof (records as Iterable<unknown>)[Symbol.iterator] !== 'function' && typeof (records as AsyncIterable<unknown>)[Symbol.asyncIterator] !== 'function')) {
    throw new InvalidArgumentError('records must be a Uint8Array, a RecordBatch, a DbnStore, or an iterable of those or of record views');
  }
  let views: Uint8Array[] = [];
  let index = 0;
  for await (const item of records as AsyncIterable<unknown>) {
    if (item instanceof Uint8Array || item instanceof RecordBatch || isIterable(item)) {
      if (views.length) yield concat(views.splice(0));
      yield recordBytes(item as RecordsInput);
    } else {
      views.push(viewBytes(item, index));
      if (views.length === VIEWS_PER_CHUNK) {
        yield concat(views);
        views = [];
      }
    }
    index++;
  }
  if (views.length) yield concat(views);
}

const isIterable = (x: unknown): boolean => x != null && typeof (x as Iterable<unknown>)[Symbol.iterator] === 'function';

/** The DBN bytes of one record view; a typed error for anything else. */
function viewBytes(rec: unknown, index: number): Uint8Array {
  const bytes = typeof (rec as { bytes?: unknown })?.bytes === 'function' ? (rec as { bytes(): unknown }).bytes() : undefined;
  if (!(bytes instanceof Uint8Array)) {
    throw new InvalidArgumentError(
      `record ${index} is not a record: pass record views (from a store, batch or live client, whose bytes() gives ` +
        `their DBN bytes), a RecordBatch or DBN record bytes, not ${describe(rec)}`,
    );
  }
  return bytes;
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (typeof x !== 'object') return typeof x;
  const name = (x as object).constructor?.name;
  return name && name !== 'Object' ? `a ${name}` : 'a plain object';
}

function recordBytes(records: RecordsInput): Uint8Array {
  if (records instanceof Uint8Array) return records;
  if (records instanceof RecordBatch) return records.bytes();
  if (!isIterable(records)) {
    throw new InvalidArgumentError('records must be a Uint8Array, a RecordBatch or an iterable of records');
  }
  const parts: Uint8Array[] = [];
  let index = 0;
  for (const rec of records) parts.push(viewBytes(rec, index++));
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
