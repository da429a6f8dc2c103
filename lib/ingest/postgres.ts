/**
 * The PostgreSQL target: rows streamed with `COPY … FROM STDIN (FORMAT binary)`,
 * straight into the table when nothing is stored from the load's first time
 * on, else into a staging table that is moved into the table skipping stored
 * keys. A TimescaleDB hypertable is made of each table when that extension is
 * available.
 * @module
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type * as Pg from 'pg';
import type * as PgCopy from 'pg-copy-streams';
import { DatabentoError } from '../errors.js';
import { COPY_HEADER, COPY_TRAILER, PgBinaryRows } from './pg-binary.js';
import type { RowBlock, SymbolDictionary } from './rows.js';
import { CHUNKS_TABLE, ident, isPrice, lit, type ColumnDef, type TableSpec } from './tables.js';
import { IngestError, loadOptional, type ChunkMark, type IngestTarget, type JobKey, type LoadResult } from './target.js';

const I64_MAX = 9223372036854775807n;
/** Staged rows moved into the table at a time. */
const FLUSH_ROWS = 1 << 20;
/** Rows per piece written to the COPY stream. */
const PIECE_ROWS = 4096;

function sqlType(c: ColumnDef): string {
  switch (c.type) {
    case 'u8':
    case 'i8':
    case 'i16':
      return 'SMALLINT';
    case 'u16':
    case 'i32':
      return 'INTEGER';
    case 'u64':
      return 'NUMERIC(20)'; // PostgreSQL has no unsigned 64-bit type
    case 'char':
    case 'cstr':
      return 'TEXT';
    default:
      return 'BIGINT'; // u32, i64, price (fixed-point ×1e-9), ts (UNIX ns)
  }
}

/** The URL without its password, for messages. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

/** Row blocks being loaded: the next one (already read) and the rest. */
interface BlockSource {
  next: IteratorResult<RowBlock>;
  iterator: AsyncIterator<RowBlock>;
}

/** A PostgreSQL database reached by URL. */
export class PostgresTarget implements IngestTarget {
  readonly description: string;
  readonly #client: Pg.Client;
  readonly #copyFrom: typeof PgCopy.from;
  /** '' once TimescaleDB is enabled, else why it cannot be; undefined until checked. */
  #timescale: string | undefined;

  private constructor(description: string, client: Pg.Client, copyFrom: typeof PgCopy.from) {
    this.description = description;
    this.#client = client;
    this.#copyFrom = copyFrom;
  }

  /** Connects to the database of `url`. */
  static async open(url: string): Promise<PostgresTarget> {
    const description = `PostgreSQL ${redact(url)}`;
    try {
      new URL(url);
    } catch {
      throw new IngestError(`${description} is not a valid URL`, 'BAD_TARGET');
    }
    const pg = await loadOptional<{ default: typeof Pg }>('pg', 'ingesting into PostgreSQL');
    const copy = await loadOptional<{ default?: typeof PgCopy } & typeof PgCopy>('pg-copy-streams', 'ingesting into PostgreSQL');
    const client = new pg.default.Client({ connectionString: url });
    client.on('error', () => undefined); // a dropped connection surfaces as the failing query's error
    try {
      await client.connect();
    } catch (err) {
      await client.end().catch(() => undefined);
      throw new IngestError(`cannot connect to ${description}: ${(err as Error).message}`, 'TARGET_UNAVAILABLE', { cause: err });
    }
    return new PostgresTarget(description, client, (copy.default ?? copy).from);
  }

