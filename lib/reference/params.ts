/**
 * Request options of the reference endpoints and their wire encoding. Every
 * check throws {@link InvalidArgumentError} before any request is sent.
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import { toNanos } from '../time.js';
import type { Params } from '../historical/http.js';
import type { CountryCode, EventCode, SecurityTypeCode } from './codes.js';

/**
 * A point in time: a `Date`, bigint UNIX nanoseconds, or an ISO 8601 string —
 * `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or a date-time (no zone means UTC).
 */
export type ReferenceTime = Date | bigint | string;

/** Symbology types the reference endpoints accept as input. */
export type ReferenceSType =
  | 'raw_symbol'
  | 'nasdaq_symbol'
  | 'isin'
  | 'us_code'
  | 'bbg_comp_id'
  | 'bbg_comp_ticker'
  | 'figi'
  | 'figi_ticker'
  | 'listing_id'
  | 'issuer_id'
  | 'security_id';

const STYPES: readonly ReferenceSType[] = [
  'raw_symbol',
  'nasdaq_symbol',
  'isin',
  'us_code',
  'bbg_comp_id',
  'bbg_comp_ticker',
  'figi',
  'figi_ticker',
  'listing_id',
  'issuer_id',
  'security_id',
];

/** Options every reference request takes. */
export interface ReferenceFilterOptions {
  /**
   * Symbols: an array, or one string of comma-separated symbols. Each is
   * trimmed and upper-cased. Default `'ALL_SYMBOLS'` (every symbol; up to
   * 2,000 per request otherwise).
   */
  symbols?: string | readonly string[];
  /** How `symbols` are to be read (default `'raw_symbol'`). */
  stypeIn?: ReferenceSType;
  /** ISO 3166-1 alpha-2 countries of the listings, e.g. `['US', 'CA']`. */
  countries?: string | readonly CountryCode[];
  /** Security types, e.g. `['EQS', 'ETF']`. */
  securityTypes?: string | readonly SecurityTypeCode[];
  /** Cancels the request (the iteration rejects with `AbortError`). */
  signal?: AbortSignal;
}

/** Options of the ranged reference requests. */
export interface ReferenceRangeOptions extends ReferenceFilterOptions {
  /** Inclusive start, on the endpoint's index column. Required. */
  start: ReferenceTime;
  /** Exclusive end; default: everything after `start`. */
  end?: ReferenceTime;
}

/** Options of `corporateActions.stream`. */
export interface CorporateActionsStreamOptions extends ReferenceRangeOptions {
  /** The date or time `start`/`end` filter and results sort on (default `'event_date'`). */
  index?: 'event_date' | 'ex_date' | 'ts_record';
  /** Event types, e.g. `['DIV', 'FSPLT']`; default all. */
  events?: string | readonly EventCode[];
  /** Exchange codes, e.g. `['USNASD', 'USNYSE']`; default all. */
  exchanges?: string | readonly string[];
  /** Merge `date_info`, `rate_info` and `event_info` into the row (default true). */
  flatten?: boolean;
}

/** Options of `corporateActions.getRange`. */
export interface CorporateActionsOptions extends CorporateActionsStreamOptions {
  /**
   * Keep every version of each event (`true`), or merge the versions of each
   * `event_unique_id` into one row, newest values winning (default `false`).
   */
  pit?: boolean;
}

/** Options of `adjustmentFactors.getRange` and `.stream` (filtered and sorted on `ex_date`). */
export type AdjustmentFactorsOptions = ReferenceRangeOptions;

/** Options of `securityMaster.getRange` and `.stream`. */
export interface SecurityMasterRangeOptions extends ReferenceRangeOptions {
  /** The time `start`/`end` filter and results sort on (default `'ts_effective'`). */
  index?: 'ts_effective' | 'ts_record';
}

/** Options of `securityMaster.getLast` and `.streamLast`. */
export type SecurityMasterLastOptions = ReferenceFilterOptions;

// YYYY, YYYY-MM, YYYY-MM-DD, then an optional time and zone.
const PARTIAL_DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;

