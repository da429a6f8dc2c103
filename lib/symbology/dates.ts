/**
 * UTC calendar-day arithmetic shared by the symbol maps. A day is held as a
 * whole number of days since 1970-01-01 so it can be part of a numeric key.
 * @internal
 * @module
 */
import { InvalidArgumentError } from '../errors.js';

/** A UTC calendar day: `'YYYY-MM-DD'`, a `Date` (its UTC day), or UNIX nanoseconds as a bigint. */
export type DateLike = string | Date | bigint;

const MS_PER_DAY = 86_400_000;
const NS_PER_DAY = 86_400_000_000_000n;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since the epoch of a `YYYY-MM-DD` string, or `undefined` when it is not a real date. */
export function parseIsoDay(text: string): number | undefined {
  const m = DATE_RE.exec(text);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  // Date.UTC rolls over (2024-02-30 → March 1st); a round trip catches it.
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return ms / MS_PER_DAY;
}

/** Days since the epoch of a {@link DateLike}; throws {@link InvalidArgumentError} for anything else. */
export function toDay(value: DateLike, what = 'date'): number {
  if (typeof value === 'string') {
    const day = parseIsoDay(value);
    if (day === undefined) throw new InvalidArgumentError(`${what} must be a YYYY-MM-DD date, got '${value}'`);
    return day;
  }
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) throw new InvalidArgumentError(`${what} is an invalid Date`);
    return Math.floor(ms / MS_PER_DAY);
  }
  if (typeof value === 'bigint') return nanosToDay(value);
  throw new InvalidArgumentError(`${what} must be a YYYY-MM-DD string, a Date or bigint nanoseconds`);
}

/** Floors UNIX nanoseconds to their UTC day. */
export function nanosToDay(ns: bigint): number {
  let day = ns / NS_PER_DAY;
  if (ns < 0n && day * NS_PER_DAY !== ns) day -= 1n; // floor, not truncate
  return Number(day);
}

/** UNIX nanoseconds of midnight UTC starting a day. */
export function dayToNanos(day: number): bigint {
  return BigInt(day) * NS_PER_DAY;
}

/** `YYYY-MM-DD` of a day number. */
export function dayToIso(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}
