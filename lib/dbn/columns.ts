/**
 * Records as columns: one typed array per field, the shape Arrow tables and
 * DataFrame libraries take. The columns are built natively
 * (deps/databento-core ColumnBuilder), one contiguous buffer per field.
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import { RType, rtypeForSchema, schemaFromName } from '../generated/enums.js';
import { LAYOUTS, LEVEL_LAYOUTS } from '../generated/records.js';
import { CHARS } from '../records/base.js';
import { native } from '../native.js';
import { RecordBatch } from './batch.js';
import { metadataToNative, type Metadata } from './metadata.js';

/**
 * One column: a typed array for numbers (bigint arrays for 64-bit fields,
 * `Float64Array` for `prettyPx` prices), strings for chars and text.
 */
export type Column =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | BigUint64Array
  | BigInt64Array
  | Float64Array
  | string[];

/**
 * Any column {@link toColumns} gives: with `mapSymbols` (the `symbol`
 * column) or `timestamps: 'iso'`, also strings that may be `null`; with
 * `timestamps: 'date'`, `Date`s (`null` for 0 and undefined timestamps).
 */
export type AnyColumn = Column | (string | null)[] | (Date | null)[];

/** Records of one type as columns. */
export interface Columns<C = Column> {
  /** The rtype of the records taken (-1 when there were no records). */
  rtype: number;
  /** How the rtype was chosen: given in the options, the schema's, or the first data record's. */
  rtypeFrom: 'option' | 'schema' | 'first-record';
  /** Records of other rtypes left out (e.g. gateway `SystemMsg`s in a live capture). */
  skipped: number;
  /** Name of the record layout, e.g. `'MboMsg'`. */
  layout: string;
  /** Number of rows. */
  count: number;
  /**
   * Columns by field name, in layout order: header fields (`ts_event`, `rtype`,
   * `publisher_id`, `instrument_id`), body fields, and book levels flattened as
   * `bid_px_00 … ask_ct_09`; then `ts_out` (records with the gateway's send
   * time) and `symbol` (with `mapSymbols`). Prices stay fixed-point (×1e-9)
   * integers unless `prettyPx`.
   */
  columns: Record<string, C>;
}

/** Options of {@link toColumns}. */
export interface ColumnsOptions {
  /**
   * Take records of this rtype; others are skipped (and counted in `skipped`).
   * Default: the rtype of the schema (`schema`, or a store's metadata), else
   * that of the first record that is not a gateway message (`SystemMsg`,
   * `ErrorMsg`, `SymbolMappingMsg`).
   */
  rtype?: number;
  /** The schema of the records (e.g. `'mbo'`), which decides the default rtype. */
  schema?: string;
  /** Take only these columns (default: all). */
  fields?: string[];
  /** Prices as `Float64Array`s of decimal values (fixed-point ÷ 1e9, as the record views' `pretty_` getters; undefined prices are `NaN`). Default false. */
  prettyPx?: boolean;
  /**
   * Add a `symbol` column from the metadata's symbol mappings (by instrument
   * id and the UTC day of `ts_recv`, else `ts_event`), or, for data without
   * mappings (live), from the `SymbolMappingMsg` records before each record.
   * `null` where no symbol is known. Default false.
   */
  mapSymbols?: boolean;
  /** The metadata with the symbol mappings for `mapSymbols` (a store passes its own). */
  metadata?: Metadata;
  /**
   * Timestamps as `BigUint64Array`s of UNIX nanoseconds (`'bigint'`, the
   * default), `Date`s (`'date'`, millisecond precision) or RFC 3339 strings
   * with nanoseconds (`'iso'`); 0 and undefined timestamps are `null` in the
   * last two.
   */
  timestamps?: 'bigint' | 'date' | 'iso';
}

/** How the addon describes one column. @internal */
export interface NativeColumnInfo {
  name: string;
  type: 'u8' | 'i8' | 'u16' | 'i16' | 'u32' | 'i32' | 'u64' | 'i64' | 'ts' | 'price' | 'char' | 'cstr';
  out: 'copy' | 'f64' | 'symbol';
  width: number;
}

