// DBN read throughput on a synthetic 10,000,000-record MBO file: the native
// decode alone, a bare DataView walk of the same batches (the floor of any JS
// reader), and the idiomatic record-view paths, each with its ratio to the
// native decode-only rate of the same run.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { DbnStore } from '../dist/lib/index.js';
import { mboFile, measure } from './synthetic.mjs';

const RECORDS = 10_000_000;

// Every path folds the two fields into the same 32-bit checksum: a sum kept as
// a double in a closure (the callback paths) would be boxed on every write,
// measuring the caller's arithmetic rather than the record delivery.

export function nativeOnly(store) {
  let n = 0;
  for (const batch of store.batchesSync()) n += batch.count;
  return n;
}

/** The same batches walked with a DataView: no views, fixed MBO offsets. */
export function dataViewWalk(store) {
  let n = 0;
  let sum = 0;
  for (const batch of store.batchesSync()) {
    const dv = batch.view;
    const end = dv.byteLength;
    for (let o = 0; o < end; o += dv.getUint8(o) * 4) {
      sum = (sum + dv.getUint32(o + 4, true) + dv.getUint32(o + 32, true)) | 0;
      n++;
    }
  }
  if (sum === 0) throw new Error('unexpected sum');
  return n;
}

export function forOf(store) {
  let n = 0;
  let sum = 0;
  for (const rec of store) {
    sum = (sum + rec.instrument_id + rec.size) | 0;
    n++;
  }
  if (sum === 0) throw new Error('unexpected sum');
  return n;
}

export function replay(store) {
  let sum = 0;
  const n = store.replay((rec) => {
    sum = (sum + rec.instrument_id + rec.size) | 0;
  });
  if (sum === 0) throw new Error('unexpected sum');
  return n;
}

export function batchForEach(store) {
  let n = 0;
  let sum = 0;
  const visit = (rec) => {
    sum = (sum + rec.instrument_id + rec.size) | 0;
  };
  for (const batch of store.batchesSync()) n += batch.forEach(visit);
  if (sum === 0) throw new Error('unexpected sum');
  return n;
}

async function asyncBatches(store) {
  let n = 0;
  for await (const batch of store.batches()) n += batch.count;
  return n;
}

/** Peak RSS of a fresh process that iterates every record of `path`. */
function iterationRss(path) {
  const child = new URL('./rss-child.mjs', import.meta.url).pathname;
  return JSON.parse(execFileSync(process.execPath, [child, path])).maxRss;
}

const ratio = (r, base) => ({
  wall: r.recordsPerSec / base.recordsPerSec,
  cpu: r.recordsPerCpuSec / base.recordsPerCpuSec,
});

/** `r` named with its ratios to the native decode-only rate `base`. */
function withRatio(r, base) {
  const { wall, cpu } = ratio(r, base);
  return { ...r, name: `${r.name}  [${wall.toFixed(2)}x native by wall time, ${cpu.toFixed(2)}x by CPU time]` };
}

export async function benchDbn() {
  const plain = DbnStore.fromFile(await mboFile({ records: RECORDS }));
  const zstdPath = await mboFile({ records: RECORDS, compression: 'zstd' });
  const zstd = DbnStore.fromFile(zstdPath);
  const native = await measure('dbn: native decode only, plain (batches handed to JS, records untouched)', () => nativeOnly(plain));
  const walk = await measure('dbn: bare DataView walk of the same batches, instrument_id + size', () => dataViewWalk(plain));
  const iter = await measure('dbn: for (const rec of store), instrument_id + size', () => forOf(plain));
  const rep = await measure('dbn: store.replay(fn), instrument_id + size', () => replay(plain));
  const each = await measure('dbn: batch.forEach(fn) over batchesSync(), instrument_id + size', () => batchForEach(plain));
  // Native again: the machine may be shared, so the baseline is the faster of two runs.
  const native2 = await measure(native.name, () => nativeOnly(plain));
  const base = {
    ...native,
    recordsPerSec: Math.max(native.recordsPerSec, native2.recordsPerSec),
    recordsPerCpuSec: Math.max(native.recordsPerCpuSec, native2.recordsPerCpuSec),
  };
  base.seconds = base.records / base.recordsPerSec;
  const results = [
    base,
    ...[walk, iter, rep, each].map((r) => withRatio(r, base)),
    await measure('dbn: native decode, plain, async batches from a native thread', () => asyncBatches(plain)),
    await measure('dbn: native decode, zstd', () => nativeOnly(zstd)),
    await measure('dbn: for (const rec of store), instrument_id + size, zstd', () => forOf(zstd)),
  ];
  const small = await mboFile({ records: 1_000_000, compression: 'zstd' });
  return {
    results,
    ratios: { dataViewWalk: ratio(walk, base), forOf: ratio(iter, base), replay: ratio(rep, base), forEach: ratio(each, base) },
    files: { plainBytes: statSync(await mboFile({ records: RECORDS })).size, zstdBytes: statSync(zstdPath).size },
    rss: { records1M: iterationRss(small), records10M: iterationRss(zstdPath) },
  };
}
