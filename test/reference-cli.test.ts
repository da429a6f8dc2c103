// `databento-node reference …` run as a child process against the mock historical server.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MockHistoricalServer } from '../lib/testing/historical-server.js';
import { SECURITY_MASTER_LINES } from '../lib/testing/reference-vectors.js';
import { runCli } from './cli-helpers.js';

const KEY = 'db-Wk3xEJ7pQo9LrT2aZ6vNcF8sHy4Ub';
let server: MockHistoricalServer;

beforeAll(async () => {
  server = await MockHistoricalServer.start();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.reset();
  server.setReferenceData('security_master.get_last', undefined);
});

const cli = (args: string[]) => runCli(['reference', ...args], { env: { DATABENTO_API_KEY: KEY, DATABENTO_HIST_GATEWAY: server.url } });
const lines = (text: string) => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

describe('databento-node reference', () => {
  it('corporate-actions: JSON lines, one row per event, flattened, timestamps in ISO 8601 with nanoseconds', async () => {
    const r = await cli(['corporate-actions', '--start', '2023', '--symbols', 'bomo,brqs', '--events', 'RSPLT', '--countries', 'US']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const rows = lines(r.stdout);
    expect(rows.map((x) => x['symbol'])).toEqual(['BOMO', 'BRQS']);
    expect(rows[0]!['ts_record']).toBe('2023-11-01T00:00:00.000000000Z');
    expect(rows[0]!['par_value_old']).toBe(0.01);
    expect(server.requests[0]!.body).toBe(
      'compression=zstd&countries=US&events=RSPLT&index=event_date&start=2023&stype_in=raw_symbol&symbols=BOMO%2CBRQS',
    );
  });

  it('corporate-actions --pit --no-flatten keeps every version and the nested objects', async () => {
    const r = await cli(['corporate-actions', '--start', '2023', '--pit', '--no-flatten', '--index', 'ts_record']);
    expect(r.status).toBe(0);
    const rows = lines(r.stdout);
    expect(rows).toHaveLength(3);
    expect(rows[1]!['rate_info']).toEqual({ par_value_old: 0.01, par_value_new: 0.01 });
  });

  it('adjustment-factors as CSV', async () => {
    const r = await cli(['adjustment-factors', '--start', '2024-01', '--end', '2024-06', '--format', 'csv']);
    expect(r.status).toBe(0);
    const [header, row, ...rest] = r.stdout.trimEnd().split('\n');
    expect(rest).toEqual([]);
    expect(header!.split(',').slice(0, 3)).toEqual(['security_id', 'event_id', 'event']);
    expect(row).toContain('S-1318698,E-3287361-DIV,DIV,VanEck ETF Trust,ETF,USBATS,USBATS,BATS,HYD,HYD,HYD,,US92189H4092,');
    expect(row).toContain(',2024-05-01,0.995833170541121,51.19,USD,');
    expect(row!.endsWith(',INT Dividend (cash) of USD0.2133/ETF,1970-01-01T00:00:00.000000000Z')).toBe(true);
  });

  it('security-master --last, and --stream in the server order', async () => {
    const last = lines((await cli(['security-master', '--last'])).stdout);
    expect(last.map((x) => [x['symbol'], x['ts_effective']])).toEqual([
      ['SLF', '2000-07-04T00:00:00.000000000Z'],
      ['AAPL_KZ', '2024-08-15T00:00:00.000000000Z'],
    ]);
    server.setReferenceData('security_master.get_last', [SECURITY_MASTER_LINES[2]!, SECURITY_MASTER_LINES[0]!]);
    const streamed = lines((await cli(['security-master', '--last', '--stream'])).stdout);
    expect(streamed.map((x) => x['symbol'])).toEqual(['SLF', 'AAPL_KZ']);
    expect(server.requestsTo('/v0/security_master.get_last')).toHaveLength(2);
  });

  it('fails with the error code: bad arguments, server errors, no key; the key never printed', async () => {
    const noStart = await cli(['adjustment-factors']);
    expect(noStart.status).toBe(1);
    expect(noStart.stderr).toMatch(/^databento-node: INVALID_ARGUMENT: .*start is required/);
    const badStart = await cli(['corporate-actions', '--start', '2024-13']);
    expect(badStart.stderr).toMatch(/INVALID_ARGUMENT: .*not a real date/);
    const csvStream = await cli(['security-master', '--start', '2024', '--stream', '--format', 'csv']);
    expect(csvStream.stderr).toMatch(/INVALID_ARGUMENT: --stream writes JSON lines/);
    expect(server.requests).toHaveLength(0);
    server.inject({ kind: 'error', status: 403, detail: `plan lacks reference data for ${KEY}` }, { times: Infinity });
    const denied = await cli(['security-master', '--last']);
    expect(denied.status).toBe(1);
    expect(denied.stderr).toMatch(/^databento-node: HTTP_ERROR: plan lacks reference data for/);
    expect(denied.stderr).not.toContain(KEY);
    expect(denied.stdout).toBe('');
    const noKey = await runCli(['reference', 'security-master', '--last'], { env: { DATABENTO_HIST_GATEWAY: server.url } });
    expect(noKey.stderr).toMatch(/NO_API_KEY/);
  });
});