/** The addon's column builder. @internal */
export interface NativeColumnBuilder {
  append(records: ArrayBuffer | ArrayBufferView): number;
  appendAsync(batches: (ArrayBuffer | ArrayBufferView)[]): Promise<number>;
  columns(): NativeColumnInfo[];
  take(wanted?: boolean[]): { rows: number; buffers: (ArrayBuffer | undefined)[]; symbols: string[] };
  skipped(): number;
  reserve(rows: number): void;
  layout(): string;
}
type NativeColumnBuilderClass = new (options: object, metadata: object | null) => NativeColumnBuilder;

/** Gateway message rtypes (system, error, symbol mapping). @internal */
export const GATEWAY_RTYPES: ReadonlySet<number> = new Set([RType.System, RType.Error, RType.SymbolMapping]);

/**
 * Converts the records of one rtype to columns.
 *
 * ```ts
 * const { columns } = toColumns(store.batchesSync());
 * columns.price; // BigInt64Array
 * ```
 */
export function toColumns(batches: RecordBatch | Iterable<RecordBatch>, options?: ColumnsOptions & { mapSymbols?: false; timestamps?: 'bigint' }): Columns;
export function toColumns(batches: RecordBatch | Iterable<RecordBatch>, options: ColumnsOptions): Columns<AnyColumn>;
export function toColumns(batches: RecordBatch | Iterable<RecordBatch>, options: ColumnsOptions = {}): Columns<AnyColumn> {
  checkColumnsOptions(options);
  // Each batch is gathered as soon as it is decoded (while in cache) and then
  // dropped; only batches before the first data record wait for the rtype.
  let pending: RecordBatch[] = [];
  let builder: NativeColumnBuilder | undefined;
  let choice: ReturnType<typeof chooseRtype> | undefined;
  const start = (final: boolean): void => {
    const c = chooseRtype(pending, options);
    if (c.rtype === undefined || (!final && c.from === 'first-record' && GATEWAY_RTYPES.has(c.rtype))) return;
    choice = c;
    builder = newBuilder(c.rtype, pending[0], options, options.schema ?? options.metadata?.schema ?? undefined);
    for (const batch of pending) builder.append(batch.view);
    pending = [];
  };
  for (const batch of batches instanceof RecordBatch ? [batches] : batches) {
    if (builder) {
      builder.append(batch.view);
    } else {
      pending.push(batch);
      start(false);
    }
  }
  if (!builder) start(true);
  if (!builder || !choice) return { rtype: -1, rtypeFrom: chooseRtype([], options).from, skipped: 0, layout: '', count: 0, columns: {} };
  return { ...takeColumns(builder, options), rtype: choice.rtype!, rtypeFrom: choice.from, skipped: builder.skipped() };
}

/**
 * Converts the records to one {@link Columns} table per rtype, in the order
 * each rtype first appears (gateway messages included): mixed data such as a
 * live capture of several schemas, or definitions beside trades.
 */
export function toColumnTables(batches: RecordBatch | Iterable<RecordBatch>, options?: Omit<ColumnsOptions, 'rtype' | 'schema'> & { mapSymbols?: false; timestamps?: 'bigint' }): Columns[];
export function toColumnTables(batches: RecordBatch | Iterable<RecordBatch>, options: Omit<ColumnsOptions, 'rtype' | 'schema'>): Columns<AnyColumn>[];
export function toColumnTables(batches: RecordBatch | Iterable<RecordBatch>, options: Omit<ColumnsOptions, 'rtype' | 'schema'> = {}): Columns<AnyColumn>[] {
  checkColumnsOptions(options);
  const list = batches instanceof RecordBatch ? [batches] : Array.from(batches);
  const rtypes: number[] = [];
  for (const batch of list) {
    const dv = batch.view;
    for (let o = 0; o + 1 < dv.byteLength && dv.getUint8(o) > 0; o += dv.getUint8(o) * 4) {
      const r = dv.getUint8(o + 1);
      if (!rtypes.includes(r)) rtypes.push(r);
    }
  }
  return rtypes.map((rtype) => toColumns(list, { ...options, rtype }));
}

