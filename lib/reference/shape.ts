/**
 * What the clients do with the rows once they are read: flattening the event
 * objects of corporate actions, merging event versions (`pit: false`) and the
 * stable sort on the index column.
 * @internal
 * @module
 */
import type { RawRow } from './body.js';

/** The event-specific objects of a corporate action, in the order they are merged. */
const EVENT_OBJECTS = ['date_info', 'rate_info', 'event_info'] as const;

/**
 * Merges the keys of `date_info`, `rate_info` and `event_info` into the row
 * and drops the three objects. A key that is already a column is kept as
 * `<object>.<key>` rather than overwrite it.
 */
export function flattenRow(row: RawRow): void {
  for (const name of EVENT_OBJECTS) {
    const nested = row[name];
    delete row[name];
    if (nested === null || typeof nested !== 'object' || Array.isArray(nested)) continue;
    for (const [key, value] of Object.entries(nested as Record<string, unknown>)) {
      row[key in row || (EVENT_OBJECTS as readonly string[]).includes(key) ? `${name}.${key}` : key] = value;
    }
  }
}

/**
 * One row per `event_unique_id`: the versions ordered by `ts_record`, each
 * column taking its newest non-null value (so a value missing from the newest
 * version is filled from an older one). Rows come out ordered by
 * `event_unique_id`, ready for the sort on the index column.
 */
export function mergeVersions(rows: RawRow[]): RawRow[] {
  const byRecord = stableSort(rows, 'ts_record');
  const merged = new Map<unknown, RawRow>();
  for (const row of byRecord) {
    const id = row['event_unique_id'];
    const seen = merged.get(id);
    if (seen === undefined) {
      merged.set(id, { ...row });
      continue;
    }
    for (const [key, value] of Object.entries(row)) {
      if (value !== null && value !== undefined) seen[key] = value;
    }
  }
  return [...merged.values()].sort((a, b) => compare(a['event_unique_id'], b['event_unique_id']));
}

/** Sorts rows by one column, keeping the order of equal values; nulls first. Sorts in place and returns the array. */
export function stableSort<T extends object>(rows: T[], column: string): T[] {
  // Array.prototype.sort is stable (ES2019).
  return rows.sort((a, b) => compare((a as RawRow)[column], (b as RawRow)[column]));
}

/** Orders bigints, numbers and strings (dates); null and missing first. */
function compare(a: unknown, b: unknown): number {
  const an = a === null || a === undefined;
  const bn = b === null || b === undefined;
  if (an || bn) return an === bn ? 0 : an ? -1 : 1;
  return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
}
