// Synchronous reads of a DBN file (for...of, replay, batchesSync) are decoded
// one batch ahead on a thread of the store's own: the records are those of
// the async path, byte for byte, a truncated file fails after its whole
// records, and the thread ends with the iteration however it ends.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DbnStore, writeDbnFile } from '../lib/index.js';
import { encodeMboRecords } from '../lib/testing/live-gateway.js';

const RECORDS = 50_000;
let dir: string;
let path: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dbn-read-ahead-'));
  path = join(dir, 'mbo.dbn');
  const metadata = { dataset: 'GLBX.MDP3', schema: 'mbo', start: 1_700_000_000_000_000_000n, stype_in: 'raw_symbol', stype_out: 'instrument_id' };
  await writeDbnFile(path, metadata, encodeMboRecords(RECORDS));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Threads of this process. */
const threads = (): number => readdirSync('/proc/self/task').length;

async function threadsBecome(n: number): Promise<number> {
  for (let i = 0; i < 100 && threads() !== n; i++) await new Promise((r) => setTimeout(r, 20));
  return threads();
}

async function asyncBytes(store: DbnStore): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const b of store.batches({ batchBytes: 4096 })) parts.push(Buffer.from(b.bytes()));
  return Buffer.concat(parts);
}

describe('synchronous reads ahead', () => {
  it('give the records of the async path, byte for byte, in batches of any size', async () => {
    const store = DbnStore.fromFile(path);
    const expected = await asyncBytes(store);
    expect(expected.length).toBe(RECORDS * 56);
    for (const batchBytes of [1024, 4096, 1 << 20]) {
      const parts = [...store.batchesSync({ batchBytes })].map((b) => Buffer.from(b.bytes()));
      expect(Buffer.concat(parts).equals(expected)).toBe(true);
    }
    let n = 0;
    let ordered = true;
    for (const rec of store) ordered &&= (rec as { sequence: number }).sequence === n++;
    expect([n, ordered]).toEqual([RECORDS, true]);
    n = 0;
    store.replay((rec) => {
      ordered &&= (rec as { sequence: number }).sequence === n++;
    });
    expect([n, ordered]).toEqual([RECORDS, true]);
  });

  it('a truncated file yields every whole record, then TRUNCATED_RECORD', () => {
    const cut = join(dir, 'cut.dbn');
    const bytes = readFileSync(path);
    writeFileSync(cut, bytes.subarray(0, bytes.length - 20));
    let n = 0;
    expect(() => {
      for (const rec of DbnStore.fromFile(cut)) n += rec.rtype === 0xa0 ? 1 : 0;
    }).toThrow(expect.objectContaining({ code: 'TRUNCATED_RECORD' }));
    expect(n).toBe(RECORDS - 1);
  });

  it('the read-ahead thread ends with the iteration: at its end, on break, on a throw', async () => {
    const store = DbnStore.fromFile(path);
    for (const _ of store.batchesSync({ batchBytes: 1024 })) break;  // warm-up
    const before = await threadsBecome(threads());
    const iterator = store.batchesSync({ batchBytes: 1024 })[Symbol.iterator]();
    iterator.next();
    expect(threads()).toBe(before + 1);  // reading the next batch meanwhile
    iterator.return?.();
    expect(await threadsBecome(before)).toBe(before);
    let n = 0;
    for (const _ of store) if (++n === 10) break;
    expect(await threadsBecome(before)).toBe(before);
    expect(() =>
      store.replay(() => {
        throw new Error('consumer failed');
      }),
    ).toThrow('consumer failed');
    expect(await threadsBecome(before)).toBe(before);
    expect(store.replay(() => undefined)).toBe(RECORDS);
    expect(await threadsBecome(before)).toBe(before);
  });

  it('a worker terminated while it iterates leaves no thread behind', async () => {
    const before = threads();
    const lib = new URL('../dist/lib/index.js', import.meta.url).href;
    const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      import(workerData.lib).then(({ DbnStore }) => {
        const store = DbnStore.fromFile(workerData.path);
        parentPort.postMessage('iterating');
        for (;;) for (const _ of store.batchesSync({ batchBytes: 1024 }));
      });`;
    const worker = new Worker(code, { eval: true, workerData: { lib, path } });
    await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(await worker.terminate()).toBe(1);
    expect(await threadsBecome(before)).toBe(before);
  });
});
