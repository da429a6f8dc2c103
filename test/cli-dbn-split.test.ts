// `databento-node dbn` as a child process: -S/--split-by with -O/--output-pattern
// (symbol, schema, day, week, month), CSV of mixed schemas with --map-symbols,
// and --input-zstd-fragment.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DbnStore } from '../lib/index.js';
import { sampleFile } from '../lib/testing/index.js';
import { runCli } from './cli-helpers.js';
import { fixturePath } from './fixtures.js';

let dir: string;
let merged: string; // sample trades (2024-11-18) and fixture trades (2020-12-28) in one file
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cli-dbn-split-'));
  merged = join(dir, 'merged.dbn');
  const r = await runCli(['dbn', sampleFile('trades')!, fixturePath('test_data.trades.v3.dbn.zst'), '-o', merged]);
  expect(r.status, r.stderr).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const NS_PER_DAY = 86_400_000_000_000n;
const dayOf = (ts: bigint) => new Date(Number(ts / 1_000_000n)).toISOString().slice(0, 10);

async function dbn(args: string[]): Promise<string> {
  const r = await runCli(['dbn', ...args]);
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

describe('dbn --split-by', () => {
  it('splits by symbol: one DBN file per symbol, with that symbol alone in its metadata', async () => {
    await dbn([sampleFile('trades')!, '-S', 'symbol', '-O', join(dir, 'sym-{symbol}.dbn')]);
    const all = DbnStore.fromFile(sampleFile('trades')!);
    const total = all.toArray().length;
    let seen = 0;
    for (const symbol of ['ESZ4', 'NQZ4', 'CLF5']) {
      const part = DbnStore.fromFile(join(dir, `sym-${symbol}.dbn`));
      expect(part.metadata.symbols).toEqual([symbol]);
      expect(part.metadata.mappings.map((m) => m.raw_symbol)).toEqual([symbol]);
      const ids = new Set(part.toArray().map((r) => r.instrument_id));
      expect([...ids]).toEqual([Number(part.metadata.mappings[0]!.intervals[0]!.symbol)]);
      seen += part.toArray().length;
    }
    expect(seen).toBe(total);
    // CSV parts with symbols: every row ends with the file's symbol.
    await dbn([sampleFile('trades')!, '-S', 'symbol', '-O', join(dir, 'sym-{symbol}.csv'), '-s']);
    const rows = readFileSync(join(dir, 'sym-NQZ4.csv'), 'utf8').trimEnd().split('\n');
    expect(rows[0]).toMatch(/^ts_recv,.*,symbol$/);
    expect(rows.slice(1).every((r) => r.endsWith(',NQZ4'))).toBe(true);
  });

  it('splits by day, week (from Sunday) and month, clipping each part’s metadata', async () => {
    const whole = DbnStore.fromFile(merged).toArray().map((r) => (r as { ts_recv: bigint }).ts_recv);
    for (const [by, dates] of [
      ['day', ['2020-12-28', '2024-11-18']],
      ['week', ['2020-12-27', '2024-11-17']],
      ['month', ['2020-12-01', '2024-11-01']],
    ] as const) {
      await dbn([merged, '-S', by, '-O', join(dir, `${by}-{date}.dbn.zst`)]);
      const files = readdirSync(dir).filter((f) => f.startsWith(`${by}-`)).sort();
      expect(files).toEqual(dates.map((d) => `${by}-${d}.dbn.zst`));
      let count = 0;
      for (const [i, file] of files.entries()) {
        const part = DbnStore.fromFile(join(dir, file));
        const records = part.toArray();
        count += records.length;
        expect(records.every((r) => dayOf((r as { ts_recv: bigint }).ts_recv).slice(0, 4) === dates[i]!.slice(0, 4))).toBe(true);
        expect(part.metadata.start).toBeGreaterThanOrEqual(BigInt(Date.parse(`${dates[i]}T00:00:00Z`)) * 1_000_000n);
        if (by === 'day') expect(part.metadata.end - part.metadata.start).toBeLessThanOrEqual(NS_PER_DAY);
      }
      expect(count).toBe(whole.length);
    }
  });

  it('splits by schema: each CSV part is the CSV of that schema alone', async () => {
    const trades = sampleFile('trades')!;
    const mbp1 = sampleFile('mbp-1')!;
    await dbn([trades, mbp1, '-S', 'schema', '-O', join(dir, 'schema-{schema}.csv')]);
    expect(readFileSync(join(dir, 'schema-trades.csv'), 'utf8')).toBe(await dbn([trades, '-C']));
    expect(readFileSync(join(dir, 'schema-mbp-1.csv'), 'utf8')).toBe(await dbn([mbp1, '-C']));
  });

  it('refuses what the dbn CLI refuses: a pattern alone, -o with -O, existing files, fragments by symbol', async () => {
    for (const [status, args] of [
      [1, [merged, '-O', join(dir, 'x-{date}.csv')]],
      [1, [merged, '-S', 'day', '-C']],
      [2, [merged, '-S', 'hour', '-O', join(dir, 'x-{date}.csv')]],
      [2, [merged, '-S', 'day', '-O', join(dir, 'x-{date}.csv'), '-o', join(dir, 'x.csv')]],
    ] as const) {
      const r = await runCli(['dbn', ...args]);
      expect(r.status, args.join(' ')).toBe(status);
      expect(r.stderr).toMatch(/^databento-node: USAGE: /);
    }
    const again = await runCli(['dbn', merged, '-S', 'day', '-O', join(dir, 'day-{date}.dbn.zst')]);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/^databento-node: FILE_EXISTS: /);
    expect((await runCli(['dbn', merged, '-S', 'day', '-O', join(dir, 'day-{date}.dbn.zst'), '-f'])).status).toBe(0);
    const frag = await runCli(['dbn', fixturePath('test_data.definition.v3.dbn.frag'), '--input-fragment', '-S', 'symbol', '-O', join(dir, 'f-{symbol}.json')]);
    expect(frag.status).toBe(1);
    expect(frag.stderr).toMatch(/^databento-node: USAGE: cannot split by symbol/);
    expect(existsSync(join(dir, 'f-{symbol}.json'))).toBe(false);
  });
});

