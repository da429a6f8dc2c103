/**
 * The DuckDB target: an embedded database file, loaded through DuckDB's
 * appender a data chunk (2048 rows) at a time, each column copied in one go.
 * Rows later than everything stored are appended to the table itself; others
 * pass through a staging table that skips the keys already stored.
 * @module
 */
import type * as Duck from '@duckdb/node-api';
import type * as Bindings from '@duckdb/node-bindings';
import { CHUNK_ROWS, ChunkWriter, duckBindings } from './duckdb-chunks.js';
import type { RowBlock, SymbolDictionary } from './rows.js';
import { CHUNKS_TABLE, ident, isPrice, lit, type ColumnDef, type TableSpec } from './tables.js';
import { IngestError, loadOptional, type ChunkMark, type IngestTarget, type JobKey, type LoadResult } from './target.js';

type DuckApi = typeof Duck;

const I64_MAX = 9223372036854775807n;
/** Staged rows moved into the table at a time (bounds the staging table's memory). */
const FLUSH_ROWS = 1 << 20;

/** Table column type of a field. */
function sqlType(c: ColumnDef): string {
  switch (c.type) {
    case 'u8':
      return 'UTINYINT';
    case 'i8':
      return 'TINYINT';
    case 'u16':
      return 'USMALLINT';
    case 'i16':
      return 'SMALLINT';
    case 'u32':
      return 'UINTEGER';
    case 'i32':
      return 'INTEGER';
    case 'u64':
      return 'UBIGINT';
    case 'ts':
      return 'TIMESTAMP_NS';
    case 'char':
    case 'cstr':
      return 'VARCHAR';
    default:
      return 'BIGINT'; // i64, price (fixed-point ×1e-9)
  }
}

/** A DuckDB database file (or `:memory:`). */
export class DuckDbTarget implements IngestTarget {
  readonly description: string;
  readonly #duck: DuckApi;
  readonly #instance: Duck.DuckDBInstance;
  readonly #conn: Duck.DuckDBConnection;
  readonly #bindings: typeof Bindings;

  private constructor(path: string, duck: DuckApi, instance: Duck.DuckDBInstance, conn: Duck.DuckDBConnection) {
    this.description = `DuckDB ${path}`;
    this.#duck = duck;
    this.#bindings = duckBindings();
    this.#instance = instance;
    this.#conn = conn;
  }

  /** Opens (creating if needed) the database file. */
  static async open(path: string): Promise<DuckDbTarget> {
    const duck = await loadOptional<DuckApi>('@duckdb/node-api', 'ingesting into DuckDB');
    let instance: Duck.DuckDBInstance;
    try {
      instance = await duck.DuckDBInstance.create(path);
    } catch (err) {
      throw new IngestError(`cannot open DuckDB database ${path}: ${(err as Error).message}`, 'TARGET_UNAVAILABLE', { cause: err });
    }
    const conn = await instance.connect();
    return new DuckDbTarget(path, duck, instance, conn);
  }

