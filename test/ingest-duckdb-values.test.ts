// The DuckDB loader writes column vectors as bytes: every kind of value must
// come out as SQL would have written it, on the path straight into the table
// and on the path through the staging table alike.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { DbnEncoder, DbnStore } from '../lib/dbn/index.js';
import { DuckDbTarget } from '../lib/ingest/duckdb.js';
import { RowBuilder, SymbolDictionary, type RowBlock } from '../lib/ingest/rows.js';
import { tableFor } from '../lib/ingest/tables.js';
import { D0, DAY, encodeMbo, type MboRow } from './ingest-helpers.js';

const TABLE = tableFor('mbo');
const LONG = 'ES 2024-06-21 C5000 weekly'; // over the 12 bytes DuckDB keeps inline
const UNDEF_TS = (1n << 64n) - 1n;
let tmp: string;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'databento-ingest-values-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** 5000 records (several data chunks): three instruments, groups of 6 sharing ts_recv (2 per instrument), odd values. */
function market(): MboRow[] {
  const rows: MboRow[] = [];
  for (let k = 0; k < 5000; k++) {
    rows.push({
      ts: D0 + 3_600_000_000_000n + BigInt(Math.floor(k / 6)) * 1000n,
      iid: 7001 + (k % 3),
      orderId: BigInt(k),
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

async function load(path: string, s: DbnStore, from = 0): Promise<number> {
  const target = await DuckDbTarget.open(path);
  try {
    await target.prepare(TABLE);
    const dict = new SymbolDictionary();
    return (await target.load(TABLE, blocks(s, dict, from), dict)).inserted;
  } finally {
    await target.close();
  }
}

async function rows(path: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(path);
  const conn = await instance.connect();
  try {
    const r = await conn.runAndReadAll('SELECT * EXCLUDE (ts_event, ts_recv), epoch_ns(ts_event) AS ts_event, epoch_ns(ts_recv) AS ts_recv FROM mbo ORDER BY ts_recv, instrument_id, ord');
    return r.getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

test('values written straight into the table and through the staging table are those of the records', async () => {
  const rowsIn = market();
  const s = store(rowsIn);
  // An empty table: every row goes straight in.
  const direct = join(tmp, 'direct.duckdb');
  expect(await load(direct, s)).toBe(5000);
  // The last 1000 rows first, then all: the rows before them pass the staging table, the stored ones are skipped.
  const staged = join(tmp, 'staged.duckdb');
  expect(await load(staged, s, 4000)).toBe(1000);
  expect(await load(staged, s)).toBe(4000);
  // Loading again into the first table stores nothing new.
  expect(await load(direct, s)).toBe(0);

  const got = await rows(direct);
  expect(await rows(staged)).toEqual(got);
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