describe('dbn: mixed schemas and zstd fragments', () => {
  it('CSV of mixed schemas with --map-symbols: each row in its own columns; without it MIXED_SCHEMAS', async () => {
    const trades = sampleFile('trades')!;
    const mbp1 = sampleFile('mbp-1')!;
    const mixed = (await dbn([trades, mbp1, '-C', '-s'])).trimEnd().split('\n');
    const alone = [trades, mbp1].map(async (f) => (await dbn([f, '-C', '-s'])).trimEnd().split('\n'));
    const [tradeLines, mbpLines] = await Promise.all(alone);
    // The header is the first record's type; rows of the other type follow with their own columns.
    expect([tradeLines![0], mbpLines![0]]).toContain(mixed[0]);
    expect(mixed.slice(1).sort()).toEqual([...tradeLines!.slice(1), ...mbpLines!.slice(1)].sort());
    const refused = await runCli(['dbn', trades, mbp1, '-C']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/^databento-node: MIXED_SCHEMAS: /);
  });

  it('--input-zstd-fragment reads a zstd fragment; it conflicts with --input-fragment', async () => {
    const records = await dbn([fixturePath('test_data.definition.v3.dbn.frag.zst'), '--input-zstd-fragment', '-J']);
    expect(records).toBe(await dbn([fixturePath('test_data.definition.v3.dbn.frag'), '--input-fragment', '-J']));
    expect(records.split('\n').length).toBeGreaterThan(1);
    const both = await runCli(['dbn', fixturePath('test_data.definition.v3.dbn.frag.zst'), '--input-zstd-fragment', '--input-fragment', '-J']);
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/^databento-node: USAGE: /);
  });
});
