/**
 * Checks and wire encodings of request parameters. Everything here throws
 * {@link InvalidArgumentError} before any request is sent.
 * @internal
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import {
  compressionFromName,
  compressionName,
  encodingFromName,
  encodingName,
  schemaFromName,
  schemaName,
  stypeFromName,
  stypeName,
} from '../generated/enums.js';
import { toNanos } from '../time.js';
import type { DateOnlyLike, DateTimeLike, Symbols } from './types.js';

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const U64_MAX = (1n << 64n) - 1n;

/** The options object of a call, checked to be an object (`undefined` allowed unless `required`). */
export function optionsObject<T extends object>(value: T | undefined, what: string, required = false): T {
  if (value === undefined && !required) return {} as T;
  if (value === null || typeof value !== 'object') throw new InvalidArgumentError(`${what} needs an options object`);
  return value;
}

/** A required non-empty string. */
export function requireString(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '') throw new InvalidArgumentError(`${what} must be a non-empty string`);
  return value;
}

/** An optional non-empty string. */
export function optionalString(value: unknown, what: string): string | undefined {
  return value === undefined ? undefined : requireString(value, what);
}

/** A point in time: bigint ns → decimal, Date → ISO 8601, string → verbatim. */
export function encodeDateTime(value: DateTimeLike, what: string): string {
  if (typeof value === 'bigint') {
    if (value < 0n || value > U64_MAX) throw new InvalidArgumentError(`${what} must be within 0..2^64-1 nanoseconds`);
    return value.toString();
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new InvalidArgumentError(`${what} is an invalid Date`);
    return value.toISOString();
  }
  if (typeof value === 'string') {
    if (value.trim() === '') throw new InvalidArgumentError(`${what} must not be empty`);
    // Checked here rather than by the server: 'yesterday' or '2024-02-30' never leave the process.
    if (!/^\d+$/.test(value.trim())) toNanos(value, what);
    return value;
  }
  throw new InvalidArgumentError(
    `${what} must be a Date, an ISO 8601 string or bigint UNIX nanoseconds` +
      (typeof value === 'number' ? ' (numbers are ambiguous: use a bigint of nanoseconds or a Date)' : ''),
  );
}

/**
 * `start` and an optional `end`, each encoded as {@link encodeDateTime} does,
 * and refused when `end` is before `start`.
 */
export function encodeTimeRange(
  start: DateTimeLike,
  end: DateTimeLike | undefined,
  where: string,
): { start: string; end: string | undefined } {
  const out = { start: encodeDateTime(start, `${where}: start`), end: optionalDateTime(end, `${where}: end`) };
  if (out.end !== undefined && instant(out.end) < instant(out.start)) {
    throw new InvalidArgumentError(`${where}: end (${out.end}) is before start (${out.start})`);
  }
  return out;
}

/** The instant of an encoded point in time, in UNIX ns. */
function instant(encoded: string): bigint {
  return /^\d+$/.test(encoded) ? BigInt(encoded) : toNanos(encoded, 'time');
}

/** An optional point in time. */
export function optionalDateTime(value: DateTimeLike | undefined, what: string): string | undefined {
  return value === undefined ? undefined : encodeDateTime(value, what);
}

/** A UTC day as `YYYY-MM-DD`. */
export function encodeDate(value: DateOnlyLike, what: string): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new InvalidArgumentError(`${what} is an invalid Date`);
    return value.toISOString().slice(0, 10);
  }
  if (typeof value !== 'string' || !DATE_RE.test(value) || !isDate(value)) {
    throw new InvalidArgumentError(`${what} must be a YYYY-MM-DD date or a Date, got ${JSON.stringify(value)}`);
  }
  return value;
}

function isDate(ymd: string): boolean {
  try {
    toNanos(ymd, 'date');
    return true;
  } catch {
    return false;
  }
}

/** `startDate` and an optional `endDate`, refused when the end is before the start. */
export function encodeDateRange(
  start: DateOnlyLike | undefined,
  end: DateOnlyLike | undefined,
  where: string,
): { start: string | undefined; end: string | undefined } {
  const out = { start: optionalDate(start, `${where}: startDate`), end: optionalDate(end, `${where}: endDate`) };
  if (out.start !== undefined && out.end !== undefined && out.end < out.start) {
    throw new InvalidArgumentError(`${where}: endDate (${out.end}) is before startDate (${out.start})`);
  }
  return out;
}