/** A point in time in the form the API reads, with the UNIX ns it stands for (to compare start and end). */
export function encodeTime(value: unknown, what: string): { text: string; ns: bigint } {
  if (typeof value === 'string' && PARTIAL_DATE.test(value.trim())) {
    const text = value.trim();
    const [y, m = '01', d = '01'] = text.split('-');
    const ms = Date.UTC(Number(y), Number(m) - 1, Number(d));
    const back = new Date(ms).toISOString().slice(0, 10);
    if (back !== `${y}-${m}-${d}`) throw new InvalidArgumentError(`${what} "${value}" is not a real date`);
    return { text, ns: BigInt(ms) * 1_000_000n };
  }
  if (typeof value === 'bigint' || value instanceof Date || typeof value === 'string') {
    const ns = toNanos(value, what); // validates; strings are sent as written
    const text = typeof value === 'bigint' ? value.toString() : value instanceof Date ? value.toISOString() : value.trim();
    return { text, ns };
  }
  throw new InvalidArgumentError(
    `${what} must be a Date, an ISO 8601 string (YYYY, YYYY-MM, YYYY-MM-DD or a date-time) or bigint UNIX nanoseconds` +
      (typeof value === 'number' ? ' (numbers are ambiguous: use a bigint of nanoseconds or a Date)' : ''),
  );
}

/** `start` (required) and `end` (optional, not before `start`). */
export function encodeRange(o: ReferenceRangeOptions, where: string): Params {
  if (o.start === undefined) throw new InvalidArgumentError(`${where}: start is required`);
  const start = encodeTime(o.start, `${where}: start`);
  const end = o.end === undefined ? undefined : encodeTime(o.end, `${where}: end`);
  if (end && end.ns < start.ns) throw new InvalidArgumentError(`${where}: end (${end.text}) is before start (${start.text})`);
  return { start: start.text, end: end?.text };
}

/** `symbols`, `stype_in`, `countries`, `security_types` and `compression`, as every endpoint takes them. */
export function encodeFilters(o: ReferenceFilterOptions, where: string): Params {
  const stypeIn = o.stypeIn ?? 'raw_symbol';
  if (!STYPES.includes(stypeIn)) {
    throw new InvalidArgumentError(`${where}: stypeIn must be one of ${STYPES.join(', ')}, got ${JSON.stringify(stypeIn)}`);
  }
  return {
    symbols: encodeSymbols(o.symbols, `${where}: symbols`),
    stype_in: stypeIn,
    countries: encodeList(o.countries, `${where}: countries`),
    security_types: encodeList(o.securityTypes, `${where}: securityTypes`),
    // The API sends JSON lines zstd-compressed; the client decompresses as they arrive.
    compression: 'zstd',
  };
}

function encodeSymbols(value: unknown, what: string): string {
  if (value === undefined) return 'ALL_SYMBOLS';
  const items = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? (value as unknown[]) : undefined;
  if (items === undefined) throw new InvalidArgumentError(`${what} must be a string or an array of strings`);
  if (items.length === 0) throw new InvalidArgumentError(`${what} must not be empty (leave it out for every symbol)`);
  return items
    .map((s) => {
      // The reference API reads every symbol as text, so numbers are refused rather than guessed at.
      if (typeof s !== 'string' || s.trim() === '' || (Array.isArray(value) && s.includes(','))) {
        throw new InvalidArgumentError(`${what} has an invalid entry ${JSON.stringify(s)}`);
      }
      return s.trim().toUpperCase();
    })
    .join(',');
}

/** A comma-separated list (from an array or a string); empty means "not sent". */
export function encodeList(value: unknown, what: string): string | undefined {
  if (value === undefined) return undefined;
  let items: unknown[];
  if (typeof value === 'string') items = value.split(',');
  else if (Array.isArray(value)) items = value as unknown[];
  else throw new InvalidArgumentError(`${what} must be a string or an array of strings`);
  const out = items.map((s) => {
    if (typeof s !== 'string' || (Array.isArray(value) && (s.trim() === '' || s.includes(',')))) {
      throw new InvalidArgumentError(`${what} has an invalid entry ${JSON.stringify(s)}`);
    }
    return s.trim();
  });
  const joined = out.filter((s) => s !== '').join(',');
  return joined === '' ? undefined : joined;
}

/** One of a fixed list of strings, with a default. */
export function encodeIndex<T extends string>(value: unknown, choices: readonly T[], what: string): T {
  if (value === undefined) return choices[0]!;
  if (typeof value !== 'string' || !choices.includes(value as T)) {
    throw new InvalidArgumentError(`${what} must be one of ${choices.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

/** An optional boolean with a default. */
export function encodeFlag(value: unknown, what: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new InvalidArgumentError(`${what} must be a boolean`);
  return value;
}
