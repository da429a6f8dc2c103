// ingest() into a real DuckDB file, fed by the mock historical server over HTTP.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { Historical } from '../lib/historical/index.js';
import { ingest, IngestError, type IngestSummary } from '../lib/ingest/index.js';
import { MockHistoricalServer } from '../lib/testing/historical-server.js';
import { D0, DAY, expectedFigures, expectedSymbols, FIGURES_SQL, KEY, mboMarket, serveMbo } from './ingest-helpers.js';
import { duckQuery } from './readback.js';

const GET_RANGE = '/v0/timeseries.get_range';
const MARKET = mboMarket(2000);
let server: MockHistoricalServer;
let tmp: string;
let n = 0;
const dbPath = (): string => join(tmp, `t${n++}.duckdb`);

beforeAll(async () => {
  server = await MockHistoricalServer.start();
  tmp = mkdtempSync(join(tmpdir(), 'databento-ingest-test-'));
});
afterAll(async () => {
  await server.close();
  rmSync(tmp, { recursive: true, force: true });
});
beforeEach(() => {
  server.reset();
  serveMbo(server, MARKET);
});

const client = (): Historical => new Historical({ key: KEY, gateway: server.url, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 } });
const base = { dataset: 'GLBX.MDP3', schema: 'mbo', symbols: ['ESH4', 'ESM4'], start: '2024-03-04', end: '2024-03-07', retryDelayMs: 1 };

async function figures(path: string): Promise<Record<string, string>> {
  const [row] = await duckQuery(path, FIGURES_SQL);
  return Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, String(v)]));
}

async function symbolCounts(path: string): Promise<Record<string, number>> {
  const rows = await duckQuery(path, `SELECT symbol || ' ' || strftime(ts_recv, '%Y-%m-%d') AS k, count(*) AS n FROM mbo GROUP BY ALL`);
  return Object.fromEntries(rows.map((r) => [r['k'] as string, Number(r['n'])]));
}

async function duplicates(path: string): Promise<number> {
  const [row] = await duckQuery(path, 'SELECT count(*) AS n FROM (SELECT order_id FROM mbo GROUP BY order_id HAVING count(*) > 1)');
  return Number(row!['n']);
}

