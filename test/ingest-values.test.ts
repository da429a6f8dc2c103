// The loaders write values as bytes (DuckDB's column vectors, PostgreSQL's
// binary COPY): every kind of value must come out as the record holds it, on
// the path straight into the table and on the path through the staging table
// alike, in a real DuckDB file and a real PostgreSQL cluster.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startPostgres } from '../bench/pg-cluster.mjs';
import { DbnEncoder, DbnStore } from '../lib/dbn/index.js';
import { DuckDbTarget } from '../lib/ingest/duckdb.js';
import { PostgresTarget } from '../lib/ingest/postgres.js';
import type { IngestTarget } from '../lib/ingest/target.js';
import { RowBuilder, SymbolDictionary, type RowBlock } from '../lib/ingest/rows.js';
import { tableFor } from '../lib/ingest/tables.js';
import { D0, DAY, encodeMbo, type MboRow } from './ingest-helpers.js';
import { duckQuery } from './readback.js';

const TABLE = tableFor('mbo');
const LONG = 'ES 2024-06-21 C5000 weekly'; // over the 12 bytes DuckDB keeps inline
const UNDEF_TS = (1n << 64n) - 1n;
const started = await startPostgres();
if (typeof started === 'string') {
  // CI installs PostgreSQL: there a cluster that cannot start is a failure, not a skip.
  if (process.env['CI']) throw new Error(started);
  console.warn(`skipping the PostgreSQL value tests: ${started}`);
}
const cluster = typeof started === 'string' ? undefined : started;
let tmp: string;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'databento-ingest-values-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  cluster?.stop();
});

/** 5000 records (several data chunks): three instruments, groups of 6 sharing ts_recv (2 per instrument), odd values. */
function market(): MboRow[] {
  const rows: MboRow[] = [];
  for (let k = 0; k < 5000; k++) {
    rows.push({
      ts: D0 + 3_600_000_000_000n + BigInt(Math.floor(k / 6)) * 1000n,
      iid: 7001 + (k % 3),
      orderId: k % 5 === 0 ? (1n << 64n) - 2n - BigInt(k) : BigInt(k) * 123_456_789n, // all of u64's range
      price: k % 7 === 0 ? 9_223_372_036_854_775_807n : 5_000_000_000_000n + BigInt(k) * 250_000_000n,
      size: k,
      sequence: k,
      action: k % 11 === 0 ? '\u00e9' : 'ACMTF'[k % 5]!,
      side: k % 13 === 0 ? '\0' : k % 2 ? 'A' : 'B',
    });
  }
  return rows;
}

/** The records as DBN, with ts_event undefined for every 17th; 7001 is ESM4, 7002 a long symbol, 7003 unmapped. */
function store(rows: MboRow[]): DbnStore {
  const records = encodeMbo(rows);
  const dv = new DataView(records.buffer);
  rows.forEach((_, i) => {
    if (i % 17 === 0) dv.setBigUint64(i * 56 + 8, UNDEF_TS, true);
  });
  const interval = (symbol: string) => [{ start_date: '2024-03-04', end_date: '2024-03-05', symbol }];
  const metadata = {
    dataset: 'GLBX.MDP3',
    schema: 'mbo',
    start: D0,
    end: D0 + DAY,
    stype_in: 'raw_symbol',
    stype_out: 'instrument_id',
    symbols: ['ESM4', LONG],
    mappings: [
      { raw_symbol: 'ESM4', intervals: interval('7001') },
      { raw_symbol: LONG, intervals: interval('7002') },
    ],
  };
  return DbnStore.fromBytes(DbnEncoder.encode(metadata, records));
}

async function* blocks(s: DbnStore, dict: SymbolDictionary, from = 0): AsyncGenerator<RowBlock> {
  const builder = new RowBuilder(TABLE, dict, s.metadata);
  let seen = 0;
  for await (const batch of s.batches()) {
    const block = builder.rows(batch);
    // Only the rows from `from` on (whole blocks dropped, the first kept one cut).
    if (seen + block.count > from) yield from > seen ? slice(block, from - seen) : block;
    seen += block.count;
  }
}

function slice(block: RowBlock, at: number): RowBlock {
  const columns = Object.fromEntries(Object.entries(block.columns).map(([k, c]) => [k, c.slice(at)]));
  return { count: block.count - at, columns, ord: block.ord.slice(at), symbol: block.symbol.slice(at) };
}

