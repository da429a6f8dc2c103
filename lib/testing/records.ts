/**
 * Building DBN records from field values, laid out by the generated layout
 * table (the same table the record views and the C++ structs come from), so
 * mocks and sample data never hard-code an offset.
 *
 * ```ts
 * import { encodeRecord } from 'databento-node/testing';
 *
 * const trade = encodeRecord('TradeMsg', {
 *   instrument_id: 42, ts_event: 1_700_000_000_000_000_000n,
 *   price: 4_500_250_000_000n, size: 3, action: 'T', side: 'B',
 * });
 * ```
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import { HEADER_LAYOUT, LAYOUTS, LEVEL_LAYOUTS, type FieldInfo, type LayoutInfo } from '../generated/records.js';

/** A scalar field value: integers as number or bigint, chars and strings as text. */
export type FieldValue = number | bigint | string;

/**
 * Field values of one record, by the names of Databento's schema docs. The
 * header fields (`rtype`, `publisher_id`, `instrument_id`, `ts_event`) sit
 * beside the others; `length` and `rtype` default to the layout's. Book levels
 * are `levels: [{ bid_px, ask_px, … }, …]`. Fields left out are zero.
 */
export interface RecordFields {
  [field: string]: FieldValue | readonly Readonly<Record<string, FieldValue>>[] | undefined;
}

const BY_NAME = new Map<string, LayoutInfo>([...LAYOUTS, ...LEVEL_LAYOUTS].map((l) => [l.name, l]));

/** The raw bytes of one record of layout `layoutName` (e.g. `'TradeMsg'`, `'SystemMsg'`), in the layout's own size. */
export function encodeRecord(layoutName: string, fields: RecordFields): Uint8Array {
  const layout = BY_NAME.get(layoutName);
  if (layout === undefined || layout.rtypes === undefined) throw new InvalidArgumentError(`unknown record layout '${layoutName}'`);
  const out = new Uint8Array(layout.size);
  const dv = new DataView(out.buffer);
  const header: Record<string, FieldValue> = { length: layout.size / 4, rtype: layout.rtypes[0]! };
  const body: Record<string, FieldValue | readonly Readonly<Record<string, FieldValue>>[]> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (HEADER_LAYOUT.fields.some((f) => f.name === name)) header[name] = value as FieldValue;
    else body[name] = value;
  }
  writeStruct(dv, 0, HEADER_LAYOUT, header, layoutName);
  writeStruct(dv, 0, layout, body, layoutName);
  return out;
}

/**
 * Byte offsets of the fields of layout `layoutName`, header fields included,
 * for code that fills many records of one layout in a tight loop.
 */
export function fieldOffsets(layoutName: string): Readonly<Record<string, number>> {
  const layout = BY_NAME.get(layoutName);
  if (layout === undefined) throw new InvalidArgumentError(`unknown record layout '${layoutName}'`);
  const out: Record<string, number> = {};
  for (const f of [...(layout.rtypes ? HEADER_LAYOUT.fields : []), ...layout.fields]) {
    if (f.type !== 'header' && f.type !== 'pad') out[f.name] = f.offset;
  }
  return Object.freeze(out);
}

function writeStruct(dv: DataView, base: number, layout: LayoutInfo, values: Readonly<Record<string, unknown>>, what: string): void {
  for (const [name, value] of Object.entries(values)) {
    const field = layout.fields.find((f) => f.name === name);
    if (field === undefined || field.type === 'pad') throw new InvalidArgumentError(`${what} has no field '${name}'`);
    if (field.type === 'header') continue;
    if (field.type === 'levels') {
      const level = BY_NAME.get(field.of!)!;
      const levels = value as readonly Readonly<Record<string, FieldValue>>[];
      if (!Array.isArray(levels) || levels.length > field.count!) {
        throw new InvalidArgumentError(`${what}.levels must be an array of at most ${field.count} levels`);
      }
      levels.forEach((l, i) => writeStruct(dv, base + field.offset + i * level.size, level, l, `${what}.levels[${i}]`));
      continue;
    }
    writeField(dv, base + field.offset, field, value as FieldValue, `${what}.${name}`);
  }
}

function writeField(dv: DataView, at: number, field: FieldInfo, value: FieldValue, what: string): void {
  switch (field.type) {
    case 'char': {
      const code = typeof value === 'string' ? value.charCodeAt(0) : Number(value);
      if ((typeof value === 'string' && value.length !== 1) || !(code >= 0 && code <= 0x7f)) {
        throw new InvalidArgumentError(`${what} must be one ASCII character`);
      }
      dv.setUint8(at, code);
      return;
    }
    case 'cstr': {
      const bytes = Buffer.from(String(value), 'latin1');
      if (bytes.length >= field.size) throw new InvalidArgumentError(`${what} is longer than ${field.size - 1} bytes`);
      new Uint8Array(dv.buffer, dv.byteOffset + at, bytes.length).set(bytes);
      return;
    }
    default:
      writeInteger(dv, at, field, value, what);
  }
}

const INT_RANGE: Record<string, [bigint, bigint]> = {
  u8: [0n, 0xffn],
  i8: [-0x80n, 0x7fn],
  u16: [0n, 0xffffn],
  i16: [-0x8000n, 0x7fffn],
  u32: [0n, 0xffff_ffffn],
  i32: [-0x8000_0000n, 0x7fff_ffffn],
  u64: [0n, (1n << 64n) - 1n],
  ts: [0n, (1n << 64n) - 1n],
  i64: [-(1n << 63n), (1n << 63n) - 1n],
  price: [-(1n << 63n), (1n << 63n) - 1n],
};

function writeInteger(dv: DataView, at: number, field: FieldInfo, value: FieldValue, what: string): void {
  let n: bigint;
  try {
    n = typeof value === 'bigint' ? value : BigInt(value);
  } catch {
    throw new InvalidArgumentError(`${what} must be an integer, not ${JSON.stringify(String(value))}`);
  }
  const [min, max] = INT_RANGE[field.type]!;
  if (n < min || n > max) throw new InvalidArgumentError(`${what} = ${n} is outside the range of ${field.type}`);
  switch (field.type) {
    case 'u8':
    case 'i8':
      dv.setUint8(at, Number(n) & 0xff);
      return;
    case 'u16':
    case 'i16':
      dv.setUint16(at, Number(n) & 0xffff, true);
      return;
    case 'u32':
    case 'i32':
      dv.setUint32(at, Number(BigInt.asUintN(32, n)), true);
      return;
    default:
      dv.setBigUint64(at, BigInt.asUintN(64, n), true);
  }
}
