/**
 * DBN records as CSV and JSON lines, byte for byte as Databento's `dbn` tools
 * and databento-python write them, encoded natively.
 * @module
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Transform, type TransformCallback, type Writable } from 'node:stream';
import { DbnError, InvalidArgumentError } from '../errors.js';
import { schemaFromName } from '../generated/enums.js';
import { native } from '../native.js';
import { RecordBatch } from './batch.js';
import { DbnDecoder } from './decoder.js';
import { metadataToNative, type Metadata } from './metadata.js';

/** Options of CSV and JSON-lines output. The defaults are databento-python's `to_csv`/`to_json`. */
export interface TextOptions {
  /** Prices as decimals with nine fraction digits (`3722.750000000`); undefined prices empty/null. Default true. */
  prettyPx?: boolean;
  /** Timestamps as `2020-12-28T13:00:00.000704060Z`; 0 and undefined empty/null. Default true. */
  prettyTs?: boolean;
  /** Append a `symbol` column/key from the metadata's mappings (or, live, the symbol mapping records). Default true. */
  mapSymbols?: boolean;
  /**
   * Keep only the records of this schema (e.g. `'trades'` from mixed live data). CSV holds one
   * schema: it defaults to the metadata's, and data without one (live) needs this option.
   */
  schema?: string;
  /** Stop after this many records (after the schema filter). */
  limit?: number;
  /** CSV: write the header row (default true). */
  header?: boolean;
  /** `'zstd'` compresses the output; the default follows the path (`.zst` ⇒ zstd), else none. */
  compression?: 'zstd' | 'none';
}

/** Options of the native encoder beyond {@link TextOptions}, for the CLI. */
export interface TextEncodingOptions extends TextOptions {
  /** Output form. */
  format: 'csv' | 'tsv' | 'json';
  /** JSON: 4-space indentation, as the `dbn` CLI's `--pretty`. */
  indent?: boolean;
  /** CSV: drop records of other schemas (databento-python) instead of failing (the `dbn` CLI). Default true. */
  filterSchema?: boolean;
  /** CSV: write records of other schemas with their own columns (the `dbn` CLI with map_symbols) instead of failing. */
  mixedSchemas?: boolean;
}

/** Anything that yields record batches: a DbnStore, a historical getRange result, a live client. */
export interface BatchSource {
  /** The DBN metadata, when known (read when the first batch arrives). */
  readonly metadata?: Metadata | undefined;
  /** The records, batch by batch. */
  batches(): AsyncIterable<RecordBatch> | Iterable<RecordBatch>;
}

interface NativeTextEncoder {
  encode(records: Uint8Array, limit?: number): Buffer;
  next(): Promise<Buffer | null>;
  finish(): Buffer;
  written(): number;
}
/** A DBN file the native encoder reads itself, off the JS thread. */
interface NativeTextFile {
  path: string;
  options: object;
  limit?: number;
}
type NativeTextEncoderClass = new (options: object, metadata: object | null, file?: NativeTextFile) => NativeTextEncoder;

/**
 * A source that is a DBN file: its text is read, decoded and encoded on a
 * native thread, and only the text crosses into JS.
 * @internal
 */
export interface FileBatchSource extends BatchSource {
  /** The file and its native decoder options. */
  readonly file: { path: string; options: object };
}

function checkBoolean(value: unknown, name: string): void {
  if (value !== undefined && typeof value !== 'boolean') throw new InvalidArgumentError(`${name} must be a boolean`);
}

/** Validates the options once, up front. */
export function checkTextOptions(opts: TextEncodingOptions): void {
  if (opts === null || typeof opts !== 'object') throw new InvalidArgumentError('options must be an object');
  if (!['csv', 'tsv', 'json'].includes(opts.format)) throw new InvalidArgumentError(`unknown text format "${String(opts.format)}"`);
  for (const key of ['prettyPx', 'prettyTs', 'mapSymbols', 'header', 'indent', 'filterSchema', 'mixedSchemas'] as const) checkBoolean(opts[key], key);
  if (opts.schema !== undefined && schemaFromName(opts.schema) === undefined) {
    throw new InvalidArgumentError(`unknown schema "${opts.schema}"`);
  }
  if (opts.limit !== undefined && !(Number.isSafeInteger(opts.limit) && opts.limit >= 0)) {
    throw new InvalidArgumentError(`limit must be a non-negative integer, not ${opts.limit}`);
  }
  if (opts.compression !== undefined && opts.compression !== 'zstd' && opts.compression !== 'none') {
    throw new InvalidArgumentError(`compression must be 'zstd' or 'none', not ${String(opts.compression)}`);
  }
}

/**
 * The encoder of one output: created once the metadata (or the first batch)
 * is known, so the CSV header of a known schema is written even for zero records.
 * @internal
 */
export class TextOutput {
  readonly #opts: TextEncodingOptions;
  #encoder: NativeTextEncoder | undefined;
  #remaining: number;
  #finished = false;

