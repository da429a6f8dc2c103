/**
 * Records as columns: one typed array per field, the shape Arrow tables and
 * DataFrame libraries take.
 * @module
 */
import { DbnError, InvalidArgumentError } from '../errors.js';
import { RType, rtypeForSchema, schemaFromName } from '../generated/enums.js';
import { HEADER_LAYOUT, LAYOUTS, LEVEL_LAYOUTS, recordClassFor, recordSize, UnknownRecord, type FieldInfo } from '../generated/records.js';
import { CHARS, readCStr } from '../records/base.js';
import { RecordBatch } from './batch.js';

/** One column: a typed array for numbers (bigint arrays for 64-bit fields), strings for chars and text. */
export type Column =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | BigUint64Array
  | BigInt64Array
  | string[];

/** Records of one type as columns. */
export interface Columns {
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
   * `bid_px_00 … ask_ct_09`. Prices stay fixed-point (×1e-9) integers.
   */
  columns: Record<string, Column>;
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
}

/** Where one column's values sit in each record, and how to read them. */
interface ColumnSpec {
  name: string;
  type: FieldInfo['type'];
  offset: number;
  size: number;
}

// Header columns in the order of Databento's tabular output.
const HEADER_COLUMNS: ColumnSpec[] = ['ts_event', 'rtype', 'publisher_id', 'instrument_id'].map((name) => ({
  ...HEADER_LAYOUT.fields.find((f) => f.name === name)!,
}));

function columnSpecs(layoutName: string): ColumnSpec[] {
  const layout = LAYOUTS.find((l) => l.name === layoutName);
  if (!layout) return [...HEADER_COLUMNS];
  const specs: ColumnSpec[] = [];
  for (const field of layout.fields) {
    if (field.type === 'pad') continue;
    if (field.type === 'header') {
      specs.push(...HEADER_COLUMNS);
    } else if (field.type === 'levels') {
      const level = LEVEL_LAYOUTS.find((l) => l.name === field.of)!;
      for (let i = 0; i < field.count!; i++) {
        for (const lf of level.fields) {
          if (lf.type === 'pad') continue;
          const [side, what] = lf.name.split('_') as [string, string];
          specs.push({ ...lf, name: `${side}_${what}_${String(i).padStart(2, '0')}`, offset: field.offset + i * level.size + lf.offset });
        }
      }
    } else {
      specs.push({ ...field });
    }
  }
  return specs;
}

function allocate(spec: ColumnSpec, n: number): Column {
  switch (spec.type) {
    case 'u8':
      return new Uint8Array(n);
    case 'i8':
      return new Int8Array(n);
    case 'u16':
      return new Uint16Array(n);
    case 'i16':
      return new Int16Array(n);
    case 'u32':
      return new Uint32Array(n);
    case 'i32':
      return new Int32Array(n);
    case 'u64':
    case 'ts':
      return new BigUint64Array(n);
    case 'i64':
    case 'price':
      return new BigInt64Array(n);
    default:
      return new Array<string>(n);
  }
}

/** Fills rows `row…` of `col` from the records at `offsets` of one batch. */
function fill(col: Column, spec: ColumnSpec, dv: DataView, offsets: number[], row: number): void {
  const at = spec.offset;
  const n = offsets.length;
  switch (spec.type) {
    case 'u8':
      for (let i = 0; i < n; i++) (col as Uint8Array)[row + i] = dv.getUint8(offsets[i]! + at);
      return;
    case 'i8':
      for (let i = 0; i < n; i++) (col as Int8Array)[row + i] = dv.getInt8(offsets[i]! + at);
      return;
    case 'u16':
      for (let i = 0; i < n; i++) (col as Uint16Array)[row + i] = dv.getUint16(offsets[i]! + at, true);
      return;
    case 'i16':
      for (let i = 0; i < n; i++) (col as Int16Array)[row + i] = dv.getInt16(offsets[i]! + at, true);
      return;
    case 'u32':
      for (let i = 0; i < n; i++) (col as Uint32Array)[row + i] = dv.getUint32(offsets[i]! + at, true);
      return;
    case 'i32':
      for (let i = 0; i < n; i++) (col as Int32Array)[row + i] = dv.getInt32(offsets[i]! + at, true);
      return;
    case 'u64':
    case 'ts':
      for (let i = 0; i < n; i++) (col as BigUint64Array)[row + i] = dv.getBigUint64(offsets[i]! + at, true);
      return;
    case 'i64':
    case 'price':
      for (let i = 0; i < n; i++) (col as BigInt64Array)[row + i] = dv.getBigInt64(offsets[i]! + at, true);
      return;
    case 'char':
      for (let i = 0; i < n; i++) (col as string[])[row + i] = CHARS[dv.getUint8(offsets[i]! + at)]!;
      return;
    default:
      for (let i = 0; i < n; i++) (col as string[])[row + i] = readCStr(dv, offsets[i]! + at, spec.size);
  }
}

