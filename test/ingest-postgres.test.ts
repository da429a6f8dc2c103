// ingest() into a real PostgreSQL cluster started for the test, fed by the mock historical server.
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { Historical } from '../lib/historical/index.js';
import { ingest, type IngestError, type IngestSummary } from '../lib/ingest/index.js';
import { MockHistoricalServer } from '../lib/testing/historical-server.js';
import { expectedFigures, expectedSymbols, FIGURES_SQL, KEY, mboMarket, serveMbo } from './ingest-helpers.js';
import { startPostgres, type PgCluster } from '../bench/pg-cluster.mjs';

const GET_RANGE = '/v0/timeseries.get_range';
const MARKET = mboMarket(2000);
const started = await startPostgres();
if (typeof started === 'string') {
  // CI installs PostgreSQL: there a cluster that cannot start is a failure, not a skip.
  if (process.env['CI']) throw new Error(started);
  console.warn(`skipping the PostgreSQL ingest tests: ${started}`);
}
const cluster = typeof started === 'string' ? undefined : started;
let server: MockHistoricalServer;
let n = 0;

beforeAll(async () => {
  server = await MockHistoricalServer.start();
});
afterAll(async () => {
  await server.close();
  cluster?.stop();
});
beforeEach(() => {
  server.reset();
  serveMbo(server, MARKET);
});

const client = (): Historical => new Historical({ key: KEY, gateway: server.url, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 } });
const base = { dataset: 'GLBX.MDP3', schema: 'mbo', symbols: ['ESH4', 'ESM4'], start: '2024-03-04', end: '2024-03-07', retryDelayMs: 1 };

async function query(url: string, sql: string): Promise<Record<string, unknown>[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows as Record<string, unknown>[];
  } finally {
    await c.end();
  }
}

async function figures(url: string): Promise<Record<string, string>> {
  const [row] = await query(url, FIGURES_SQL.replace(/ AS (\w+)/g, ' AS "$1"'));
  return Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, String(v)]));
}

describe.skipIf(!cluster)('ingest into PostgreSQL', () => {
  const db = (): string => cluster!.createDatabase(`t${n++}`);

  test('a multi-day range is COPYed in exactly, with symbols, keys and a decimal view', async () => {
    const to = db();
    const summary = await ingest({ ...base, client: client(), to });
    expect(summary).toMatchObject({ chunksLoaded: 3, records: 6000, rowsInserted: 6000, target: expect.stringContaining('PostgreSQL postgres://') });
    expect(await figures(to)).toEqual(expectedFigures(MARKET));
    const symbols = await query(to, `SELECT symbol || ' ' || to_char(to_timestamp(ts_recv / 1e9) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS k, count(*)::int AS n FROM mbo GROUP BY 1`);
    expect(Object.fromEntries(symbols.map((r) => [r['k'], r['n']]))).toEqual(expectedSymbols(MARKET));
    const [first] = await query(to, `SELECT price::text, action, side, ts_recv::text AS ts FROM mbo_px ORDER BY ts_recv, ord LIMIT 1`);
    expect(first).toEqual({ price: '5000.000000000', action: 'A', side: 'N', ts: '2024-03-04 01:00:00+00' });
    const [pk] = await query(to, `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'mbo'::regclass AND contype = 'p'`);
    expect(pk!['def']).toBe('PRIMARY KEY (ts_recv, publisher_id, instrument_id, ord)');
    // TimescaleDB: this server has no such extension (Debian does not package it), so the table is a plain one,
    // the summary says why, and asking the server for it neither failed the load nor left the extension half made.
    const [available] = await query(to, "SELECT count(*)::int AS n FROM pg_available_extensions WHERE name = 'timescaledb'");
    if (available!['n'] === 0) {
      expect(summary.storage).toBe('plain table (the timescaledb extension is not installed on this server)');
      const [table] = await query(to, "SELECT relkind FROM pg_class WHERE relname = 'mbo'");
      expect(table).toEqual({ relkind: 'r' });
      const [ext] = await query(to, "SELECT count(*)::int AS n FROM pg_extension WHERE extname = 'timescaledb'");
      expect(ext!['n']).toBe(0);
    } else {
      // A server with TimescaleDB: the table is a hypertable on its index timestamp.
      expect(summary.storage).toBe('TimescaleDB hypertable on ts_recv, one-day chunks');
      const [dim] = await query(to, "SELECT column_name FROM timescaledb_information.dimensions WHERE hypertable_name = 'mbo'");
      expect(dim).toEqual({ column_name: 'ts_recv' });
    }
  });

  test('re-runs and overlaps add no row; a failing chunk is reported and loaded by the re-run', async () => {
    const to = db();
    server.inject({ kind: 'error', status: 502, detail: 'bad gateway' }, { path: GET_RANGE, times: 4 });
    const err = (await ingest({ ...base, client: client(), to, chunkAttempts: 2 }).catch((e: unknown) => e)) as IngestError & { summary: IngestSummary };
    expect(err.code).toBe('INGEST_INCOMPLETE');
    expect(err.summary.failures).toEqual([expect.objectContaining({ start: '2024-03-04T00:00:00.000000000Z', code: 'HTTP_ERROR' })]);
    server.reset();
    expect(await ingest({ ...base, client: client(), to })).toMatchObject({ chunksSkipped: 2, chunksLoaded: 1, rowsInserted: 2000 });
    expect(await ingest({ ...base, client: client(), to })).toMatchObject({ chunksSkipped: 3, chunksLoaded: 0 });
    const overlap = await ingest({ ...base, start: '2024-03-05T01:00:00.25', end: '2024-03-07', client: client(), to });
    expect(overlap).toMatchObject({ chunksLoaded: 1, records: 1000, rowsInserted: 0 });
    expect(await figures(to)).toEqual(expectedFigures(MARKET));
    const [dups] = await query(to, 'SELECT count(*)::int AS n FROM (SELECT order_id FROM mbo GROUP BY order_id HAVING count(*) > 1) d');
    expect(dups!['n']).toBe(0);
  });

  test('a chunk cut mid-body leaves no row, is reported as the network failure it is, and is loaded again', async () => {
    const to = db();
    server.chunkSize = 1024;
    server.inject({ kind: 'truncate', afterBytes: 3000 }, { path: GET_RANGE });
    try {
      const err = (await ingest({ ...base, client: client(), to, chunkAttempts: 1 }).catch((e: unknown) => e)) as IngestError & { summary: IngestSummary };
      expect(err.summary.failures).toEqual([expect.objectContaining({ start: '2024-03-04T00:00:00.000000000Z', code: 'NETWORK_ERROR' })]);
      expect(err.summary.rowsInserted).toBe(4000);
      server.inject({ kind: 'truncate', afterBytes: 3000 }, { path: GET_RANGE });
      expect(await ingest({ ...base, client: client(), to })).toMatchObject({ chunksLoaded: 1, rowsInserted: 2000 });
    } finally {
      server.chunkSize = 16 * 1024;
    }
    expect(await figures(to)).toEqual(expectedFigures(MARKET));
  });

  test('an unreachable database fails before any request, without the password', async () => {
    const url = new URL(cluster!.url);
    url.port = '1';
    url.password = 'sekrit-pw';
    const err = (await ingest({ ...base, client: client(), to: url.toString() }).catch((e: unknown) => e)) as IngestError;
    expect(err.code).toBe('TARGET_UNAVAILABLE');
    expect(err.message).toContain('postgres://postgres:***@127.0.0.1:1/postgres');
    expect(err.message).not.toContain('sekrit');
    expect(server.requests).toHaveLength(0);
  });
});