  constructor(opts: TextEncodingOptions) {
    checkTextOptions(opts);
    this.#opts = opts;
    this.#remaining = opts.limit ?? Infinity;
  }

  get done(): boolean {
    return this.#remaining <= 0;
  }

  /** Starts the output for data with this metadata / record layout version. */
  start(metadata: Metadata | undefined, version: number, tsOut: boolean): Buffer {
    if (this.#encoder) return Buffer.alloc(0);
    this.#encoder = this.#create(metadata, { version, tsOut });
    return this.#encoder.encode(new Uint8Array(0));
  }

  /**
   * The text of a whole DBN file, chunk by chunk, read, decoded and encoded
   * on a native thread that runs ahead of the caller by a few chunks.
   */
  async *fileChunks(metadata: Metadata | undefined, file: { path: string; options: object }): AsyncGenerator<Buffer> {
    const limit = this.#opts.limit;
    const encoder = (this.#encoder = this.#create(metadata, {}, { ...file, ...(limit === undefined ? {} : { limit }) }));
    this.#remaining = 0;
    let pending = encoder.next();
    let complete = false;
    try {
      for (let chunk = await pending; chunk !== null; chunk = await pending) {
        pending = encoder.next();
        yield chunk;
      }
      complete = true;
    } finally {
      // An early stop waits for the call in flight, then ends the native
      // thread at once rather than when the encoder is collected.
      if (!complete) {
        await pending.catch(() => null);
        this.finish(metadata);
      }
    }
  }

  #create(metadata: Metadata | undefined, versions: { version?: number; tsOut?: boolean }, file?: NativeTextFile): NativeTextEncoder {
    const o = this.#opts;
    const csv = o.format !== 'json';
    const schemaName = o.schema ?? (csv ? (metadata?.schema ?? undefined) : undefined);
    if (csv && schemaName === undefined && (o.filterSchema ?? true) && metadata !== undefined) {
      throw new InvalidArgumentError('CSV holds one schema: pass `schema` to choose the records of mixed-schema data');
    }
    const Encoder = native['NativeTextEncoder'] as NativeTextEncoderClass;
    return new Encoder(
      {
        format: o.format,
        prettyPx: o.prettyPx ?? true,
        prettyTs: o.prettyTs ?? true,
        mapSymbols: o.mapSymbols ?? true,
        header: o.header ?? true,
        indent: o.indent ?? false,
        ...versions,
        ...(schemaName === undefined ? {} : { schema: schemaFromName(schemaName) }),
        filterSchema: o.schema !== undefined || (csv && (o.filterSchema ?? true)),
        mixedSchemas: o.mixedSchemas ?? false,
        zstd: o.compression === 'zstd',
      },
      metadata ? metadataToNative(metadata) : null,
      ...(file ? [file] : []),
    );
  }

  /** The text of one batch's records (empty once the limit is reached). */
  encode(batch: RecordBatch, metadata: Metadata | undefined): Buffer {
    const head = this.start(metadata, batch.version, batch.tsOut);
    if (this.done) return head;
    const before = this.#encoder!.written();
    const text = this.#encoder!.encode(batch.bytes(), Math.min(this.#remaining, 2 ** 53 - 1));
    this.#remaining -= this.#encoder!.written() - before;
    return head.length ? Buffer.concat([head, text]) : text;
  }

  /** Ends the output: the last bytes (and the zstd frame's end); nothing more once ended. */
  finish(metadata: Metadata | undefined): Buffer {
    const head = this.start(metadata, metadata?.version ?? 3, metadata?.ts_out ?? false);
    if (this.#finished) return head;
    this.#finished = true;
    const tail = this.#encoder!.finish();
    return head.length ? Buffer.concat([head, tail]) : tail;
  }

  /** Records written so far. */
  get written(): number {
    return this.#encoder?.written() ?? 0;
  }
}

/** A writable destination: writes wait for `drain`; a stream error rejects. */
async function openDest(dest: string | Writable, opts: TextOptions): Promise<{ out: Writable; owned: boolean; zstd: boolean }> {
  if (typeof dest === 'string') {
    if (dest === '') throw new InvalidArgumentError('the output path must not be empty');
    const out = createWriteStream(dest);
    await once(out, 'open');
    return { out, owned: true, zstd: opts.compression ? opts.compression === 'zstd' : dest.endsWith('.zst') };
  }
  if (dest === null || typeof dest !== 'object' || typeof (dest as Writable).write !== 'function') {
    throw new InvalidArgumentError('the destination must be a file path or a writable stream');
  }
  return { out: dest, owned: false, zstd: opts.compression === 'zstd' };
}

async function write(out: Writable, chunk: Buffer, failed: { error?: Error }): Promise<void> {
  if (failed.error) throw failed.error;
  if (chunk.length === 0) return;
  if (!out.write(chunk)) await drained(out, failed);
  if (failed.error) throw failed.error;
}

/** Waits for `drain`; a stream closed first rejects. Leaves no listener behind. */
function drained(out: Writable, failed: { error?: Error }): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      out.off('drain', done);
      out.off('close', done);
      if (out.destroyed && !out.writableFinished) {
        reject(failed.error ?? new DbnError('the output stream closed before the text was written', 'IO_ERROR'));
      } else {
        resolve();
      }
    };
    out.on('drain', done);
    out.on('close', done);
  });
}

