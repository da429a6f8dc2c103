// `databento-node ingest` run as a child process against the mock historical server.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { MockHistoricalServer } from '../lib/testing/historical-server.js';
import { CLI, runCli } from './cli-helpers.js';
import { KEY, mboMarket, serveMbo } from './ingest-helpers.js';

let server: MockHistoricalServer;
let tmp: string;
const MARKET = mboMarket(500);

beforeAll(async () => {
  server = await MockHistoricalServer.start();
  tmp = mkdtempSync(join(tmpdir(), 'databento-ingest-cli-'));
});
afterAll(async () => {
  await server.close();
  rmSync(tmp, { recursive: true, force: true });
});
beforeEach(() => {
  server.reset();
  serveMbo(server, MARKET);
});

const args = (to: string, ...more: string[]): string[] => [
  'ingest', '--dataset', 'GLBX.MDP3', '--schema', 'mbo', '--symbols', 'ESH4,ESM4', '--start', '2024-03-04', '--end', '2024-03-07',
  '--to', to, '--gateway', server.url, ...more,
];
const env = { DATABENTO_API_KEY: KEY };

describe('databento-node ingest', () => {
  test('loads the range, prints a summary on stderr and, with --json, the summary on stdout; a re-run skips it all', async () => {
    const to = join(tmp, 'cli.duckdb');
    const r = await runCli(args(to, '--json'), { env });
    expect(r.stderr).toMatch(/DuckDB .*cli\.duckdb, table mbo: 1,500 rows new from 1,500 records/);
    expect(r.stderr).toContain('chunks: 3 loaded, 0 already done, 0 failed of 3');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ chunksLoaded: 3, rowsInserted: 1500, table: 'mbo' });
    expect(r.stderr).not.toContain(KEY);
    const again = await runCli(args(to), { env });
    expect(again.status).toBe(0);
    expect(again.stdout).toBe('');
    expect(again.stderr).toContain('chunks: 0 loaded, 3 already done');
  });

  test('on a terminal, a progress line of chunks, records, rows/s and cost is rewritten in place', async (ctx) => {
    if (!existsSync('/usr/bin/script')) ctx.skip('no script(1) to run the command on a pseudo-terminal');
    const to = join(tmp, 'tty.duckdb');
    const command = [process.execPath, CLI, ...args(to)].map((a) => `'${a}'`).join(' ');
    // Not spawnSync: the mock server answers from this process.
    const child = spawn('/usr/bin/script', ['-qefc', command, '/dev/null'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const r = { stdout: '', status: null as number | null };
    child.stdout.setEncoding('utf8').on('data', (d: string) => (r.stdout += d));
    r.status = await new Promise((resolve) => child.once('exit', resolve));
    expect(r.status, r.stdout).toBe(0);
    // Each update returns to column 1 and clears the line.
    const updates = r.stdout.split('\x1b[1G\x1b[2K').slice(1);
    expect(updates[0]).toMatch(/^chunks 0\/3 2024-03-04 \| 0 records \| 0 rows new \| 0 rows\/s \| \$0\.66$/);
    expect(updates).toContainEqual(expect.stringMatching(/^chunks 1\/3 2024-03-05 \| 500 records \| 500 rows new \| [\d,]+ rows\/s \| \$0\.66$/));
    expect(updates.at(-1)).toMatch(/^chunks 3\/3 \| 1,500 records \| 1,500 rows new \| [\d,]+ rows\/s \| \$0\.66\r?\n/);
    expect(r.stdout).toContain('chunks: 3 loaded, 0 already done, 0 failed of 3');
  }, 60_000);

  test('a chunk that keeps failing: exit 1, the code, and the failure in the summary', async () => {
    server.inject({ kind: 'error', status: 500, detail: 'down' }, { path: '/v0/timeseries.get_range', times: Infinity });
    const r = await runCli(args(join(tmp, 'fail.duckdb'), '--attempts', '1', '--request-attempts', '1'), { env: { ...env } });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('chunks: 0 loaded, 0 already done, 3 failed of 3');
    expect(r.stderr).toMatch(/failed 2024-03-04T00:00:00.000000000Z – 2024-03-05T00:00:00.000000000Z: HTTP_ERROR: .*down/);
    expect(r.stderr).toMatch(/databento-node: INGEST_INCOMPLETE: 3 of 3 chunks failed/);
  }, 60_000);

  test('bad flags and targets fail before any request', async () => {
    const cases: Array<[string[], number, RegExp]> = [
      [args('x.duckdb', '--chunk-days', '0'), 2, /USAGE: .*--chunk-days.*whole number/],
      [args('mysql://h/db'), 1, /BAD_TARGET: unsupported target mysql/],
      [args(join(tmp, 'nope', 'x.duckdb')), 1, /BAD_TARGET: .*does not exist/],
      [args('x.duckdb').map((a) => (a === 'mbo' ? 'mbp-5' : a)), 1, /INVALID_ARGUMENT: schema "mbp-5" cannot be ingested/],
      [args('x.duckdb').filter((a, i, all) => a !== '--end' && all[i - 1] !== '--end'), 2, /USAGE: .*--end/],
    ];
    for (const [argv, status, stderr] of cases) {
      const r = await runCli(argv, { env });
      expect(r.stderr, argv.join(' ')).toMatch(stderr);
      expect(r.status).toBe(status);
    }
    const noKey = await runCli(args(join(tmp, 'k.duckdb')));
    expect(noKey.stderr).toMatch(/NO_API_KEY/);
    expect(server.requests).toHaveLength(0);
  }, 60_000);
});
