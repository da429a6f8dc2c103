// DBN read throughput on a synthetic 10,000,000-record MBO file, written
// once with our own encoder and cached in the temp directory.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DbnStore, writeDbnFile } from '../dist/lib/index.js';

export const BENCH_DIR = join(tmpdir(), 'databento-node-bench');
const MBO_SIZE = 56;
const RECORDS = 10_000_000;
const PER_CHUNK = 100_000;

/** Realistic-looking MBO records: a few instruments, moving prices and sizes. */
function* mboChunks(total) {
  for (let done = 0; done < total; done += PER_CHUNK) {
    const n = Math.min(PER_CHUNK, total - done);
    const buf = new ArrayBuffer(n * MBO_SIZE);
    const dv = new DataView(buf);
    for (let i = 0; i < n; i++) {
      const k = done + i;
      const o = i * MBO_SIZE;
      const ts = 1_700_000_000_000_000_000n + BigInt(k) * 1_000n;
      dv.setUint8(o, MBO_SIZE / 4);
      dv.setUint8(o + 1, 0xa0);
      dv.setUint16(o + 2, 1, true);
      dv.setUint32(o + 4, 5000 + (k % 16), true);
      dv.setBigUint64(o + 8, ts, true);
      dv.setBigUint64(o + 16, BigInt(k), true);
      dv.setBigInt64(o + 24, 4_500_000_000_000n + BigInt((k * 7919) % 400) * 250_000_000n, true);
      dv.setUint32(o + 32, 1 + (k % 25), true);
      dv.setUint8(o + 36, 0x80);
      dv.setUint8(o + 37, k % 4);
      dv.setUint8(o + 38, 'ACMTF'.charCodeAt(k % 5));
      dv.setUint8(o + 39, k % 2 ? 0x41 : 0x42);
      dv.setBigUint64(o + 40, ts + 500n, true);
      dv.setInt32(o + 48, 20_000 + (k % 1000), true);
      dv.setUint32(o + 52, k, true);
    }
    yield new Uint8Array(buf);
  }
}

/** Writes (once) the benchmark file and returns its path. */
export async function mboFile({ records = RECORDS, compression = 'none' } = {}) {
  mkdirSync(BENCH_DIR, { recursive: true });
  const path = join(BENCH_DIR, `mbo-${records}.dbn${compression === 'zstd' ? '.zst' : ''}`);
  if (!existsSync(path)) {
    const metadata = {
      dataset: 'GLBX.MDP3',
      schema: 'mbo',
      start: 1_700_000_000_000_000_000n,
      end: 1_700_000_000_000_000_000n + BigInt(records) * 1_000n,
      stype_in: 'raw_symbol',
      stype_out: 'instrument_id',
    };
    await writeDbnFile(`${path}.partial`, metadata, mboChunks(records), { compression });
    renameSync(`${path}.partial`, path);
  }
  return path;
}

function timed(name, fn) {
  const t0 = process.hrtime.bigint();
  const records = fn();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { name, records, seconds, recordsPerSec: records / seconds };
}

async function timedAsync(name, fn) {
  const t0 = process.hrtime.bigint();
  const records = await fn();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { name, records, seconds, recordsPerSec: records / seconds };
}

function nativeOnly(store) {
  let n = 0;
  for (const batch of store.batchesSync()) n += batch.count;
  return n;
}

function jsIteration(store) {
  let n = 0;
  let sum = 0;
  for (const rec of store) {
    sum += rec.instrument_id + rec.size;
    n++;
  }
  if (sum === 0) throw new Error('unexpected sum');
  return n;
}

export async function benchDbn() {
  const plain = await mboFile();
  const zstd = await mboFile({ compression: 'zstd' });
  const plainStore = DbnStore.fromFile(plain);
  const zstdStore = DbnStore.fromFile(zstd);
  const results = [
    timed('dbn: native decode, plain (batches to JS, records untouched)', () => nativeOnly(plainStore)),
    await timedAsync('dbn: native decode, plain, async batches (native thread)', async () => {
      let n = 0;
      for await (const batch of plainStore.batches()) n += batch.count;
      return n;
    }),
    timed('dbn: JS iteration reading instrument_id + size, plain', () => jsIteration(plainStore)),
    timed('dbn: native decode, zstd', () => nativeOnly(zstdStore)),
    timed('dbn: JS iteration reading instrument_id + size, zstd', () => jsIteration(zstdStore)),
  ];
  // Peak RSS of a fresh process iterating files of 1 M and 10 M records.
  const small = await mboFile({ records: 1_000_000, compression: 'zstd' });
  const rss = (path) =>
    JSON.parse(execFileSync(process.execPath, [new URL('./rss-child.mjs', import.meta.url).pathname, path])).maxRss;
  return {
    results,
    files: { plainBytes: statSync(plain).size, zstdBytes: statSync(zstd).size },
    rss: { records1M: rss(small), records10M: rss(zstd), records10MPlain: rss(plain) },
  };
}
