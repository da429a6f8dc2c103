// Columns and Arrow tables of a synthetic 2,000,000-record MBO file, beside
// the native decode-only rate of the same file in the same run.
import { join } from 'node:path';
import { DbnStore } from '../dist/lib/index.js';
import { BENCH_DIR, mboFile, measure } from './synthetic.mjs';

const RECORDS = 2_000_000;

export async function benchColumns() {
  const store = DbnStore.fromFile(await mboFile({ records: RECORDS }));
  const numeric = ['ts_event', 'instrument_id', 'order_id', 'price', 'size', 'ts_recv'];
  const runs = [
    ['native decode only (baseline)', () => {
      let n = 0;
      for (const batch of store.batchesSync()) n += batch.count;
      return n;
    }],
    ['toColumns, numeric fields', () => store.toColumns({ fields: numeric }).count],
    ['toColumns, all fields (chars as strings)', () => store.toColumns().count],
    ['toColumns prettyPx + mapSymbols', () => store.toColumns({ prettyPx: true, mapSymbols: true }).count],
    ['toArrow (Table, the defaults: float prices, timestamp[ns], symbols)', async () => (await store.toArrow()).numRows],
    ['toArrowBatches (streamed, 65 536 rows a batch)', async () => {
      let n = 0;
      for await (const b of store.toArrowBatches()) n += b.numRows;
      return n;
    }],
    ['toParquet (zstd, written batch by batch)', () => store.toParquet(join(BENCH_DIR, 'columns.parquet')), 1],
  ];
  let arrowMissing = false;
  const results = [];
  for (const [name, fn, times = 3] of runs) {
    try {
      results.push(await measure(`columns: ${name}`, fn, times));
    } catch (err) {
      if (err?.code !== 'MISSING_DEPENDENCY') throw err;
      arrowMissing = true;
    }
  }
  const [base] = results;
  const notes = results
    .slice(1)
    .map((r) => `${r.name.slice(9)}: ${(base.recordsPerSec / r.recordsPerSec).toFixed(2)}x the decode-only wall time, ${(base.recordsPerCpuSec / r.recordsPerCpuSec).toFixed(2)}x its CPU time`);
  if (arrowMissing) notes.push('apache-arrow or parquet-wasm is not installed: the runs that need them were skipped');
  return { results, notes };
}
