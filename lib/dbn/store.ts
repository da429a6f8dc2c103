/**
 * DBN files and byte arrays as iterable stores of records.
 * @module
 */
import { DbnError, InvalidArgumentError } from '../errors.js';
import type { AnyRecord } from '../generated/records.js';
import { native, type NativeBatch, type NativeFileStore } from '../native.js';
import { RecordBatch, RecordWalker } from './batch.js';
import type { RecordBatch as ArrowRecordBatch, Table as ArrowTable } from 'apache-arrow';
import { arrowBatches, toArrowTable, writeArrowIpc, type ArrowIpcOptions, type ArrowOptions } from './arrow.js';
import { writeParquet, type ParquetOptions } from './parquet.js';
import { toColumns, toColumnTables, type AnyColumn, type Columns, type ColumnsOptions } from './columns.js';
import { DbnDecoder } from './decoder.js';
import { metadataFromNative, type Metadata } from './metadata.js';
import { nativeDecoderOptions, type DecoderOptions } from './options.js';
import { writeCsv, writeJson, type BatchSource, type FileBatchSource, type TextOptions } from './text.js';
import type { Writable } from 'node:stream';

/** Options of {@link DbnStore.batches}. */
export interface BatchOptions {
  /** Target bytes per batch (default 256 KiB). Larger batches cost fewer calls; smaller ones less memory. */
  batchBytes?: number;
}

/** Where a store's records come from: a file re-opened per pass, or bytes in memory. */
interface Source {
  metadata: Metadata | undefined;
  syncBatches(batchBytes?: number): Generator<RecordBatch>;
  asyncBatches(batchBytes?: number): AsyncGenerator<RecordBatch>;
}

/**
 * A DBN file or byte array: its metadata, and its records by synchronous
 * iteration, asynchronous iteration, batches or a replay callback.
 *
 * Every pass (each `for … of`, `batches()`, `replay()`) starts again from the
 * first record, so a store can be read any number of times. Memory stays
 * bounded by the batch size, whatever the file's size.
 *
 * ```ts
 * const store = DbnStore.fromFile('trades.dbn.zst');
 * console.log(store.metadata.schema);
 * for (const rec of store) console.log(rec.instrument_id);
 * ```
 */
export class DbnStore implements Iterable<AnyRecord>, AsyncIterable<AnyRecord> {
  readonly #source: Source;

  private constructor(source: Source) {
    this.#source = source;
  }

  /**
   * Opens a `.dbn` or `.dbn.zst` file (or a record-only fragment, with
   * `options.fragment`). Reads the metadata header now; throws
   * {@link DbnError} if the file cannot be read or is not DBN.
   */
  static fromFile(path: string, options?: DecoderOptions): DbnStore {
    if (typeof path !== 'string' || path === '') throw new InvalidArgumentError('path must be a non-empty string');
    return new DbnStore(new FileSource(path, options));
  }

  /** A store over DBN bytes in memory (plain or zstd-compressed). */
  static fromBytes(bytes: Uint8Array, options?: DecoderOptions): DbnStore {
    if (!(bytes instanceof Uint8Array)) throw new InvalidArgumentError('bytes must be a Uint8Array or Buffer');
    return new DbnStore(new BytesSource(bytes, options));
  }

  /**
   * The metadata header. Throws for record-only fragments, which have none;
   * use {@link maybeMetadata} where the input may be a fragment.
   */
  get metadata(): Metadata {
    const md = this.#source.metadata;
    if (md === undefined) throw new DbnError('a record-only fragment has no metadata', 'BAD_ARGUMENT');
    return md;
  }

  /** The metadata header, or undefined for a record-only fragment. */
  get maybeMetadata(): Metadata | undefined {
    return this.#source.metadata;
  }

