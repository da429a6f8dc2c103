// Delivery of live records to JS over real sockets: the event loop stays
// fair under a consumer slower than the feed, listeners that throw behave as
// with any Node event source, close() stops delivery at once, and leaving a
// for-await loop closes the client.
import { describe, expect, it } from 'vitest';
import type { AnyRecord, MboMsg } from '../lib/generated/records.js';
import type { RecordBatch } from '../lib/dbn/batch.js';
import { encodeMboRecords, type MockLiveGatewayOptions } from '../lib/testing/live-gateway.js';
import { gateway as mockGateway, runChild, threaded } from './live-helpers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A mock gateway that sends only what a test streams (no acks, no symbol mappings). */
function gateway(options: MockLiveGatewayOptions = {}) {
  return mockGateway({ acks: false, symbolMappings: false, ...options });
}

/** An endless feed of MBO records, as fast as the socket takes them. */
function endless(): () => Iterable<Uint8Array> {
  const chunk = encodeMboRecords(20_000);
  return () => (function* () {
    for (;;) yield chunk;
  })();
}

function busyWait(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

describe('fair delivery', () => {
  it('a consumer doing 20 ms of work per batch keeps a 100 ms timer firing; memory stays bounded', async () => {
    const gw = await gateway();
    gw.records = endless();
    const client = threaded(gw.port);
    client.subscribe({ schema: 'mbo', symbols: 'A' });
    await client.start();
    let batches = 0;
    let records = 0;
    let maxBuffered = 0;
    client.on('batch', (batch: RecordBatch) => {
      batches++;
      records += batch.count;
      maxBuffered = Math.max(maxBuffered, client.bufferedBatches);
      busyWait(20);
    });
    // A timer due every 100 ms on a fixed schedule (not drifting with its
    // own lateness): it fires in every slot unless the loop is held back.
    const rssBefore = process.memoryUsage().rss;
    const t0 = performance.now();
    let ticks = 0;
    let maxGap = 0;
    let last = t0;
    await new Promise<void>((resolve) => {
      const tick = (): void => {
        const now = performance.now();
        maxGap = Math.max(maxGap, now - last);
        last = now;
        if (++ticks === 100 || now - t0 >= 10_000) return resolve();
        setTimeout(tick, Math.max(0, t0 + (ticks + 1) * 100 - now));
      };
      setTimeout(tick, 100);
    });
    const elapsed = performance.now() - t0;
    const session = gw.sessions[0]!;
    await client.close();
    expect(ticks).toBeGreaterThanOrEqual(90);
    expect(elapsed).toBeLessThan(10_050);
    expect(maxGap).toBeLessThan(400);
    // The consumer did get the feed, one batch per slot of 20 ms or so…
    expect(batches).toBeGreaterThan(100);
    // …and the feed outpaced it: the gateway was pushed back, not buffered.
    expect(session.bytesSent).toBeGreaterThan(records * 56);
    expect(maxBuffered).toBeLessThanOrEqual(16 + 2);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(256 * 2 ** 20);
  }, 30_000);

  it('a fast consumer still gets every record, in order, while timers keep firing', async () => {
    const total = 1_000_000;
    const gw = await gateway({ records: encodeMboRecords(total) });
    const client = threaded(gw.port);
    client.subscribe({ schema: 'mbo', symbols: 'A' });
    await client.start();
    let n = 0;
    let ordered = true;
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    await new Promise<void>((resolve) => {
      client.on('record', (rec: AnyRecord) => {
        if ((rec as MboMsg).sequence !== n) ordered = false;
        if (++n === total) resolve();
      });
    });
    clearInterval(timer);
    expect(n).toBe(total);
    expect(ordered).toBe(true);
    expect(ticks).toBeGreaterThan(0);
  }, 30_000);
});

describe('record listeners', () => {
  it('get one re-pointed view per layout (clone() keeps a record); added, removed and once listeners act from the next record', async () => {
    const total = 5000;
    const gw = await gateway({ records: encodeMboRecords(total) });
    const client = threaded(gw.port);
    client.subscribe({ schema: 'mbo', symbols: 'A' });
    await client.start();
    const views = new Set<AnyRecord>();
    const kept: AnyRecord[] = [];
    let onceCalls = 0;
    let lateFirst = -1;
    let removedAfter = 0;
    let seen = 0;
    const removed = (rec: AnyRecord): void => {
      if ((rec as MboMsg).sequence > 3000) removedAfter++;
    };
    let batches = 0;
    client.on('batch', () => batches++);
    client.once('record', () => onceCalls++);
    client.on('record', removed);
    await new Promise<void>((resolve) => {
      client.on('record', (rec: AnyRecord) => {
        views.add(rec);
        const seq = (rec as MboMsg).sequence;
        if (seq % 1000 === 0) kept.push(rec.clone());
        if (seq === 2000) client.on('record', (r: AnyRecord) => void (lateFirst < 0 && (lateFirst = (r as MboMsg).sequence)));
        if (seq === 3000) client.off('record', removed);
        if (++seen === total) resolve();
      });
    });
    expect(views.size).toBe(batches);  // one layout: one view object per batch, not per record
    expect(batches).toBeLessThan(total / 100);
    expect(kept.map((r) => (r as MboMsg).sequence)).toEqual([0, 1000, 2000, 3000, 4000]);
    expect(onceCalls).toBe(1);
    expect(lateFirst).toBe(2001);
    expect(removedAfter).toBe(0);
    await client.close();
  });
  it('removeAllListeners() leaves delivery working for a listener added afterwards', async () => {
    const total = 20_000;
    const gw = await gateway({ records: encodeMboRecords(total) });
    const client = threaded(gw.port);
    client.subscribe({ schema: 'mbo', symbols: 'A' });
    client.on('batch', () => {});
    client.removeAllListeners();
    await client.start();
    await sleep(200);  // JS holds what its queue allows, with no consumer
    let n = 0;
    await new Promise<void>((resolve) => {
      client.on('record', () => {
        if (++n === total) resolve();
      });
    });
    expect(n).toBe(total);
    await client.close();
  });
});

describe('listener errors', () => {
  it('a throwing record listener reaches uncaughtException; no record after it is lost or stuck', async () => {
    const r = await runChild(
      `
      const gw = await mock.MockLiveGateway.start({ acks: false, symbolMappings: false, records: mock.encodeMboRecords(5000) });
      const client = new lib.LiveThreaded({ key: mock.MOCK_API_KEY, dataset: 'GLBX.MDP3', gateway: '127.0.0.1', port: gw.port });
      client.subscribe({ schema: 'mbo', symbols: 'A' });
      const uncaught = [];
      process.on('uncaughtException', (e) => uncaught.push(e.message));
      let seen = 0, ordered = true, batchThrows = 0;
      client.on('batch', () => { if (++batchThrows === 1) throw new Error('from a batch listener'); });
      client.on('record', (rec) => {
        if (rec.sequence !== seen) ordered = false;
        seen++;
        if (rec.sequence === 100 || rec.sequence === 4000) throw new Error('from a record listener at ' + rec.sequence);
      });
      await client.start();
      const t0 = Date.now();
      while (seen < 5000 && Date.now() - t0 < 10000) await new Promise((r) => setTimeout(r, 10));
      await client.close();
      await gw.close();
      console.log(JSON.stringify({ seen, ordered, uncaught }));
    `,
      50_000,
    );
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      seen: 5000,
      ordered: true,
      uncaught: ['from a batch listener', 'from a record listener at 100', 'from a record listener at 4000'],
    });
    expect(r.code).toBe(0);
  }, 60_000);

  it('without an uncaughtException handler, a throwing listener ends the process', async () => {
    const r = await runChild(
      `
      const gw = await mock.MockLiveGateway.start({ acks: false, symbolMappings: false, records: mock.encodeMboRecords(100) });
      const client = new lib.LiveThreaded({ key: mock.MOCK_API_KEY, dataset: 'GLBX.MDP3', gateway: '127.0.0.1', port: gw.port });
      client.subscribe({ schema: 'mbo', symbols: 'A' });
      client.on('record', () => { throw new Error('listener failure'); });
      await client.start();
      setTimeout(() => console.log('still running'), 5000).unref();
      await new Promise((r) => setTimeout(r, 5000));
    `,
      50_000,
    );
    expect(r.stderr).toContain('listener failure');
    expect(r.stdout).not.toContain('still running');
    expect(r.code).toBe(1);
  }, 60_000);
});

