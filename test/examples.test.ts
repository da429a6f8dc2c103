// The scripts in examples/ run as users run them (`node examples/….mjs`,
// importing 'databento-node' from dist/), against the mock servers instead of
// Databento: the addresses come from DATABENTO_LIVE_GATEWAY and
// DATABENTO_HIST_GATEWAY, the key from DATABENTO_API_KEY.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES_DIR, fixturePath } from './fixtures.js';
import { MockHistoricalServer } from '../lib/testing/historical-server.js';
import { CORPORATE_ACTIONS_LINES, SECURITY_MASTER_LINES } from '../lib/testing/reference-vectors.js';
import { MOCK_API_KEY, MockLiveGateway } from '../lib/testing/live-gateway.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

let hist: MockHistoricalServer;
let live: MockLiveGateway;
let completer: NodeJS.Timeout;
let downloads: string;
let hasLive = false;

async function example(name: string, args: string[] = [], nodeArgs: string[] = []): Promise<string> {
  const { stdout } = await run(process.execPath, [...nodeArgs, join(ROOT, 'examples', name), ...args], {
    cwd: ROOT,
    timeout: 20_000,
    killSignal: 'SIGKILL',
    env: {
      ...process.env,
      DATABENTO_API_KEY: MOCK_API_KEY,
      DATABENTO_HIST_GATEWAY: hist.url,
      DATABENTO_LIVE_GATEWAY: `127.0.0.1:${live.port}`,
    },
  });
  return stdout;
}

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist/lib/index.js'))) throw new Error('dist/ is missing: run npm run build:ts');
  hasLive = 'LiveThreaded' in ((await import('../lib/index.js')) as Record<string, unknown>);
  downloads = mkdtempSync(join(tmpdir(), 'databento-node-examples-'));
  hist = await MockHistoricalServer.start({ fixturesDir: FIXTURES_DIR });
  // The fixture's trades are of instrument 5482: map the subscribed symbol to it.
  live = await MockLiveGateway.start({ records: fixturePath('test_data.trades.dbn'), instrumentId: () => 5482 });
  // The mock's jobs stay queued until told otherwise: finish each one with a file.
  const file = { filename: 'glbx-mdp3-20201228.trades.dbn.zst', data: new Uint8Array(readFileSync(fixturePath('test_data.trades.v3.dbn.zst'))) };
  completer = setInterval(() => {
    for (const job of hist.jobs) if (job.state === 'queued') hist.completeJob(job.id, [file]);
  }, 20);
});

afterAll(async () => {
  clearInterval(completer);
  await hist?.close();
  await live?.close();
  if (downloads) rmSync(downloads, { recursive: true, force: true });
});