/**
 * Converts the records of one rtype to columns.
 *
 * ```ts
 * const { columns } = toColumns(store.batchesSync());
 * columns.price; // BigInt64Array
 * ```
 */
export function toColumns(batches: RecordBatch | Iterable<RecordBatch>, options: ColumnsOptions = {}): Columns {
  const list = batches instanceof RecordBatch ? [batches] : Array.from(batches);
  let { rtype, from } = defaultRtype(options);
  // Pass 1: where the wanted records are.
  let layout: string | undefined;
  const offsets: number[][] = [];
  let count = 0;
  let skipped = 0;
  for (const batch of list) {
    const dv = batch.view;
    const mine: number[] = [];
    for (let o = 0; o < dv.byteLength; o += dv.getUint8(o) * 4) {
      const r = dv.getUint8(o + 1);
      if (rtype === undefined && !GATEWAY_RTYPES.has(r)) rtype = r;
      if (r !== rtype) {
        skipped++;
        continue;
      }
      const cls = layoutOf(dv, o, batch.version);
      if (layout !== undefined && cls !== layout) {
        throw new DbnError(`record at byte ${o} of a batch has the layout ${cls}, not ${layout} as the records before it`, 'BAD_RECORD_LENGTH');
      }
      layout = cls;
      mine.push(o);
    }
    offsets.push(mine);
    count += mine.length;
  }
  if (rtype === undefined) {
    // Gateway messages only: take the first of them.
    const first = list.find((b) => b.view.byteLength > 0);
    if (!first) return { rtype: -1, rtypeFrom: from, skipped: 0, layout: '', count: 0, columns: {} };
    return toColumns(list, { ...options, rtype: first.view.getUint8(1) });
  }
  let specs = columnSpecs(layout ?? '');
  if (options.fields) {
    const unknown = options.fields.filter((f) => !specs.some((s) => s.name === f));
    if (unknown.length) {
      throw new InvalidArgumentError(`no field ${unknown.join(', ')} in ${layout}; it has ${specs.map((s) => s.name).join(', ')}`);
    }
    specs = specs.filter((s) => options.fields!.includes(s.name));
  }
  // Pass 2: one column at a time, so each loop reads one field.
  const columns: Record<string, Column> = {};
  for (const spec of specs) {
    const col = allocate(spec, count);
    let row = 0;
    list.forEach((batch, i) => {
      fill(col, spec, batch.view, offsets[i]!, row);
      row += offsets[i]!.length;
    });
    columns[spec.name] = col;
  }
  return { rtype, rtypeFrom: from, skipped, layout: layout ?? '', count, columns };
}

const GATEWAY_RTYPES: ReadonlySet<number> = new Set([RType.System, RType.Error, RType.SymbolMapping]);

function defaultRtype(options: ColumnsOptions): { rtype: number | undefined; from: Columns['rtypeFrom'] } {
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
  return { rtype: undefined, from: 'first-record' };
}

/** The view class name of the record at `o`; a DbnError when it is too short for any layout of its rtype. */
function layoutOf(dv: DataView, o: number, version: number): string {
  const length = dv.getUint8(o) * 4;
  const rtype = dv.getUint8(o + 1);
  const cls = recordClassFor(rtype, version, length);
  if (cls === UnknownRecord && recordSize(rtype, version) !== undefined) {
    throw new DbnError(`record at byte ${o} of a batch (rtype ${rtype}) has ${length} bytes, fewer than its layout needs`, 'BAD_RECORD_LENGTH');
  }
  return cls.name;
}
