// Flow control and lifecycle: pause/resume and slow consumers keep memory
// bounded (the native thread stops reading, TCP pushes back), close during a
// burst, worker_threads, and processes that exit by themselves.
import { spawn } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { LiveError } from '../lib/errors.js';
import { LiveThreaded } from '../lib/live/index.js';
import { encodeMboRecords, MOCK_API_KEY, MockLiveGateway, type MockLiveGatewayOptions } from '../lib/testing/live-gateway.js';
import { childScript, gateway as mockGateway, ROOT_DIR, runChild, streamInWorker, threaded } from './live-helpers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A mock gateway that sends only what a test streams (no acks, no symbol mappings). */
function gateway(options: MockLiveGatewayOptions = {}): Promise<MockLiveGateway> {
  return mockGateway({ acks: false, symbolMappings: false, ...options });
}

async function until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

describe('backpressure', () => {
  it('pause() stops delivery and reading; memory stays bounded; resume() delivers everything', async () => {
    const total = 1_500_000;
    const records = encodeMboRecords(total);
    const gw = await gateway();
    const client = threaded(gw.port, { queueBatches: 8 });
    client.subscribe({ schema: 'mbo', symbols: 'A' });
    let count = 0;
    client.on('batch', (b) => (count += b.count));
    await client.start();
    client.pause();
    const session = gw.sessions[0]!;
    const streaming = session.stream(records, { chunkBytes: 1 << 20 });
    global.gc?.();
    const rss0 = process.memoryUsage().rss;
    await sleep(600);
    const pausedCount = count;
    await sleep(300);
    expect(count).toBe(pausedCount); // nothing delivered while paused
    expect(client.bufferedBatches).toBeLessThanOrEqual(8 + 2);
    // The mock could not write everything: TCP pushed back.
    expect(session.bytesSent).toBeLessThan(records.length);
    expect(process.memoryUsage().rss - rss0).toBeLessThan(64 * 2 ** 20);
    client.resume();
    await until(() => count === total, 15_000, 'every record after resume');
    await streaming;
    expect(count).toBe(total);
  });

  it('a slow async consumer throttles the gateway instead of buffering', async () => {
    const total = 2_000_000;
    const records = encodeMboRecords(total);
    const gw = await gateway();
    const client = threaded(gw.port);
    client.subscribe({ schema: 'mbo', symbols: 'A' });
    await client.start();
    const session = gw.sessions[0]!;
    void session.stream(records, { chunkBytes: 1 << 20 });
    let received = 0;
    let maxBuffered = 0;
    let maxLag = 0;
    const t0 = Date.now();
    for await (const batch of client.batches()) {
      received += batch.byteLength;
      maxBuffered = Math.max(maxBuffered, client.bufferedBatches);
      maxLag = Math.max(maxLag, session.bytesSent - received);
      await sleep(2);
      if (Date.now() - t0 > 1000) break;
    }
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThan(records.length);
    expect(maxBuffered).toBeLessThanOrEqual(16 + 2 + 2);
    // In flight at most: kernel socket buffers (up to 32 MiB here) plus a chunk.
    expect(maxLag).toBeLessThan(72 * 2 ** 20);
  });

  it('close() during a burst ends promptly: one close event, no error, nothing after', async () => {
    const records = encodeMboRecords(3_000_000);
    const gw = await gateway();
    const client = threaded(gw.port);
    client.subscribe({ schema: 'mbo', symbols: 'A' });
    await client.start();
    let count = 0;
    let closes = 0;
    const errors: LiveError[] = [];
    client.on('error', (e) => errors.push(e));
    client.on('close', () => closes++);
    const first = new Promise<void>((resolve) => client.once('batch', () => resolve()));
    client.on('batch', (b) => (count += b.count));
    const session = gw.sessions[0]!;
    void session.stream(records);
    await first;
    const t0 = Date.now();
    await client.close();
    expect(Date.now() - t0).toBeLessThan(2000);
    const after = count;
    await client.close(); // idempotent
    await session.waitForClose(5000);
    await sleep(50);
    expect(count).toBe(after);
    expect(count).toBeLessThan(3_000_000);
    expect(closes).toBe(1);
    expect(errors).toEqual([]);
  });
});

