/**
 * Row blocks into DuckDB data chunks, a whole column slice at a time: numbers
 * and timestamps are copied as bytes into the vectors (a `ts` column's u64 ns
 * are the TIMESTAMP_NS vector's i64 ns), short strings are written as DuckDB's
 * inline string values, so no value becomes a JS object on the way.
 * @module
 */
import type * as Duck from '@duckdb/node-api';
import type * as Bindings from '@duckdb/node-bindings';
import { createRequire } from 'node:module';
import type { Column } from '../dbn/columns.js';
import type { RowBlock, SymbolDictionary } from './rows.js';
import type { ColumnDef } from './tables.js';

type DuckApi = typeof Duck;
type Vector = Bindings.Vector;

/** Rows of one data chunk (DuckDB's standard vector size). */
export const CHUNK_ROWS = 2048;
/** Bytes of one string value in a VARCHAR vector; strings up to 12 bytes are stored inline. */
const STRING_SIZE = 16;
const INLINE_MAX = 12;
const encoder = new TextEncoder();

/** The low-level bindings `@duckdb/node-api` is built on (its own dependency, resolved from it). */
export function duckBindings(): typeof Bindings {
  const api = createRequire(import.meta.url).resolve('@duckdb/node-api');
  return createRequire(api)('@duckdb/node-bindings') as typeof Bindings;
}

/** How a table column is filled from a block. */
type ColumnKind = 'bytes' | 'ts' | 'char' | 'cstr' | 'symbol';

function kindOf(c: ColumnDef): ColumnKind {
  if (c.type === 'ts' || c.type === 'char' || c.type === 'cstr') return c.type;
  return 'bytes';
}

/**
 * Fills one data chunk of a table's column types from row blocks: the table's
 * record columns, then `ord`, then `symbol` (VARCHAR).
 */
export class ChunkWriter {
  readonly chunk: Duck.DuckDBDataChunk;
  readonly #b: typeof Bindings;
  readonly #names: string[];
  readonly #kinds: ColumnKind[];
  readonly #strings = new Uint8Array(CHUNK_ROWS * STRING_SIZE);
  readonly #validity = new Uint32Array(CHUNK_ROWS / 32);
  /** Inline string values of the dictionary's symbols (undefined: too long to inline). */
  #symbolValues: (Uint8Array | undefined)[] = [];

  constructor(duck: DuckApi, bindings: typeof Bindings, columns: ColumnDef[], types: Duck.DuckDBType[]) {
    this.chunk = duck.DuckDBDataChunk.create(types);
    this.#b = bindings;
    this.#names = [...columns.map((c) => c.name), 'ord', 'symbol'];
    this.#kinds = [...columns.map(kindOf), 'bytes', 'symbol'];
  }

  /** Fills the chunk with rows `at…at+n` of `block` (n ≤ {@link CHUNK_ROWS}). */
  fill(block: RowBlock, dict: SymbolDictionary, at: number, n: number): Duck.DuckDBDataChunk {
    this.#b.data_chunk_set_size(this.chunk.chunk, n);
    for (let k = 0; k < this.#names.length; k++) {
      const vector = this.#b.data_chunk_get_vector(this.chunk.chunk, k);
      const name = this.#names[k]!;
      switch (this.#kinds[k]) {
        case 'bytes':
          this.#copy(vector, name === 'ord' ? block.ord : (block.columns[name] as Exclude<Column, string[]>), at, n);
          break;
        case 'ts':
          this.#timestamps(vector, block.columns[name] as BigUint64Array, at, n);
          break;
        case 'char':
          this.#chars(vector, block.columns[name]!, at, n);
          break;
        case 'cstr':
          this.#texts(vector, block.columns[name] as string[], at, n);
          break;
        case 'symbol':
          this.#symbols(vector, block.symbol, dict, at, n);
          break;
      }
    }
    return this.chunk;
  }

