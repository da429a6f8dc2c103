/**
 * The DBN metadata header as a plain object, and its conversion to and from
 * the wire values the addon uses.
 * @module
 */
import { schemaFromName, schemaName, stypeFromName, stypeName } from '../generated/enums.js';
import type { NativeMetadata } from '../native.js';
import { InvalidArgumentError } from '../errors.js';
import { toNanos } from '../time.js';

/** One interval of a symbol mapping: `symbol` applies from `start_date` (inclusive) to `end_date` (exclusive). */
export interface MappingInterval {
  /** First UTC day, `YYYY-MM-DD`. */
  start_date: string;
  /** Day after the last, `YYYY-MM-DD` (exclusive). */
  end_date: string;
  /** The resolved symbol in `stype_out`, e.g. an instrument id as text. */
  symbol: string;
}

/** How one requested symbol resolved over the query's dates. */
export interface SymbolMapping {
  /** The requested (`stype_in`) symbol. */
  raw_symbol: string;
  /** What it resolved to, interval by interval, in date order. */
  intervals: MappingInterval[];
}

/** The metadata header of a DBN stream, with Databento's field names. */
export interface Metadata {
  /** DBN version of the records as handed out (3 after an upgrade). */
  version: number;
  /** Dataset code, e.g. `GLBX.MDP3`. */
  dataset: string;
  /** Schema name, or null for mixed-schema data (live). */
  schema: string | null;
  /** Query start, UNIX nanoseconds (inclusive). */
  start: bigint;
  /** Query end, UNIX nanoseconds (exclusive); `UNDEF_TIMESTAMP` (2^64-1) when open. */
  end: bigint;
  /** Record limit of the query; 0 for none. */
  limit: bigint;
  /** Input symbology type name, or null when mixed (live). */
  stype_in: string | null;
  /** Output symbology type name, or null. */
  stype_out: string | null;
  /** Whether every record carries an 8-byte gateway send timestamp after its body. */
  ts_out: boolean;
  /** Width in bytes of the fixed symbol strings (22 in DBN v1, 71 after). */
  symbol_cstr_len: number;
  /** The query's input symbols. */
  symbols: string[];
  /** Symbols that did not resolve on every day of the query. */
  partial: string[];
  /** Symbols that resolved on no day of the query. */
  not_found: string[];
  /** How each input symbol resolved. */
  mappings: SymbolMapping[];
}

/** What {@link DbnEncoder} accepts as metadata: a {@link Metadata} with most fields optional. */
export interface MetadataInput {
  /** DBN version to write: 1, 2 or 3 (default 3). Records must use the same version's layouts. */
  version?: number;
  /** Dataset code, e.g. `GLBX.MDP3`. */
  dataset: string;
  /** Schema name, its numeric value, or null for mixed schemas. */
  schema?: string | number | null;
  /** Start as UNIX nanoseconds, a Date or an ISO 8601 string. Default 0. */
  start?: bigint | Date | string;
  /** End as UNIX nanoseconds, a Date or an ISO 8601 string. Default open (2^64-1). */
  end?: bigint | Date | string;
  /** Record limit of the query; 0 (default) for none. */
  limit?: bigint | number;
  /** Input symbology type: a name such as `'raw_symbol'`, its numeric value, or null (default) for mixed. */
  stype_in?: string | number | null;
  /** Output symbology type: a name such as `'instrument_id'`, its numeric value, or null (default). */
  stype_out?: string | number | null;
  /** Whether every record carries an 8-byte gateway send timestamp after its body. Default false. */
  ts_out?: boolean;
  /** The query's input symbols. Default none. */
  symbols?: string[];
  /** Symbols that did not resolve on every day of the query. Default none. */
  partial?: string[];
  /** Symbols that resolved on no day of the query. Default none. */
  not_found?: string[];
  /** How each input symbol resolved. Default none. */
  mappings?: SymbolMapping[];
}

const NULL_SCHEMA = 0xffff;
const NULL_STYPE = 0xff;
const U64_MAX = (1n << 64n) - 1n;

/** `20201228` → `'2020-12-28'`. */
export function dateFromYmd(ymd: number): string {
  const y = Math.floor(ymd / 10000);
  const m = Math.floor(ymd / 100) % 100;
  const d = ymd % 100;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** `'2020-12-28'` → `20201228`. */
export function ymdFromDate(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new InvalidArgumentError(`date "${date}" is not of the form YYYY-MM-DD`);
  return Number(m[1]) * 10000 + Number(m[2]) * 100 + Number(m[3]);
}

/** @internal */
export function metadataFromNative(md: NativeMetadata): Metadata {
  return {
    version: md.version,
    dataset: md.dataset,
    schema: md.schema === NULL_SCHEMA ? null : (schemaName(md.schema) ?? String(md.schema)),
    start: md.start,
    end: md.end,
    limit: md.limit,
    stype_in: md.stype_in === NULL_STYPE ? null : (stypeName(md.stype_in) ?? String(md.stype_in)),
    stype_out: md.stype_out === NULL_STYPE ? null : (stypeName(md.stype_out) ?? String(md.stype_out)),
    ts_out: md.ts_out,
    symbol_cstr_len: md.symbol_cstr_len,
    symbols: md.symbols,
    partial: md.partial,
    not_found: md.not_found,
    mappings: md.mappings.map((m) => ({
      raw_symbol: m.raw_symbol,
      intervals: m.intervals.map((iv) => ({
        start_date: dateFromYmd(iv.start_date),
        end_date: dateFromYmd(iv.end_date),
        symbol: iv.symbol,
      })),
    })),
  };
}

function enumValue(
  value: string | number | null | undefined,
  nullValue: number,
  fromName: (name: string) => number | undefined,
  what: string,
): number {
  if (value === null || value === undefined) return nullValue;
  if (typeof value === 'number') return value;
  const v = fromName(value);
  if (v === undefined) throw new InvalidArgumentError(`unknown ${what} "${value}"`);
  return v;
}

/** @internal */
export function metadataToNative(md: MetadataInput): NativeMetadata {
  if (typeof md?.dataset !== 'string') throw new InvalidArgumentError('metadata.dataset must be a string');
  const version = md.version ?? 3;
  if (![1, 2, 3].includes(version)) throw new InvalidArgumentError(`metadata.version must be 1, 2 or 3, not ${version}`);
  return {
    version,
    dataset: md.dataset,
    schema: enumValue(md.schema, NULL_SCHEMA, schemaFromName, 'schema'),
    start: md.start === undefined ? 0n : toNanos(md.start, 'metadata.start'),
    end: md.end === undefined ? U64_MAX : toNanos(md.end, 'metadata.end'),
    limit: BigInt(md.limit ?? 0),
    stype_in: enumValue(md.stype_in, NULL_STYPE, stypeFromName, 'stype_in'),
    stype_out: enumValue(md.stype_out, NULL_STYPE, stypeFromName, 'stype_out'),
    ts_out: md.ts_out ?? false,
    symbol_cstr_len: version === 1 ? 22 : 71,
    symbols: md.symbols ?? [],
    partial: md.partial ?? [],
    not_found: md.not_found ?? [],
    mappings: (md.mappings ?? []).map((m) => ({
      raw_symbol: m.raw_symbol,
      intervals: m.intervals.map((iv) => ({
        start_date: ymdFromDate(iv.start_date),
        end_date: ymdFromDate(iv.end_date),
        symbol: iv.symbol,
      })),
    })),
  };
}
