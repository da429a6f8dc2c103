/**
 * Several record streams merged into one, ordered by each record's index
 * timestamp (ts_recv where the record has it, else ts_event), as the `dbn`
 * CLI merges several input files.
 * @internal
 * @module
 */
import type { AnyRecord } from '../generated/records.js';
import { RecordBatch } from './batch.js';
import { type Metadata } from './metadata.js';

const OUT_BATCH_BYTES = 256 * 1024;
const UNDEF_TIMESTAMP = 2n ** 64n - 1n;

function indexTs(rec: AnyRecord): bigint {
  const withRecv = rec as { ts_recv?: bigint };
  return withRecv.ts_recv ?? rec.ts_event;
}

/** One input's records, a batch at a time, with the current record's key. */
class Cursor {
  readonly #batches: AsyncIterator<RecordBatch>;
  #records: AnyRecord[] = [];
  #at = 0;
  current: AnyRecord | undefined;
  key = UNDEF_TIMESTAMP;

  constructor(batches: AsyncIterable<RecordBatch> | Iterable<RecordBatch>) {
    const it = (batches as AsyncIterable<RecordBatch>)[Symbol.asyncIterator]?.() ?? toAsync(batches as Iterable<RecordBatch>);
    this.#batches = it;
  }

  /** Moves to the next record; false at the end of the input. */
  async advance(): Promise<boolean> {
    while (this.#at >= this.#records.length) {
      const next = await this.#batches.next();
      if (next.done) {
        this.current = undefined;
        return false;
      }
      this.#records = next.value.records();
      this.#at = 0;
    }
    this.current = this.#records[this.#at++]!;
    this.key = indexTs(this.current);
    return true;
  }

  async close(): Promise<void> {
    await this.#batches.return?.();
  }
}

async function* toAsyncGen<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}
function toAsync<T>(items: Iterable<T>): AsyncIterator<T> {
  return toAsyncGen(items);
}

/**
 * The records of every input in index-timestamp order (ties keep the input
 * order), re-batched. All inputs must hand out the same layout version.
 */
export async function* mergeBatches(
  inputs: (AsyncIterable<RecordBatch> | Iterable<RecordBatch>)[],
  version: number,
  tsOut: boolean,
): AsyncGenerator<RecordBatch> {
  const cursors = inputs.map((b) => new Cursor(b));
  try {
    const live: Cursor[] = [];
    for (const c of cursors) if (await c.advance()) live.push(c);
    let parts: Uint8Array[] = [];
    let bytes = 0;
    const flush = (): RecordBatch => {
      const buffer = new Uint8Array(bytes);
      let at = 0;
      for (const p of parts) {
        buffer.set(p, at);
        at += p.length;
      }
      const batch = new RecordBatch(buffer.buffer, parts.length, version, tsOut);
      parts = [];
      bytes = 0;
      return batch;
    };
    while (live.length > 0) {
      let best = 0;
      for (let i = 1; i < live.length; i++) if (live[i]!.key < live[best]!.key) best = i;
      const c = live[best]!;
      const rec = c.current!.bytes();
      parts.push(rec);
      bytes += rec.length;
      if (!(await c.advance())) live.splice(best, 1);
      if (bytes >= OUT_BATCH_BYTES) yield flush();
    }
    if (parts.length) yield flush();
  } finally {
    await Promise.all(cursors.map((c) => c.close()));
  }
}

/** The metadata of merged inputs: one schema/stype if all agree, else null; the union of symbols and mappings. */
export function mergeMetadata(all: Metadata[]): Metadata {
  const first = all[0]!;
  const same = <K extends keyof Metadata>(key: K): Metadata[K] | null =>
    all.every((m) => m[key] === first[key]) ? first[key] : null;
  const union = (key: 'symbols' | 'partial' | 'not_found'): string[] => [...new Set(all.flatMap((m) => m[key]))];
  return {
    ...first,
    version: Math.max(...all.map((m) => m.version)),
    schema: same('schema'),
    start: all.reduce((a, m) => (m.start < a ? m.start : a), first.start),
    end: all.reduce((a, m) => (m.end > a ? m.end : a), first.end),
    limit: 0n,
    stype_in: same('stype_in'),
    stype_out: same('stype_out') ?? first.stype_out,
    ts_out: all.some((m) => m.ts_out),
    symbols: union('symbols'),
    partial: union('partial'),
    not_found: union('not_found'),
    mappings: all.flatMap((m) => m.mappings),
  };
}