/**
 * Writes the records of `source` as text to `dest` (a path — `.zst` ⇒ zstd —
 * or a writable stream, left open). Resolves to the number of records written.
 * @internal
 */
export async function writeText(
  source: BatchSource,
  dest: string | Writable,
  opts: TextEncodingOptions,
): Promise<number> {
  checkTextOptions(opts);
  const { out, owned, zstd } = await openDest(dest, opts);
  const output = new TextOutput({ ...opts, compression: zstd ? 'zstd' : 'none' });
  const failed: { error?: Error } = {};
  const onError = (e: Error) => {
    failed.error = e;
  };
  out.on('error', onError);
  try {
    const chunks = 'file' in source ? output.fileChunks(source.metadata, (source as FileBatchSource).file) : batchChunks(source, output);
    for await (const chunk of chunks) await write(out, chunk, failed);
    await write(out, output.finish(source.metadata), failed);
    if (owned) {
      out.end();
      await once(out, 'finish');
    }
    if (failed.error) throw failed.error;
    return output.written;
  } catch (e) {
    if (owned) out.destroy();
    throw e;
  } finally {
    out.off('error', onError);
  }
}

/** The text of a source's record batches, encoded on the JS thread. */
async function* batchChunks(source: BatchSource, output: TextOutput): AsyncGenerator<Buffer> {
  for await (const batch of source.batches()) {
    yield output.encode(batch, source.metadata);
    if (output.done) break;
  }
}

/** Writes `source`'s records as CSV (see {@link TextOptions}); resolves to the records written. */
export function writeCsv(source: BatchSource, dest: string | Writable, opts: TextOptions = {}): Promise<number> {
  return writeText(source, dest, { ...opts, format: 'csv' });
}

/** Writes `source`'s records as JSON lines (see {@link TextOptions}); resolves to the records written. */
export function writeJson(source: BatchSource, dest: string | Writable, opts: TextOptions = {}): Promise<number> {
  return writeText(source, dest, { ...opts, format: 'json' });
}

/** Options of {@link CsvEncodeStream} and {@link JsonEncodeStream}. */
export interface EncodeStreamOptions extends TextOptions {
  /** Metadata for symbols and the CSV header when the input is record batches (DBN bytes carry their own). */
  metadata?: Metadata;
}

/**
 * A Transform from DBN bytes (plain or zstd) or {@link RecordBatch}es to text.
 * @internal
 */
class TextEncodeStream extends Transform {
  readonly #output: TextOutput;
  #metadata: Metadata | undefined;
  #decoder: DbnDecoder | undefined;

  constructor(opts: EncodeStreamOptions & { format: 'csv' | 'json' }) {
    super({ writableObjectMode: true });
    const { metadata, ...rest } = opts;
    this.#output = new TextOutput(rest);
    this.#metadata = metadata;
  }

  /** @internal */
  override _transform(chunk: unknown, _encoding: BufferEncoding, done: TransformCallback): void {
    try {
      if (chunk instanceof RecordBatch) {
        this.#push(this.#output.encode(chunk, this.#metadata));
        done();
      } else if (chunk instanceof Uint8Array) {
        this.#decoder ??= new DbnDecoder();
        this.#decoder.writeAsync(chunk).then((batch) => {
          this.#metadata ??= this.#decoder!.metadata;
          if (batch) this.#push(this.#output.encode(batch, this.#metadata));
          done();
        }, done);
      } else {
        done(new InvalidArgumentError('write DBN bytes (Buffer/Uint8Array) or RecordBatch objects to a text encode stream'));
      }
    } catch (e) {
      done(e as Error);
    }
  }

  /** @internal */
  override _flush(done: TransformCallback): void {
    try {
      this.#decoder?.end();
      this.#metadata ??= this.#decoder?.metadata;
      this.#push(this.#output.finish(this.#metadata));
      done();
    } catch (e) {
      done(e as Error);
    }
  }

  #push(text: Buffer): void {
    if (text.length) this.push(text);
  }
}

/**
 * A Transform stream from DBN bytes or {@link RecordBatch}es to CSV:
 * `pipeline(createReadStream('x.dbn.zst'), new CsvEncodeStream(), createWriteStream('x.csv'))`.
 */
export class CsvEncodeStream extends TextEncodeStream {
  constructor(opts: EncodeStreamOptions = {}) {
    super({ ...opts, format: 'csv' });
  }
}

/** A Transform stream from DBN bytes or {@link RecordBatch}es to JSON lines. */
export class JsonEncodeStream extends TextEncodeStream {
  constructor(opts: EncodeStreamOptions = {}) {
    super({ ...opts, format: 'json' });
  }
}
