// DBN read throughput on a synthetic 10,000,000-record MBO file.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { DbnStore } from '../dist/lib/index.js';
import { mboFile, measure } from './synthetic.mjs';

const RECORDS = 10_000_000;

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

export async function benchDbn() {
  const plain = DbnStore.fromFile(await mboFile({ records: RECORDS }));
  const zstdPath = await mboFile({ records: RECORDS, compression: 'zstd' });
  const zstd = DbnStore.fromFile(zstdPath);
  const results = [
    await measure('dbn: native decode, plain (batches handed to JS, records untouched)', () => nativeOnly(plain)),
    await measure('dbn: native decode, plain, async batches from a native thread', () => asyncBatches(plain)),
    await measure('dbn: JS iteration reading instrument_id + size, plain', () => jsIteration(plain)),
    await measure('dbn: native decode, zstd', () => nativeOnly(zstd)),
    await measure('dbn: JS iteration reading instrument_id + size, zstd', () => jsIteration(zstd)),
  ];
  const small = await mboFile({ records: 1_000_000, compression: 'zstd' });
  return {
    results,
    files: { plainBytes: statSync(await mboFile({ records: RECORDS })).size, zstdBytes: statSync(zstdPath).size },
    rss: { records1M: iterationRss(small), records10M: iterationRss(zstdPath) },
  };
}