  async #query(sql: string): Promise<Pg.QueryResult> {
    try {
      return await this.#client.query(sql);
    } catch (err) {
      throw new IngestError(`PostgreSQL: ${(err as Error).message}`, 'TARGET_ERROR', { cause: err });
    }
  }

  async prepare(table: TableSpec): Promise<string> {
    const cols = table.columns.map((c) => `${ident(c.name)} ${sqlType(c)}`);
    const t = ident(table.name);
    await this.#query(
      `CREATE TABLE IF NOT EXISTS ${t} (${cols.join(', ')}, ord INTEGER NOT NULL, symbol TEXT, ` +
        `PRIMARY KEY (${table.key.map(ident).join(', ')}))`,
    );
    let storage = `TimescaleDB hypertable on ${table.indexTs}, one-day chunks`;
    const unavailable = await this.#timescaleUnavailable();
    if (unavailable) {
      storage = `plain table (${unavailable})`;
    } else {
      try {
        // Integer time: chunks of one day of nanoseconds.
        await this.#client.query(
          `SELECT create_hypertable('${table.name}', '${table.indexTs}', chunk_time_interval => 86400000000000, ` +
            'if_not_exists => TRUE, migrate_data => TRUE)',
        );
      } catch (err) {
        storage = `plain table (TimescaleDB could not make it a hypertable: ${(err as Error).message})`;
      }
    }
    // Prices as decimals, timestamps as timestamptz (microseconds; the table keeps nanoseconds).
    const viewCols = table.columns.map((c) => {
      const col = ident(c.name);
      if (isPrice(c)) return `CASE WHEN ${col} = ${I64_MAX} THEN NULL ELSE (${col}::numeric / 1000000000)::numeric(28, 9) END AS ${col}`;
      if (c.type === 'ts') return `timestamptz 'epoch' + (${col} / 1000) * interval '1 microsecond' AS ${col}`;
      return col;
    });
    await this.#query(`CREATE OR REPLACE VIEW ${ident(`${table.name}_px`)} AS SELECT ${viewCols.join(', ')}, ord, symbol FROM ${t}`);
    await this.#query(
      `CREATE TABLE IF NOT EXISTS ${CHUNKS_TABLE} (dataset TEXT, schema TEXT, stype_in TEXT, symbols TEXT, ` +
        `start_ns BIGINT, end_ns BIGINT, records BIGINT, finished_at TIMESTAMPTZ DEFAULT now(), ` +
        `PRIMARY KEY (dataset, schema, stype_in, symbols, start_ns, end_ns))`,
    );
    return storage;
  }

  /** Enables TimescaleDB when the server has it: undefined then, else the reason it cannot be used. */
  async #timescaleUnavailable(): Promise<string | undefined> {
    if (this.#timescale === undefined) {
      const r = await this.#query("SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'");
      if (!r.rowCount) {
        this.#timescale = 'the timescaledb extension is not installed on this server';
      } else {
        // It may need preloading (shared_preload_libraries) or rights this user lacks: then load into a plain table.
        this.#timescale = await this.#client.query('CREATE EXTENSION IF NOT EXISTS timescaledb').then(
          () => '',
          (err: Error) => `the timescaledb extension could not be enabled: ${err.message}`,
        );
      }
    }
    return this.#timescale || undefined;
  }

  async finishedChunks(job: JobKey): Promise<Set<string>> {
    const r = await this.#query(
      `SELECT start_ns::text AS s, end_ns::text AS e FROM ${CHUNKS_TABLE} WHERE dataset = ${lit(job.dataset)} ` +
        `AND schema = ${lit(job.schema)} AND stype_in = ${lit(job.stypeIn)} AND symbols = ${lit(job.symbols)}`,
    );
    return new Set(r.rows.map((row: { s: string; e: string }) => `${row.s}-${row.e}`));
  }

  async lastTimestamp(table: TableSpec): Promise<bigint | undefined> {
    const r = await this.#query(`SELECT max(${ident(table.indexTs)})::text AS t FROM ${ident(table.name)}`);
    const v = (r.rows[0] as { t: string | null } | undefined)?.t;
    return v === null || v === undefined ? undefined : BigInt(v);
  }

  async load(table: TableSpec, blocks: AsyncIterable<RowBlock>, dict: SymbolDictionary, mark?: ChunkMark): Promise<LoadResult> {
    const t = ident(table.name);
    const result: LoadResult = { rows: 0, inserted: 0 };
    const iterator = blocks[Symbol.asyncIterator]();
    await this.#query('BEGIN');
    try {
      // Other writers wait until this load commits, so what it finds stored stays so (readers are not blocked).
      await this.#query(`LOCK TABLE ${t} IN SHARE ROW EXCLUSIVE MODE`);
      let next = await iterator.next();
      while (!next.done && next.value.count === 0) next = await iterator.next();
      const source = { next, iterator };
      if (!next.done) {
        const first = (next.value.columns[table.indexTs] as BigUint64Array)[0]!;
        if (await this.#storedFrom(table, first)) {
          await this.#loadStaged(table, source, dict, result);
        } else {
          // Nothing stored at or after the first row's time, and rows come sorted by it: all are new.
          await this.#copy(table, t, source, dict, result, Infinity);
          result.inserted = result.rows;
        }
      }
      if (mark) {
        await this.#query(
          `INSERT INTO ${CHUNKS_TABLE} (dataset, schema, stype_in, symbols, start_ns, end_ns, records) VALUES ` +
            `(${lit(mark.dataset)}, ${lit(mark.schema)}, ${lit(mark.stypeIn)}, ${lit(mark.symbols)}, ${mark.start}, ${mark.end}, ${mark.records}) ` +
            'ON CONFLICT DO NOTHING',
        );
      }
      await this.#query('COMMIT');
    } catch (err) {
      await this.#client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
    return result;
  }

  /** Whether the table has a row at or after `ts` (ns); the key's index answers it. */
  async #storedFrom(table: TableSpec, ts: bigint): Promise<boolean> {
    if (ts > I64_MAX) return true; // beyond BIGINT: take the checked path
    const r = await this.#query(`SELECT 1 FROM ${ident(table.name)} WHERE ${ident(table.indexTs)} >= ${ts} LIMIT 1`);
    return (r.rowCount ?? 0) > 0;
  }

  /** Through a staging table, moved into the table ≤ {@link FLUSH_ROWS} rows at a time without the stored keys. */
  async #loadStaged(table: TableSpec, source: BlockSource, dict: SymbolDictionary, result: LoadResult): Promise<void> {
    const stage = ident(`stage_${table.name}`);
    await this.#query(`CREATE TEMP TABLE ${stage} (LIKE ${ident(table.name)} INCLUDING DEFAULTS) ON COMMIT DROP`);
    while (!source.next.done) {
      await this.#copy(table, stage, source, dict, result, FLUSH_ROWS);
      const r = await this.#query(`INSERT INTO ${ident(table.name)} SELECT * FROM ${stage} ON CONFLICT DO NOTHING`);
      result.inserted += r.rowCount ?? 0;
      await this.#query(`TRUNCATE ${stage}`);
    }
  }

  /**
   * One binary COPY into `into` of the source's blocks until at least `limit`
   * rows; each piece is encoded as the stream takes it.
   */
  async #copy(table: TableSpec, into: string, source: BlockSource, dict: SymbolDictionary, result: LoadResult, limit: number): Promise<void> {
    const names = [...table.columns.map((c) => ident(c.name)), 'ord', 'symbol'].join(', ');
    const rows = new PgBinaryRows(table.columns);
    let copied = 0;
    const pieces = async function* (this: void): AsyncGenerator<Uint8Array> {
      yield COPY_HEADER;
      while (!source.next.done && copied < limit) {
        const block = source.next.value;
        for (let at = 0; at < block.count; at += PIECE_ROWS) yield rows.encode(block, dict, at, Math.min(block.count, at + PIECE_ROWS));
        copied += block.count;
        result.rows += block.count;
        source.next = await source.iterator.next();
      }
      yield COPY_TRAILER;
    };
    const copy = this.#client.query(this.#copyFrom(`COPY ${into} (${names}) FROM STDIN (FORMAT binary)`));
    try {
      await pipeline(Readable.from(pieces()), copy);
    } catch (err) {
      if (err instanceof DatabentoError) throw err; // the records' source failed (network, DBN): not the database
      throw new IngestError(`PostgreSQL: COPY failed: ${(err as Error).message}`, 'TARGET_ERROR', { cause: err });
    }
  }

  async close(): Promise<void> {
    await this.#client.end().catch(() => undefined);
  }
}
