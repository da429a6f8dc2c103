// CSV and JSON-lines output of the synthetic 10,000,000-record MBO file,
// beside the native decode-only rate of the same file in the same run.
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { DbnStore, writeCsv, writeDbnFile, writeJson } from '../dist/lib/index.js';
import { BENCH_DIR, T0, mboFile, mboRecords, measure } from './synthetic.mjs';

const RECORDS = 10_000_000;
const PLAIN = { prettyPx: false, prettyTs: false, mapSymbols: false };

/** The synthetic MBO file with symbol mappings for its 16 instruments, so map_symbols has work to do. */
async function mappedFile() {
  const path = join(BENCH_DIR, `mbo-${RECORDS}-mapped.dbn`);
  if (!existsSync(path)) {
    await mboFile({ records: 1 }); // creates BENCH_DIR
    const day = new Date(Number(T0 / 1_000_000n)).toISOString().slice(0, 10);
    const next = new Date(Number(T0 / 1_000_000n) + 86_400_000).toISOString().slice(0, 10);
    const metadata = {
      dataset: 'GLBX.MDP3',
      schema: 'mbo',
      start: T0,
      end: T0 + BigInt(RECORDS) * 1_000n,
      stype_in: 'raw_symbol',
      stype_out: 'instrument_id',
      symbols: ['ES.FUT'],
      mappings: Array.from({ length: 16 }, (_, i) => ({
        raw_symbol: `ESZ${i}`,
        intervals: [{ start_date: day, end_date: next, symbol: String(5000 + i) }],
      })),
    };
    function* chunks() {
      for (let done = 0; done < RECORDS; done += 100_000) yield mboRecords(done, Math.min(100_000, RECORDS - done));
    }
    const partial = `${path}.${process.pid}.partial`;
    await writeDbnFile(partial, metadata, chunks());
    renameSync(partial, path);
  }
  return path;
}

/** A destination that discards the text but counts it, so the figures are the encoder's. */
function nullSink() {
  const sink = new Writable({
    write(chunk, _enc, done) {
      sink.bytes += chunk.length;
      done();
    },
  });
  sink.bytes = 0;
  return sink;
}

/** The store as a plain batch source, so the text is encoded batch by batch on the JS thread. */
const batchSource = (store) => ({ metadata: store.metadata, batches: () => store.batches() });

export async function benchText() {
  const store = DbnStore.fromFile(await mappedFile());
  const decodeOnly = () => {
    let n = 0;
    for (const batch of store.batchesSync()) n += batch.count;
    return n;
  };
  const runs = [
    ['native decode only (baseline)', decodeOnly],
    ['CSV plain', () => store.toCsv(nullSink(), PLAIN)],
    ['CSV pretty_px + pretty_ts + map_symbols (the defaults)', () => store.toCsv(nullSink())],
    ['JSON lines plain', () => store.toJson(nullSink(), PLAIN)],
    ['JSON lines pretty_px + pretty_ts + map_symbols (the defaults)', () => store.toJson(nullSink())],
    // The same records as batches encoded on the JS thread: the path of getRange, live and stream sources.
    ['CSV plain, batches encoded on the JS thread', () => writeCsv(batchSource(store), nullSink(), PLAIN)],
    ['JSON lines plain, batches encoded on the JS thread', () => writeJson(batchSource(store), nullSink(), PLAIN)],
  ];
  const results = [];
  // The median of three runs: one run on two shared vCPUs moves by a fifth or more.
  for (const [name, fn] of runs) results.push(await measure(`text: ${name}`, fn, 3));
  const base = results[0].recordsPerSec;
  const notes = results.slice(1).map((r) => `${r.name.slice(6)}: ${(r.recordsPerSec / base).toFixed(2)}x the decode-only rate`);
  notes.push('targets: CSV plain >= 5 M/s, CSV pretty+symbols >= 3 M/s, JSON lines >= 3 M/s; output discarded after encoding');
  return { results, notes };
}
