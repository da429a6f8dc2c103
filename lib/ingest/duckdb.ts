/**
 * The DuckDB target: an embedded database file, loaded through DuckDB's
 * appender a data chunk (2048 rows) at a time, each column copied in one go.
 * @module
 */
import type * as Duck from '@duckdb/node-api';
import type { Column } from '../dbn/columns.js';
import type { RowBlock, SymbolDictionary } from './rows.js';
import { CHUNKS_TABLE, ident, isPrice, lit, type ColumnDef, type TableSpec } from './tables.js';
import { charCodes, IngestError, loadOptional, type ChunkMark, type IngestTarget, type JobKey, type LoadResult } from './target.js';

type DuckApi = typeof Duck;

const U64_MAX = '18446744073709551615';
const I64_MAX = '9223372036854775807';
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

/** Staging column type: the wire value as is (timestamps as ns, characters as codes). */
function stageType(c: ColumnDef): string {
  if (c.type === 'ts') return 'UBIGINT';
  if (c.type === 'char') return 'UTINYINT';
  return sqlType(c);
}

/** The expression turning a staged value into the table's. */
function fromStage(c: ColumnDef): string {
  const col = `s.${ident(c.name)}`;
  if (c.type === 'ts') return `CASE WHEN ${col} = ${U64_MAX} THEN NULL ELSE make_timestamp_ns(${col}::BIGINT) END`;
  if (c.type === 'char') return `CASE WHEN ${col} = 0 THEN NULL ELSE chr(${col}) END`;
  return col;
}

/** A DuckDB database file (or `:memory:`). */
export class DuckDbTarget implements IngestTarget {
  readonly description: string;
  readonly #duck: DuckApi;
  readonly #instance: Duck.DuckDBInstance;
  readonly #conn: Duck.DuckDBConnection;

  private constructor(path: string, duck: DuckApi, instance: Duck.DuckDBInstance, conn: Duck.DuckDBConnection) {
    this.description = `DuckDB ${path}`;
    this.#duck = duck;
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

  async prepare(table: TableSpec): Promise<void> {
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
    const stage = `stage_${table.name}`;
    const stageCols = [...table.columns.map((c) => `${ident(c.name)} ${stageType(c)}`), 'ord UINTEGER', 'symbol_id UINTEGER'];
    await this.#run(`CREATE OR REPLACE TEMP TABLE ${stage} (${stageCols.join(', ')})`);
    // Symbol ids are those of `dict`, which may differ from one load to the next.
    await this.#run('CREATE OR REPLACE TEMP TABLE stage_symbols (id UINTEGER PRIMARY KEY, symbol VARCHAR)');
    let symbolsStaged = 0;
    const types = await this.#stageTypes(stage);
    const names = [...table.columns.map((c) => c.name), 'ord', 'symbol_id'];
    const result: LoadResult = { rows: 0, inserted: 0 };
    let staged = 0;
    const flush = async (): Promise<void> => {
      if (staged === 0) return;
      // Symbols first seen since the last flush.
      const fresh = dict.symbols.slice(symbolsStaged + 1);
      if (fresh.length) {
        const values = fresh.map((s, i) => `(${symbolsStaged + 1 + i}, ${lit(s)})`);
        await this.#run(`INSERT INTO stage_symbols VALUES ${values.join(', ')}`);
        symbolsStaged += fresh.length;
      }
      const r = await this.#run(await this.#insertNew(table, stage));
      result.inserted += r.rowsChanged;
      await this.#run(`DELETE FROM ${stage}`);
      staged = 0;
    };

    await this.#run('BEGIN TRANSACTION');
    try {
      let appender = await this.#conn.createAppender(stage, 'main', 'temp');
      const chunk = this.#duck.DuckDBDataChunk.create(types);
      for await (const block of blocks) {
        const columns = names.map((n, i) => stageColumn(block, n, i < table.columns.length ? table.columns[i]! : undefined));
        for (let at = 0; at < block.count; at += 2048) {
          const n = Math.min(2048, block.count - at);
          if (chunk.rowCount !== n) chunk.rowCount = n;
          columns.forEach((col, k) => {
            const vector = chunk.getColumnVector(k);
            if (Array.isArray(col)) {
              for (let i = 0; i < n; i++) vector.setItem(i, col[at + i]!);
            } else {
              (vector as unknown as { items: typeof col }).items.set(col.subarray(at, at + n) as never);
            }
            vector.flush();
          });
          appender.appendDataChunk(chunk);
        }
        result.rows += block.count;
        staged += block.count;
        if (staged >= FLUSH_ROWS) {
          appender.closeSync();
          await flush();
          appender = await this.#conn.createAppender(stage, 'main', 'temp');
        }
      }
      appender.closeSync();
      await flush();
      if (mark) {
        await this.#run(
          `INSERT INTO ${CHUNKS_TABLE} (dataset, schema, stype_in, symbols, start_ns, end_ns, records) VALUES ` +
            `(${lit(mark.dataset)}, ${lit(mark.schema)}, ${lit(mark.stypeIn)}, ${lit(mark.symbols)}, ${mark.start}, ${mark.end}, ${mark.records}) ` +
            `ON CONFLICT DO NOTHING`,
        );
      }
      await this.#run('COMMIT');
    } catch (err) {
      await this.#run('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      await this.#run(`DROP TABLE IF EXISTS ${stage}`).catch(() => undefined);
    }
    return result;
  }