/**
 * A builder for records of `rtype`, like `first` (version, ts_out). With the
 * data's `schema` (when its rtype is `rtype`) the columns are known before any record. @internal
 */
export function newBuilder(rtype: number, first: RecordBatch | undefined, options: ColumnsOptions, schema?: string): NativeColumnBuilder {
  const Builder = native['NativeColumnBuilder'] as NativeColumnBuilderClass;
  const schemaId = schema === undefined ? undefined : schemaFromName(schema);
  const nativeOptions = {
    rtype,
    prettyPx: options.prettyPx ?? false,
    mapSymbols: options.mapSymbols ?? false,
    tsOut: first?.tsOut ?? options.metadata?.ts_out ?? false,
    version: first?.version ?? 3,
    ...(schemaId === undefined ? {} : { schema: schemaId }),
    ...(options.fields?.length ? { fields: options.fields } : {}),
  };
  return new Builder(nativeOptions, options.mapSymbols && options.metadata ? metadataToNative(options.metadata) : null);
}

/** The builder's rows as JS columns (the rows are dropped from the builder). @internal */
export function takeColumns(builder: NativeColumnBuilder, options: ColumnsOptions): { layout: string; count: number; columns: Record<string, AnyColumn> } {
  const infos = builder.columns();
  if (options.fields && builder.layout() !== '') {
    const names = columnNames(builder.layout(), options);
    const unknown = options.fields.filter((f) => !names.includes(f));
    if (unknown.length) throw new InvalidArgumentError(`no field ${unknown.join(', ')} in ${builder.layout()}; it has ${names.join(', ')}`);
  }
  const wanted = options.fields ? infos.map((info) => options.fields!.includes(info.name)) : undefined;
  const { rows, buffers, symbols } = builder.take(wanted);
  const columns: Record<string, AnyColumn> = {};
  infos.forEach((info, i) => {
    const buffer = buffers[i];
    if (buffer) columns[info.name] = toJsColumn(info, buffer, rows, symbols, options.timestamps ?? 'bigint');
  });
  return { layout: builder.layout(), count: rows, columns };
}

/** Every column name of a layout, in order (as columns_fields.hpp lists them). */
function columnNames(layoutName: string, options: ColumnsOptions): string[] {
  const layout = LAYOUTS.find((l) => l.name === layoutName);
  const names: string[] = [];
  for (const field of layout?.fields ?? []) {
    if (field.type === 'pad') continue;
    if (field.type === 'header') {
      names.push('ts_event', 'rtype', 'publisher_id', 'instrument_id');
    } else if (field.type === 'levels') {
      const level = LEVEL_LAYOUTS.find((l) => l.name === field.of)!;
      for (let i = 0; i < field.count!; i++) {
        for (const lf of level.fields) {
          const [side, what] = lf.name.split('_') as [string, string];
          if (lf.type !== 'pad') names.push(`${side}_${what}_${String(i).padStart(2, '0')}`);
        }
      }
    } else {
      names.push(field.name);
    }
  }
  if (options.metadata?.ts_out) names.push('ts_out');
  if (options.mapSymbols) names.push('symbol');
  return names;
}

