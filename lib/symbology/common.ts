/**
 * Rules shared by the two symbol maps.
 * @internal
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import type { SymbolMapMetadata, SymbolMapRecord } from './types.js';
import { dayToNanos, nanosToDay } from './dates.js';

const U32_RE = /^\d{1,10}$/;

/** Parses an instrument id written as a decimal string. */
export function parseInstrumentId(text: string, what: string): number {
  const n = U32_RE.test(text) ? Number(text) : NaN;
  if (!(n <= 0xffff_ffff)) {
    throw new InvalidArgumentError(`${what} '${text}' is not an instrument id (an unsigned 32-bit decimal number)`);
  }
  return n;
}

/** Checks an instrument id passed by the caller. */
export function checkInstrumentId(id: number): number {
  if (!Number.isInteger(id) || id < 0 || id > 0xffff_ffff) {
    throw new InvalidArgumentError(`instrument_id must be an integer in [0, 2^32), got ${String(id)}`);
  }
  return id;
}

/**
 * Whether a map built from this metadata is "inverse": keyed by the input
 * symbol (instrument ids in, symbols out) instead of by the interval symbol.
 *
 * We follow the Rust `dbn` crate rather than C++ 0.65: inverse only when
 * `stype_in` is `instrument_id` and `stype_out` is not; live metadata
 * (`stype_in` null, `stype_out` instrument_id) is accepted as a normal map,
 * where C++ throws.
 */
export function isInverse(md: Pick<SymbolMapMetadata, 'stype_in' | 'stype_out'>): boolean {
  if (md.stype_in === 'instrument_id' && md.stype_out !== 'instrument_id') return true;
  if (md.stype_out === 'instrument_id') return false;
  throw new InvalidArgumentError(
    `can only create symbol maps where instrument_id is one of the stypes ` +
      `(stype_in=${String(md.stype_in)}, stype_out=${String(md.stype_out)})`,
  );
}

// Records come in time order: remembering the last day's bounds saves a bigint division per lookup.
let cachedStart = 0n;
let cachedEnd = 0n;
let cachedDay = 0;

/** UTC day of a record's index timestamp: `ts_recv` where the record has one, else `ts_event`. */
export function recordDay(rec: SymbolMapRecord): number {
  const recv = rec.ts_recv;
  const ts = typeof recv === 'bigint' ? recv : rec.ts_event;
  if (ts >= cachedStart && ts < cachedEnd) return cachedDay;
  cachedDay = nanosToDay(ts);
  cachedStart = dayToNanos(cachedDay);
  cachedEnd = dayToNanos(cachedDay + 1);
  return cachedDay;
}

/** Whether a value looks like a record rather than a date (used by overloads). */
export function isRecord(value: unknown): value is SymbolMapRecord {
  return typeof value === 'object' && value !== null && !(value instanceof Date) && 'instrument_id' in value;
}
