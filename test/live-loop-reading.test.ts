// A quiet feed is read on the JS thread's event loop (one thread wake-up per
// message, as a plain socket), a busy one by the native session thread;
// reading passes between them without losing or reordering a record, and the
// event-loop watch never outlives its client: not at close, not when a
// worker is terminated, not when the client is unref()ed.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { LiveError } from '../lib/errors.js';
import { encodeMboRecords } from '../lib/testing/live-gateway.js';
import { childScript, gateway, ROOT_DIR, runChild, streamInWorker, threaded } from './live-helpers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A gateway script: a quiet stretch, a burst, a quiet stretch, then the end. */
function quietBurstQuiet(quiet: number, burst: number) {
  return async (send: (records: Uint8Array) => boolean, stream: (records: Uint8Array) => Promise<void>) => {
    let next = 0;
    const single = async () => {
      send(encodeMboRecords(1, next++));
      await sleep(3);
    };
    for (let i = 0; i < quiet; i++) await single();
    await stream(encodeMboRecords(burst, next));
    next += burst;
    for (let i = 0; i < quiet; i++) await single();
    return next;
  };
}

describe('reading on the event loop', () => {
  it('a quiet feed is read on the loop, a burst by the native thread, every record in order', async () => {
    const gw = await gateway({ acks: false, symbolMappings: false, behavior: { heartbeats: false } });
    const client = threaded(gw.port);
    client.subscribe({ schema: 'mbo', symbols: 'A' });
    const seen: number[] = [];
    let batches = 0;
    client.on('batch', () => batches++);
    client.on('record', (rec) => seen.push((rec as { sequence: number }).sequence));
    const errors: LiveError[] = [];
    client.on('error', (e) => errors.push(e));
    const closed = new Promise<void>((r) => client.once('close', () => r()));
    await client.start();
    const session = gw.sessions[0]!;
    const script = quietBurstQuiet(100, 300_000);
    const total = await script((r) => session.send(r), (r) => session.stream(r, { chunkBytes: 1 << 20 }));
    await sleep(100);
    await session.close();
    await closed;
    expect(seen.length).toBe(total);
    expect(seen.every((s, i) => s === i)).toBe(true);
    const onLoop = client.batchesReadOnLoop;
    // Nearly every quiet record came in a batch of its own, read on the loop;
    // the burst (16 MiB) filled batches read by the native thread.
    expect(onLoop).toBeGreaterThanOrEqual(150);
    expect(batches - onLoop).toBeGreaterThanOrEqual(100);
    // The gateway's close is reported once, whoever was reading.
    expect(errors.map((e) => e.code)).toEqual(['CONNECTION_CLOSED']);
  });

  it('a worker reading a quiet feed on its loop can be terminated; one that closes exits by itself', async () => {
    const gw = await gateway({ acks: false, symbolMappings: false, behavior: { heartbeats: false } });
    gw.on('session', (session) => {
      session.on('start', async () => {
        for (let i = 0; !session.closed; i++) {
          session.send(encodeMboRecords(1, i));
          await sleep(2);
        }
      });
    });
    const body = (closeIt: boolean) => `
      const { parentPort, workerData } = await import('node:worker_threads');
      const client = new lib.LiveThreaded({ key: mock.MOCK_API_KEY, dataset: 'GLBX.MDP3', gateway: '127.0.0.1', port: workerData.port });
      client.subscribe({ schema: 'mbo', symbols: 'A' });
      await client.start();
      let n = 0;
      client.on('record', () => {
        if (++n === 50) {
          parentPort.postMessage(client.batchesReadOnLoop);
          if (${closeIt}) void client.close();
        }
      });
    `;
    for (const closeIt of [false, true]) {
      expect(await streamInWorker(body(closeIt), gw.port, closeIt)).toBeGreaterThanOrEqual(40);
    }
  });

  it('an unref()ed client waiting on a quiet feed lets the process exit; a referenced one does not', async () => {
    const gw = await gateway({ acks: false, symbolMappings: false, behavior: { heartbeats: false } });
    gw.on('session', (session) => {
      session.on('start', async () => {
        for (let i = 0; i < 20 && !session.closed; i++) {
          session.send(encodeMboRecords(1, i));
          await sleep(5);
        }
      });
    });
    const body = (unref: boolean) => `
      const client = new lib.LiveThreaded({ key: mock.MOCK_API_KEY, dataset: 'GLBX.MDP3', gateway: '127.0.0.1', port: ${gw.port} });
      client.subscribe({ schema: 'mbo', symbols: 'A' });
      await client.start();
      let n = 0;
      await new Promise((resolve) => client.on('record', () => ++n === 20 && resolve()));
      ${unref ? 'client.unref();' : ''}
      console.log('quiet', client.batchesReadOnLoop >= 15);
    `;
    const unrefd = await runChild(body(true), 20_000);
    expect(unrefd.stderr).toBe('');
    expect(unrefd.stdout.trim()).toBe('quiet true');
    expect(unrefd.code).toBe(0);
    expect(unrefd.signal).toBeNull();
    const child = spawn(process.execPath, ['--input-type=module', '-e', childScript(body(false))], { cwd: ROOT_DIR, stdio: 'pipe' });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    const line = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(String(d))));
    expect(line.trim()).toBe('quiet true');
    expect(await Promise.race([exited, sleep(1000).then(() => 'alive')])).toBe('alive');
    child.kill('SIGKILL');
    await exited;
  }, 60_000);
});