describe('ingest into DuckDB', () => {
  test('a multi-day range loads exactly the records served, one chunk per day', async () => {
    const to = dbPath();
    const summary = await ingest({ ...base, client: client(), to });
    expect(summary).toMatchObject({ chunksTotal: 3, chunksLoaded: 3, chunksSkipped: 0, chunksFailed: 0, records: 6000, rowsInserted: 6000, table: 'mbo' });
    expect(summary.costUsd).toBeCloseTo(0.65783);
    expect(server.requestsTo(GET_RANGE).map((r) => [r.params['start'], r.params['end']])).toEqual(
      [0n, 1n, 2n].map((d) => [String(D0 + d * DAY), String(D0 + (d + 1n) * DAY)]),
    );
    expect(await figures(to)).toEqual(expectedFigures(MARKET));
    expect(await symbolCounts(to)).toEqual(expectedSymbols(MARKET));
    // Groups of 4 records share ts_recv, two per instrument: ord is 0 and 1.
    const ords = await duckQuery(to, 'SELECT ord, count(*) AS n FROM mbo GROUP BY ord ORDER BY ord');
    expect(ords.map((r) => [Number(r['ord']), Number(r['n'])])).toEqual([[0, 3000], [1, 3000]]);
    const [first] = await duckQuery(to, "SELECT price, action, side, ts_recv::VARCHAR AS ts FROM mbo_px ORDER BY ts_recv, ord LIMIT 1");
    expect(first).toEqual({ price: 5000, action: 'A', side: 'N', ts: '2024-03-04 01:00:00' });
    const chunks = await duckQuery(to, 'SELECT records FROM databento_ingest_chunks ORDER BY start_ns');
    expect(chunks.map((c) => Number(c['records']))).toEqual([2000, 2000, 2000]);
  });

  test('a re-run requests nothing; an overlapping range inserts nothing new', async () => {
    const to = dbPath();
    await ingest({ ...base, client: client(), to });
    const before = await figures(to);
    server.reset();
    const again = await ingest({ ...base, client: client(), to });
    expect(again).toMatchObject({ chunksSkipped: 3, chunksLoaded: 0, rowsInserted: 0 });
    expect(server.requestsTo(GET_RANGE)).toHaveLength(0);
    // A chunk boundary of its own mid-day: its records are already stored.
    const overlap = await ingest({ ...base, start: '2024-03-05T01:00:00.25', end: '2024-03-07', client: client(), to });
    expect(overlap).toMatchObject({ chunksTotal: 2, chunksSkipped: 1, chunksLoaded: 1, records: 1000, rowsInserted: 0 });
    expect(await figures(to)).toEqual(before);
    expect(await duplicates(to)).toBe(0);
  });

  test('a chunk cut mid-body is rolled back and loaded again', async () => {
    const to = dbPath();
    server.inject({ kind: 'truncate', afterBytes: 3000 }, { path: GET_RANGE });
    server.chunkSize = 1024;
    try {
      const summary = await ingest({ ...base, client: client(), to });
      expect(summary).toMatchObject({ chunksLoaded: 3, chunksFailed: 0, rowsInserted: 6000 });
    } finally {
      server.chunkSize = 16 * 1024;
    }
    expect(server.requestsTo(GET_RANGE)).toHaveLength(4);
    expect(await figures(to)).toEqual(expectedFigures(MARKET));
  });

  test('a chunk that keeps failing is reported with its reason; a re-run completes the table', async () => {
    const to = dbPath();
    // 2 client attempts × 2 chunk attempts: the first chunk never gets through.
    server.inject({ kind: 'error', status: 503, detail: 'storm' }, { path: GET_RANGE, times: 4 });
    const err = (await ingest({ ...base, client: client(), to, chunkAttempts: 2 }).catch((e: unknown) => e)) as IngestError & {
      summary: IngestSummary;
    };
    expect(err).toBeInstanceOf(IngestError);
    expect(err.code).toBe('INGEST_INCOMPLETE');
    expect(err.message).toContain('2024-03-04T00:00:00.000000000Z');
    expect(err.summary.failures).toEqual([
      { start: '2024-03-04T00:00:00.000000000Z', end: '2024-03-05T00:00:00.000000000Z', code: 'HTTP_ERROR', message: expect.stringContaining('storm') },
    ]);
    expect(err.summary).toMatchObject({ chunksLoaded: 2, chunksFailed: 1, rowsInserted: 4000 });
    server.reset();
    const rerun = await ingest({ ...base, client: client(), to });
    expect(rerun).toMatchObject({ chunksSkipped: 2, chunksLoaded: 1, rowsInserted: 2000 });
    expect(server.requestsTo(GET_RANGE)).toHaveLength(1);
    expect(await figures(to)).toEqual(expectedFigures(MARKET));
  });

  test('a process killed mid-range, then a re-run, gives the same table with no duplicate', async () => {
    const to = dbPath();
    server.chunkSize = 2048;
    server.chunkDelayMs = 40;
    const script = `
      import { ingest, Historical } from ${JSON.stringify(new URL('../dist/lib/index.js', import.meta.url).href)};
      const client = new Historical({ key: ${JSON.stringify(KEY)}, gateway: ${JSON.stringify(server.url)} });
      await ingest({ ...${JSON.stringify({ ...base })}, client, to: ${JSON.stringify(to)} });
      console.log('finished');`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    try {
      // The second chunk's request starts only once the first is committed.
      const deadline = Date.now() + 20_000;
      while (server.requestsTo(GET_RANGE).length < 2 && Date.now() < deadline && child.exitCode === null) {
        await new Promise((r) => setTimeout(r, 5));
      }
      expect(server.requestsTo(GET_RANGE).length, output).toBe(2);
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    } finally {
      server.chunkSize = 16 * 1024;
      server.chunkDelayMs = 0;
    }
    expect(output).not.toContain('finished');
    server.reset();
    const rerun = await ingest({ ...base, client: client(), to });
    expect(rerun).toMatchObject({ chunksSkipped: 1, chunksLoaded: 2 });
    expect(await figures(to)).toEqual(expectedFigures(MARKET));
    expect(await duplicates(to)).toBe(0);
  }, 30_000);

  test('bad options and targets fail with clear errors before any request', async () => {
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ schema: 'mbo-2' }, 'INVALID_ARGUMENT', /schema "mbo-2" cannot be ingested; use one of mbo, trades/],
      [{ end: '2024-03-01' }, 'INVALID_ARGUMENT', /end \(2024-03-01.*\) must be after start/],
      [{ start: 'yesterday' }, 'INVALID_ARGUMENT', /start "yesterday" is not an ISO 8601/],
      [{ stypeIn: 'ticker' }, 'INVALID_ARGUMENT', /stypeIn/],
      [{ symbols: [] }, 'INVALID_ARGUMENT', /symbols/],
      [{ chunkDays: 0 }, 'INVALID_ARGUMENT', /chunkDays/],
      [{ to: 'mysql://db/x' }, 'BAD_TARGET', /unsupported target mysql:\/\//],
      [{ to: join(tmp, 'no-such-dir', 'x.duckdb') }, 'BAD_TARGET', /does not exist/],
      [{ to: tmp }, 'BAD_TARGET', /is a directory/],
      [{ to: '' }, 'BAD_TARGET', /DuckDB file path or a postgres/],
      [{ maxCostUsd: 0.5 }, 'COST_LIMIT', /would cost \$0.65783, above maxCostUsd \$0.5/],
    ];
    for (const [change, code, message] of cases) {
      const err = (await ingest({ ...base, client: client(), to: dbPath(), ...change } as never).catch((e: unknown) => e)) as IngestError;
      expect(err.code, JSON.stringify(change)).toBe(code);
      expect(err.message).toMatch(message);
    }
    expect(server.requestsTo(GET_RANGE)).toHaveLength(0);
  });

  test('Ctrl-C (an aborted signal) stops at once and the chunk in flight leaves no row', async () => {
    const to = dbPath();
    const controller = new AbortController();
    server.chunkSize = 1024;
    server.chunkDelayMs = 5;
    try {
      const run = ingest({
        ...base,
        client: client(),
        to,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.chunksLoaded === 1 && p.chunk) setTimeout(() => controller.abort(), 30);
        },
      });
      await expect(run).rejects.toMatchObject({ code: 'ABORTED' });
    } finally {
      server.chunkSize = 16 * 1024;
      server.chunkDelayMs = 0;
    }
    expect((await figures(to))['count']).toBe('2000');
    const rerun = await ingest({ ...base, client: client(), to });
    expect(rerun).toMatchObject({ chunksSkipped: 1, chunksLoaded: 2 });
    expect(await figures(to)).toEqual(expectedFigures(MARKET));
  });
});
