/**
 * The point-in-time symbol map: `instrument_id → symbol`.
 * @module
 */
import { DatabentoError, InvalidArgumentError } from '../errors.js';
import { RType } from '../generated/enums.js';
import { checkInstrumentId, isInverse, isRecord, parseInstrumentId } from './common.js';
import { type DateLike, dayToIso, dayToNanos, nanosToDay, parseIsoDay, toDay } from './dates.js';
import {
  type SymbolMapMetadata,
  type SymbolMapRecord,
  type SymbolMappingRecord,
} from './types.js';
import type { SymbologyResolution } from './resolution.js';

/**
 * Maps instrument ids to symbols at one point in time: for live data, or a
 * historical request covering a single day.
 *
 * For live sessions start empty (live metadata carries no mappings) and pass
 * every record to {@link PitSymbolMap.onRecord}: each SymbolMappingMsg sets
 * `instrument_id → stype_out_symbol`, replacing any earlier symbol (the
 * **latest** mapping wins, as in the C++ client). Other records are ignored.
 *
 * @example
 * ```ts
 * const symbols = new PitSymbolMap();
 * for await (const rec of live) {
 *   if (symbols.onRecord(rec)) continue;
 *   console.log(symbols.find(rec), rec);
 * }
 * ```
 */
export class PitSymbolMap implements Iterable<[instrumentId: number, symbol: string]> {
  readonly #map = new Map<number, string>();

  /**
   * The symbols in effect on `date` according to DBN metadata. Throws
   * {@link InvalidArgumentError} when `date` lies outside the metadata's
   * query range, or when neither stype is `instrument_id`. Live metadata
   * (`stype_in` null, `stype_out` instrument_id) is accepted, as the Rust crate
   * does, and gives an empty map (C++ refuses it).
   */
  static fromMetadata(metadata: SymbolMapMetadata, date: DateLike): PitSymbolMap {
    const day = toDay(date);
    if (day < nanosToDay(metadata.start) || dayToNanos(day) >= metadata.end) {
      throw new InvalidArgumentError(`date ${dayToIso(day)} is outside the metadata's query range`);
    }
    const inverse = isInverse(metadata);
    const map = new PitSymbolMap();
    for (const mapping of metadata.mappings) {
      const iv = mapping.intervals.find(
        (i) => (parseIsoDay(i.start_date) ?? Infinity) <= day && day < (parseIsoDay(i.end_date) ?? -Infinity),
      );
      if (!iv || iv.symbol === '') continue;
      if (inverse) map.#map.set(parseInstrumentId(mapping.raw_symbol, 'raw_symbol'), iv.symbol);
      else map.#map.set(parseInstrumentId(iv.symbol, 'mapped symbol'), mapping.raw_symbol);
    }
    return map;
  }

  /**
   * The symbols in effect on `date` according to a symbology resolution.
   * Throws {@link InvalidArgumentError} when `date` is outside the resolved
   * range or neither stype is `instrument_id`.
   */
  static fromResolution(resolution: SymbologyResolution, date: DateLike): PitSymbolMap {
    const day = toDay(date);
    const start = resolution.start_date ? parseIsoDay(resolution.start_date) : undefined;
    const end = resolution.end_date ? parseIsoDay(resolution.end_date) : undefined;
    if ((start !== undefined && day < start) || (end !== undefined && day >= end)) {
      throw new InvalidArgumentError(`date ${dayToIso(day)} is outside the resolved range`);
    }
    const inverse = isInverse(resolution);
    const map = new PitSymbolMap();
    for (const [input, intervals] of Object.entries(resolution.result)) {
      const iv = intervals.find((i) => (parseIsoDay(i.d0) ?? Infinity) <= day && day < (parseIsoDay(i.d1) ?? -Infinity));
      if (!iv || iv.s === '') continue;
      if (inverse) map.#map.set(parseInstrumentId(input, 'input symbol'), iv.s);
      else map.#map.set(parseInstrumentId(iv.s, 'resolved symbol'), input);
    }
    return map;
  }

  /**
   * Updates the map from a live record: a SymbolMappingMsg (rtype `0x16`)
   * sets its `instrument_id` to its `stype_out_symbol`, overwriting. Returns
   * whether the record was a symbol mapping; other records are ignored.
   */
  onRecord(record: SymbolMapRecord): boolean {
    if (record.rtype !== RType.SymbolMapping) return false;
    this.onSymbolMapping(record as SymbolMappingRecord);
    return true;
  }

  /** Applies one SymbolMappingMsg: `instrument_id → stype_out_symbol` (latest wins). */
  onSymbolMapping(record: SymbolMappingRecord): void {
    this.#map.set(record.instrument_id, record.stype_out_symbol);
  }

  /** Sets (or replaces) the symbol of an instrument id. */
  set(instrumentId: number, symbol: string): this {
    this.#map.set(checkInstrumentId(instrumentId), symbol);
    return this;
  }

  /** The symbol of a record's instrument id, or of an instrument id, if known. */
  find(recordOrId: SymbolMapRecord | number): string | undefined {
    return this.#map.get(isRecord(recordOrId) ? recordOrId.instrument_id : recordOrId);
  }

  /** Like {@link PitSymbolMap.find}, but throws a {@link DatabentoError} (code `'SYMBOL_NOT_FOUND'`) when unknown. */
  at(recordOrId: SymbolMapRecord | number): string {
    const id = isRecord(recordOrId) ? recordOrId.instrument_id : recordOrId;
    const found = this.#map.get(id);
    if (found === undefined) throw new DatabentoError(`no symbol for instrument_id ${id}`, 'SYMBOL_NOT_FOUND');
    return found;
  }

  /** Whether the instrument id has a symbol. */
  has(instrumentId: number): boolean {
    return this.#map.has(instrumentId);
  }

  /** Removes an instrument id; returns whether it was present. */
  delete(instrumentId: number): boolean {
    return this.#map.delete(instrumentId);
  }

  /** Removes every entry. */
  clear(): void {
    this.#map.clear();
  }

  /** Number of instrument ids with a symbol. */
  get size(): number {
    return this.#map.size;
  }

  /** Whether the map has no entries. */
  isEmpty(): boolean {
    return this.#map.size === 0;
  }

  /** `[instrumentId, symbol]` pairs in insertion order. */
  entries(): IterableIterator<[number, string]> {
    return this.#map.entries();
  }

  /** Same as {@link PitSymbolMap.entries}. */
  [Symbol.iterator](): IterableIterator<[number, string]> {
    return this.#map.entries();
  }
}
