/**
 * Row blocks as PostgreSQL's binary COPY format: each value written in place
 * from its typed column (64-bit values from their two 32-bit halves), so the
 * server parses no text and no value becomes a JS string or bigint on the way.
 * The column types are those of the PostgreSQL tables (see postgres.ts).
 * @module
 */
import type { Column } from '../dbn/columns.js';
import type { RowBlock, SymbolDictionary } from './rows.js';
import type { ColumnDef } from './tables.js';
import { IngestError } from './target.js';

const encoder = new TextEncoder();

/** The stream's header: signature, flags, header extension length. */
export const COPY_HEADER = new Uint8Array([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]);
/** The stream's trailer: a field count of -1. */
export const COPY_TRAILER = new Uint8Array([0xff, 0xff]);

/** Writes field `i` of a column at `o` (a length word, then the value); returns the offset after it. */
type FieldWriter = (dv: DataView, bytes: Uint8Array, o: number, i: number) => number;

/** Bytes a field of this type may take, its length word included. */
function maxFieldBytes(c: ColumnDef): number {
  if (c.type === 'u64') return 4 + 8 + 5 * 2; // NUMERIC: 4 header words, ≤ 5 base-10000 digits
  if (c.type === 'cstr') return 4 + c.size * 3;
  return 4 + 8;
}

/** The 32-bit halves of a 64-bit column (little-endian: low word first). */
function halves(col: Column): Uint32Array {
  const c = col as BigUint64Array;
  return new Uint32Array(c.buffer, c.byteOffset, c.length * 2);
}

function writerFor(c: ColumnDef, col: Column): FieldWriter {
  switch (c.type) {
    case 'u8':
    case 'i8':
    case 'i16': {
      const v = col as Uint8Array | Int8Array | Int16Array;
      return (dv, _b, o, i) => (dv.setInt32(o, 2), dv.setInt16(o + 4, v[i]!), o + 6);
    }
    case 'u16':
    case 'i32': {
      const v = col as Uint16Array | Int32Array;
      return (dv, _b, o, i) => (dv.setInt32(o, 4), dv.setInt32(o + 4, v[i]!), o + 8);
    }
    case 'u32': {
      const v = col as Uint32Array;
      return (dv, _b, o, i) => (dv.setInt32(o, 8), dv.setUint32(o + 4, 0), dv.setUint32(o + 8, v[i]!), o + 12);
    }
    case 'i64':
    case 'price': {
      const w = halves(col);
      return (dv, _b, o, i) => (dv.setInt32(o, 8), dv.setUint32(o + 4, w[2 * i + 1]!), dv.setUint32(o + 8, w[2 * i]!), o + 12);
    }
    case 'ts': {
      const w = halves(col);
      return (dv, _b, o, i) => {
        const hi = w[2 * i + 1]!;
        const lo = w[2 * i]!;
        if (hi === 0xffffffff && lo === 0xffffffff) return dv.setInt32(o, -1), o + 4; // undefined: NULL
        if (hi >= 0x80000000) throw new IngestError(`${c.name} ${(col as BigUint64Array)[i]} is beyond PostgreSQL's BIGINT`, 'TARGET_ERROR');
        return dv.setInt32(o, 8), dv.setUint32(o + 4, hi), dv.setUint32(o + 8, lo), o + 12;
      };
    }
    case 'u64': {
      const w = halves(col);
      return (dv, _b, o, i) => numeric(dv, o, w[2 * i + 1]!, w[2 * i]!);
    }
    case 'char':
      return charWriter(col);
    default: {
      const v = col as string[];
      return (dv, bytes, o, i) => {
        const { written } = encoder.encodeInto(v[i]!, bytes.subarray(o + 4));
        dv.setInt32(o, written);
        return o + 4 + written;
      };
    }
  }
}

