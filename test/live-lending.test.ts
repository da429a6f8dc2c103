// Live batches are decoded in place into buffers the client lends its native
// thread. Over real sockets: records read right while a few buffers go round,
// batches a user may keep (batch listeners, iterators) keep their bytes after
// later batches arrive, kept records are copies, close() during delivery.
import { describe, expect, it } from 'vitest';
import type { AnyRecord, MboMsg } from '../lib/generated/records.js';
import type { RecordBatch } from '../lib/dbn/batch.js';
import type { LiveThreaded, LiveThreadedOptions } from '../lib/live/index.js';
import { encodeMboRecords, type MockLiveGateway, type MockLiveGatewayOptions } from '../lib/testing/live-gateway.js';
import { gateway as mockGateway, threaded } from './live-helpers.js';

const MBO_SIZE = 56;
// Small batches (18 records) and few buffers (4): they go round thousands of times.
const SMALL = { batchBytes: 1024, queueBatches: 2 };

function gateway(options: MockLiveGatewayOptions = {}) {
  return mockGateway({ acks: false, symbolMappings: false, ...options });
}

/** The bytes the mock sent for record `seq` (encodeMboRecords numbers them in `sequence`). */
function sent(all: Uint8Array, seq: number): Uint8Array {
  return all.subarray(seq * MBO_SIZE, (seq + 1) * MBO_SIZE);
}

/** A client of the mock at `port`, subscribed to MBO and started. */
async function streaming(port: number, extra: Partial<LiveThreadedOptions> = SMALL): Promise<LiveThreaded> {
  const client = threaded(port, extra);
  client.subscribe({ schema: 'mbo', symbols: 'A' });
  await client.start();
  return client;
}

/** A mock serving `total` MBO records and a client streaming them. */
async function streamingRecords(total: number): Promise<{ all: Uint8Array; gw: MockLiveGateway; client: LiveThreaded }> {
  const all = encodeMboRecords(total);
  const gw = await gateway({ records: all });
  return { all, gw, client: await streaming(gw.port) };
}

/** The batches of `client.batches()` until `total` records, every one kept. */
async function keepBatches(client: LiveThreaded, total: number): Promise<RecordBatch[]> {
  const kept: RecordBatch[] = [];
  let n = 0;
  for await (const batch of client.batches()) {
    kept.push(batch);
    n += batch.count;
    if (n >= total) break;
  }
  return kept;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(a, b) === 0;
}

/** Every record of `batches`, in order, compared with what the mock sent; returns the count. */
function checkBatches(batches: RecordBatch[], all: Uint8Array): { records: number; wrong: number } {
  let records = 0;
  let wrong = 0;
  for (const batch of batches) {
    batch.forEach((rec) => {
      if (!sameBytes(rec.bytes(), sent(all, records))) wrong++;
      records++;
    });
  }
  return { records, wrong };
}

describe('lent batch buffers', () => {
  it('record listeners read every record as sent while a few buffers go round; clone() and bytes() keep copies', async () => {
    const total = 200_000;
    const { all, client } = await streamingRecords(total);
    const buffers = new Set<ArrayBufferLike>();
    let detached = 0;
    const clones: AnyRecord[] = [];
    const copies: Uint8Array[] = [];
    let n = 0;
    let wrong = 0;
    await new Promise<void>((resolve) => {
      client.on('record', (rec: AnyRecord) => {
        const buffer = rec._dv.buffer;
        buffers.add(buffer);
        if (n === 1000) {
          // A lent buffer reached through a view's internals cannot be detached.
          try {
            structuredClone(buffer, { transfer: [buffer as ArrayBuffer] });
          } catch {
            // refused: as good as copied
          }
          if (buffer.byteLength === 0) detached++;
        }
        const bytes = rec.bytes();
        if (!sameBytes(bytes, sent(all, n))) wrong++;
        if (n % 997 === 0) {
          clones.push(rec.clone());
          copies.push(bytes);
        }
        if (++n === total) resolve();
      });
    });
    expect(wrong).toBe(0);
    expect(detached).toBe(0);
    // Decoded in place into the 4 lent buffers, not one buffer per batch.
    expect(buffers.size).toBeLessThanOrEqual(4);
    // Kept records are copies: still right after thousands of refills.
    expect(clones.map((r) => (r as MboMsg).sequence)).toEqual(clones.map((_, i) => i * 997));
    expect(clones.every((r, i) => sameBytes(r.bytes(), sent(all, i * 997)))).toBe(true);
    expect(copies.every((b, i) => sameBytes(b, sent(all, i * 997)))).toBe(true);
    await client.close();
  }, 30_000);

  it('a batch listener keeps every batch unchanged while later batches arrive (each has a buffer of its own)', async () => {
    const total = 50_000;
    const { all, client } = await streamingRecords(total);
    const kept: RecordBatch[] = [];
    let n = 0;
    let recordWrong = 0;
    await new Promise<void>((resolve) => {
      client.on('batch', (batch: RecordBatch) => {
        kept.push(batch);
      });
      // Records of kept batches too: the same bytes.
      client.on('record', (rec: AnyRecord) => {
        if (!sameBytes(rec.bytes(), sent(all, n))) recordWrong++;
        if (++n === total) resolve();
      });
    });
    await client.close();
    expect(recordWrong).toBe(0);
    expect(checkBatches(kept, all)).toEqual({ records: total, wrong: 0 });
    expect(new Set(kept.map((b) => b.buffer)).size).toBe(kept.length);
    for (const b of kept) {
      expect(b.byteLength).toBe(b.count * MBO_SIZE);
      expect(b.buffer.byteLength).toBe(b.byteLength);  // nothing pinned beyond the records
    }
  }, 30_000);

  it('an async iterator keeps every batch unchanged while later batches arrive', async () => {
    const total = 50_000;
    const { all, client } = await streamingRecords(total);
    const kept = await keepBatches(client, total);
    expect(checkBatches(kept, all)).toEqual({ records: total, wrong: 0 });
  }, 30_000);

  it('a quiet feed: kept one-record batches are right and get buffers of their own size', async () => {
    const total = 40;
    const all = encodeMboRecords(total);
    const gw = await gateway();
    gw.records = () => (async function* () {
      for (let i = 0; i < total; i++) {
        yield sent(all, i);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    const client = await streaming(gw.port, {});
    const kept = await keepBatches(client, total);
    expect(checkBatches(kept, all)).toEqual({ records: total, wrong: 0 });
    expect(kept.length).toBeGreaterThan(total / 4);
    for (const b of kept) expect(b.buffer.byteLength).toBe(b.byteLength);
  }, 30_000);

  it('close() during delivery: no record after it, and the client ends cleanly', async () => {
    const total = 100_000;
    const { gw, client } = await streamingRecords(total);
    let n = 0;
    let after = 0;
    let closing: Promise<void> | undefined;
    client.on('record', () => {
      if (closing) after++;
      if (++n === 30_000) closing = client.close();
    });
    await new Promise<void>((resolve) => client.once('close', resolve));
    await closing;
    expect(after).toBe(0);
    expect(n).toBe(30_000);
    expect(client.closed).toBe(true);
    // A second client in the same process streams as before.
    const again = await streaming(gw.port);
    let m = 0;
    await new Promise<void>((resolve) => again.on('record', () => void (++m === total && resolve())));
    expect(m).toBe(total);
  }, 30_000);
});