  /**
   * The statement moving staged rows into the table, skipping those whose key is
   * already stored. Every row sharing a key value has the same index ts, so only
   * the table's rows in the staged ts window need comparing; when there are none
   * (the common case: a new range) the rows go in as they are. One process writes
   * a DuckDB file, and this runs in the load's transaction, so the check holds.
   */
  async #insertNew(table: TableSpec, stage: string): Promise<string> {
    const ts = ident(table.indexTs);
    const select = [...table.columns.map(fromStage), 's.ord', 'y.symbol'];
    const insert = `INSERT INTO ${ident(table.name)} SELECT ${select.join(', ')} FROM ${stage} s LEFT JOIN stage_symbols y ON y.id = s.symbol_id`;
    const bounds = await this.#run(`SELECT min(${ts})::BIGINT, max(${ts})::BIGINT FROM ${stage}`);
    const [lo, hi] = bounds.getRows()[0] as [bigint | null, bigint | null];
    if (lo === null || hi === null) return insert;
    const window = `t.${ts} BETWEEN make_timestamp_ns(${lo}) AND make_timestamp_ns(${hi})`;
    const existing = await this.#run(`SELECT count(*) FROM (SELECT 1 FROM ${ident(table.name)} t WHERE ${window} LIMIT 1)`);
    if (Number(existing.getRows()[0]![0]) === 0) return insert;
    const same = table.key.map((k) => `t.${ident(k)} = ${k === table.indexTs ? `make_timestamp_ns(s.${ts}::BIGINT)` : `s.${ident(k)}`}`);
    return `${insert} WHERE NOT EXISTS (SELECT 1 FROM ${ident(table.name)} t WHERE ${window} AND ${same.join(' AND ')})`;
  }

  async #stageTypes(stage: string): Promise<Duck.DuckDBType[]> {
    const r = await this.#run(`SELECT * FROM ${stage} LIMIT 0`);
    return r.columnTypes();
  }

  async close(): Promise<void> {
    this.#conn.closeSync();
    this.#instance.closeSync();
  }
}

/** A block's column in the staging table's shape. */
function stageColumn(block: RowBlock, name: string, def: ColumnDef | undefined): Column {
  if (name === 'ord') return block.ord;
  if (name === 'symbol_id') return block.symbol;
  const col = block.columns[name]!;
  return def?.type === 'char' ? charCodes(col as string[], block.count) : col;
}