  async #run(sql: string): Promise<Duck.DuckDBResultReader> {
    try {
      return await this.#conn.runAndReadAll(sql);
    } catch (err) {
      throw new IngestError(`DuckDB: ${(err as Error).message}`, 'TARGET_ERROR', { cause: err });
    }
  }

  async prepare(table: TableSpec): Promise<undefined> {
    // No declared PRIMARY KEY: maintaining DuckDB's index for it makes loads ~20× slower. The loader
    // enforces the key instead (see `load`); key columns stay NOT NULL as a declared key would make them.
    const cols = table.columns.map((c) => `${ident(c.name)} ${sqlType(c)}${table.key.includes(c.name) ? ' NOT NULL' : ''}`);
    await this.#run(`CREATE TABLE IF NOT EXISTS ${ident(table.name)} (${cols.join(', ')}, ord UINTEGER NOT NULL, symbol VARCHAR)`);
    // The same rows with prices as decimals (undefined prices as NULL).
    const viewCols = table.columns.map((c) =>
      isPrice(c)
        ? `CASE WHEN ${ident(c.name)} = ${I64_MAX} THEN NULL ELSE ${ident(c.name)} * 0.000000001 END AS ${ident(c.name)}`
        : ident(c.name),
    );
    await this.#run(`CREATE OR REPLACE VIEW ${ident(`${table.name}_px`)} AS SELECT ${viewCols.join(', ')}, ord, symbol FROM ${ident(table.name)}`);
    await this.#run(
      `CREATE TABLE IF NOT EXISTS ${CHUNKS_TABLE} (dataset VARCHAR, schema VARCHAR, stype_in VARCHAR, symbols VARCHAR, ` +
        `start_ns BIGINT, end_ns BIGINT, records UBIGINT, finished_at TIMESTAMP DEFAULT current_timestamp, ` +
        `PRIMARY KEY (dataset, schema, stype_in, symbols, start_ns, end_ns))`,
    );
  }

  async finishedChunks(job: JobKey): Promise<Set<string>> {
    const r = await this.#run(
      `SELECT start_ns, end_ns FROM ${CHUNKS_TABLE} WHERE dataset = ${lit(job.dataset)} AND schema = ${lit(job.schema)} ` +
        `AND stype_in = ${lit(job.stypeIn)} AND symbols = ${lit(job.symbols)}`,
    );
    return new Set(r.getRows().map(([s, e]) => `${String(s)}-${String(e)}`));
  }

  async lastTimestamp(table: TableSpec): Promise<bigint | undefined> {
    const r = await this.#run(`SELECT epoch_ns(max(${ident(table.indexTs)})) FROM ${ident(table.name)}`);
    const v = r.getRows()[0]?.[0];
    return v === null || v === undefined ? undefined : BigInt(v as bigint);
  }

  async load(table: TableSpec, blocks: AsyncIterable<RowBlock>, dict: SymbolDictionary, mark?: ChunkMark): Promise<LoadResult> {
    const writer = new ChunkWriter(this.#duck, this.#bindings, table.columns, await this.#columnTypes(table.name));
    const result: LoadResult = { rows: 0, inserted: 0 };
    const iterator = blocks[Symbol.asyncIterator]();
    let appender: Duck.DuckDBAppender | undefined;
    await this.#run('BEGIN TRANSACTION');
    try {
      let next = await iterator.next();
      while (!next.done && next.value.count === 0) next = await iterator.next();
      if (!next.done) {
        const first = (next.value.columns[table.indexTs] as BigUint64Array)[0]!;
        if (await this.#storedFrom(table, first)) {
          await this.#loadStaged(table, next.value, iterator, writer, dict, result);
        } else {
          // Nothing stored at or after the first row's time, and rows come sorted by it: every row is
          // new, so they go straight into the table.
          appender = await this.#conn.createAppender(table.name);
          for (; !next.done; next = await iterator.next()) {
            append(appender, writer, next.value, dict);
            result.rows += next.value.count;
          }
          appender.closeSync();
          appender = undefined;
          result.inserted = result.rows;
        }
      }
      if (mark) {
        await this.#run(
          `INSERT INTO ${CHUNKS_TABLE} (dataset, schema, stype_in, symbols, start_ns, end_ns, records) VALUES ` +
            `(${lit(mark.dataset)}, ${lit(mark.schema)}, ${lit(mark.stypeIn)}, ${lit(mark.symbols)}, ${mark.start}, ${mark.end}, ${mark.records}) ` +
            `ON CONFLICT DO NOTHING`,
        );
      }
      await this.#run('COMMIT');
    } catch (err) {
      try {
        appender?.closeSync();
      } catch {
        // the rows it held are rolled back below either way
      }
      await this.#run('ROLLBACK').catch(() => undefined);
      throw err;
    }
    return result;
  }

  /** Whether the table has a row at or after `ts` (ns). */
  async #storedFrom(table: TableSpec, ts: bigint): Promise<boolean> {
    if (ts > I64_MAX) return true; // not a time DuckDB can compare with: take the checked path
    const r = await this.#run(`SELECT 1 FROM ${ident(table.name)} WHERE ${ident(table.indexTs)} >= make_timestamp_ns(${ts}) LIMIT 1`);
    return r.currentRowCount > 0;
  }

  /**
   * Loads through a staging table of the table's shape, moving staged rows into
   * the table (≤ {@link FLUSH_ROWS} at a time) without those whose key is stored.
   */
  async #loadStaged(
    table: TableSpec,
    first: RowBlock,
    rest: AsyncIterator<RowBlock>,
    writer: ChunkWriter,
    dict: SymbolDictionary,
    result: LoadResult,
  ): Promise<void> {
    const stage = `stage_${table.name}`;
    await this.#run(`CREATE OR REPLACE TEMP TABLE ${stage} AS SELECT * FROM ${ident(table.name)} LIMIT 0`);
    try {
      let appender = await this.#conn.createAppender(stage, 'main', 'temp');
      let staged = 0;
      for (let block: RowBlock | undefined = first; block; ) {
        append(appender, writer, block, dict);
        result.rows += block.count;
        staged += block.count;
        const next = await rest.next();
        block = next.done ? undefined : next.value;
        if (staged >= FLUSH_ROWS || !block) {
          appender.closeSync();
          result.inserted += await this.#moveStaged(table, stage);
          staged = 0;
          if (block) appender = await this.#conn.createAppender(stage, 'main', 'temp');
        }
      }
    } finally {
      await this.#run(`DROP TABLE IF EXISTS ${stage}`).catch(() => undefined);
    }
  }

  /**
   * Moves the staged rows into the table, skipping those whose key is already
   * stored. Every row sharing a key value has the same index ts, so only the
   * table's rows in the staged ts window need comparing; when there are none
   * the rows go in as they are. One process writes a DuckDB file, and this
   * runs in the load's transaction, so the check holds.
   */
  async #moveStaged(table: TableSpec, stage: string): Promise<number> {
    const ts = ident(table.indexTs);
    const insert = `INSERT INTO ${ident(table.name)} SELECT * FROM ${stage} s`;
    const bounds = await this.#run(`SELECT epoch_ns(min(${ts})), epoch_ns(max(${ts})) FROM ${stage}`);
    const [lo, hi] = bounds.getRows()[0] as [bigint | null, bigint | null];
    let sql = insert;
    if (lo !== null && hi !== null) {
      const window = `t.${ts} BETWEEN make_timestamp_ns(${lo}) AND make_timestamp_ns(${hi})`;
      const existing = await this.#run(`SELECT 1 FROM ${ident(table.name)} t WHERE ${window} LIMIT 1`);
      if (existing.currentRowCount > 0) {
        const same = table.key.map((k) => `t.${ident(k)} = s.${ident(k)}`);
        sql = `${insert} WHERE NOT EXISTS (SELECT 1 FROM ${ident(table.name)} t WHERE ${window} AND ${same.join(' AND ')})`;
      }
    }
    const r = await this.#run(sql);
    await this.#run(`DELETE FROM ${stage}`);
    return r.rowsChanged;
  }

  async #columnTypes(name: string): Promise<Duck.DuckDBType[]> {
    const r = await this.#run(`SELECT * FROM ${ident(name)} LIMIT 0`);
    return r.columnTypes();
  }

  async close(): Promise<void> {
    this.#conn.closeSync();
    this.#instance.closeSync();
  }
}

/** Appends a block to `appender`, a data chunk at a time. */
function append(appender: Duck.DuckDBAppender, writer: ChunkWriter, block: RowBlock, dict: SymbolDictionary): void {
  for (let at = 0; at < block.count; at += CHUNK_ROWS) {
    appender.appendDataChunk(writer.fill(block, dict, at, Math.min(CHUNK_ROWS, block.count - at)));
  }
}
