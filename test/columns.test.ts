// Native columns (toColumns/toColumnTables) checked value by value against
// the record views, for every fixture, as-is and upgraded.
import { describe, expect, it } from 'vitest';
import { DbnStore, toColumns, type AnyColumn, type Columns } from '../lib/index.js';
import { viewValue } from './arrow-check.js';
import { ALL_FIXTURES, fixturePath } from './fixtures.js';
import { jsonSymbols } from './readback.js';

const FILES = ALL_FIXTURES.filter((f) => !f.includes('.frag') && !f.endsWith('.dbz'));
const UNDEF_PRICE = 2n ** 63n - 1n;

/** Symbols per record by the text encoder's JSON lines (the same mapping rules). */
function checkAgainstViews(store: DbnStore, table: Columns<AnyColumn>, where: string): void {
  const recs = store.toArray().filter((r) => r.rtype === table.rtype);
  expect(table.count, where).toBe(recs.length);
  for (const [name, col] of Object.entries(table.columns)) {
    if (name === 'symbol') continue;
    recs.forEach((rec, i) => {
      const want = viewValue(rec, name);
      const got = col[i];
      if (want === undefined) throw new Error(`${where}: no view value for ${name}`);
      expect(got, `${where} ${name}[${i}]`).toBe(want);
    });
  }
}

describe('toColumns against the record views', () => {
  for (const file of FILES) {
    for (const upgradePolicy of ['as-is', 'upgrade'] as const) {
      it(`${file} (${upgradePolicy})`, async () => {
        const store = DbnStore.fromFile(fixturePath(file), { upgradePolicy });
        const tables = store.toColumnTables({ mapSymbols: true });
        const rtypes = [...new Set(store.toArray().map((r) => r.rtype))];
        expect(tables.map((t) => t.rtype)).toEqual(rtypes);
        for (const table of tables) {
          checkAgainstViews(store, table, `${file} rtype ${table.rtype}`);
          // The JSON encoder keeps the schema's records only: compare where it wrote some.
          const symbols = await jsonSymbols(store, table.rtype);
          if (symbols.length > 0) expect(table.columns.symbol).toEqual(symbols);
          // prettyPx: float64 prices, NaN for undefined ones.
          const pretty = store.toColumns({ rtype: table.rtype, prettyPx: true });
          for (const [name, col] of Object.entries(table.columns)) {
            if (!(col instanceof BigInt64Array) || !(pretty.columns[name] instanceof Float64Array)) continue;
            const px = pretty.columns[name] as Float64Array;
            col.forEach((v, i) => (v === UNDEF_PRICE ? expect(px[i]).toBeNaN() : expect(px[i]).toBe(Number(v) / 1e9)));
          }
        }
      });
    }
  }
});

describe('toColumns options', () => {
  const store = DbnStore.fromFile(fixturePath('test_data.mbo.v3.dbn.zst'));

  it('timestamps as Dates or ISO strings', () => {
    const iso = store.toColumns({ timestamps: 'iso', fields: ['ts_recv'] }).columns.ts_recv as string[];
    expect(iso[0]).toBe('2020-12-28T13:00:00.000704060Z');
    const dates = store.toColumns({ timestamps: 'date' }).columns.ts_event!;
    expect(dates[0]).toEqual(new Date('2020-12-28T13:00:00.000Z'));
  });

  it('chooses the schema rtype and keeps the layout order', () => {
    const cols = store.toColumns();
    expect(cols.rtypeFrom).toBe('schema');
    expect(Object.keys(cols.columns).slice(0, 5)).toEqual(['ts_event', 'rtype', 'publisher_id', 'instrument_id', 'order_id']);
    expect(cols.columns.ts_event).toBeInstanceOf(BigUint64Array);
  });

  it('rejects bad options with INVALID_ARGUMENT', () => {
    expect(() => toColumns(store.batchesSync(), { timestamps: 'x' as never })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => store.toColumns({ prettyPx: 1 as never })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => store.toColumns({ rtype: 300 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('a schema without records still names its columns', () => {
    const empty = DbnStore.fromFile(fixturePath('test_data.ohlcv-1d.v3.dbn.zst')).toColumns();
    expect(empty.count).toBe(0);
    expect(Object.keys(empty.columns)).toContain('open');
  });
});
