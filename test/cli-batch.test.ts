// `databento-node batch submit|list|download` as child processes against the
// shipped mock historical server (whose submitted jobs are made from the
// sample data), and the progress bars of `batch download` and `get-range` on
// a terminal (a pseudo-terminal from util-linux `script`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { DbnStore, Historical, writeCsv } from '../lib/index.js';
import { SAMPLE_DATASET, SAMPLE_END, SAMPLE_START, startSampleMocks, type SampleMocks } from '../lib/testing/index.js';
import { CLI, runCli } from './cli-helpers.js';

let mocks: SampleMocks;
let dir: string;
beforeAll(async () => {
  mocks = await startSampleMocks();
  dir = mkdtempSync(join(tmpdir(), 'cli-batch-'));
});
afterAll(async () => {
  await mocks.close();
  rmSync(dir, { recursive: true, force: true });
});

const env = () => ({ DATABENTO_API_KEY: mocks.env.DATABENTO_API_KEY, DATABENTO_HIST_GATEWAY: mocks.env.DATABENTO_HIST_GATEWAY });
const QUERY = ['--dataset', SAMPLE_DATASET, '--schema', 'trades', '--symbols', 'ESZ4,NQZ4', '--start', SAMPLE_START, '--end', SAMPLE_END];

interface Job {
  id: string;
  state: string;
  encoding: string;
}

/** Submits through the CLI and waits (through `batch list`) until the job is done. */
async function submitDone(extra: string[] = []): Promise<Job> {
  const r = await runCli(['batch', 'submit', ...QUERY, ...extra], { env: env() });
  expect(r.status, r.stderr).toBe(0);
  const job = JSON.parse(r.stdout) as Job;
  expect(r.stderr).toContain(`submitted job ${job.id}`);
  for (let i = 0; i < 100; i++) {
    const list = await runCli(['batch', 'list', '--states', 'done'], { env: env() });
    expect(list.status, list.stderr).toBe(0);
    const done = (JSON.parse(list.stdout) as Job[]).find((j) => j.id === job.id);
    if (done) return done;
  }
  throw new Error(`job ${job.id} never finished`);
}

/** The same range through the library, as text with these options. */
async function libraryCsv(opts: { prettyPx: boolean; prettyTs: boolean; mapSymbols: boolean }): Promise<string> {
  const client = new Historical({ key: mocks.env.DATABENTO_API_KEY, gateway: mocks.env.DATABENTO_HIST_GATEWAY });
  const store = await client.timeseries.getRange({ dataset: SAMPLE_DATASET, schema: 'trades', symbols: ['ESZ4', 'NQZ4'], start: SAMPLE_START, end: SAMPLE_END });
  const chunks: Buffer[] = [];
  await writeCsv(store, new Writable({ write: (c: Buffer, _e, done) => (chunks.push(c), done()) }), opts);
  return Buffer.concat(chunks).toString();
}

