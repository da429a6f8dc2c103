/**
 * Records to rows: a batch's records as columns, plus the two columns the
 * tables add — `ord` (the record's place among those sharing its index
 * timestamp, publisher and instrument) and the symbol from the metadata.
 * @module
 */
import { DatabentoError } from '../errors.js';
import { toColumns, type Column } from '../dbn/columns.js';
import type { RecordBatch } from '../dbn/batch.js';
import type { Metadata } from '../dbn/metadata.js';
import { TsSymbolMap } from '../symbology/ts-symbol-map.js';
import type { TableSpec } from './tables.js';

const DAY_NS = 86_400_000_000_000n;
const ID_SPAN = 0x1_0000_0000;

/** Rows of one table, column by column. */
export interface RowBlock {
  /** Number of rows. */
  count: number;
  /** The record fields, by column name. */
  columns: Record<string, Column>;
  /** The `ord` key column. */
  ord: Uint32Array;
  /** Index into {@link SymbolDictionary.symbols} (0: no symbol known). */
  symbol: Uint32Array;
}

/** Symbols as small integers, so each row carries a number rather than a string. */
export class SymbolDictionary {
  /** The symbols by id; id 0 is "unknown". */
  readonly symbols: string[] = [''];
  readonly #ids = new Map<string, number>();

  /** The id of `symbol`, added if new. */
  id(symbol: string): number {
    let id = this.#ids.get(symbol);
    if (id === undefined) {
      id = this.symbols.length;
      this.symbols.push(symbol);
      this.#ids.set(symbol, id);
    }
    return id;
  }
}

/**
 * Turns the batches of one stream (in order) into row blocks. Carries the
 * `ord` count across batches, since a group of records sharing a key may
 * straddle two batches.
 */
export class RowBuilder {
  readonly #table: TableSpec;
  readonly #fields: string[];
  readonly #dict: SymbolDictionary;
  #symbols: Map<number, number> = new Map();
  /** The last index timestamp seen, as its 32-bit halves (-1: none yet). */
  #lastLo = -1;
  #lastHi = -1;
  /** Key (publisher, instrument) of the last record, while it is alone at its timestamp and not yet counted. */
  #uncounted = -1;
  /** Records per (publisher, instrument) at the last timestamp, once a second record shares it. */
  #counts = new Map<number, number>();
  /** Records of other rtypes met (e.g. gateway messages), not loaded. */
  skipped = 0;
  /** Live: the symbol of an instrument now, used instead of the metadata's day-by-day mappings. */
  symbolOf: ((instrumentId: number) => string | undefined) | undefined;

  constructor(table: TableSpec, dict: SymbolDictionary, metadata?: Metadata) {
    this.#table = table;
    this.#fields = table.columns.map((c) => c.name);
    this.#dict = dict;
    if (metadata) this.setMetadata(metadata);
  }

  /** Takes symbols from the mappings of this metadata (historical: one per response). */
  setMetadata(metadata: Metadata): void {
    this.#symbols = new Map();
    if (metadata.stype_in !== 'instrument_id' && metadata.stype_out !== 'instrument_id') return;
    for (const e of TsSymbolMap.fromMetadata(metadata)) {
      const day = Date.parse(`${e.date}T00:00:00Z`) / 86_400_000;
      this.#symbols.set(day * ID_SPAN + e.instrumentId, this.#dict.id(e.symbol));
    }
  }

  /** Maps one instrument id to a symbol from now on (live: from a symbol mapping record). */
  setSymbol(day: number, instrumentId: number, symbol: string): void {
    this.#symbols.set(day * ID_SPAN + instrumentId, this.#dict.id(symbol));
  }

  /** The rows of a batch (records of other rtypes are counted in {@link skipped}). */
  rows(batch: RecordBatch): RowBlock {
    // A batch may hold no record of the table's rtype (live: only mappings or heartbeats).
    const { count, columns } = toColumns(batch, { rtype: this.#table.rtype });
    if (count > 0 && this.#fields.some((f) => !(f in columns))) {
      throw new DatabentoError(`records of rtype ${this.#table.rtype} lack columns of table ${this.#table.name}`, 'BAD_RECORD_LAYOUT');
    }
    this.skipped += batch.count - count;
    if (count === 0) return { count, columns, ord: new Uint32Array(0), symbol: new Uint32Array(0) };
    const ts = columns[this.#table.indexTs] as BigUint64Array;
    const pub = columns['publisher_id'] as Uint16Array;
    const iid = columns['instrument_id'] as Uint32Array;
    return { count, columns, ord: this.#ord(ts, pub, iid, count), symbol: this.#symbolIds(ts, iid, count) };
  }

  /**
   * The `ord` column. Timestamps are compared as their two 32-bit halves (plain
   * numbers, not bigints), and the per-instrument counting runs only inside a
   * group of records sharing a timestamp: most records are alone at theirs.
   */
  #ord(ts: BigUint64Array, pub: Uint16Array, iid: Uint32Array, count: number): Uint32Array {
    const ord = new Uint32Array(count);
    const words = new Uint32Array(ts.buffer, ts.byteOffset, count * 2);
    const counts = this.#counts;
    for (let i = 0; i < count; i++) {
      const lo = words[2 * i]!;
      const hi = words[2 * i + 1]!;
      if (lo !== this.#lastLo || hi !== this.#lastHi) {
        if (hi < this.#lastHi || (hi === this.#lastHi && lo < this.#lastLo)) {
          const last = BigInt(this.#lastHi) * 0x1_0000_0000n + BigInt(this.#lastLo);
          throw new DatabentoError(
            `records are not in ${this.#table.indexTs} order (${ts[i]} after ${last}); ingest needs them sorted as Databento sends them`,
            'UNSORTED_RECORDS',
          );
        }
        this.#lastLo = lo;
        this.#lastHi = hi;
        if (counts.size > 0) counts.clear();
        // ord 0; counted only if another record shares the timestamp.
        this.#uncounted = pub[i]! * ID_SPAN + iid[i]!;
        continue;
      }
      if (this.#uncounted >= 0) {
        counts.set(this.#uncounted, 1);
        this.#uncounted = -1;
      }
      const id = pub[i]! * ID_SPAN + iid[i]!;
      const n = counts.get(id) ?? 0;
      ord[i] = n;
      counts.set(id, n + 1);
    }
    return ord;
  }

  /** The symbol column: dictionary ids from the live session's or the metadata's mappings of each day. */
  #symbolIds(ts: BigUint64Array, iid: Uint32Array, count: number): Uint32Array {
    const symbol = new Uint32Array(count);
    if (this.symbolOf) {
      for (let i = 0; i < count; i++) {
        const s = this.symbolOf(iid[i]!);
        symbol[i] = s === undefined ? 0 : this.#dict.id(s);
      }
      return symbol;
    }
    if (this.#symbols.size === 0) return symbol;
    // Rows are sorted by time: one day at a time, the day's end found by binary search.
    for (let from = 0; from < count; ) {
      const day = Number(ts[from]! / DAY_NS);
      const dayEnd = BigInt(day + 1) * DAY_NS;
      let lo = from;
      let hi = count;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (ts[mid]! < dayEnd) lo = mid + 1;
        else hi = mid;
      }
      const base = day * ID_SPAN;
      let lastIid = -1;
      let lastId = 0;
      for (let i = from; i < lo; i++) {
        const id = iid[i]!;
        if (id !== lastIid) {
          lastIid = id;
          lastId = this.#symbols.get(base + id) ?? 0;
        }
        symbol[i] = lastId;
      }
      from = lo;
    }
    return symbol;
  }
}
