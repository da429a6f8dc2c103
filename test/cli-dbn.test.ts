// `databento-node dbn` run as a child process: the spec's CLI vectors
// (text-formats.md §10.2-§10.7), outputs, merging, stdin, and its failures.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { DbnStore, type TextOptions } from '../lib/index.js';
import { runCli } from './cli-helpers.js';
import { fixturePath, readFixture } from './fixtures.js';
import { zstdDecompressSync } from './zstd-helper.js';

const SPEC = readFileSync(new URL('./fixtures/spec/text-formats.md', import.meta.url), 'utf8');
const PLAIN: TextOptions = { prettyPx: false, prettyTs: false, mapSymbols: false };

/** The code blocks of a spec section. */
function specBlocks(section: string): string[] {
  const start = SPEC.indexOf(`### ${section}`);
  const body = SPEC.slice(start, SPEC.indexOf('\n### ', start + 1) >>> 0 || undefined);
  return [...body.matchAll(/```\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

async function libText(name: string, format: 'csv' | 'json', opts: TextOptions): Promise<string> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(c: Buffer, _e, done) {
      chunks.push(c);
      done();
    },
  });
  const store = DbnStore.fromFile(fixturePath(name), { upgradePolicy: 'as-is' });
  await (format === 'csv' ? store.toCsv(sink, opts) : store.toJson(sink, opts));
  return Buffer.concat(chunks).toString();
}

describe('databento-node dbn', () => {
  it('writes the CLI plain and --pretty --map-symbols CSV of the spec', async () => {
    const plain = await runCli(['dbn', fixturePath('test_data.mbo.v3.dbn.zst'), '--csv']);
    expect(plain.status).toBe(0);
    expect(plain.stderr).toBe('');
    const [block] = specBlocks('10.2');
    const lines = block!.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(plain.stdout).toBe(lines.slice(0, 3).join('\n') + '\n');
    const pretty = await runCli(['dbn', fixturePath('test_data.mbo.v1.dbn.zst'), '-C', '-p', '-s', '-u']);
    expect(pretty.stdout).toBe(lines.slice(3, 6).join('\n') + '\n');
  });

  it('matches the library for every fixture schema, CSV and JSON, as-is', async () => {
    for (const name of ['test_data.definition.v1.dbn.zst', 'test_data.statistics.v1.dbn.zst', 'test_data.mbp-10.v3.dbn.zst', 'test_data.imbalance.v2.dbn.zst']) {
      const csv = await runCli(['dbn', fixturePath(name), '--csv']);
      expect(csv.stdout).toBe(await libText(name, 'csv', PLAIN));
      const json = await runCli(['dbn', fixturePath(name), '--json', '--map-symbols']);
      expect(json.stdout).toBe(await libText(name, 'json', { ...PLAIN, mapSymbols: true }));
    }
  });

  it('indents JSON with --pretty (§10.6) and prints metadata with -m (§10.7)', async () => {
    const r = await runCli(['dbn', fixturePath('test_data.mbp-1.v3.dbn.zst'), '--json', '--pretty', '--map-symbols', '-l', '1']);
    expect(r.stdout).toBe(specBlocks('10.6')[0]);
    const [compact, indented] = specBlocks('10.7');
    const m = await runCli(['dbn', fixturePath('test_data.mbo.v3.dbn.zst'), '--json', '--metadata']);
    expect(m.stdout).toBe(compact);
    const mp = await runCli(['dbn', fixturePath('test_data.mbo.v3.dbn.zst'), '--json', '--metadata', '-p']);
    expect(mp.stdout).toBe(indented);
  });

  it('infers the encoding from -o, compresses .zst, and refuses to overwrite without -f', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dbn-cli-'));
    try {
      const out = join(dir, 'out.csv.zst');
      const r = await runCli(['dbn', fixturePath('test_data.trades.v3.dbn.zst'), '-o', out]);
      expect(r.status).toBe(0);
      expect(zstdDecompressSync(readFileSync(out)).toString()).toBe(await libText('test_data.trades.v3.dbn.zst', 'csv', PLAIN));
      const again = await runCli(['dbn', fixturePath('test_data.trades.v3.dbn.zst'), '-o', out]);
      expect(again.status).toBe(1);
      expect(again.stderr).toMatch(/^databento-node: FILE_EXISTS: .*--force/);
      expect((await runCli(['dbn', fixturePath('test_data.trades.v3.dbn.zst'), '-o', out, '-f'])).status).toBe(0);
      const dbn = join(dir, 'copy.dbn');
      expect((await runCli(['dbn', fixturePath('test_data.mbo.v3.dbn.zst'), '-o', dbn])).status).toBe(0);
      expect(DbnStore.fromFile(dbn).toArray().map((r) => r.toJSON())).toEqual(
        DbnStore.fromFile(fixturePath('test_data.mbo.v3.dbn.zst')).toArray().map((r) => r.toJSON()),
      );
      const unknown = await runCli(['dbn', fixturePath('test_data.mbo.v3.dbn.zst'), '-o', join(dir, 'x.txt')]);
      expect(unknown.status).toBe(1);
      expect(unknown.stderr).toMatch(/Unable to infer output encoding/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads stdin (-), merges several files by timestamp, filters by --schema and --limit', async () => {
    const stdin = await runCli(['dbn', '-', '--json'], { input: readFixture('test_data.mbo.v3.dbn.zst') });
    expect(stdin.stdout).toBe(await libText('test_data.mbo.v3.dbn.zst', 'json', PLAIN));
    const merged = await runCli(['dbn', fixturePath('test_data.trades.v3.dbn.zst'), fixturePath('test_data.mbo.v3.dbn.zst'), '--json']);
    expect(merged.status).toBe(0);
    const recs = merged.stdout.trim().split('\n').map((l) => JSON.parse(l) as { ts_recv: string; hd: { rtype: number } });
    expect(recs).toHaveLength(4);
    const ts = recs.map((r) => BigInt(r.ts_recv));
    expect([...ts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(ts);
    const mixedCsv = await runCli(['dbn', fixturePath('test_data.trades.v3.dbn.zst'), fixturePath('test_data.mbo.v3.dbn.zst'), '--csv']);
    expect(mixedCsv.status).toBe(1);
    expect(mixedCsv.stderr).toMatch(/^databento-node: MIXED_SCHEMAS: /);
    const trades = await runCli(['dbn', fixturePath('test_data.trades.v3.dbn.zst'), fixturePath('test_data.mbo.v3.dbn.zst'), '--csv', '--schema', 'trades', '-l', '1', '--omit-header']);
    expect(trades.stdout).toBe((await libText('test_data.trades.v3.dbn.zst', 'csv', { ...PLAIN, header: false })).split('\n')[0] + '\n');
  });

  it('fails with a code and exit status on a missing file, bad flags and corrupt input', async () => {
    const missing = await runCli(['dbn', '/no/such/file.dbn', '--csv']);
    expect(missing.status).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/^databento-node: FILE_NOT_FOUND: no such file: \/no\/such\/file.dbn/);
    for (const args of [['--csv', '--json'], ['--dbn', '--pretty'], ['--csv', '-l', 'zero'], ['--no-such-flag'], []]) {
      const r = await runCli(['dbn', ...(args.length ? [fixturePath('test_data.mbo.v3.dbn.zst')] : []), ...args]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/^databento-node: USAGE: /);
    }
    const corrupt = await runCli(['dbn', '-', '--csv'], { input: 'not DBN at all, just text' });
    expect(corrupt.status).toBe(1);
    expect(corrupt.stderr).toMatch(/^databento-node: (BAD_MAGIC|TRUNCATED_HEADER): /);
  });
});
