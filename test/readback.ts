// Reading outputs back in tests: SQL through DuckDB (an independent reader of
// Parquet files and of the ingest tables) and the symbols of JSON lines.
import { DuckDBInstance } from '@duckdb/node-api';
import { Writable } from 'node:stream';
import type { DbnStore } from '../lib/index.js';

/** The rows of `sql` run on the DuckDB database at `path` (`:memory:` to read files only). */
export async function duckQuery(path: string, sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(path);
  const conn = await instance.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** The `symbol` of each JSON line of `store` whose record has rtype `rtype`. */
export async function jsonSymbols(store: DbnStore, rtype: number): Promise<(string | null)[]> {
  const chunks: Buffer[] = [];
  const sink = new Writable({ write: (c: Buffer, _e, cb) => (chunks.push(c), cb()) });
  await store.toJson(sink, { prettyPx: false, prettyTs: false });
  return Buffer.concat(chunks)
    .toString()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { hd: { rtype: number }; symbol: string | null })
    .filter((o) => o.hd.rtype === rtype)
    .map((o) => o.symbol);
}
