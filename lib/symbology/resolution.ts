/**
 * The result of `symbology.resolve`.
 * @module
 */
import type { DateLike } from './dates.js';
import { PitSymbolMap } from './pit-symbol-map.js';
import { TsSymbolMap } from './ts-symbol-map.js';

/** One resolved interval as the API sends it: `d0` inclusive, `d1` exclusive (`YYYY-MM-DD`), `s` the symbol. */
export interface ResolvedInterval {
  /** First UTC day (inclusive), `YYYY-MM-DD`. */
  d0: string;
  /** Day after the last UTC day (exclusive), `YYYY-MM-DD`. */
  d1: string;
  /** The symbol in `stype_out`; a string even for instrument ids. */
  s: string;
}

/** The fields of a {@link SymbologyResolution}. */
export interface SymbologyResolutionInit {
  /** Input symbol → its resolved intervals. */
  result: Record<string, ResolvedInterval[]>;
  /** The requested symbols. */
  symbols: string[];
  /** Input symbology of the request. */
  stype_in: string;
  /** Output symbology of the request. */
  stype_out: string;
  /** First day of the range (inclusive), `YYYY-MM-DD`. */
  start_date: string;
  /** Day after the range (exclusive), `YYYY-MM-DD`, or `null` when open. */
  end_date: string | null;
  /** Symbols that failed to resolve on at least one day of the range. */
  partial: string[];
  /** Symbols that failed to resolve on every day of the range. */
  not_found: string[];
  /** The API's status message, e.g. `'OK'`. */
  message?: string | undefined;
  /** The API's status number (0 = OK). */
  status?: number | undefined;
}

/**
 * How a list of symbols resolved over a date range: for each input symbol, the
 * intervals and the `stype_out` symbol of each. Field names are the API's.
 * `stype_in` / `stype_out` are those of the request (the JSON's copies are not
 * trusted, as in the C++ client).
 */
export class SymbologyResolution {
  /** Input symbol → its resolved intervals. */
  readonly result: Record<string, ResolvedInterval[]>;
  /** The requested symbols. */
  readonly symbols: string[];
  /** Input symbology of the request. */
  readonly stype_in: string;
  /** Output symbology of the request. */
  readonly stype_out: string;
  /** First day of the resolved range (inclusive), `YYYY-MM-DD`. */
  readonly start_date: string;
  /** Day after the resolved range (exclusive), `YYYY-MM-DD`, or `null` when open. */
  readonly end_date: string | null;
  /** Symbols that failed to resolve on at least one day of the range. */
  readonly partial: string[];
  /** Symbols that failed to resolve on every day of the range. */
  readonly not_found: string[];
  /** The API's status message, e.g. `'OK'`. */
  readonly message: string | undefined;
  /** The API's status number: 0 = OK, 1 = partially resolved, 2 = not found. */
  readonly status: number | undefined;

  constructor(init: SymbologyResolutionInit) {
    this.result = init.result;
    this.symbols = init.symbols;
    this.stype_in = init.stype_in;
    this.stype_out = init.stype_out;
    this.start_date = init.start_date;
    this.end_date = init.end_date;
    this.partial = init.partial;
    this.not_found = init.not_found;
    this.message = init.message;
    this.status = init.status;
  }

  /** The time-series map `(date, instrument_id) → symbol` of this resolution; see {@link TsSymbolMap.fromResolution}. */
  toTsSymbolMap(): TsSymbolMap {
    return TsSymbolMap.fromResolution(this);
  }

  /** The map `instrument_id → symbol` in effect on `date`; see {@link PitSymbolMap.fromResolution}. */
  toPitSymbolMap(date: DateLike): PitSymbolMap {
    return PitSymbolMap.fromResolution(this, date);
  }
}