describe('close()', () => {
  it('inside a record listener: no record or batch event follows', async () => {
    const gw = await gateway({ records: encodeMboRecords(100_000) });
    const client = threaded(gw.port);
    client.subscribe({ schema: 'mbo', symbols: 'A' });
    await client.start();
    let afterClose = 0;
    let closed = false;
    const done = new Promise<void>((resolve) => client.once('close', resolve));
    client.on('batch', () => {
      if (closed) afterClose++;
    });
    client.on('record', (rec: AnyRecord) => {
      if (closed) afterClose++;
      if ((rec as MboMsg).sequence === 500) {
        void client.close();
        closed = true;
      }
    });
    await done;
    await sleep(50);
    expect(closed).toBe(true);
    expect(afterClose).toBe(0);
  });

  it('inside a batch listener: none of that batch\'s records is emitted', async () => {
    const gw = await gateway({ records: encodeMboRecords(100_000) });
    const client = threaded(gw.port);
    client.subscribe({ schema: 'mbo', symbols: 'A' });
    await client.start();
    let records = 0;
    let batches = 0;
    client.on('batch', () => {
      batches++;
      void client.close();
    });
    client.on('record', () => records++);
    await new Promise<void>((resolve) => client.once('close', resolve));
    expect(batches).toBe(1);
    expect(records).toBe(0);
  });

  it('outside a listener, while batches are queued: nothing after it returns', async () => {
    const gw = await gateway();
    gw.records = endless();
    const client = threaded(gw.port);
    client.subscribe({ schema: 'mbo', symbols: 'A' });
    await client.start();
    let events = 0;
    client.on('record', () => events++);
    client.pause();
    await sleep(200);  // the queue fills meanwhile
    expect(client.bufferedBatches).toBeGreaterThan(0);
    client.resume();
    void client.close();
    const at = events;
    await new Promise<void>((resolve) => client.once('close', resolve));
    expect(events).toBe(at);
  });
});

