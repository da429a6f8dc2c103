// ingest({ live }) : a historical load, then the live feed of the mock gateway, with a dropped connection.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Historical } from '../lib/historical/index.js';
import { ingest, IngestError, type IngestSummary } from '../lib/ingest/index.js';
import { MockHistoricalServer } from '../lib/testing/historical-server.js';
import { MockLiveGateway, MOCK_API_KEY } from '../lib/testing/live-gateway.js';
import { CLI } from './cli-helpers.js';
import { duckQuery } from './readback.js';
import { D0, DAY, encodeMbo, expectedFigures, expectedSymbols, FIGURES_SQL, instrumentOf, mboMarket, serveMbo } from './ingest-helpers.js';

const MARKET = mboMarket(2000);
const DAY2 = MARKET.filter((r) => r.ts >= D0 + 2n * DAY);
// The first session drops in the middle of a group of records sharing ts_recv.
const CUT = DAY2[1001]!.ts;
let server: MockHistoricalServer;
let gateway: MockLiveGateway;
let tmp: string;

beforeAll(async () => {
  server = await MockHistoricalServer.start();
  serveMbo(server, MARKET);
  gateway = await MockLiveGateway.start({
    instrumentId: (symbol) => instrumentOf(symbol, 2),
    // Intraday replay as the gateway does it: every record from the subscription's start on.
    records: function* (session) {
      const start = BigInt(session.subscriptions[0]!.start!);
      const replay = MARKET.filter((r) => r.ts >= start);
      if (session.index === 0) {
        const upTo = replay.findIndex((r) => r === DAY2[1001]);
        yield encodeMbo(replay.slice(0, upTo));
      } else {
        yield encodeMbo(replay);
      }
    },
    behavior: (index) => (index === 0 ? { closeAfterRecords: true } : {}),
  });
  tmp = mkdtempSync(join(tmpdir(), 'databento-ingest-live-'));
});
afterAll(async () => {
  await gateway.close();
  await server.close();
  rmSync(tmp, { recursive: true, force: true });
});

test('live follow after the range: no gap and no duplicate across the hand-over and a dropped connection', async () => {
  const to = join(tmp, 'live.duckdb');
  const controller = new AbortController();
  const summary = await ingest({
    dataset: 'GLBX.MDP3',
    schema: 'mbo',
    symbols: ['ESH4', 'ESM4'],
    start: '2024-03-04',
    end: '2024-03-06',
    to,
    key: MOCK_API_KEY,
    client: new Historical({ key: MOCK_API_KEY, gateway: server.url }),
    live: { gateway: '127.0.0.1', port: gateway.port, reconnectDelayMs: 10, maxLagMs: 50 },
    signal: controller.signal,
    onProgress: (p) => {
      if ((p.live?.rowsInserted ?? 0) >= DAY2.length) controller.abort();
    },
  });
  expect(summary).toMatchObject({ chunksLoaded: 2, rowsInserted: 4000 });
  const lastHistorical = MARKET.filter((r) => r.ts < D0 + 2n * DAY).at(-1)!.ts;
  // Replays start a minute before the last stored receive time: at the hand-over, and after the drop.
  expect(summary.live!.replayStarts).toEqual([lastHistorical - 60_000_000_000n, CUT - 60_000_000_000n]);
  expect(gateway.sessions.map((s) => s.subscriptions[0]!.start)).toEqual(summary.live!.replayStarts.map(String));
  expect(summary.live).toMatchObject({ sessions: 2, rowsInserted: DAY2.length });
  // The first session replayed day 1 (all skipped), the second the part of day 2 the first had stored.
  expect(summary.live!.records).toBe(2000 + 1001 + DAY2.length);
  const [figures] = await duckQuery(to, FIGURES_SQL);
  expect(Object.fromEntries(Object.entries(figures!).map(([k, v]) => [k, String(v)]))).toEqual(expectedFigures(MARKET));
  const symbols = await duckQuery(to, `SELECT symbol || ' ' || strftime(ts_recv, '%Y-%m-%d') AS k, count(*) AS n FROM mbo GROUP BY ALL`);
  expect(Object.fromEntries(symbols.map((r) => [r['k'], Number(r['n'])]))).toEqual(expectedSymbols(MARKET));
  // Each instrument under its own symbol, day by day (live rows from the session's mappings).
  const labels = await duckQuery(to, `SELECT DISTINCT strftime(ts_recv, '%Y-%m-%d') AS day, instrument_id AS id, symbol FROM mbo ORDER BY ALL`);
  expect(labels.map((r) => `${r['day']} ${r['id']} ${r['symbol']}`)).toEqual([
    '2024-03-04 5001 ESH4', '2024-03-04 5002 ESM4', '2024-03-05 5001 ESH4', '2024-03-05 5002 ESM4', '2024-03-06 5002 ESM4', '2024-03-06 5003 ESH4',
  ]);
  const [dups] = await duckQuery(to, 'SELECT count(*) AS n FROM (SELECT order_id FROM mbo GROUP BY order_id HAVING count(*) > 1)');
  expect(Number(dups!['n'])).toBe(0);
}, 30_000);

