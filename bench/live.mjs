// Live streaming figures, against the mock gateway in a child process (so
// the mock is not the bottleneck and its memory is not counted):
// - throughput: 10,000,000 MBO records as fast as loopback takes them,
//   records/s seen in JS (every record visited, one field read);
// - latency: 10,000 records/s, each stamped with its send time (a clock
//   shared by both processes), p50/p99 until the JS callback;
// - memory: RSS per streaming client, in a fresh process.
// Uses the built dist/ and the native addon. `node bench/live.mjs` prints
// the figures; bench/run.mjs calls benchLive().
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const SELF = fileURLToPath(import.meta.url);
const KEY = 'db-MockLiveGatewayKey0123456789A';
const RECORDS = 10_000_000;
const CHUNK_RECORDS = 100_000; // one pre-encoded 5.6 MB buffer, sent 100 times
const LATENCY_RATE = 10_000;
const LATENCY_SECONDS = 2;
const LATENCY_ROUNDS = 5;
const RSS_CLIENTS = 20;

/** Wall-clock nanoseconds with sub-microsecond resolution, comparable across processes. */
function wallNanos() {
  return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));
}

// -- the mock gateway process -------------------------------------------------

async function mockMain() {
  const { MockLiveGateway, encodeMboRecords } = await import('../dist/test/mock/live-gateway.js');
  const bulk = encodeMboRecords(CHUNK_RECORDS);
  const gw = await MockLiveGateway.start({ acks: false, symbolMappings: false, behavior: { heartbeats: false } });
  gw.on('session', (session) => {
    session.on('start', async () => {
      const mode = session.auth.dataset;
      if (mode === 'BENCH.THRU') {
        await session.stream(bulk, { repeat: RECORDS / CHUNK_RECORDS, chunkBytes: bulk.length });
        await session.close();
      } else if (mode === 'BENCH.LAT') {
        // Timers are far too coarse for 100 µs: sleep on a futex for most of
        // the gap (so the mock leaves the CPUs to the client), spin the rest.
        const one = encodeMboRecords(1);
        const dv = new DataView(one.buffer);
        const step = 1e3 / LATENCY_RATE;
        const total = LATENCY_RATE * LATENCY_SECONDS;
        const futex = new Int32Array(new SharedArrayBuffer(4));
        let next = performance.now();
        for (let i = 0; i < total && !session.closed; i++) {
          const wait = next - performance.now() - 0.01;
          if (wait > 0) Atomics.wait(futex, 0, 0, wait);
          while (performance.now() < next);
          next += step;
          dv.setUint32(52, i, true);
          dv.setBigUint64(8, wallNanos(), true);
          session.send(one);
          if (i % 1000 === 999) await new Promise((r) => setImmediate(r)); // let I/O through
        }
        await session.close();
      } else {
        // Memory: a steady 100,000 records/s per client until it leaves.
        const part = encodeMboRecords(1000);
        const timer = setInterval(() => session.send(part), 10);
        session.once('close', () => clearInterval(timer));
      }
    });
  });
  process.send({ port: gw.port });
  process.on('message', async (m) => {
    if (m === 'exit') {
      await gw.close();
      process.exit(0);
    }
  });
}

// -- the memory process ---------------------------------------------------------

async function rssMain(port) {
  const { LiveThreaded } = await import('../dist/lib/live/index.js');
  const settle = async () => {
    globalThis.gc?.();
    await new Promise((r) => setTimeout(r, 300));
    return process.memoryUsage().rss;
  };
  // Warm up: load everything a client needs, then measure the baseline.
  const warm = new LiveThreaded({ key: KEY, dataset: 'BENCH.RSS', gateway: '127.0.0.1', port });
  warm.subscribe({ schema: 'mbo', symbols: 'A' });
  await warm.start();
  await new Promise((r) => setTimeout(r, 300));
  await warm.close();
  const before = await settle();
  const clients = [];
  let records = 0;
  for (let i = 0; i < RSS_CLIENTS; i++) {
    const c = new LiveThreaded({ key: KEY, dataset: 'BENCH.RSS', gateway: '127.0.0.1', port });
    c.subscribe({ schema: 'mbo', symbols: 'A' });
    c.on('batch', (b) => {
      for (const rec of b) records += rec.size > 0 ? 1 : 1;
    });
    clients.push(c);
  }
  await Promise.all(clients.map((c) => c.start()));
  await new Promise((r) => setTimeout(r, 2000));
  const during = await settle();
  await Promise.all(clients.map((c) => c.close()));
  process.send({ before, during, records, maxRss: process.resourceUsage().maxRSS * 1024 });
}