  /** Synchronous iteration over every record, decoded on the calling thread. */
  [Symbol.iterator](): Iterator<AnyRecord> {
    return new RecordWalker(undefined, this.#source.syncBatches());
  }

  /** Asynchronous iteration over every record; reading and decoding happen on a native thread. */
  async *[Symbol.asyncIterator](): AsyncIterator<AnyRecord> {
    for await (const batch of this.#source.asyncBatches()) yield* batch;
  }

  /**
   * Batches of records, read and decoded on a native thread while the
   * previous batch is processed in JS.
   */
  batches(options: BatchOptions = {}): AsyncIterable<RecordBatch> {
    return this.#source.asyncBatches(checkBatchBytes(options.batchBytes));
  }

  /** Batches of records, read and decoded on the calling thread. */
  batchesSync(options: BatchOptions = {}): Iterable<RecordBatch> {
    return this.#source.syncBatches(checkBatchBytes(options.batchBytes));
  }

  /**
   * Calls `fn` with every record in order, synchronously; stops early when
   * `fn` returns `false`. Returns the number of records visited. The fastest
   * way to read a store: as with {@link RecordBatch.forEach}, the view `fn`
   * gets is re-pointed to the next record once `fn` returns; keep
   * `rec.clone()` or `rec.bytes()` to hold on to one.
   */
  replay(fn: (record: AnyRecord) => unknown): number {
    if (typeof fn !== 'function') throw new InvalidArgumentError('replay needs a callback function');
    let n = 0;
    for (const batch of this.#source.syncBatches()) {
      const visited = batch.forEach(fn);
      n += visited;
      if (visited < batch.count) break;
    }
    return n;
  }

  /**
   * The records of one rtype as columns, one typed array per field (see
   * {@link toColumns}); by default those of the schema in the metadata.
   */
  toColumns(options?: ColumnsOptions & { mapSymbols?: false; timestamps?: 'bigint' }): Columns;
  toColumns(options: ColumnsOptions): Columns<AnyColumn>;
  toColumns(options: ColumnsOptions = {}): Columns<AnyColumn> {
    return toColumns(this.#source.syncBatches(), this.#columnsOptions(options));
  }

  /**
   * The records as one {@link Columns} table per rtype, in the order each
   * rtype first appears (see {@link toColumnTables}).
   */
  toColumnTables(options?: Omit<ColumnsOptions, 'rtype' | 'schema'> & { mapSymbols?: false; timestamps?: 'bigint' }): Columns[];
  toColumnTables(options: Omit<ColumnsOptions, 'rtype' | 'schema'>): Columns<AnyColumn>[];
  toColumnTables(options: Omit<ColumnsOptions, 'rtype' | 'schema'> = {}): Columns<AnyColumn>[] {
    return toColumnTables(this.#source.syncBatches(), this.#columnsOptions(options));
  }

  /** The options with the store's schema (when none is chosen) and metadata. */
  #columnsOptions<T extends ColumnsOptions>(options: T): T {
    const md = this.#source.metadata;
    const schema = md?.schema;
    const withSchema = options.rtype === undefined && options.schema === undefined && schema ? { ...options, schema } : options;
    return md && withSchema.metadata === undefined ? { ...withSchema, metadata: md } : withSchema;
  }

  /**
   * Writes the records as CSV, byte for byte as databento-python's `to_csv`
   * (defaults: prettyPx, prettyTs and mapSymbols on). `dest` is a path
   * (`.zst` ⇒ zstd) or a writable stream, which is left open. Resolves to the
   * number of records written.
   */
  toCsv(dest: string | Writable, options?: TextOptions): Promise<number> {
    return writeCsv(this.textSource(), dest, options);
  }

  /** Writes the records as JSON lines, as databento-python's `to_json`; see {@link toCsv}. */
  toJson(dest: string | Writable, options?: TextOptions): Promise<number> {
    return writeJson(this.textSource(), dest, options);
  }

  /**
   * The records for the text encoders: a file is read and encoded natively, off the JS thread.
   * @internal
   */
  textSource(): BatchSource | FileBatchSource {
    const source = this.#source;
    const batches = () => source.asyncBatches();
    return source instanceof FileSource ? { metadata: source.metadata, batches, file: source.file } : { metadata: source.metadata, batches };
  }

  /**
   * The records of one rtype (the schema's by default) as an Apache Arrow
   * `Table`, typed as databento-python's DataFrame: see {@link ArrowOptions}.
   * Needs the optional peer dependency `apache-arrow`.
   */
  toArrow(options?: ArrowOptions): Promise<ArrowTable> {
    return toArrowTable(this.#batchSource(), options);
  }

  /** The records of one rtype as Arrow record batches of about `batchRows` rows, for large stores. */
  toArrowBatches(options?: ArrowOptions): AsyncIterable<ArrowRecordBatch> {
    return arrowBatches(this.#batchSource(), options);
  }

  /**
   * Writes the records of one rtype as Arrow IPC to a path or a writable
   * stream (file format for `.arrow`/`.feather`/`.ipc` paths, else the
   * stream format; see {@link ArrowIpcOptions}). Resolves to the rows written.
   */
  toArrowIpc(dest: string | Writable, options?: ArrowIpcOptions): Promise<number> {
    return writeArrowIpc(this.#batchSource(), dest, options);
  }

  /**
   * Writes the records of one rtype as a zstd-compressed Parquet file (needs
   * the optional peer dependencies `apache-arrow` and `parquet-wasm`).
   * Resolves to the rows written.
   */
  toParquet(path: string, options?: ParquetOptions): Promise<number> {
    return writeParquet(this.#batchSource(), path, options);
  }

  #batchSource(): BatchSource {
    return { metadata: this.maybeMetadata, batches: () => this.#source.asyncBatches() };
  }

  /** Every record as an array of views (the whole store in memory). */
  toArray(): AnyRecord[] {
    return Array.from(this);
  }
}

function checkBatchBytes(value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1024 || value > 1 << 30) {
    throw new InvalidArgumentError(`batchBytes must be an integer from 1024 to 2^30, not ${value}`);
  }
  return value;
}

class FileSource implements Source {
  readonly metadata: Metadata | undefined;
  readonly #path: string;
  readonly #options;

  constructor(path: string, options: DecoderOptions | undefined) {
    this.#path = path;
    this.#options = nativeDecoderOptions(options);
    // Open once now so a bad file fails at fromFile(), and keep its metadata.
    const store = this.#open();
    try {
      const md = store.metadata();
      this.metadata = md && metadataFromNative(md);
    } finally {
      store.close();
    }
  }

  #open(): NativeFileStore {
    return new native.NativeFileStore(this.#path, this.#options);
  }

  /** The path and native decoder options, for encoders that read the file themselves. */
  get file(): { path: string; options: object } {
    return { path: this.#path, options: this.#options as object };
  }

  *syncBatches(batchBytes?: number): Generator<RecordBatch> {
    const store = this.#open();
    try {
      const { outputVersion, tsOut } = store.versions();
      for (let b = store.readSync(batchBytes); b !== null; b = store.readSync(batchBytes)) {
        yield RecordBatch.fromNative(b, outputVersion, tsOut);
      }
    } finally {
      store.close();
    }
  }

  async *asyncBatches(batchBytes?: number): AsyncGenerator<RecordBatch> {
    const store = this.#open();
    let pending: Promise<NativeBatch | null> | undefined;
    try {
      const { outputVersion, tsOut } = store.versions();
      pending = store.read(batchBytes);
      while (true) {
        const batch = await pending;
        pending = undefined;
        if (batch === null) break;
        // Read ahead: the native thread decodes the next batch meanwhile.
        pending = store.read(batchBytes);
        yield RecordBatch.fromNative(batch, outputVersion, tsOut);
      }
    } finally {
      // An abandoned read-ahead must settle before closing; its error no longer matters.
      if (pending) await pending.catch(() => undefined);
      store.close();
    }
  }
}

/** Bytes are fed to the decoder a slice at a time so batches stay small. */
const SLICE_BYTES = 256 * 1024;

class BytesSource implements Source {
  readonly metadata: Metadata | undefined;
  readonly #bytes: Uint8Array;
  readonly #options: DecoderOptions | undefined;

  constructor(bytes: Uint8Array, options: DecoderOptions | undefined) {
    this.#bytes = bytes;
    this.#options = options;
    nativeDecoderOptions(options); // validate now
    if (!options?.fragment) {
      const decoder = new DbnDecoder(options);
      for (let at = 0; decoder.metadata === undefined; at += SLICE_BYTES) {
        if (at >= bytes.length) decoder.end(); // throws: no complete header
        decoder.write(bytes.subarray(at, at + SLICE_BYTES));
      }
      this.metadata = decoder.metadata;
    }
  }

  *syncBatches(batchBytes = SLICE_BYTES): Generator<RecordBatch> {
    const decoder = new DbnDecoder(this.#options);
    const bytes = this.#bytes;
    for (let at = 0; at < bytes.length; at += batchBytes) {
      for (let batch = decoder.write(bytes.subarray(at, at + batchBytes)); batch; batch = decoder.read()) {
        yield batch;
      }
    }
    decoder.end();
  }

  async *asyncBatches(batchBytes?: number): AsyncGenerator<RecordBatch> {
    yield* this.syncBatches(batchBytes);
  }
}