describe('examples', () => {
  it('read-dbn-file.mjs prints the metadata, counts and first records of a file', async () => {
    const out = await example('read-dbn-file.mjs', [fixturePath('test_data.mbo.v3.dbn.zst'), '1']);
    expect(out).toContain('GLBX.MDP3 mbo, symbols ESH1');
    expect(out).toContain('from 2020-12-28T13:00:00.000000000Z');
    expect(out).toMatch(/MboMsg ESH1 \{"ts_recv":"1609160400000704060"/);
    expect(out).toContain('2 mbo record(s)');
  });

  it('historical-range.mjs checks the cost, then streams the range', async () => {
    const out = await example('historical-range.mjs', ['--schema', 'trades', '--max-cost', '1']);
    expect(out).toContain('cost $0.6578');
    expect(out).toContain('received 2 records, total size 26');
    const paths = hist.requests.map((r) => r.path);
    expect(paths.indexOf('/v0/metadata.get_cost')).toBeLessThan(paths.indexOf('/v0/timeseries.get_range'));
  });

  it('historical-range.mjs stops before downloading when the cost is too high', async () => {
    const before = hist.requestsTo('/v0/timeseries.get_range').length;
    const out = await example('historical-range.mjs', ['--max-cost', '0.10']);
    expect(out).toContain('not downloading');
    expect(hist.requestsTo('/v0/timeseries.get_range').length).toBe(before);
  });

  it('ingest-duckdb.mjs loads a range into DuckDB, and a re-run loads nothing twice', async () => {
    const to = join(downloads, 'example.duckdb');
    const args = ['--schema', 'ohlcv-1m', '--symbols', 'ESH1', '--stype-in', 'raw_symbol', '--start', '2020-12-28', '--end', '2020-12-29', '--to', to];
    const out = await example('ingest-duckdb.mjs', args);
    expect(out).toContain('ohlcv_1m: 2 new rows from 2 records; 1 chunks loaded, 0 already done');
    expect(out).toMatch(/^ESH1: 2 rows from 2020-12-28 13:00:00$/m);
    const again = await example('ingest-duckdb.mjs', args);
    expect(again).toContain('ohlcv_1m: 0 new rows from 0 records; 0 chunks loaded, 1 already done');
  });

  it('resolve-symbols.mjs resolves symbols and maps ids back to symbols', async () => {
    const out = await example('resolve-symbols.mjs', ['--symbols', 'ES.c.0']);
    expect(out).toMatch(/^ES\.c\.0: instrument \d+ from 2024-05-01 until 2024-05-04$/m);
    expect(out).toMatch(/on 2024-05-01, instrument \d+ was ES\.c\.0/);
    expect(hist.requestsTo('/v0/symbology.resolve').at(-1)?.params).toMatchObject({ stype_in: 'continuous', symbols: 'ES.c.0' });
  });

  it('batch-job.mjs submits, waits for, downloads and reads a batch job', async () => {
    const out = await example('batch-job.mjs', ['--poll-ms', '50', '--out', downloads]);
    expect(out).toMatch(/submitted GLBX-\S+/);
    expect(out).toContain('downloaded glbx-mdp3-20201228.trades.dbn.zst');
    expect(out).toMatch(/glbx-mdp3-20201228\.trades\.dbn\.zst: 2 trades records/);
  });

  it('live-trades.mjs streams trades from the gateway', async (ctx) => {
    if (!hasLive) ctx.skip('the live client is not exported from lib/index.ts yet');
    const out = await example('live-trades.mjs', ['--symbols', 'ESM4', '--stype-in', 'raw_symbol', '--limit', '2']);
    expect(out.trim().split('\n')).toEqual([
      '2020-12-28T13:00:00.098821953Z ESM4 A 5 @ 3720.25',
      '2020-12-28T13:00:00.107665963Z ESM4 A 21 @ 3720.25',
    ]);
  });

  it('mock-gateway.test.mjs passes under node --test', async (ctx) => {
    if (!hasLive) ctx.skip('the live client is not exported from lib/index.ts yet');
    const out = await example('mock-gateway.test.mjs', [], ['--test', '--test-reporter=tap']);
    expect(out).toMatch(/^# pass 1$/m);
    expect(out).toMatch(/^# fail 0$/m);
  });
  it('reference-data.mjs prints corporate actions, adjusts a price and shows the listing', async () => {
    // The mock's test vectors, re-labelled as one symbol (its adjustment factor is of HYD already).
    hist.setReferenceData('corporate_actions.get_range', [CORPORATE_ACTIONS_LINES[1]!.replaceAll('BRQS', 'HYD')]);
    hist.setReferenceData('security_master.get_last', [SECURITY_MASTER_LINES[0]!.replaceAll('AAPL_KZ', 'HYD')]);
    try {
      const out = await example('reference-data.mjs', ['--symbol', 'hyd', '--start', '2023']);
      expect(out).toContain('1 corporate action(s) of hyd since 2023');
      expect(out).toContain('2023-10-10 RSPLT 12:1 Borqs Technologies Inc (USNASD)');
      expect(out).toContain('2024-05-01 DIV ×0.995833170541121 — INT Dividend (cash) of USD0.2133/ETF');
      expect(out).toContain('100.00 on 2024-04-30 is 99.5833 adjusted');
      expect(out).toContain('listing L-135825: Apple Inc, Ordinary Shares on USNASD (XNAS), ISIN US0378331005, 15204137000 shares');
    } finally {
      hist.setReferenceData('corporate_actions.get_range', undefined);
      hist.setReferenceData('security_master.get_last', undefined);
    }
  });
});