/** An optional UTC day. */
export function optionalDate(value: DateOnlyLike | undefined, what: string): string | undefined {
  return value === undefined ? undefined : encodeDate(value, what);
}

/** Symbols joined with commas; empty lists are refused. */
export function encodeSymbols(value: Symbols | undefined, what = 'symbols'): string {
  if (typeof value === 'string') {
    if (value.trim() === '') throw new InvalidArgumentError(`${what} must not be empty`);
    return value;
  }
  if (!Array.isArray(value)) {
    throw new InvalidArgumentError(`${what} must be a string or an array of symbols (use 'ALL_SYMBOLS' for all)`);
  }
  if (value.length === 0) throw new InvalidArgumentError(`${what} must not be empty (use 'ALL_SYMBOLS' for all)`);
  return value
    .map((s) => {
      if (typeof s === 'number' && Number.isInteger(s) && s >= 0) return String(s);
      if (typeof s !== 'string' || s === '' || s.includes(',')) {
        throw new InvalidArgumentError(`${what} has an invalid entry ${JSON.stringify(s)}`);
      }
      return s;
    })
    .join(',');
}

/** A schema name, canonicalised (`'MBO'` → `'mbo'`). */
export function encodeSchema(value: unknown, what = 'schema'): string {
  const v = typeof value === 'string' ? schemaFromName(value) : undefined;
  if (v === undefined) throw new InvalidArgumentError(`${what}: unknown schema ${JSON.stringify(value)}`);
  return schemaName(v)!;
}

/** A symbology type name, canonicalised (aliases such as `'native'` → `'raw_symbol'`). */
export function encodeSType(value: unknown, what: string): string {
  const v = typeof value === 'string' ? stypeFromName(value) : undefined;
  if (v === undefined) throw new InvalidArgumentError(`${what}: unknown symbology type ${JSON.stringify(value)}`);
  return stypeName(v)!;
}

/** An output encoding name. */
export function encodeEncoding(value: unknown, what = 'encoding'): string {
  const v = typeof value === 'string' ? encodingFromName(value) : undefined;
  if (v === undefined) throw new InvalidArgumentError(`${what}: unknown encoding ${JSON.stringify(value)}`);
  return encodingName(v)!;
}

/** A compression name. */
export function encodeCompression(value: unknown, what = 'compression'): string {
  const v = typeof value === 'string' ? compressionFromName(value) : undefined;
  if (v === undefined) throw new InvalidArgumentError(`${what}: unknown compression ${JSON.stringify(value)}`);
  return compressionName(v)!;
}

/** One of a fixed list of strings. */
export function encodeChoice<T extends string>(value: unknown, choices: readonly T[], what: string): T {
  if (typeof value !== 'string' || !choices.includes(value as T)) {
    throw new InvalidArgumentError(`${what} must be one of ${choices.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

/** A positive integer count (limit, split size), or undefined; 0 means none, as in the C++ client. */
export function encodePositive(value: number | bigint | undefined, what: string): string | undefined {
  if (value === undefined) return undefined;
  const ok =
    (typeof value === 'bigint' && value >= 0n && value <= U64_MAX) ||
    (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0);
  if (!ok) throw new InvalidArgumentError(`${what} must be a non-negative integer, got ${String(value)}`);
  return BigInt(value) > 0n ? String(value) : undefined;
}

/** A boolean as `0`/`1`, the form the C++ client sends. */
export function encodeBool(value: unknown, what: string, fallback: boolean): string {
  if (value === undefined) return fallback ? '1' : '0';
  if (typeof value !== 'boolean') throw new InvalidArgumentError(`${what} must be a boolean`);
  return value ? '1' : '0';
}

/** An optional AbortSignal. */
export function optionalSignal(value: unknown): AbortSignal | undefined {
  if (value === undefined) return undefined;
  if (!(value instanceof AbortSignal)) throw new InvalidArgumentError('signal must be an AbortSignal');
  return value;
}

/** An optional callback. */
export function optionalFunction<F extends (...args: never[]) => unknown>(value: unknown, what: string): F | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') throw new InvalidArgumentError(`${what} must be a function`);
  return value as F;
}

/** An optional cost limit in USD. */
export function optionalCostLimit(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidArgumentError('maxCostUsd must be a non-negative finite number');
  }
  return value;
}