// -- the benchmark ----------------------------------------------------------------

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function throughput(LiveThreaded, port, mode) {
  const client = new LiveThreaded({ key: KEY, dataset: 'BENCH.THRU', gateway: '127.0.0.1', port });
  client.subscribe({ schema: 'mbo', symbols: 'A' });
  let count = 0;
  let sum = 0;
  let t0 = 0;
  const done = new Promise((resolve) => client.once('close', resolve));
  client.on('error', () => {}); // the mock closes the session at the end
  if (mode === 'views') {
    client.on('batch', (batch) => {
      if (t0 === 0) t0 = performance.now();
      for (const rec of batch) sum += rec.instrument_id;
      count += batch.count;
    });
  } else {
    // The same through a DataView walk, without a view object per record.
    client.on('batch', (batch) => {
      if (t0 === 0) t0 = performance.now();
      const dv = batch.view;
      for (let o = 0; o < dv.byteLength; o += dv.getUint8(o) * 4) sum += dv.getUint32(o + 4, true);
      count += batch.count;
    });
  }
  await client.start();
  await done;
  const seconds = (performance.now() - t0) / 1000;
  if (count !== RECORDS || sum === 0) throw new Error(`received ${count} of ${RECORDS} records`);
  return { records: count, seconds, recordsPerSec: count / seconds };
}

// -- the latency process: a fresh heap, so no garbage of the throughput runs is collected meanwhile

async function latencyMain(port) {
  const { LiveThreaded } = await import('../dist/lib/live/index.js');
  const rounds = [];
  for (let i = 0; i < LATENCY_ROUNDS; i++) rounds.push(await latency(LiveThreaded, port));
  process.send(rounds);
}

async function latency(LiveThreaded, port) {
  const client = new LiveThreaded({ key: KEY, dataset: 'BENCH.LAT', gateway: '127.0.0.1', port });
  client.subscribe({ schema: 'mbo', symbols: 'A' });
  const samples = [];
  client.on('error', () => {});
  client.on('record', (rec) => {
    const now = wallNanos();
    if (rec.sequence >= 1000) samples.push(Number(now - rec.ts_event) / 1e3); // skip the warm-up
  });
  const done = new Promise((resolve) => client.once('close', resolve));
  await client.start();
  await done;
  samples.sort((a, b) => a - b);
  return { samples: samples.length, p50us: quantile(samples, 0.5), p99us: quantile(samples, 0.99), maxUs: samples.at(-1) };
}

function startChild(args, execArgv = []) {
  const child = fork(SELF, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv });
  const message = new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`${args[0]} process exited with ${code}`)));
  });
  return { child, message };
}

/** Runs every measurement; returns the figures (prints nothing). */
export async function benchLive() {
  const { LiveThreaded } = await import('../dist/lib/live/index.js');
  const mock = startChild(['mock']);
  const { port } = await mock.message;
  try {
    const views = await throughput(LiveThreaded, port, 'views');
    const raw = await throughput(LiveThreaded, port, 'raw');
    // Several rounds, the median p99 reported: on a busy machine the tail is
    // as much the scheduler's as ours.
    const rounds = await startChild(['latency', String(port)]).message;
    const lat = [...rounds].sort((a, b) => a.p99us - b.p99us)[LATENCY_ROUNDS >> 1];
    const rss = startChild(['rss', String(port)], ['--expose-gc']);
    const mem = await rss.message;
    const perClient = (mem.during - mem.before) / RSS_CLIENTS;
    return {
      results: [
        { name: 'live MBO, record views (batch events, one field per record)', ...views },
        { name: 'live MBO, DataView walk (batch events, one field per record)', ...raw },
      ],
      latency: { rate: LATENCY_RATE, ...lat, rounds },
      rss: { clients: RSS_CLIENTS, perClientBytes: perClient, ...mem },
      notes: [
        `latency at ${LATENCY_RATE.toLocaleString('en-US')} records/s, mock send -> JS 'record' callback: ` +
          `p50 ${lat.p50us.toFixed(1)} µs, p99 ${lat.p99us.toFixed(1)} µs, max ${lat.maxUs.toFixed(0)} µs ` +
          `(median round of ${LATENCY_ROUNDS}; p99 per round: ${rounds.map((r) => r.p99us.toFixed(0)).join(', ')} µs)`,
        `RSS per streaming client (${RSS_CLIENTS} clients at 100,000 records/s each): ${(perClient / 2 ** 20).toFixed(2)} MiB`,
      ],
    };
  } finally {
    mock.child.send('exit');
  }
}

if (process.argv[1] === SELF) {
  const role = process.argv[2];
  if (role === 'mock') await mockMain();
  else if (role === 'rss') await rssMain(Number(process.argv[3]));
  else if (role === 'latency') await latencyMain(Number(process.argv[3]));
  else console.log(JSON.stringify(await benchLive(), (_, v) => (typeof v === 'bigint' ? String(v) : v), 2));
}