/** How each database is opened and read back, in the same terms. */
interface Db {
  open(name: string): Promise<IngestTarget>;
  rows(name: string): Promise<Record<string, unknown>[]>;
}

const ORDER = 'ORDER BY ts_recv, instrument_id, ord';
const duck: Db = {
  open: (name) => DuckDbTarget.open(join(tmp, `${name}.duckdb`)),
  rows: (name) =>
    duckQuery(join(tmp, `${name}.duckdb`), `SELECT * EXCLUDE (ts_event, ts_recv), epoch_ns(ts_event) AS ts_event, epoch_ns(ts_recv) AS ts_recv FROM mbo ${ORDER}`),
};
const databases = new Map<string, string>();
const pgUrl = (name: string): string => {
  if (!databases.has(name)) databases.set(name, cluster!.createDatabase(name));
  return databases.get(name)!;
};
const postgres: Db = {
  open: (name) => PostgresTarget.open(pgUrl(name)),
  async rows(name) {
    const c = new pg.Client({ connectionString: pgUrl(name) });
    await c.connect();
    try {
      return (await c.query(`SELECT * FROM mbo ${ORDER}`)).rows as Record<string, unknown>[];
    } finally {
      await c.end();
    }
  },
};

async function load(db: Db, name: string, s: DbnStore, from = 0): Promise<number> {
  const target = await db.open(name);
  try {
    await target.prepare(TABLE);
    const dict = new SymbolDictionary();
    return (await target.load(TABLE, blocks(s, dict, from), dict)).inserted;
  } finally {
    await target.close();
  }
}

/** A row in common terms: integers as bigints (PostgreSQL returns BIGINT and NUMERIC as text). */
function normal(row: Record<string, unknown>): Record<string, unknown> {
  const int = (v: unknown): bigint | null => (v === null ? null : BigInt(String(v)));
  return {
    order_id: int(row['order_id']),
    ts_event: int(row['ts_event']),
    ts_recv: int(row['ts_recv']),
    price: int(row['price']),
    action: row['action'],
    side: row['side'],
    symbol: row['symbol'],
    ord: Number(row['ord']),
  };
}

describe.each([
  ['DuckDB', duck],
  ['PostgreSQL', cluster ? postgres : undefined],
] as const)('%s', (_name, db) => {
  test.skipIf(!db)('values written straight into the table and through the staging table are those of the records', async () => {
    const d = db!;
  const rowsIn = market();
  const s = store(rowsIn);
  // An empty table: every row goes straight in.
  const direct = 'direct';
  expect(await load(d, direct, s)).toBe(5000);
  // The last 1000 rows first, then all: the rows before them pass the staging table, the stored ones are skipped.
  const staged = 'staged';
  expect(await load(d, staged, s, 4000)).toBe(1000);
  expect(await load(d, staged, s)).toBe(4000);
  // Loading again into the first table stores nothing new.
  expect(await load(d, direct, s)).toBe(0);

  const got = (await d.rows(direct)).map(normal);
  expect((await d.rows(staged)).map(normal)).toEqual(got);
  expect(got).toHaveLength(5000);
  // The records in the table's order, with their place among those sharing ts_recv and instrument.
  const seen = new Map<string, number>();
  const expected = rowsIn.map((r, i) => {
    const key = `${r.ts} ${r.iid}`;
    const ord = seen.get(key) ?? 0;
    seen.set(key, ord + 1);
    return { r, i, ord };
  });
  expected.sort((a, b) => (a.r.ts === b.r.ts ? a.r.iid - b.r.iid || a.ord - b.ord : a.r.ts < b.r.ts ? -1 : 1));
  got.forEach((row, n) => {
    const { r, i, ord } = expected[n]!;
    expect(row['order_id']).toBe(r.orderId);
    expect(row['ts_recv']).toBe(r.ts);
    expect(row['ts_event']).toBe(i % 17 === 0 ? null : r.ts - 1000n);
    expect(row['price']).toBe(r.price);
    expect(row['action']).toBe(r.action);
    expect(row['side']).toBe(r.side === '\0' ? null : r.side);
    expect(row['symbol']).toBe(r.iid === 7001 ? 'ESM4' : r.iid === 7002 ? LONG : null);
    expect(row['ord']).toBe(ord);
  });
  expect(got.filter((row) => row['ord'] === 1)).toHaveLength(2499);
});
});
