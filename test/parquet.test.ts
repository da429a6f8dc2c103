// Parquet files read back by DuckDB (an independent reader) and by
// parquet-wasm, value by value against the record views.
import { tableFromIPC, type Table } from 'apache-arrow';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readParquet } from 'parquet-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { DbnStore, parquetBytes, writeDbnFile, type AnyRecord } from '../lib/index.js';
import { checkTable, viewValue } from './arrow-check.js';
import { ALL_FIXTURES, fixturePath } from './fixtures.js';
import { duckQuery } from './readback.js';

const FILES = ALL_FIXTURES.filter((f) => !f.includes('.frag') && !f.endsWith('.dbz'));
const UNDEF_PRICE = 2n ** 63n - 1n;
const UNDEF_TS = 2n ** 64n - 1n;
const dir = mkdtempSync(join(tmpdir(), 'databento-parquet-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function duckRows(path: string): Promise<{ types: Record<string, string>; rows: Record<string, unknown>[] }> {
  const file = `read_parquet('${path.replace(/'/g, "''")}')`;
  const described = (await duckQuery(':memory:', `DESCRIBE SELECT * FROM ${file}`)) as { column_name: string; column_type: string }[];
  const types = Object.fromEntries(described.map((d) => [d.column_name, d.column_type]));
  // DuckDB keeps time-zone-aware timestamps in microseconds: read them as such.
  const select = described.map((d) => (d.column_type.startsWith('TIMESTAMP') ? `epoch_us("${d.column_name}") AS "${d.column_name}"` : `"${d.column_name}"`));
  return { types, rows: await duckQuery(':memory:', `SELECT ${select.join(', ')} FROM ${file}`) };
}

/** What DuckDB gives for a view value of a column of DuckDB type `type`. */
function duckValue(type: string, want: unknown): unknown {
  if (type.startsWith('TIMESTAMP')) return want === UNDEF_TS ? null : (want as bigint) / 1000n;
  if (type === 'DOUBLE') return want === UNDEF_PRICE ? null : Number(want) / 1e9;
  if (typeof want === 'bigint' && (type === 'UBIGINT' || type === 'BIGINT')) return want;
  return want;
}

describe('store.toParquet read back', () => {
  for (const file of FILES) {
    it(file, async () => {
      const store = DbnStore.fromFile(fixturePath(file), { upgradePolicy: 'as-is' });
      const first = store.toColumns();
      const recs: AnyRecord[] = store.toArray().filter((r) => r.rtype === first.rtype);
      const path = join(dir, `${file}.parquet`);
      expect(await store.toParquet(path, { ...(first.rtype >= 0 ? { rtype: first.rtype } : {}) })).toBe(recs.length);
      expect(readFileSync(path).subarray(0, 4).toString()).toBe('PAR1');
      const { types, rows } = await duckRows(path);
      expect(rows.length).toBe(recs.length);
      expect(types.ts_event).toBe('TIMESTAMP WITH TIME ZONE');
      if (types.price) expect(types.price).toBe('DOUBLE');
      if (types.order_id) expect(types.order_id).toBe('UBIGINT');
      recs.forEach((rec, i) => {
        for (const [name, type] of Object.entries(types)) {
          if (name === 'symbol') continue;
          expect(rows[i]![name], `${file} ${name}[${i}]`).toEqual(duckValue(type, viewValue(rec, name)));
        }
      });
      // parquet-wasm's own reader: nanoseconds exact, Arrow types kept.
      const back: Table = tableFromIPC(readParquet(readFileSync(path)).intoIPCStream());
      checkTable(back, recs, `${file} via parquet-wasm`);
    });
  }

  it('symbols come back as strings; zstd is the codec', async () => {
    const store = DbnStore.fromFile(fixturePath('test_data.mbo.v3.dbn.zst'));
    const path = join(dir, 'mbo.parquet');
    await store.toParquet(path);
    const { rows } = await duckRows(path);
    expect(rows.map((r) => r.symbol)).toEqual(['ESH1', 'ESH1']);
    const codecs = await duckQuery(':memory:', `SELECT DISTINCT compression FROM parquet_metadata('${path}')`);
    expect(codecs).toEqual([{ compression: 'ZSTD' }]);
    const exact = join(dir, 'mbo-decimal.parquet');
    await store.toParquet(exact, { prettyPx: 'decimal' });
    const { types, rows: decimals } = await duckRows(exact);
    expect(types.price).toBe('DECIMAL(38,9)');
    expect(decimals.map((r) => String(r.price))).toEqual(['3722.75', '3723']);
  });

  it('large inputs are written row group by row group; a truncated input rejects and leaves no file', async () => {
    // The MBO fixture's records 20,000 times over.
    const fixture = DbnStore.fromFile(fixturePath('test_data.mbo.v3.dbn.zst'));
    const records = Buffer.concat([...fixture.batchesSync()].map((b) => new Uint8Array(b.buffer)));
    const big = join(dir, 'big.dbn');
    await writeDbnFile(big, fixture.metadata, [Buffer.concat(Array.from({ length: 20_000 }, () => records))]);
    const store = DbnStore.fromFile(big);
    const path = join(dir, 'big.parquet');
    expect(await store.toParquet(path, { batchRows: 3000, rowGroupRows: 5000 })).toBe(40_000);
    const [groups] = await duckQuery(':memory:', `SELECT count(DISTINCT row_group_id) AS n, sum(DISTINCT row_group_num_rows) AS rows FROM parquet_metadata('${path}')`);
    const [counts] = await duckQuery(':memory:', `SELECT count(*) AS n, count(DISTINCT ts_recv) AS ts FROM read_parquet('${path}')`);
    expect(groups).toEqual({ n: 8n, rows: 5000n });
    expect(counts).toEqual({ n: 40_000n, ts: 2n });
    // The same bytes in memory.
    const inMemory = await parquetBytes({ metadata: store.metadata, batches: () => store.batches() }, { batchRows: 3000, rowGroupRows: 5000 });
    expect(inMemory.rows).toBe(40_000);
    expect(Buffer.from(inMemory.bytes).equals(readFileSync(path))).toBe(true);

    const cut = join(dir, 'cut.dbn');
    writeFileSync(cut, readFileSync(big).subarray(0, statSync(big).size - 20));
    const out = join(dir, 'cut.parquet');
    await expect(DbnStore.fromFile(cut).toParquet(out, { batchRows: 3000 })).rejects.toMatchObject({ code: 'TRUNCATED_RECORD' });
    expect(existsSync(out)).toBe(false);
  });

  it('bad options and paths are INVALID_ARGUMENT', async () => {
    const store = DbnStore.fromFile(fixturePath('test_data.mbo.v3.dbn.zst'));
    await expect(store.toParquet('')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(store.toParquet(join(dir, 'x.parquet'), { compression: 'lz4' as never })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
