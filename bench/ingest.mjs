// Loading 1,000,000 MBO records into DuckDB and PostgreSQL, beside merely
// decoding them: the decode is the baseline the loads are measured against.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DbnStore, Historical, ingest } from '../dist/lib/index.js';
import { DuckDbTarget } from '../dist/lib/ingest/duckdb.js';
import { PostgresTarget } from '../dist/lib/ingest/postgres.js';
import { RowBuilder, SymbolDictionary } from '../dist/lib/ingest/rows.js';
import { tableFor } from '../dist/lib/ingest/tables.js';
import { startPostgres } from './pg-cluster.mjs';
import { mboFile, measure, T0 } from './synthetic.mjs';

const RECORDS = 1_000_000;
const TABLE = tableFor('mbo');

async function decodeOnly(store) {
  let n = 0;
  for await (const batch of store.batches()) n += batch.count;
  return n;
}

async function* rowBlocks(store) {
  const builder = new RowBuilder(TABLE, new SymbolDictionary(), store.metadata);
  for await (const batch of store.batches()) yield builder.rows(batch);
}

async function rowsOnly(store) {
  let n = 0;
  for await (const block of rowBlocks(store)) n += block.count;
  return n;
}

/** The row blocks of the whole file, built once, so that a load of them times the database alone. */
async function prebuilt(store) {
  const dict = new SymbolDictionary();
  const builder = new RowBuilder(TABLE, dict, store.metadata);
  const blocks = [];
  for await (const batch of store.batches()) blocks.push(builder.rows(batch));
  return { dict, blocks };
}

async function* fromArray(blocks) {
  yield* blocks;
}

/** Decodes the file and loads it into a fresh table of `open()`'s target (or loads `rows`, built beforehand). */
async function load(store, open, rows) {
  const target = await open();
  try {
    await target.prepare(TABLE);
    const r = rows
      ? await target.load(TABLE, fromArray(rows.blocks), rows.dict)
      : await target.load(TABLE, rowBlocks(store), new SymbolDictionary());
    if (r.inserted !== RECORDS) throw new Error(`inserted ${r.inserted} rows, expected ${RECORDS}`);
    return r.inserted;
  } finally {
    await target.close();
  }
}

/**
 * DuckDB's own write rate, the floor of any load into a file: the rows of the
 * loaded table `from` copied by DuckDB from an in-memory temp table into a
 * fresh file (INSERT … SELECT, then CHECKPOINT), with no JS in the way.
 */
async function duckOwnWrite(from, to) {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(to);
  const conn = await instance.connect();
  try {
    await conn.run(`ATTACH '${from}' AS src (READ_ONLY)`);
    await conn.run('CREATE TEMP TABLE rows AS SELECT * FROM src.mbo');
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    await conn.run('CREATE TABLE mbo AS SELECT * FROM rows');
    await conn.run('CHECKPOINT');
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const name = "ingest baseline: DuckDB's own copy of the loaded rows from an in-memory table into a file";
    return { name, records: RECORDS, seconds, recordsPerSec: RECORDS / seconds, cpuSeconds, recordsPerCpuSec: RECORDS / cpuSeconds };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

export async function benchIngest() {
  const store = DbnStore.fromFile(await mboFile({ records: RECORDS }));
  const dir = mkdtempSync(join(tmpdir(), 'databento-bench-ingest-'));
  let runs = 0;
  const duckPath = () => join(dir, `run${runs++}.duckdb`);
  const notes = [];
  try {
    const rows = await prebuilt(store);
    const decode = await measure('ingest baseline: native decode of the file, async batches', () => decodeOnly(store));
    const results = [
      decode,
      await measure('ingest: decode + rows (columns, ord, symbols), no database', () => rowsOnly(store)),
      await measure('ingest: decode + rows + DuckDB load (appender straight into the table)', () =>
        load(store, () => DuckDbTarget.open(duckPath())), 1),
      await measure('ingest: DuckDB load alone (the same rows built beforehand, appended into a fresh file)', () =>
        load(store, () => DuckDbTarget.open(duckPath()), rows), 1),
      await measure('ingest(): end to end, zstd MBO from a local mock server into DuckDB', () => endToEnd(duckPath()), 1),
    ];
    results.push(await duckOwnWrite(join(dir, 'run0.duckdb'), duckPath()));
    const cluster = await startPostgres();
    if (typeof cluster === 'string') {
      notes.push(`PostgreSQL not measured: ${cluster}`);
    } else {
      try {
        results.push(await measure('ingest: decode + rows + PostgreSQL load (binary COPY straight into the table, primary key)', () =>
          load(store, () => PostgresTarget.open(cluster.createDatabase(`bench${runs++}`))), 1));
      } finally {
        cluster.stop();
      }
    }
    // CPU time is this process's (DuckDB's threads included; not the mock server's nor PostgreSQL's).
    for (const r of results.slice(1)) {
      notes.push(
        `${(r.seconds / decode.seconds).toFixed(1)}× the decode time, ${(r.cpuSeconds / decode.cpuSeconds).toFixed(1)}× its CPU time: ` +
          r.name.replace(/^ingest: /, ''),
      );
    }
    return { results, notes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function endToEnd(to) {
  const path = await mboFile({ records: RECORDS, compression: 'zstd' });
  const server = fork(new URL('./mock-historical-child.mjs', import.meta.url).pathname, [path]);
  try {
    const [url] = await once(server, 'message');
    const client = new Historical({ key: 'db-BenchBenchBenchBenchBenchBenc', gateway: url, retry: false });
    // The file's records lie within one UTC day from T0: one chunk.
    const day = (T0 / 86_400_000_000_000n) * 86_400_000_000_000n;
    const s = await ingest({ dataset: 'GLBX.MDP3', schema: 'mbo', symbols: 'ES.FUT', stypeIn: 'parent', start: day, end: day + 86_400_000_000_000n, to, client });
    if (s.rowsInserted !== RECORDS) throw new Error(`inserted ${s.rowsInserted} rows, expected ${RECORDS}`);
    return s.rowsInserted;
  } finally {
    server.disconnect();
  }
}
