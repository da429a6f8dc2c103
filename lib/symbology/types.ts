/**
 * Structural types the symbol maps read. They are satisfied by the DBN
 * `Metadata` and record views of `databento-node`, and by plain objects of the
 * same shape (handy in tests and when metadata was stored as JSON).
 * @module
 */
import type { SymbolMapping } from '../dbn/metadata.js';

/** The parts of a DBN metadata header the symbol maps need (DBN `Metadata` fits). */
export interface SymbolMapMetadata {
  /** Query start, UNIX ns (inclusive). */
  start: bigint;
  /** Query end, UNIX ns (exclusive); 2^64-1 when open-ended. */
  end: bigint;
  /** Input symbology, e.g. `'raw_symbol'`; `null` in live metadata. */
  stype_in: string | null;
  /** Output symbology, e.g. `'instrument_id'`. */
  stype_out: string | null;
  /** Symbol mappings of the query. */
  mappings: readonly SymbolMapping[];
}

/** A DBN record as far as the symbol maps need it (every record view fits). */
export interface SymbolMapRecord {
  /** Record type code. */
  readonly rtype: number;
  /** Numeric instrument id from the record header. */
  readonly instrument_id: number;
  /** Event timestamp from the record header, UNIX ns. */
  readonly ts_event: bigint;
  /** Capture-server receive time, UNIX ns, on record types that have it (it is then the index timestamp). */
  readonly ts_recv?: bigint;
}

/** A SymbolMappingMsg record (rtype `0x16`) as {@link PitSymbolMap.onRecord} reads it. */
export interface SymbolMappingRecord extends SymbolMapRecord {
  /** The output symbol, e.g. the raw symbol `ESZ4`. */
  readonly stype_out_symbol: string;
  /** The subscribed symbol, e.g. `ES.FUT`. */
  readonly stype_in_symbol?: string;
}
