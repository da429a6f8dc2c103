/**
 * The time-series symbol map: `(UTC date, instrument_id) → symbol`.
 * @module
 */
import { DatabentoError, InvalidArgumentError } from '../errors.js';
import { checkInstrumentId, isInverse, isRecord, parseInstrumentId, recordDay } from './common.js';
import { type DateLike, dayToIso, toDay } from './dates.js';
import type { SymbolMapMetadata, SymbolMapRecord } from './types.js';
import type { SymbologyResolution } from './resolution.js';

// A (day, id) pair packs into one exact double: days < 2^20 times 2^32 stays below 2^53.
const ID_SPAN = 0x1_0000_0000;
const key = (day: number, id: number): number => day * ID_SPAN + id;

/** One entry of a {@link TsSymbolMap}. */
export interface TsSymbolMapEntry {
  /** UTC day, `YYYY-MM-DD`. */
  date: string;
  /** Numeric instrument id. */
  instrumentId: number;
  /** The symbol the instrument had on that day. */
  symbol: string;
}

/**
 * Maps an instrument id on a given UTC day to its symbol, for historical data
 * spanning several days (instrument ids are reassigned over time, so the day
 * matters). Build it from a DBN store's metadata ({@link TsSymbolMap.fromMetadata}),
 * from a {@link SymbologyResolution} ({@link TsSymbolMap.fromResolution}), or
 * by hand with {@link TsSymbolMap.insert}; look records up with
 * `map.find(record)`, which uses the record's index timestamp (`ts_recv` where
 * the record has one, else `ts_event`).
 *
 * Overlapping inserts: the **first** symbol stored for a (day, id) wins, as in
 * the C++ client (the Rust crate lets the last one win). Overlaps are rare in
 * real data.
 *
 * @example
 * ```ts
 * const map = TsSymbolMap.fromMetadata(store.metadata);
 * for await (const rec of store) console.log(map.find(rec), rec.ts_event);
 * ```
 */
export class TsSymbolMap implements Iterable<TsSymbolMapEntry> {
  readonly #map = new Map<number, string>();

  /**
   * Builds the map from DBN metadata (historical streams and files). Throws
   * {@link InvalidArgumentError} unless `stype_in` or `stype_out` is
   * `instrument_id`. Live metadata (`stype_in` null) yields an empty map;
   * feed live data to a {@link PitSymbolMap} instead.
   */
  static fromMetadata(metadata: SymbolMapMetadata): TsSymbolMap {
    const map = new TsSymbolMap();
    const inverse = isInverse(metadata);
    for (const mapping of metadata.mappings) {
      for (const iv of mapping.intervals) {
        if (iv.symbol === '') continue; // old files: no symbol for this interval
        if (inverse) {
          map.insert(parseInstrumentId(mapping.raw_symbol, 'raw_symbol'), iv.start_date, iv.end_date, iv.symbol);
        } else {
          map.insert(parseInstrumentId(iv.symbol, 'mapped symbol'), iv.start_date, iv.end_date, mapping.raw_symbol);
        }
      }
    }
    return map;
  }

  /**
   * Builds the map from a symbology resolution. With `stype_in` =
   * `instrument_id` the input symbols are the ids; otherwise the resolved
   * symbols must be ids (`stype_out` = `instrument_id`).
   */
  static fromResolution(resolution: SymbologyResolution): TsSymbolMap {
    const map = new TsSymbolMap();
    const inverse = isInverse(resolution);
    for (const [input, intervals] of Object.entries(resolution.result)) {
      for (const iv of intervals) {
        if (iv.s === '') continue;
        if (inverse) map.insert(parseInstrumentId(input, 'input symbol'), iv.d0, iv.d1, iv.s);
        else map.insert(parseInstrumentId(iv.s, 'resolved symbol'), iv.d0, iv.d1, input);
      }
    }
    return map;
  }

  /**
   * Maps `instrumentId` to `symbol` on every UTC day with
   * `startDate ≤ day < endDate` (weekends included). An empty range does
   * nothing; `startDate > endDate` throws {@link InvalidArgumentError}. Days
   * that already have a symbol for this id keep it (first wins).
   */
  insert(instrumentId: number, startDate: DateLike, endDate: DateLike, symbol: string): this {
    checkInstrumentId(instrumentId);
    const start = toDay(startDate, 'startDate');
    const end = toDay(endDate, 'endDate');
    if (start > end) {
      throw new InvalidArgumentError(`startDate ${dayToIso(start)} is after endDate ${dayToIso(end)}`);
    }
    for (let day = start; day < end; day++) {
      const k = key(day, instrumentId);
      if (!this.#map.has(k)) this.#map.set(k, symbol);
    }
    return this;
  }

  /** The symbol of a record (by its instrument id and the UTC day of its index timestamp), if known. */
  find(record: SymbolMapRecord): string | undefined;
  /** The symbol of `instrumentId` on the UTC day of `date`, if known. */
  find(date: DateLike, instrumentId: number): string | undefined;
  find(dateOrRecord: DateLike | SymbolMapRecord, instrumentId?: number): string | undefined {
    if (isRecord(dateOrRecord)) return this.#map.get(key(recordDay(dateOrRecord), dateOrRecord.instrument_id));
    return this.#map.get(key(toDay(dateOrRecord), checkInstrumentId(instrumentId as number)));
  }

  /** Like {@link TsSymbolMap.find}, but throws a {@link DatabentoError} (code `'SYMBOL_NOT_FOUND'`) when unknown. */
  at(record: SymbolMapRecord): string;
  /** Like {@link TsSymbolMap.find}, but throws a {@link DatabentoError} (code `'SYMBOL_NOT_FOUND'`) when unknown. */
  at(date: DateLike, instrumentId: number): string;
  at(dateOrRecord: DateLike | SymbolMapRecord, instrumentId?: number): string {
    const found = isRecord(dateOrRecord) ? this.find(dateOrRecord) : this.find(dateOrRecord, instrumentId as number);
    if (found === undefined) {
      const [day, id] = isRecord(dateOrRecord)
        ? [recordDay(dateOrRecord), dateOrRecord.instrument_id]
        : [toDay(dateOrRecord), instrumentId];
      throw new DatabentoError(`no symbol for instrument_id ${id} on ${dayToIso(day)}`, 'SYMBOL_NOT_FOUND');
    }
    return found;
  }

  /** Number of (day, instrument id) entries. */
  get size(): number {
    return this.#map.size;
  }

  /** Whether the map has no entries. */
  isEmpty(): boolean {
    return this.#map.size === 0;
  }

  /** Every entry, ordered by day then instrument id. */
  *entries(): IterableIterator<TsSymbolMapEntry> {
    const keys = [...this.#map.keys()].sort((a, b) => a - b);
    for (const k of keys) {
      const day = Math.floor(k / ID_SPAN);
      yield { date: dayToIso(day), instrumentId: k - day * ID_SPAN, symbol: this.#map.get(k) as string };
    }
  }

  /** Same as {@link TsSymbolMap.entries}. */
  [Symbol.iterator](): IterableIterator<TsSymbolMapEntry> {
    return this.entries();
  }
}
