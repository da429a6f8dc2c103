// CSV and JSON lines against every fixture vector of the text-formats spec
// (§10.2-§10.7, read from the spec file itself), through DbnStore.toCsv/toJson,
// writeCsv/writeJson over other batch sources, and the encode streams.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Worker } from 'node:worker_threads';
import { zstdDecompressSync } from './zstd-helper.js';
import { CsvEncodeStream, DbnError, DbnStore, InvalidArgumentError, JsonEncodeStream, writeCsv, writeDbnFile, writeJson, type TextOptions } from '../lib/index.js';
import { fixturePath } from './fixtures.js';

const SPEC = readFileSync(new URL('./fixtures/spec/text-formats.md', import.meta.url), 'utf8');
const PLAIN: TextOptions = { prettyPx: false, prettyTs: false, mapSymbols: false };

/** Collects a store's text output in memory. */
async function text(store: DbnStore, format: 'csv' | 'json', opts: TextOptions = {}): Promise<string> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk);
      done();
    },
  });
  await (format === 'csv' ? store.toCsv(sink, opts) : store.toJson(sink, opts));
  return Buffer.concat(chunks).toString('utf8');
}

const open = (name: string, asIs = false) =>
  DbnStore.fromFile(fixturePath(name), asIs ? { upgradePolicy: 'as-is' } : undefined);

/** The code blocks of a spec section, as arrays of lines. */
function blocks(section: string): string[][] {
  const start = SPEC.indexOf(`### ${section}`);
  const end = SPEC.indexOf('\n### ', start + 1);
  const body = SPEC.slice(start, end);
  return [...body.matchAll(/```\n([\s\S]*?)```/g)].map((m) => m[1]!.split('\n').filter((l) => l !== ''));
}

/**
 * CSV vector groups: "# fixture — description" followed by the lines it
 * produces; a comment naming several fixtures ("a.v3 / b.v3 — row 1") gives
 * one line to each.
 */
function csvGroups(lines: string[]): { fixture: string; asIs: boolean; lines: string[] }[] {
  const groups: { fixture: string; asIs: boolean; lines: string[] }[] = [];
  let shared: string[] = [];
  for (const line of lines) {
    if (line.startsWith('#')) {
      const names = [...line.matchAll(/test_data\.([\w-]+)\.(v\d)(?:\.dbn)?(\.zst)?|\/ ([\w-]+)\.(v\d)/g)].map(
        (m) => `test_data.${m[1] ?? m[4]}.${m[2] ?? m[5]}.dbn${m[3] ?? (m[4] ? '.zst' : '')}`,
      );
      shared = names.length > 1 ? names.map((n) => n.replace(/\.dbn$/, '.dbn.zst')) : [];
      if (shared.length === 0) groups.push({ fixture: names[0] ?? 'test_data.mbo.v3.dbn.zst', asIs: line.includes('as-is'), lines: [] });
    } else if (shared.length > 0) {
      groups.push({ fixture: shared.shift()!, asIs: false, lines: [line] });
    } else {
      groups.at(-1)!.lines.push(line);
    }
  }
  return groups.filter((g) => g.lines.length > 0);
}

describe('CSV vectors of the spec (§10.2-§10.5)', () => {
  for (const section of ['10.2', '10.3', '10.4', '10.5']) {
    const groups = csvGroups(blocks(section)[0]!);
    for (const group of groups) {
      it(`${section} ${group.fixture}${group.asIs ? ' (as-is)' : ''}: ${group.lines.length} lines`, async () => {
        const store = open(group.fixture, group.asIs);
        const plain = (await text(store, 'csv', PLAIN)).split('\n');
        const python = (await text(store, 'csv')).split('\n');
        for (const line of group.lines) {
          // Pretty lines carry ISO timestamps, or end with the symbol column.
          const pretty = /\d{4}-\d\d-\d\dT/.test(line) || line.endsWith(',symbol');
          const out = pretty ? python : plain;
          if (line.startsWith('ts_')) expect(out[0]).toBe(line);
          else expect(out).toContain(line);
        }
      });
    }
  }

  it('zero records: a CSV header line, empty JSON', async () => {
    const store = open('test_data.ohlcv-1d.v3.dbn.zst');
    expect(await text(store, 'csv', PLAIN)).toBe('ts_event,rtype,publisher_id,instrument_id,open,high,low,close,volume\n');
    expect(await text(store, 'json')).toBe('');
  });
});

