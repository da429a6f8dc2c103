// `databento-node get-range`, `resolve` and `metadata` run as child processes
// against the shipped mock historical server with the sample data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { DbnStore, Historical } from '../lib/index.js';
import { SAMPLE_DATASET, SAMPLE_END, SAMPLE_START, startSampleMocks, type SampleMocks } from '../lib/testing/index.js';
import { runCli } from './cli-helpers.js';

let mocks: SampleMocks;
let dir: string;
beforeAll(async () => {
  mocks = await startSampleMocks();
  dir = mkdtempSync(join(tmpdir(), 'cli-hist-'));
});
afterAll(async () => {
  await mocks.close();
  rmSync(dir, { recursive: true, force: true });
});

const env = () => ({ DATABENTO_API_KEY: mocks.env.DATABENTO_API_KEY, DATABENTO_HIST_GATEWAY: mocks.env.DATABENTO_HIST_GATEWAY });
const RANGE = ['--dataset', SAMPLE_DATASET, '--schema', 'trades', '--symbols', 'ESZ4', '--start', SAMPLE_START, '--end', SAMPLE_END];

async function libCsv(): Promise<string> {
  const client = new Historical({ key: mocks.env.DATABENTO_API_KEY, gateway: mocks.env.DATABENTO_HIST_GATEWAY });
  const store = await client.timeseries.getRange({ dataset: SAMPLE_DATASET, schema: 'trades', symbols: ['ESZ4'], start: SAMPLE_START, end: SAMPLE_END });
  const chunks: Buffer[] = [];
  const { writeCsv } = await import('../lib/index.js');
  await writeCsv(store, new Writable({ write: (c: Buffer, _e, done) => (chunks.push(c), done()) }), { prettyPx: false, prettyTs: false, mapSymbols: true });
  return Buffer.concat(chunks).toString();
}

describe('databento-node get-range', () => {
  it('writes CSV to stdout with the cost and count on stderr, the same as writeCsv over getRange', async () => {
    const r = await runCli(['get-range', ...RANGE, '--csv', '--map-symbols'], { env: env() });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^[\d,]+ records, cost \$\d+\.\d\d\n/);
    expect(r.stdout).toBe(await libCsv());
    expect(r.stdout.split('\n')[1]).toMatch(/,ESZ4$/);
  });

  it('writes a DBN file that reads back, and refuses a cost above --max-cost', async () => {
    const out = join(dir, 'trades.dbn.zst');
    const r = await runCli(['get-range', ...RANGE, '-o', out], { env: env() });
    expect(r.status).toBe(0);
    const store = DbnStore.fromFile(out);
    expect(store.metadata.schema).toBe('trades');
    expect(store.toArray().length).toBeGreaterThan(0);
    // The mock quotes $0.66 for any query.
    const costly = await runCli(['get-range', ...RANGE, '--max-cost', '0.5'], { env: env() });
    expect(costly.status).toBe(1);
    expect(costly.stdout).toBe('');
    expect(costly.stderr).toMatch(/cost \$0\.66\ndatabento-node: COST_LIMIT: /);
  });

  it('fails with a code: no API key, missing options, a server error', async () => {
    const noKey = await runCli(['get-range', ...RANGE], { env: { DATABENTO_HIST_GATEWAY: mocks.env.DATABENTO_HIST_GATEWAY } });
    expect(noKey.status).toBe(1);
    expect(noKey.stderr).toMatch(/^databento-node: NO_API_KEY: /);
    const missing = await runCli(['get-range', '--dataset', SAMPLE_DATASET], { env: env() });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^databento-node: USAGE: /);
    const bad = await runCli(['get-range', ...RANGE.slice(0, 2), '--schema', 'nope', ...RANGE.slice(4)], { env: env() });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^databento-node: [A-Z_]+: /);
    expect(bad.stderr).not.toContain(mocks.env.DATABENTO_API_KEY);
  });
});

describe('databento-node resolve and metadata', () => {
  it('resolves symbols as JSON', async () => {
    const r = await runCli(['resolve', '--dataset', SAMPLE_DATASET, '--symbols', 'ESZ4', '--start-date', '2024-11-18'], { env: env() });
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { result: Record<string, unknown> };
    expect(Object.keys(out.result)).toContain('ESZ4');
  });

  it('calls the metadata endpoints', async () => {
    const datasets = await runCli(['metadata', 'list-datasets'], { env: env() });
    expect(datasets.status).toBe(0);
    expect(JSON.parse(datasets.stdout)).toContain('GLBX.MDP3');
    const count = await runCli(['metadata', 'get-record-count', ...RANGE], { env: env() });
    expect(count.status).toBe(0);
    expect(typeof JSON.parse(count.stdout)).toBe('number');
    const unknown = await runCli(['metadata', 'no-such-endpoint'], { env: env() });
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/^databento-node: USAGE: unknown metadata endpoint/);
    const incomplete = await runCli(['metadata', 'get-cost', '--dataset', SAMPLE_DATASET], { env: env() });
    expect(incomplete.status).toBe(1);
    expect(incomplete.stderr).toMatch(/needs --schema/);
  });
});

describe('databento-node live', () => {
  const liveEnv = () => ({ DATABENTO_API_KEY: mocks.env.DATABENTO_API_KEY, DATABENTO_LIVE_GATEWAY: mocks.env.DATABENTO_LIVE_GATEWAY });

  it('streams JSON lines with symbols from the session mappings, stopping at --limit', async () => {
    const r = await runCli(['live', '--dataset', SAMPLE_DATASET, '--schema', 'trades', '--symbols', 'ESZ4', '-l', '3', '-s'], { env: liveEnv() });
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { hd: { rtype: number }; symbol: string | null });
    expect(lines).toHaveLength(3);
    const trades = lines.filter((l) => l.hd.rtype === 0);
    expect(trades.length).toBeGreaterThan(0);
    for (const t of trades) expect(t.symbol).toBe('ESZ4');
  });

  it('writes CSV of the subscribed schema only, and fails with a code on a bad key', async () => {
    const r = await runCli(['live', '--dataset', SAMPLE_DATASET, '--schema', 'trades', '--symbols', 'ESZ4', '-l', '2', '-C'], { env: liveEnv() });
    expect(r.status).toBe(0);
    const rows = r.stdout.trim().split('\n');
    expect(rows[0]).toBe('ts_recv,ts_event,rtype,publisher_id,instrument_id,action,side,depth,price,size,flags,ts_in_delta,sequence');
    expect(rows).toHaveLength(3);
    const badKey = 'db-' + 'x'.repeat(29);
    const denied = await runCli(['live', '--dataset', SAMPLE_DATASET, '--schema', 'trades', '--symbols', 'ESZ4', '-l', '1'], {
      env: { ...liveEnv(), DATABENTO_API_KEY: badKey },
    });
    expect(denied.status).toBe(1);
    expect(denied.stderr).toMatch(/^databento-node: [A-Z_]+: /m);
    expect(denied.stderr).not.toContain(badKey);
  });
});
