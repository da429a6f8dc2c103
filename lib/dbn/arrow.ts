/**
 * Records as Apache Arrow tables and record batches (`apache-arrow`, an
 * optional peer dependency loaded on first use), built from the native
 * column buffers without per-value conversion.
 * @module
 */
import type * as ArrowNs from 'apache-arrow';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { InvalidArgumentError } from '../errors.js';
import { loadPeer } from '../peer.js';
import { RecordBatch } from './batch.js';
import { chooseRtype, GATEWAY_RTYPES, newBuilder, type NativeColumnBuilder, type NativeColumnInfo } from './columns.js';
import type { Metadata } from './metadata.js';
import type { BatchSource } from './text.js';

type Arrow = typeof ArrowNs;

/** Options of Arrow (and Parquet) output. The defaults are those of databento-python's `to_df`. */
export interface ArrowOptions {
  /** Take the records of this schema's rtype (default: the metadata's schema, else the first data record's rtype). */
  schema?: string;
  /** Take the records of this rtype (instead of a schema). */
  rtype?: number;
  /**
   * Prices as float64 (fixed-point ÷ 1e9; `true`, the default), as exact
   * `decimal128(38, 9)` (`'decimal'`), or as int64 fixed-point in 1e-9 units
   * (`false`). Undefined prices are null in the first two.
   */
  prettyPx?: boolean | 'decimal';
  /** Timestamps as `timestamp[ns, UTC]` (undefined ones null); else uint64 nanoseconds. Default true. */
  prettyTs?: boolean;
  /** A dictionary-encoded `symbol` column from the symbol mappings (null where unknown). Default true. */
  mapSymbols?: boolean;
  /** At most this many rows per Arrow record batch (default 65 536). */
  batchRows?: number;
}

const DEFAULT_BATCH_ROWS = 65_536;

/** Loads `apache-arrow`, or throws a `MISSING_DEPENDENCY` error naming it. @internal */
export function loadArrow(): Promise<Arrow> {
  return loadPeer<Arrow>('apache-arrow', 'Arrow output');
}

/** Checks Arrow options once, up front. @internal */
export function checkArrowOptions(options: ArrowOptions): void {
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError('options must be an object');
  for (const key of ['prettyTs', 'mapSymbols'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'boolean') throw new InvalidArgumentError(`${key} must be a boolean`);
  }
  if (options.prettyPx !== undefined && typeof options.prettyPx !== 'boolean' && options.prettyPx !== 'decimal') {
    throw new InvalidArgumentError(`prettyPx must be a boolean or 'decimal', not ${String(options.prettyPx)}`);
  }
  const rows = options.batchRows;
  if (rows !== undefined && !(Number.isSafeInteger(rows) && rows >= 1 && rows <= 1 << 26)) {
    throw new InvalidArgumentError(`batchRows must be an integer from 1 to 2^26, not ${rows}`);
  }
}

/**
 * The records of one rtype as Arrow record batches of at most `batchRows`
 * rows each: records are gathered into columns on a libuv worker thread,
 * so large inputs stream in bounded memory. The symbol dictionary grows
 * from batch to batch (earlier codes keep their meaning).
 */
export async function* arrowBatches(source: BatchSource, options: ArrowOptions = {}): AsyncGenerator<ArrowNs.RecordBatch> {
  checkArrowOptions(options);
  const arrow = await loadArrow();
  const batchRows = options.batchRows ?? DEFAULT_BATCH_ROWS;
  let builder: NativeColumnBuilder | undefined;
  let schema: ArrowNs.Schema | undefined;
  let pending: RecordBatch[] = [];
  let pendingRecords = 0;
  let yielded = false;
  const dictionary: SymbolDictionary = { vector: arrow.vectorFromArray([] as string[], new arrow.Utf8()), size: 0 };
  // Gathers the pending batches' records into one Arrow batch (undefined while the rtype is not known yet).
  const flush = async (final: boolean): Promise<ArrowNs.RecordBatch | undefined> => {
    builder ??= startBuilder(pending, source.metadata, options, final);
    if (builder === undefined) return undefined;
    const list = pending;
    pending = [];
    pendingRecords = 0;
    if (list.length) await builder.appendAsync(list.map((b) => b.view));
    schema ??= arrowSchema(arrow, builder.columns(), options);
    return takeArrowBatch(arrow, builder, schema, dictionary);
  };
  for await (const batch of source.batches()) {
    pending.push(batch);
    pendingRecords += batch.count;
    if (pendingRecords < batchRows) continue;
    const out = await flush(false);
    if (out && out.numRows > 0) {
      yielded = true;
      yield* slices(out, batchRows);
    }
  }
  const last = await flush(true);
  // The last batch, or an empty one so the schema is known.
  if (last && (last.numRows > 0 || !yielded)) yield* slices(last, batchRows);
}

