/**
 * The table of each schema: its columns (the record's fields, flattened as in
 * {@link toColumns}), its key, and how both map to SQL types.
 *
 * The key of every table is `(<index ts>, publisher_id, instrument_id, ord)`:
 *
 * - the index timestamp is `ts_recv` where the record has one, else
 *   `ts_event` — the timestamp Databento sorts and filters ranges by, so every
 *   record sharing a key value falls inside one chunk of a range and one
 *   window of a live replay;
 * - `publisher_id` and `instrument_id` separate venues/datasets and
 *   instruments that share a timestamp;
 * - `ord` numbers the records sharing the first three columns in the order
 *   the gateway sends them (0, 1, 2…). One venue packet often yields several
 *   records with the same receive time for one instrument (an MBO trade and
 *   its fills, a book update per level); their order is the venue's and is
 *   the same in every historical response and live replay of that time, so
 *   re-loading a range or replaying an overlap yields the same keys, and the
 *   rows already stored are skipped instead of duplicated.
 *
 * PostgreSQL declares the key as the primary key. DuckDB does not: maintaining
 * its index costs many times the rest of a load, so the DuckDB loader enforces
 * the key itself (an anti-join against the stored rows of the staged time
 * window, in the load's transaction).
 *
 * For bar schemas (`ohlcv-*`) `ord` is always 0: there is one bar per
 * instrument, publisher and interval start.
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import { HEADER_LAYOUT, LAYOUTS, LEVEL_LAYOUTS, type FieldInfo, type LayoutInfo } from '../generated/records.js';
import { rtypeForSchema, schemaFromName } from '../generated/enums.js';

/** One column of a schema's table. */
export interface ColumnDef {
  /** Column name, as in {@link toColumns}. */
  name: string;
  /** Wire type of the field. */
  type: FieldInfo['type'];
  /** Byte size on the wire (for strings). */
  size: number;
}

/** The table one schema loads into. */
export interface TableSpec {
  /** Schema name, e.g. `'mbo'`. */
  schema: string;
  /** Table name: the schema with `-` as `_`, e.g. `ohlcv_1m`. */
  name: string;
  /** The rtype of the schema's records. */
  rtype: number;
  /** `ts_recv` or `ts_event`: what ranges are filtered and sorted by. */
  indexTs: 'ts_recv' | 'ts_event';
  /** The record's columns in layout order (without `rtype`, which is constant per table). */
  columns: ColumnDef[];
  /** The key columns: index ts, publisher_id, instrument_id, ord. */
  key: string[];
}

const HEADER_NAMES = ['ts_event', 'publisher_id', 'instrument_id'];

/** Schemas that can be ingested (those with a record layout of their own). */
export function ingestibleSchemas(): string[] {
  return LAYOUTS.filter((l) => l.versions?.includes(3)).flatMap((l) => l.schemas ?? []);
}

/** The table of `schema`; throws {@link InvalidArgumentError} for an unknown schema. */
export function tableFor(schema: string): TableSpec {
  const layout = LAYOUTS.find((l) => l.versions?.includes(3) && l.schemas?.includes(schema));
  const code = typeof schema === 'string' ? schemaFromName(schema) : undefined;
  const rtype = code === undefined ? undefined : rtypeForSchema(code);
  if (!layout || rtype === undefined) {
    throw new InvalidArgumentError(`schema ${JSON.stringify(schema)} cannot be ingested; use one of ${ingestibleSchemas().join(', ')}`);
  }
  const columns = columnsOf(layout);
  const indexTs = columns.some((c) => c.name === 'ts_recv') ? 'ts_recv' : 'ts_event';
  return { schema, name: schema.replace(/-/g, '_'), rtype, indexTs, columns, key: [indexTs, 'publisher_id', 'instrument_id', 'ord'] };
}

function columnsOf(layout: LayoutInfo): ColumnDef[] {
  const out: ColumnDef[] = [];
  for (const field of layout.fields) {
    if (field.type === 'pad' || field.name.startsWith('_')) continue;
    if (field.type === 'header') {
      for (const name of HEADER_NAMES) {
        const f = HEADER_LAYOUT.fields.find((h) => h.name === name)!;
        out.push({ name, type: f.type, size: f.size });
      }
    } else if (field.type === 'levels') {
      const level = LEVEL_LAYOUTS.find((l) => l.name === field.of)!;
      for (let i = 0; i < field.count!; i++) {
        for (const lf of level.fields) {
          if (lf.type === 'pad' || lf.name.startsWith('_')) continue;
          const [side, what] = lf.name.split('_') as [string, string];
          out.push({ name: `${side}_${what}_${String(i).padStart(2, '0')}`, type: lf.type, size: lf.size });
        }
      }
    } else {
      out.push({ name: field.name, type: field.type, size: field.size });
    }
  }
  return out;
}

/** Whether a column holds a fixed-point price (×1e-9). */
export const isPrice = (c: ColumnDef): boolean => c.type === 'price';

/** Quotes an SQL identifier. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** An SQL string literal. */
export function lit(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** The bookkeeping table of finished chunks. */
export const CHUNKS_TABLE = 'databento_ingest_chunks';