test('databento-node ingest --live: the range, then live until Ctrl-C, and a summary', async () => {
  const to = join(tmp, 'cli-live.duckdb');
  const sessions = gateway.sessions.length;
  const args = ['ingest', '--dataset', 'GLBX.MDP3', '--schema', 'mbo', '--symbols', 'ESH4,ESM4', '--start', '2024-03-04',
    '--end', '2024-03-06', '--to', to, '--gateway', server.url, '--live', '--live-gateway', `127.0.0.1:${gateway.port}`, '--json'];
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, DATABENTO_API_KEY: MOCK_API_KEY }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const session = await gateway.waitForSession(sessions, 20_000);
    await session.waitForStart(10_000);
    // Every record sent, then time for the last load (at most 500 ms later) before Ctrl-C.
    while (session.bytesSent < (2000 + DAY2.length) * 56) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 3000));
    child.kill('SIGINT');
    expect(await exited, stderr).toBe(0);
  } finally {
    child.kill('SIGKILL');
  }
  expect(stderr).toMatch(/live: 1 sessions, 4,000 records, 2,000 rows new/);
  const summary = JSON.parse(stdout) as IngestSummary;
  expect(summary).toMatchObject({ rowsInserted: 4000, live: { sessions: 1, rowsInserted: DAY2.length } });
}, 60_000);

test('a gateway that can no longer replay from the last stored record stops the follow at once, saying what is missing', async () => {
  // As the gateway answers a replay start older than it keeps: ErrorMsg replay_data_aged_out (8), then it closes.
  const aged = await MockLiveGateway.start({
    instrumentId: (symbol) => instrumentOf(symbol, 2),
    records: new Uint8Array(0),
    behavior: { errorAfterRecords: { code: 8, text: 'Replay start is before the earliest available data' } },
  });
  try {
    const to = join(tmp, 'aged.duckdb');
    const t0 = Date.now();
    const err = (await ingest({
      dataset: 'GLBX.MDP3',
      schema: 'mbo',
      symbols: ['ESH4', 'ESM4'],
      start: '2024-03-04',
      end: '2024-03-05',
      to,
      key: MOCK_API_KEY,
      client: new Historical({ key: MOCK_API_KEY, gateway: server.url }),
      live: { gateway: '127.0.0.1', port: aged.port, reconnectDelayMs: 1000 },
    }).catch((e: unknown) => e)) as IngestError;
    expect(err).toBeInstanceOf(IngestError);
    expect(err.code).toBe('LIVE_REFUSED');
    const last = MARKET.filter((r) => r.ts < D0 + DAY).at(-1)!.ts;
    expect(err.message).toBe(
      `the live gateway can no longer replay from ${iso(last - 60_000_000_000n)} (Gateway error: Replay start is before the earliest available data); ` +
        `the last stored record is at ${iso(last)}, so the records since then cannot come from the live feed: ` +
        'load them with a historical ingest of that span, then follow live again',
    );
    // One session, no reconnect loop (a second would have waited reconnectDelayMs); the historical part is kept and reported.
    expect(aged.sessions).toHaveLength(1);
    expect(Date.now() - t0).toBeLessThan(aged.sessions.length * 1000 + 5000);
    expect(err.summary).toMatchObject({ chunksLoaded: 1, rowsInserted: 2000 });
    const [row] = await duckQuery(to, 'SELECT count(*) AS n FROM mbo');
    expect(Number(row!['n'])).toBe(2000);
  } finally {
    await aged.close();
  }
}, 30_000);

/** UNIX ns as the messages print them. */
function iso(ns: bigint): string {
  return `${new Date(Number(ns / 1_000_000n)).toISOString().slice(0, 19)}.${String(ns % 1_000_000_000n).padStart(9, '0')}Z`;
}