// The JSON blocks hold no per-line labels; the spec's captions name them.
const JSON_SOURCES: Record<string, [fixture: string, python: boolean, asIs?: boolean][]> = {
  '10.2': [
    ['test_data.mbo.v3.dbn.zst', false],
    ['test_data.mbo.v3.dbn.zst', false],
    ['test_data.mbo.v3.dbn.zst', true],
    ['test_data.mbo.v3.dbn.zst', true],
  ],
  '10.3': [
    ['test_data.trades.v3.dbn.zst', false],
    ['test_data.mbp-1.v3.dbn.zst', true],
    ['test_data.mbp-10.v3.dbn.zst', false],
  ],
  '10.4': [
    ['test_data.bbo-1s.v3.dbn.zst', false],
    ['test_data.cbbo-1s.v3.dbn.zst', true],
    ['test_data.cmbp-1.v3.dbn.zst', false],
    ['test_data.ohlcv-1s.v3.dbn.zst', false],
    ['test_data.ohlcv-1s.v3.dbn.zst', true],
    ['test_data.status.v3.dbn.zst', false],
  ],
  '10.5': [
    ['test_data.imbalance.v3.dbn.zst', true],
    ['test_data.statistics.v3.dbn.zst', false],
    ['test_data.statistics.v3.dbn.zst', true],
    ['test_data.statistics.v1.dbn.zst', false, true],
    ['test_data.definition.v3.dbn.zst', false],
    ['test_data.definition.v3.dbn.zst', true],
  ],
};

describe('JSON-lines vectors of the spec (§10.2-§10.5)', () => {
  for (const [section, sources] of Object.entries(JSON_SOURCES)) {
    const lines = blocks(section)[1]!;
    it(`${section}: ${lines.length} lines`, async () => {
      expect(lines).toHaveLength(sources.length);
      for (const [i, [fixture, python, asIs]] of sources.entries()) {
        const out = (await text(open(fixture, asIs), 'json', python ? {} : PLAIN)).split('\n');
        expect(out).toContain(lines[i]);
      }
    });
  }

  it('definition v1 as-is keeps the v1 keys; the Python default upgrades it to the v3 output', async () => {
    const asIs = await text(open('test_data.definition.v1.dbn.zst', true), 'json', PLAIN);
    expect(asIs).toContain('"raw_instrument_id":2147483647,');
    expect(asIs).toContain('"trading_reference_price":"9223372036854775807"');
    expect(asIs).toContain('"trading_reference_date":65535');
    expect(asIs).toContain('"md_security_trading_status":78');
    expect(asIs).toContain('"settl_price_type":255');
    const upgraded = await text(open('test_data.definition.v1.dbn.zst'), 'csv');
    expect(upgraded).toBe(await text(open('test_data.definition.v3.dbn.zst'), 'csv'));
  });

  it('every v1/v2/v3 copy of the MBO fixture gives the same text', async () => {
    const want = await text(open('test_data.mbo.v3.dbn.zst'), 'json');
    for (const name of ['test_data.mbo.v3.dbn', 'test_data.mbo.dbn', 'test_data.mbo.v1.dbn.zst']) {
      expect(await text(open(name), 'json')).toBe(want);
    }
  });
});