describe('worker_threads', () => {
  it('LiveBlocking.nextRecord() blocks a worker, not the main thread', async () => {
    const gw = await gateway({ records: encodeMboRecords(2500) });
    const worker = new Worker(
      childScript(`
      const { parentPort, workerData } = await import('node:worker_threads');
      const client = new lib.LiveBlocking({ key: mock.MOCK_API_KEY, dataset: 'GLBX.MDP3', gateway: '127.0.0.1', port: workerData.port });
      client.subscribe({ schema: 'mbo', symbols: 'A' });
      const md = client.startSync();
      let n = 0, last = -1n, ordered = true;
      for (let rec; (rec = client.nextRecord(2000)) !== null; ) {
        if (rec.order_id <= last) ordered = false;
        last = rec.order_id;
        if (++n === 2500) break;
      }
      const timedOut = client.nextRecord(100);
      await client.close();
      parentPort.postMessage({ n, ordered, dataset: md.dataset, timedOut });
    `),
      { eval: true, workerData: { port: gw.port } },
    );
    const result = await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    expect(result).toEqual({ n: 2500, ordered: true, dataset: 'GLBX.MDP3', timedOut: null });
    expect(await new Promise((r) => worker.once('exit', r))).toBe(0);
  });

  it('a worker streaming with LiveThreaded can be terminated mid-burst; one that closes exits by itself', async () => {
    const gw = await gateway();
    gw.records = () => (function* () {
      const chunk = encodeMboRecords(50_000);
      for (;;) yield chunk;
    })();
    // 'record' listeners alone: the native thread refills buffers JS lent it.
    const body = (closeIt: boolean, event: 'batch' | 'record') => `
      const { parentPort, workerData } = await import('node:worker_threads');
      const client = new lib.LiveThreaded({ key: mock.MOCK_API_KEY, dataset: 'GLBX.MDP3', gateway: '127.0.0.1', port: workerData.port });
      client.subscribe({ schema: 'mbo', symbols: 'A' });
      await client.start();
      let n = 0;
      const counted = (count) => {
        n += count;
        if (n >= 100000 && n - count < 100000) {
          parentPort.postMessage(n);
          if (${closeIt}) void client.close();
        }
      };
      if ('${event}' === 'batch') client.on('batch', (b) => counted(b.count));
      else client.on('record', () => counted(1));
    `;
    for (const [closeIt, event] of [[false, 'batch'], [false, 'record'], [true, 'record']] as const) {
      expect(await streamInWorker(body(closeIt, event), gw.port, closeIt)).toBeGreaterThanOrEqual(100_000);
    }
    // The main thread's addon is unaffected.
    const client = threaded(gw.port);
    client.subscribe({ schema: 'mbo', symbols: 'A' });
    await client.start();
  });
});

describe('process exit', () => {
  it('a process whose clients are closed exits by itself', async () => {
    const r = await runChild(
      `
      const gw = await mock.MockLiveGateway.start({ records: mock.encodeMboRecords(10000) });
      const client = new lib.LiveThreaded({ key: mock.MOCK_API_KEY, dataset: 'GLBX.MDP3', gateway: '127.0.0.1', port: gw.port });
      client.subscribe({ schema: 'mbo', symbols: 'A' });
      await client.start();
      let n = 0;
      for await (const rec of client) if (++n === 5000) break;
      await client.close();
      const blocking = new lib.LiveBlocking({ key: mock.MOCK_API_KEY, dataset: 'GLBX.MDP3', gateway: '127.0.0.1', port: gw.port });
      blocking.subscribe({ schema: 'mbo', symbols: 'A' });
      await blocking.start();
      await blocking.next(1000);
      await blocking.close();
      await gw.close();
      console.log('done', n);
    `,
      20_000,
    );
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('done 5000');
    expect(r.code).toBe(0);
  });

  it('an unref()ed client streaming does not keep the process alive; a referenced one does', async () => {
    const gw = await gateway();
    gw.records = () => (function* () {
      const chunk = encodeMboRecords(1000);
      for (;;) yield chunk;
    })();
    const body = (unref: boolean) => `
      const client = new lib.LiveThreaded({ key: mock.MOCK_API_KEY, dataset: 'GLBX.MDP3', gateway: '127.0.0.1', port: ${gw.port} });
      client.subscribe({ schema: 'mbo', symbols: 'A' });
      await client.start();
      await new Promise((resolve) => client.once('batch', resolve));
      ${unref ? 'client.unref();' : ''}
      console.log('streaming');
    `;
    const unrefd = await runChild(body(true), 25_000);
    expect(unrefd.stdout.trim()).toBe('streaming');
    expect(unrefd.stderr).toBe('');
    expect(unrefd.code).toBe(0);
    expect(unrefd.signal).toBeNull();

    const child = spawn(process.execPath, ['--input-type=module', '-e', childScript(body(false))], { cwd: ROOT_DIR, stdio: 'pipe' });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    expect(await Promise.race([exited, sleep(1000).then(() => 'alive')])).toBe('alive');
    child.kill('SIGKILL');
    await exited;
  }, 60_000);
});