describe('for await', () => {
  it('break, return and a throw leave the loop and close the client', async () => {
    for (const how of ['break', 'return', 'throw'] as const) {
      const gw = await gateway();
      gw.records = endless();
      const client = threaded(gw.port);
      client.subscribe({ schema: 'mbo', symbols: 'A' });
      await client.start();
      const closed = new Promise<void>((resolve) => client.once('close', resolve));
      let n = 0;
      const loop = async (): Promise<void> => {
        for await (const rec of client) {
          void rec;
          if (++n < 1000) continue;
          if (how === 'break') break;
          if (how === 'return') return;
          throw new Error('out of the loop');
        }
      };
      if (how === 'throw') await expect(loop()).rejects.toThrow('out of the loop');
      else await loop();
      expect(client.closed).toBe(true);
      await closed;
      await gw.sessions[0]!.waitForClose(5000);
    }
  });

  it('a process that leaves a live for-await loop exits by itself', async () => {
    const r = await runChild(
      `
      const gw = await mock.MockLiveGateway.start({ acks: false, symbolMappings: false });
      gw.records = () => (function* () { const c = mock.encodeMboRecords(1000); for (;;) yield c; })();
      const client = new lib.LiveThreaded({ key: mock.MOCK_API_KEY, dataset: 'GLBX.MDP3', gateway: '127.0.0.1', port: gw.port });
      client.subscribe({ schema: 'mbo', symbols: 'A' });
      await client.start();
      let n = 0;
      for await (const rec of client) if (++n === 3000) break;
      await gw.close();
      console.log('left', n);
    `,
      50_000,
    );
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('left 3000');
    expect(r.code).toBe(0);
  }, 60_000);
});