/** One-character fields (strings, or their codes) as TEXT; NUL as NULL, Latin-1 as its UTF-8. */
function charWriter(col: Column): FieldWriter {
  const strings = Array.isArray(col) ? (col as string[]) : undefined;
  const codes = col as Uint8Array;
  return (dv, bytes, o, i) => {
    const code = strings ? strings[i]!.charCodeAt(0) || 0 : codes[i]!;
    if (code === 0) return dv.setInt32(o, -1), o + 4;
    if (code < 0x80) return dv.setInt32(o, 1), (bytes[o + 4] = code), o + 5;
    dv.setInt32(o, 2);
    bytes[o + 4] = 0xc0 | (code >> 6);
    bytes[o + 5] = 0x80 | (code & 0x3f);
    return o + 6;
  };
}

const digits = new Uint16Array(5);

/** An unsigned 64-bit integer as a binary NUMERIC: base-10000 digits found by long division of 16-bit limbs. */
function numeric(dv: DataView, o: number, hi: number, lo: number): number {
  let a = hi >>> 16;
  let b = hi & 0xffff;
  let c = lo >>> 16;
  let d = lo & 0xffff;
  let n = 0;
  while (a | b | c | d) {
    let r = a % 10000;
    a = Math.floor(a / 10000);
    r = r * 65536 + b;
    b = Math.floor(r / 10000);
    r = (r % 10000) * 65536 + c;
    c = Math.floor(r / 10000);
    r = (r % 10000) * 65536 + d;
    d = Math.floor(r / 10000);
    digits[n++] = r % 10000;
  }
  dv.setInt32(o, 8 + 2 * n);
  dv.setInt16(o + 4, n); // digit count
  dv.setInt16(o + 6, n - 1 < 0 ? 0 : n - 1); // weight: the first digit's power of 10000
  dv.setInt16(o + 8, 0); // sign: positive
  dv.setInt16(o + 10, 0); // display scale
  for (let k = 0; k < n; k++) dv.setInt16(o + 12 + 2 * k, digits[n - 1 - k]!);
  return o + 12 + 2 * n;
}

/** Encodes rows of blocks of one table: its record columns, then `ord` (INTEGER) and `symbol` (TEXT). */
export class PgBinaryRows {
  readonly #columns: ColumnDef[];
  readonly #rowBytes: number;
  /** UTF-8 of the dictionary's symbols, by id. */
  readonly #symbols: Uint8Array[] = [];
  #longestSymbol = 0;

  constructor(columns: ColumnDef[]) {
    this.#columns = columns;
    this.#rowBytes = 2 + columns.reduce((sum, c) => sum + maxFieldBytes(c), 0) + 8;
  }

  /** Rows `from…to` of `block`. */
  encode(block: RowBlock, dict: SymbolDictionary, from: number, to: number): Uint8Array {
    for (let id = this.#symbols.length; id < dict.symbols.length; id++) {
      const bytes = encoder.encode(dict.symbols[id]!);
      this.#symbols.push(bytes);
      this.#longestSymbol = Math.max(this.#longestSymbol, bytes.length);
    }
    const writers = this.#columns.map((c) => writerFor(c, block.columns[c.name]!));
    const out = new Uint8Array((to - from) * (this.#rowBytes + 4 + this.#longestSymbol));
    const dv = new DataView(out.buffer);
    const fields = this.#columns.length + 2;
    const { ord, symbol } = block;
    let o = 0;
    for (let i = from; i < to; i++) {
      dv.setInt16(o, fields);
      o += 2;
      for (let k = 0; k < writers.length; k++) o = writers[k]!(dv, out, o, i);
      dv.setInt32(o, 4);
      dv.setInt32(o + 4, ord[i]!);
      o += 8;
      const id = symbol[i]!;
      if (id === 0) {
        dv.setInt32(o, -1);
        o += 4;
      } else {
        const s = this.#symbols[id]!;
        dv.setInt32(o, s.length);
        out.set(s, o + 4);
        o += 4 + s.length;
      }
    }
    return out.subarray(0, o);
  }
}