/** A batch as zero-copy slices of at most `rows` rows (DBN batches may hold more records than asked for). */
function* slices(batch: ArrowNs.RecordBatch, rows: number): Generator<ArrowNs.RecordBatch> {
  if (batch.numRows <= rows) {
    yield batch;
    return;
  }
  for (let at = 0; at < batch.numRows; at += rows) yield batch.slice(at, Math.min(at + rows, batch.numRows));
}

/** The records of one rtype as an Arrow `Table` (all in memory); see {@link arrowBatches}. */
export async function toArrowTable(source: BatchSource, options: ArrowOptions = {}): Promise<ArrowNs.Table> {
  const arrow = await loadArrow();
  const batches: ArrowNs.RecordBatch[] = [];
  for await (const b of arrowBatches(source, options)) batches.push(b);
  if (batches.length === 0) return new arrow.Table();
  return new arrow.Table(withFinalDictionary(arrow, batches));
}

/** The builder for the rtype the options, the metadata's schema or the first data record choose. */
function startBuilder(first: RecordBatch[], metadata: Metadata | undefined, options: ArrowOptions, final: boolean): NativeColumnBuilder | undefined {
  const schema = options.schema ?? (options.rtype === undefined ? (metadata?.schema ?? undefined) : undefined);
  const choice = chooseRtype(first, { ...(options.rtype === undefined ? {} : { rtype: options.rtype }), ...(schema === undefined ? {} : { schema }) });
  if (choice.rtype === undefined) return undefined;
  // Only gateway messages so far: the data's rtype may still come.
  if (choice.from === 'first-record' && GATEWAY_RTYPES.has(choice.rtype) && !final) return undefined;
  const columnsOptions = { prettyPx: (options.prettyPx ?? true) === true, mapSymbols: options.mapSymbols ?? true, ...(metadata ? { metadata } : {}) };
  return newBuilder(choice.rtype, first[0], columnsOptions, options.schema ?? metadata?.schema ?? undefined);
}

/** The symbol dictionary so far: codes are stable, new symbols are appended. */
interface SymbolDictionary {
  vector: ArrowNs.Vector<ArrowNs.Utf8>;
  size: number;
}

/** The Arrow type of each column (see {@link ArrowOptions}). */
function arrowSchema(arrow: Arrow, infos: NativeColumnInfo[], options: ArrowOptions): ArrowNs.Schema {
  const prettyTs = options.prettyTs ?? true;
  const decimal = options.prettyPx === 'decimal';
  const fields = infos.map((info, i) => {
    const type = decimal && info.type === 'price' ? new arrow.Decimal(9, 38, 128) : arrowType(arrow, info, prettyTs, i);
    return new arrow.Field(info.name, type, nullable(info, prettyTs) || arrow.DataType.isDecimal(type));
  });
  return new arrow.Schema(fields);
}

function arrowType(arrow: Arrow, info: NativeColumnInfo, prettyTs: boolean, id: number): ArrowNs.DataType {
  if (info.out === 'f64') return new arrow.Float64();
  if (info.out === 'symbol') return new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32(), id);
  switch (info.type) {
    case 'u8':
      return new arrow.Uint8();
    case 'i8':
      return new arrow.Int8();
    case 'u16':
      return new arrow.Uint16();
    case 'i16':
      return new arrow.Int16();
    case 'u32':
      return new arrow.Uint32();
    case 'i32':
      return new arrow.Int32();
    case 'u64':
      return new arrow.Uint64();
    case 'ts':
      return prettyTs ? new arrow.TimestampNanosecond('UTC') : new arrow.Uint64();
    case 'i64':
    case 'price':
      return new arrow.Int64();
    case 'char':
    case 'cstr':
      return new arrow.Utf8();
  }
}

