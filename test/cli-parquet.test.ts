// `databento-node dbn --parquet` run as a child process, the file read back
// by DuckDB against the record views.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DbnStore } from '../lib/index.js';
import { runCli } from './cli-helpers.js';
import { fixturePath } from './fixtures.js';
import { duckQuery } from './readback.js';

const dir = mkdtempSync(join(tmpdir(), 'databento-cli-parquet-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('databento-node dbn --parquet', () => {
  it('writes the records as Parquet, the encoding inferred from -o', async () => {
    const mbp = fixturePath('test_data.mbp-1.v3.dbn.zst');
    const out = join(dir, 'mbp.parquet');
    const r = await runCli(['dbn', mbp, '-o', out, '-p', '-s']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const rows = await duckQuery(':memory:', `SELECT epoch_ns(ts_recv::TIMESTAMP) AS ns, price, bid_px_00, size, action, symbol FROM read_parquet('${out}')`);
    const recs = DbnStore.fromFile(mbp).toArray();
    expect(rows.length).toBe(recs.length);
    recs.forEach((rec, i) => {
      if (rec.rtype !== 1) throw new Error('not MBP-1');
      expect(rows[i]).toEqual({ ns: (rec.ts_recv / 1000n) * 1000n, price: rec.pretty_price, bid_px_00: rec.levels[0]!.pretty_bid_px, size: rec.size, action: rec.action, symbol: 'ESH1' });
    });
    const again = await runCli(['dbn', mbp, '-o', out, '--parquet']);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/FILE_EXISTS/);
  });

  it('plain: fixed-point prices, no symbols; --limit and --schema', async () => {
    const out = join(dir, 'mbo.parquet');
    const r = await runCli(['dbn', fixturePath('test_data.mbo.v3.dbn.zst'), '--parquet', '-o', out, '-l', '1']);
    expect(r.status).toBe(0);
    const cols = await duckQuery(':memory:', `DESCRIBE SELECT * FROM read_parquet('${out}')`);
    expect(cols.find((c) => c.column_name === 'price')!.column_type).toBe('BIGINT');
    expect(cols.some((c) => c.column_name === 'symbol')).toBe(false);
    expect(await duckQuery(':memory:', `SELECT price FROM read_parquet('${out}')`)).toEqual([{ price: 3722750000000n }]);
  });

  it('writes to stdout and refuses -z and other encodings', async () => {
    const r = await runCli(['dbn', fixturePath('test_data.trades.v3.dbn.zst'), '--parquet']);
    expect(r.status).toBe(0);
    expect(r.stdout.startsWith('PAR1')).toBe(true);
    for (const args of [['--parquet', '-z'], ['--parquet', '--csv']]) {
      const bad = await runCli(['dbn', fixturePath('test_data.trades.v3.dbn.zst'), ...args]);
      expect(bad.status, args.join(' ')).toBe(2);
      expect(bad.stderr).toMatch(/^databento-node: USAGE: /);
    }
    const zst = await runCli(['dbn', fixturePath('test_data.trades.v3.dbn.zst'), '-o', join(dir, 'x.parquet.zst')]);
    expect(zst.status).toBe(1);
    expect(zst.stderr).toMatch(/^databento-node: USAGE: Parquet columns are zstd-compressed already/);
  });
});