describe('databento-node batch', () => {
  it('submits a DBN job, lists it, and downloads its file (paths on stdout)', async () => {
    const job = await submitDone();
    expect(job.encoding).toBe('dbn');
    const r = await runCli(['batch', 'download', job.id, '-o', dir], { env: env() });
    expect(r.status, r.stderr).toBe(0);
    const path = join(dir, job.id, 'glbx-mdp3-20241118.trades.dbn.zst');
    expect(r.stdout).toBe(`${path}\n`);
    expect(r.stderr).toMatch(/^job \S+: 1 file, [\d,]+ bytes\ndownloaded 1 file to /);
    expect(r.stderr).not.toMatch(/%/); // no progress bar off a terminal
    const store = DbnStore.fromFile(path);
    expect(store.metadata.schema).toBe('trades');
    const ids = new Set(store.toArray().map((rec) => rec.instrument_id));
    expect(ids.size).toBe(2);
    // Again: the complete file is verified, not fetched anew.
    const again = await runCli(['batch', 'download', job.id, '-o', dir], { env: env() });
    expect(again.status).toBe(0);
    expect(again.stdout).toBe(`${path}\n`);
  });

  it('submits a CSV job with pretty values and symbols: the file is what the library writes', async () => {
    const job = await submitDone(['--encoding', 'csv', '--compression', 'none', '--pretty-px', '--pretty-ts', '--map-symbols']);
    const r = await runCli(['batch', 'download', job.id, '--output-dir', dir, '--file', 'glbx-mdp3-20241118.trades.csv'], { env: env() });
    expect(r.status, r.stderr).toBe(0);
    const csv = readFileSync(r.stdout.trim(), 'utf8');
    expect(csv).toBe(await libraryCsv({ prettyPx: true, prettyTs: true, mapSymbols: true }));
    expect(csv.split('\n')[1]).toMatch(/^2024-11-18T14:3\d:\d\d\.\d{9}Z,.*,(ESZ4|NQZ4)$/);
  });

  it('fails with a code on stderr and nothing on stdout', async () => {
    const unknown = await runCli(['batch', 'download', 'GLBX-00000000-NOSUCHJOB', '-o', dir], { env: env() });
    expect(unknown.status).toBe(1);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toMatch(/^databento-node: HTTP_ERROR: .*not found/i);
    // A file whose listed hash does not match is deleted and reported.
    const bad = mocks.historical.addJob({ dataset: SAMPLE_DATASET }, [{ filename: 'x.dbn', data: Buffer.from('data'), hash: 'sha256:' + '0'.repeat(64) }]);
    const mismatch = await runCli(['batch', 'download', bad.id, '-o', dir], { env: env() });
    expect(mismatch.status).toBe(1);
    expect(mismatch.stderr).toMatch(/databento-node: CHECKSUM_MISMATCH: /);
    expect(existsSync(join(dir, bad.id, 'x.dbn'))).toBe(false);
    expect(mismatch.stderr).not.toContain(mocks.env.DATABENTO_API_KEY);
    const noKey = await runCli(['batch', 'list'], { env: { DATABENTO_HIST_GATEWAY: mocks.env.DATABENTO_HIST_GATEWAY } });
    expect(noKey.status).toBe(1);
    expect(noKey.stderr).toMatch(/^databento-node: NO_API_KEY: /);
    const badSchema = await runCli(['batch', 'submit', ...QUERY.slice(0, 2), '--schema', 'nope', ...QUERY.slice(4)], { env: env() });
    expect(badSchema.status).toBe(1);
    expect(badSchema.stderr).toMatch(/^databento-node: [A-Z_]+: .*schema/);
    expect(badSchema.stdout).toBe('');
  });

  it('rejects bad command lines with USAGE (exit 2), and each subcommand has --help', async () => {
    for (const args of [
      ['batch', 'submit', '--dataset', SAMPLE_DATASET],
      ['batch', 'submit', ...QUERY, '--encoding', 'xml'],
      ['batch', 'download'],
      ['batch', 'download', 'JOB', '--concurrency', '0'],
      ['batch', 'list', '--bogus'],
      ['batch', 'nope'],
    ]) {
      const r = await runCli(args, { env: env() });
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^databento-node: USAGE: /);
      expect(r.stdout).toBe('');
    }
    for (const sub of ['submit', 'list', 'download']) {
      const help = await runCli(['batch', sub, '--help']);
      expect(help.status).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: databento-node batch ${sub} `));
    }
  });
});

/** Runs the command on a pseudo-terminal; resolves to all it printed and its status. */
function onTerminal(args: string[]): Promise<{ status: number | null; output: string }> {
  const command = [process.execPath, CLI, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], { env: { ...process.env, ...env(), COLUMNS: '100' }, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (output += s));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, output });
    });
  });
}

describe.skipIf(spawnSync('script', ['--version']).status !== 0)('progress bars on a terminal', () => {
  it('batch download and get-range draw a bar on stderr', async () => {
    const job = await submitDone();
    const download = await onTerminal(['batch', 'download', job.id, '-o', join(dir, 'tty')]);
    expect(download.status).toBe(0);
    expect(download.output).toMatch(/\d+% \| [\d.]+ MiB of [\d.]+ MiB/);
    expect(download.output).toContain('downloaded 1 file');
    const range = await onTerminal(['get-range', ...QUERY, '-o', join(dir, 'tty', 'range.dbn')]);
    expect(range.status).toBe(0);
    expect(range.output).toMatch(/\d+% \| [\d,]+\/[\d,]+ records/);
    expect(range.output).toMatch(/wrote [\d,]+ records/);
  });
});