function nullable(info: NativeColumnInfo, prettyTs: boolean): boolean {
  return info.out !== 'copy' || (info.type === 'ts' && prettyTs);
}

/** The builder's rows as one Arrow record batch of `schema`. */
function takeArrowBatch(arrow: Arrow, builder: NativeColumnBuilder, schema: ArrowNs.Schema, dict: SymbolDictionary): ArrowNs.RecordBatch {
  const infos = builder.columns();
  const { rows, buffers, symbols } = builder.take();
  if (symbols.length > dict.size) {
    // New symbols extend the dictionary: IPC writers send them as a delta.
    dict.vector = dict.vector.concat(arrow.vectorFromArray(symbols.slice(dict.size), new arrow.Utf8()));
    dict.size = symbols.length;
  }
  const children = infos.map((info, i) => columnData(arrow, schema.fields[i]!.type, info, buffers[i]!, rows, dict.vector));
  const data = arrow.makeData({ type: new arrow.Struct(schema.fields), length: rows, nullCount: 0, children });
  return new arrow.RecordBatch(schema, data);
}

function columnData(arrow: Arrow, type: ArrowNs.DataType, info: NativeColumnInfo, buffer: ArrayBuffer, rows: number, dictionary: ArrowNs.Vector<ArrowNs.Utf8>): ArrowNs.Data {
  if (arrow.DataType.isDictionary(type)) {
    const codes = new Int32Array(buffer);
    return arrow.makeData({ type, length: rows, data: codes, dictionary, ...validity(rows, codesInvalid(codes, rows)) });
  }
  if (arrow.DataType.isUtf8(type)) return utf8Data(arrow, type as ArrowNs.Utf8, new Uint8Array(buffer), rows, info.width);
  if (arrow.DataType.isDecimal(type)) return decimalData(arrow, type as ArrowNs.Decimal, new Int32Array(buffer), rows);
  if (arrow.DataType.isFloat(type)) {
    const values = new Float64Array(buffer);
    return arrow.makeData({ type: type as ArrowNs.Float64, length: rows, data: values, ...validity(rows, nanRows(values, rows)) });
  }
  if (arrow.DataType.isTimestamp(type)) {
    const valid = validity(rows, undefTimestampRows(new Uint32Array(buffer), rows));
    return arrow.makeData({ type: type as ArrowNs.TimestampNanosecond, length: rows, data: new BigInt64Array(buffer), ...valid });
  }
  const Ctor = (type as ArrowNs.Int).ArrayType as unknown as new (b: ArrayBuffer) => ArrowNs.Int['TArray'];
  return arrow.makeData({ type: type as ArrowNs.Int, length: rows, data: new Ctor(buffer) });
}

// The null rows of a column, found by one tight loop per column type.
function codesInvalid(codes: Int32Array, rows: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < rows; i++) if (codes[i]! < 0) out.push(i);
  return out;
}

function nanRows(values: Float64Array, rows: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < rows; i++) if (values[i] !== values[i]) out.push(i);
  return out;
}

/** Rows holding UNDEF_TIMESTAMP (2^64-1): both 32-bit halves all ones. */
function undefTimestampRows(halves: Uint32Array, rows: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < rows; i++) if ((halves[2 * i]! & halves[2 * i + 1]!) === -1) out.push(i); // & gives a signed int32
  return out;
}

/** Fixed-point prices (int64 halves) as 128-bit decimals of scale 9: the same integer, sign-extended; UNDEF_PRICE null. */
function decimalData(arrow: Arrow, type: ArrowNs.Decimal, halves: Int32Array, rows: number): ArrowNs.Data<ArrowNs.Decimal> {
  const words = new Uint32Array(rows * 4);
  const nulls: number[] = [];
  for (let i = 0; i < rows; i++) {
    const lo = halves[2 * i]!;
    const hi = halves[2 * i + 1]!;
    if (hi === 0x7fffffff && lo === -1) nulls.push(i);
    const sign = hi < 0 ? 0xffffffff : 0;
    words[4 * i] = lo;
    words[4 * i + 1] = hi;
    words[4 * i + 2] = sign;
    words[4 * i + 3] = sign;
  }
  return arrow.makeData({ type, length: rows, data: words, ...validity(rows, nulls) });
}

/** Whether every byte is a non-NUL ASCII character. */
function allAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0 || b >= 0x80) return false;
  }
  return true;
}