  #copy(vector: Vector, col: Exclude<Column, string[]>, at: number, n: number): void {
    const size = col.BYTES_PER_ELEMENT;
    this.#b.copy_data_to_vector(vector, 0, col.buffer as ArrayBuffer, col.byteOffset + at * size, n * size);
  }

  /** The validity mask of the first n rows: set bits are valid rows. */
  #writeValidity(vector: Vector, n: number): void {
    this.#b.vector_ensure_validity_writable(vector);
    this.#b.copy_data_to_vector_validity(vector, 0, this.#validity.buffer, 0, Math.ceil(n / 64) * 8);
  }

  /** UNIX ns as TIMESTAMP_NS (the same 8 bytes); the undefined timestamp (2^64 − 1) as NULL. */
  #timestamps(vector: Vector, col: BigUint64Array, at: number, n: number): void {
    this.#copy(vector, col, at, n);
    const words = new Uint32Array(col.buffer, col.byteOffset + at * 8, n * 2);
    const valid = this.#validity.fill(~0);
    for (let i = 0; i < n; i++) {
      if (words[2 * i] === 0xffffffff && words[2 * i + 1] === 0xffffffff) valid[i >>> 5]! &= ~(1 << (i & 31));
    }
    this.#writeValidity(vector, n);
  }

  /** One-character fields (strings, or their codes) as one-character VARCHARs; NUL as NULL. */
  #chars(vector: Vector, col: Column, at: number, n: number): void {
    const out = this.#strings.fill(0, 0, n * STRING_SIZE);
    const valid = this.#validity.fill(~0);
    const strings = Array.isArray(col) ? (col as string[]) : undefined;
    const codes = strings ? undefined : (col as Uint8Array);
    for (let i = 0; i < n; i++) {
      const code = strings ? strings[at + i]!.charCodeAt(0) || 0 : codes![at + i]!;
      const o = i * STRING_SIZE;
      if (code === 0) {
        valid[i >>> 5]! &= ~(1 << (i & 31));
      } else if (code < 0x80) {
        out[o] = 1;
        out[o + 4] = code;
      } else {
        // Latin-1 code point as UTF-8, as the same character in a JS string would be stored.
        out[o] = 2;
        out[o + 4] = 0xc0 | (code >> 6);
        out[o + 5] = 0x80 | (code & 0x3f);
      }
    }
    this.#b.copy_data_to_vector(vector, 0, out.buffer, 0, n * STRING_SIZE);
    this.#writeValidity(vector, n);
  }

  /** Text fields, each assigned (DuckDB copies strings too long to inline). */
  #texts(vector: Vector, col: string[], at: number, n: number): void {
    for (let i = 0; i < n; i++) this.#b.vector_assign_string_element(vector, i, col[at + i]!);
  }

  /** Symbols by dictionary id: inline values copied as bytes, longer ones assigned; id 0 as NULL. */
  #symbols(vector: Vector, ids: Uint32Array, dict: SymbolDictionary, at: number, n: number): void {
    for (let id = this.#symbolValues.length; id < dict.symbols.length; id++) this.#symbolValues.push(inlineString(dict.symbols[id]!));
    const out = this.#strings.fill(0, 0, n * STRING_SIZE);
    const valid = this.#validity.fill(~0);
    let long = false;
    for (let i = 0; i < n; i++) {
      const id = ids[at + i]!;
      const value = this.#symbolValues[id];
      if (id === 0) valid[i >>> 5]! &= ~(1 << (i & 31));
      else if (value) out.set(value, i * STRING_SIZE);
      else long = true;
    }
    this.#b.copy_data_to_vector(vector, 0, out.buffer, 0, n * STRING_SIZE);
    this.#writeValidity(vector, n);
    if (long) {
      for (let i = 0; i < n; i++) {
        const id = ids[at + i]!;
        if (id !== 0 && !this.#symbolValues[id]) this.#b.vector_assign_string_element(vector, i, dict.symbols[id]!);
      }
    }
  }
}

/** DuckDB's inline value of a string of ≤ 12 UTF-8 bytes: length (u32 LE), then the bytes, zero-padded. */
function inlineString(s: string): Uint8Array | undefined {
  const bytes = encoder.encode(s);
  if (bytes.length > INLINE_MAX) return undefined;
  const value = new Uint8Array(STRING_SIZE);
  new DataView(value.buffer).setUint32(0, bytes.length, true);
  value.set(bytes, 4);
  return value;
}
