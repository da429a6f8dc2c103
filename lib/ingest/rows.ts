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
  #lastTs = -1n;
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
    const ts = columns[this.#table.indexTs] as BigUint64Array;
    const pub = columns['publisher_id'] as Uint16Array;
    const iid = columns['instrument_id'] as Uint32Array;
    const ord = new Uint32Array(count);
    const symbol = new Uint32Array(count);
    let dayStart = 0n;
    let dayEnd = 0n;
    let day = 0;
    for (let i = 0; i < count; i++) {
      const t = ts[i]!;
      if (t !== this.#lastTs) {
        if (t < this.#lastTs) {
          throw new DatabentoError(
            `records are not in ${this.#table.indexTs} order (${t} after ${this.#lastTs}); ingest needs them sorted as Databento sends them`,
            'UNSORTED_RECORDS',
          );
        }
        this.#lastTs = t;
        this.#counts.clear();
      }
      const id = pub[i]! * ID_SPAN + iid[i]!;
      // Most records are alone at their timestamp: no map work for them.
      const alone = this.#counts.size === 0 && i + 1 < count && ts[i + 1] !== t;
      if (!alone) {
        const n = this.#counts.get(id) ?? 0;
        ord[i] = n;
        this.#counts.set(id, n + 1);
      }
      if (this.symbolOf) {
        const s = this.symbolOf(iid[i]!);
        symbol[i] = s === undefined ? 0 : this.#dict.id(s);
        continue;
      }
      if (t >= dayEnd || t < dayStart) {
        day = Number(t / DAY_NS);
        dayStart = BigInt(day) * DAY_NS;
        dayEnd = dayStart + DAY_NS;
      }
      symbol[i] = this.#symbols.get(day * ID_SPAN + iid[i]!) ?? 0;
    }
    return { count, columns, ord, symbol };
  }
}