describe('text output options and destinations', () => {
  it('limit, schema filter, header and TSV', async () => {
    const store = open('test_data.mbo.v3.dbn.zst');
    expect((await text(store, 'json', { ...PLAIN, limit: 1 })).split('\n')).toHaveLength(2);
    expect(await text(store, 'csv', { ...PLAIN, header: false })).not.toContain('ts_recv');
    expect(await text(store, 'json', { schema: 'trades' })).toBe('');
    await expect(text(store, 'csv', { schema: 'nope' })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(text(store, 'csv', { limit: -1 })).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('writes files, zstd for .zst paths, and resolves to the record count', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dbn-text-'));
    try {
      const store = open('test_data.mbp-1.v3.dbn.zst');
      expect(await store.toCsv(join(dir, 'out.csv'))).toBe(2);
      expect(await store.toJson(join(dir, 'out.json.zst'))).toBe(2);
      const csv = readFileSync(join(dir, 'out.csv'), 'utf8');
      const json = zstdDecompressSync(readFileSync(join(dir, 'out.json.zst'))).toString('utf8');
      expect(csv).toBe(await text(store, 'csv'));
      expect(json).toBe(await text(store, 'json'));
      await expect(store.toCsv(join(dir, 'missing', 'x.csv'))).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('CSV of mixed data needs a schema; writeCsv takes any batch source', async () => {
    const store = open('test_data.mbo.v3.dbn.zst');
    const mixed = { metadata: { ...store.metadata, schema: null }, batches: () => store.batchesSync() };
    await expect(writeCsv(mixed, new PassThrough())).rejects.toBeInstanceOf(InvalidArgumentError);
    const sink = new PassThrough();
    const chunks: Buffer[] = [];
    sink.on('data', (c: Buffer) => chunks.push(c));
    expect(await writeCsv(mixed, sink, { schema: 'mbo' })).toBe(2);
    expect(Buffer.concat(chunks).toString()).toBe(await text(store, 'csv'));
  });

  it('encode streams turn DBN bytes or record batches into text', async () => {
    const store = open('test_data.mbo.v3.dbn.zst');
    const collect = async (stream: NodeJS.ReadWriteStream, input: NodeJS.ReadableStream) => {
      const chunks: Buffer[] = [];
      await pipeline(input, stream, async (source: AsyncIterable<string | Buffer>) => {
        for await (const c of source) chunks.push(Buffer.from(c));
      });
      return Buffer.concat(chunks).toString();
    };
    expect(await collect(new CsvEncodeStream(), createReadStream(fixturePath('test_data.mbo.v3.dbn.zst')))).toBe(
      await text(store, 'csv'),
    );
    const batches = Readable.from(store.batchesSync());
    expect(await collect(new JsonEncodeStream({ metadata: store.metadata }), batches)).toBe(await text(store, 'json'));
    await expect(collect(new CsvEncodeStream(), Readable.from(['not dbn']))).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    await expect(collect(new CsvEncodeStream(), Readable.from([Buffer.from('garbage!')]))).rejects.toBeInstanceOf(DbnError);
  });
});

describe('text of a DBN file, encoded off the JS thread', () => {
  /** The two MBO fixture records repeated: text of several native chunks. */
  async function bigFile(dir: string, copies: number): Promise<{ path: string; store: DbnStore }> {
    const fixture = open('test_data.mbo.v3.dbn.zst');
    const records = Buffer.concat([...fixture.batchesSync()].map((b) => new Uint8Array(b.buffer)));
    const path = join(dir, 'big.dbn');
    await writeDbnFile(path, fixture.metadata, (function* () {
      for (let i = 0; i < copies; i += 1000) yield Buffer.concat(Array.from({ length: Math.min(1000, copies - i) }, () => records));
    })());
    return { path, store: DbnStore.fromFile(path) };
  }

  /** The same records through the batch path (encoded on the JS thread). */
  async function viaBatches(store: DbnStore, format: 'csv' | 'json', opts: TextOptions): Promise<string> {
    const sink = new PassThrough();
    const chunks: Buffer[] = [];
    sink.on('data', (c: Buffer) => chunks.push(c));
    const source = { metadata: store.metadata, batches: () => store.batches() };
    await (format === 'csv' ? writeCsv(source, sink, opts) : writeJson(source, sink, opts));
    return Buffer.concat(chunks).toString();
  }

  it('gives the text of the batch path, with limits across chunks, zstd, and errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dbn-text-big-'));
    try {
      const { path, store } = await bigFile(dir, 20_000); // 40,000 records, several MiB of text
      for (const opts of [PLAIN, {}, { ...PLAIN, limit: 12_345 }]) {
        expect(await text(store, 'csv', opts)).toBe(await viaBatches(store, 'csv', opts));
        expect(await text(store, 'json', opts)).toBe(await viaBatches(store, 'json', opts));
      }
      expect(await store.toCsv(join(dir, 'big.csv.zst'), { limit: 30_001 })).toBe(30_001);
      expect(zstdDecompressSync(readFileSync(join(dir, 'big.csv.zst'))).toString()).toBe(await viaBatches(store, 'csv', { limit: 30_001 }));
      // A file cut mid-record fails with the decoder's code, not a silent stop.
      const cut = join(dir, 'cut.dbn');
      writeFileSync(cut, readFileSync(path).subarray(0, statSync(path).size - 20));
      await expect(DbnStore.fromFile(cut).toCsv(new PassThrough().resume())).rejects.toMatchObject({ code: expect.stringMatching(/^[A-Z_]+$/) });
      // A destination that fails stops the encoding with its error.
      const failing = new Writable({ write: (_c, _e, done) => done(new Error('disk full')) });
      await expect(store.toJson(failing)).rejects.toThrow('disk full');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  /** Threads of this process. */
  const threads = (): number => readdirSync('/proc/self/task').length;

  /** Waits until the process has `n` threads (or gives up after 5 s). */
  async function threadsBecome(n: number): Promise<number> {
    for (let i = 0; i < 100 && threads() !== n; i++) await new Promise((r) => setTimeout(r, 50));
    return threads();
  }

  it('ends its native thread when the destination fails or the worker thread is terminated', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dbn-text-thread-'));
    try {
      const { path, store } = await bigFile(dir, 20_000);
      await text(store, 'csv', PLAIN); // the libuv pool's threads exist from here on
      const before = threads();
      // A slow destination that then fails: the encoding thread is ahead of it, waiting for room.
      let writes = 0;
      const failing = new Writable({
        highWaterMark: 1,
        write: (_c, _e, done) => setTimeout(() => done(++writes === 3 ? new Error('disk full') : null), 20),
      });
      const result = store.toJson(failing);
      await new Promise((r) => setTimeout(r, 30));
      expect(threads()).toBe(before + 1);
      await expect(result).rejects.toThrow('disk full');
      expect(await threadsBecome(before)).toBe(before);

      // A worker thread stopped while its encoding thread waits on a destination that never drains.
      const code = `
        const { parentPort, workerData } = require('node:worker_threads');
        const { Writable } = require('node:stream');
        import(workerData.lib).then(({ DbnStore }) => {
          DbnStore.fromFile(workerData.path).toCsv(new Writable({ write() {} }));
          setTimeout(() => parentPort.postMessage('encoding'), 100);
        });`;
      const lib = new URL('../dist/lib/index.js', import.meta.url).href;
      const worker = new Worker(code, { eval: true, workerData: { lib, path } });
      await new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      await worker.terminate();
      expect(await threadsBecome(before)).toBe(before);
      // And the main thread still encodes.
      expect(await text(store, 'csv', { ...PLAIN, limit: 3 })).toBe(await viaBatches(store, 'csv', { ...PLAIN, limit: 3 }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