function toJsColumn(info: NativeColumnInfo, buffer: ArrayBuffer, rows: number, symbols: string[], timestamps: 'bigint' | 'date' | 'iso'): AnyColumn {
  if (info.out === 'f64') return new Float64Array(buffer);
  if (info.out === 'symbol') {
    const codes = new Int32Array(buffer);
    const out = new Array<string | null>(rows);
    for (let i = 0; i < rows; i++) out[i] = codes[i]! < 0 ? null : symbols[codes[i]!]!;
    return out;
  }
  switch (info.type) {
    case 'u8':
      return new Uint8Array(buffer);
    case 'i8':
      return new Int8Array(buffer);
    case 'u16':
      return new Uint16Array(buffer);
    case 'i16':
      return new Int16Array(buffer);
    case 'u32':
      return new Uint32Array(buffer);
    case 'i32':
      return new Int32Array(buffer);
    case 'u64':
      return new BigUint64Array(buffer);
    case 'ts':
      return timestampColumn(new BigUint64Array(buffer), timestamps);
    case 'i64':
    case 'price':
      return new BigInt64Array(buffer);
    case 'char': {
      const bytes = new Uint8Array(buffer);
      const out = new Array<string>(rows);
      for (let i = 0; i < rows; i++) out[i] = CHARS[bytes[i]!]!;
      return out;
    }
    case 'cstr':
      return cstrColumn(new Uint8Array(buffer), rows, info.width);
  }
}

const UNDEF_TIMESTAMP = 2n ** 64n - 1n;

function timestampColumn(ns: BigUint64Array, as: 'bigint' | 'date' | 'iso'): AnyColumn {
  if (as === 'bigint') return ns;
  const out: (Date | null)[] = Array.from(ns, (t) => (t === 0n || t === UNDEF_TIMESTAMP ? null : new Date(Number(t / 1_000_000n))));
  if (as === 'date') return out;
  return out.map((d, i) => (d === null ? null : `${d.toISOString().slice(0, 19)}.${String(ns[i]! % 1_000_000_000n).padStart(9, '0')}Z`));
}

const latin1 = new TextDecoder('latin1');

function cstrColumn(bytes: Uint8Array, rows: number, width: number): string[] {
  const out = new Array<string>(rows);
  for (let r = 0, at = 0; r < rows; r++, at += width) {
    const nul = bytes.subarray(at, at + width).indexOf(0);
    out[r] = latin1.decode(bytes.subarray(at, nul < 0 ? at + width : at + nul));
  }
  return out;
}

function checkColumnsOptions(options: ColumnsOptions): void {
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError('options must be an object');
  for (const key of ['prettyPx', 'mapSymbols'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'boolean') throw new InvalidArgumentError(`${key} must be a boolean`);
  }
  if (options.timestamps !== undefined && !['bigint', 'date', 'iso'].includes(options.timestamps)) {
    throw new InvalidArgumentError(`timestamps must be 'bigint', 'date' or 'iso', not ${String(options.timestamps)}`);
  }
  if (options.fields !== undefined && !Array.isArray(options.fields)) throw new InvalidArgumentError('fields must be an array of column names');
}

/** The rtype to take: the option's, the schema's, else the first data record's (or first record's). */
export function chooseRtype(list: readonly RecordBatch[], options: ColumnsOptions): { rtype: number | undefined; from: Columns['rtypeFrom'] } {
  if (options.rtype !== undefined) {
    if (!Number.isInteger(options.rtype) || options.rtype < 0 || options.rtype > 255) {
      throw new InvalidArgumentError(`rtype must be an integer from 0 to 255, not ${options.rtype}`);
    }
    return { rtype: options.rtype, from: 'option' };
  }
  if (options.schema !== undefined) {
    const schema = schemaFromName(options.schema);
    const rtype = schema === undefined ? undefined : rtypeForSchema(schema);
    if (rtype === undefined) throw new InvalidArgumentError(`unknown schema ${JSON.stringify(options.schema)}`);
    return { rtype, from: 'schema' };
  }
  let first: number | undefined;
  for (const batch of list) {
    const dv = batch.view;
    for (let o = 0; o + 1 < dv.byteLength && dv.getUint8(o) > 0; o += dv.getUint8(o) * 4) {
      const r = dv.getUint8(o + 1);
      if (!GATEWAY_RTYPES.has(r)) return { rtype: r, from: 'first-record' };
      first ??= r;
    }
  }
  // Gateway messages only: take the first of them.
  return { rtype: first, from: 'first-record' };
}