/** A validity bitmap clearing the `nulls` rows; none (all valid) when there are none. */
function validity(rows: number, nulls: number[]): { nullCount: number; nullBitmap?: Uint8Array } {
  if (nulls.length === 0) return { nullCount: 0 };
  const bitmap = new Uint8Array((rows + 7) >> 3).fill(0xff);
  for (const i of nulls) bitmap[i >> 3]! &= ~(1 << (i & 7));
  return { nullCount: nulls.length, nullBitmap: bitmap };
}

/**
 * Fixed-width NUL-padded text (`width` bytes a row) as UTF-8 strings: each
 * byte is a Latin-1 character (as the record views read them), so bytes
 * from 0x80 take two bytes in UTF-8.
 */
function utf8Data(arrow: Arrow, type: ArrowNs.Utf8, bytes: Uint8Array, rows: number, width: number): ArrowNs.Data<ArrowNs.Utf8> {
  const offsets = new Int32Array(rows + 1);
  if (width === 1 && allAscii(bytes)) {
    // One ASCII character a row (the common case of char fields): the bytes are the UTF-8 values.
    for (let r = 1; r <= rows; r++) offsets[r] = r;
    return arrow.makeData({ type, length: rows, nullCount: 0, valueOffsets: offsets, data: bytes });
  }
  const values = new Uint8Array(bytes.length * 2);
  let at = 0;
  for (let r = 0, base = 0; r < rows; r++, base += width) {
    for (let k = 0; k < width; k++) {
      const b = bytes[base + k]!;
      if (b === 0) break;
      if (b < 0x80) {
        values[at++] = b;
      } else {
        values[at++] = 0xc0 | (b >> 6);
        values[at++] = 0x80 | (b & 0x3f);
      }
    }
    offsets[r + 1] = at;
  }
  return arrow.makeData({ type, length: rows, nullCount: 0, valueOffsets: offsets, data: values.subarray(0, at) });
}

/** The batches with every symbol column on the last (largest) dictionary, so a table has one per column. */
function withFinalDictionary(arrow: Arrow, batches: ArrowNs.RecordBatch[]): ArrowNs.RecordBatch[] {
  const last = batches[batches.length - 1]!;
  return batches.map((batch) => {
    const children = batch.data.children.map((child, i) => {
      if (!arrow.DataType.isDictionary(child.type)) return child;
      const dictionary = last.data.children[i]!.dictionary!;
      // The same buffers and offset (a slice keeps its validity bitmap whole), another dictionary.
      return new arrow.Data(child.type, child.offset, child.length, child.nullCount, child.buffers, child.children, dictionary);
    });
    return new arrow.RecordBatch(batch.schema, arrow.makeData({ type: batch.data.type, length: batch.numRows, nullCount: 0, children }));
  });
}

/** Options of {@link writeArrowIpc}. */
export interface ArrowIpcOptions extends ArrowOptions {
  /** `'file'` (Feather v2, random access; the default for a path ending `.arrow`/`.feather`) or `'stream'` (the IPC stream format). */
  format?: 'file' | 'stream';
}

/**
 * Writes the records as Arrow IPC (file or stream format) to `dest`, a path
 * or a writable stream (left open), batch by batch. Resolves to the number
 * of rows written.
 */
export async function writeArrowIpc(source: BatchSource, dest: string | Writable, options: ArrowIpcOptions = {}): Promise<number> {
  const format = options.format ?? (typeof dest === 'string' && !/\.(arrow|feather|ipc)$/i.test(dest) ? 'stream' : 'file');
  if (format !== 'file' && format !== 'stream') throw new InvalidArgumentError(`format must be 'file' or 'stream', not ${String(format)}`);
  checkArrowOptions(options);
  const arrow = await loadArrow();
  const writer = format === 'file' ? new arrow.RecordBatchFileWriter() : new arrow.RecordBatchStreamWriter();
  const out = typeof dest === 'string' ? createWriteStream(dest) : dest;
  const done = pipeline(writer.toNodeStream(), out, { end: typeof dest === 'string' });
  let rows = 0;
  try {
    for await (const batch of arrowBatches(source, options)) {
      writer.write(batch);
      rows += batch.numRows;
    }
    writer.finish();
  } catch (err) {
    writer.abort();
    await done.catch(() => undefined);
    throw err;
  }
  await done;
  return rows;
}
