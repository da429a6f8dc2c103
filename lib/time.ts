/**
 * Nanosecond timestamps: Databento's times are UNIX nanoseconds (`bigint`),
 * finer than a JS `Date` can hold. These helpers convert without losing digits.
 * @module
 */
import { InvalidArgumentError } from './errors.js';

const U64_MAX = (1n << 64n) - 1n;
/** The null timestamp of DBN (2^64-1). */
const UNDEF_TIMESTAMP = U64_MAX;
// date, hh:mm, :ss, fraction, zone
const ISO_8601 = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(:\d{2})?(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** UNIX nanoseconds from a bigint, a Date or an ISO 8601 string (nanosecond digits kept). */
export function toNanos(value: bigint | Date | string | number, what: string): bigint {
  if (typeof value === 'bigint') {
    if (value < 0n || value > U64_MAX) throw new InvalidArgumentError(`${what} ${value} is outside 0..2^64-1`);
    return value;
  }
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new InvalidArgumentError(`${what} must be a non-negative integer of nanoseconds; use a bigint for large values`);
    }
    return BigInt(value);
  }
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) throw new InvalidArgumentError(`${what} is an invalid Date`);
    return BigInt(ms) * 1_000_000n;
  }
  if (typeof value === 'string') {
    // Parsed by hand so that nanosecond digits survive; no zone means UTC.
    const m = ISO_8601.exec(value.trim());
    const ms = m && isCalendarTime(m[1]!, m[2], m[3]) ? Date.parse(`${m[1]}T${m[2] ?? '00:00'}${m[3] ?? ':00'}${m[5] ?? 'Z'}`) : NaN;
    if (Number.isNaN(ms)) {
      throw new InvalidArgumentError(`${what} "${value}" is not an ISO 8601 date or time (YYYY-MM-DD, optionally followed by Thh:mm[:ss[.fraction]] and a zone)`);
    }
    return BigInt(ms) * 1_000_000n + BigInt((m![4] ?? '').padEnd(9, '0'));
  }
  throw new InvalidArgumentError(`${what} must be a bigint of nanoseconds, a Date or an ISO 8601 string`);
}

/**
 * Whether a date (`YYYY-MM-DD`) and time (`hh:mm`, `:ss`) name a real moment:
 * `Date.parse` rolls `2024-02-30` over to March 1st instead of refusing it.
 */
function isCalendarTime(date: string, hhmm: string | undefined, ss: string | undefined): boolean {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate(); // day 0 of the next month
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth) return false;
  const [h, mi] = (hhmm ?? '00:00').split(':').map(Number) as [number, number];
  const sec = ss === undefined ? 0 : Number(ss.slice(1));
  return h <= 23 && mi <= 59 && sec <= 59;
}

/**
 * UNIX nanoseconds as an ISO 8601 UTC string with all nine fractional digits,
 * e.g. `2020-12-28T13:00:00.000429831Z`; null for the DBN null timestamp.
 */
export function nanosToIso(ns: bigint): string | null {
  if (ns === UNDEF_TIMESTAMP) return null;
  const ms = ns / 1_000_000n;
  const iso = new Date(Number(ms)).toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  const frac = String(ns % 1_000_000_000n).padStart(9, '0');
  return `${iso.slice(0, 19)}.${frac}Z`;
}

/** UNIX nanoseconds as a Date (millisecond precision: sub-ms digits are dropped); null for the null timestamp. */
export function nanosToDate(ns: bigint): Date | null {
  return ns === UNDEF_TIMESTAMP ? null : new Date(Number(ns / 1_000_000n));
}
