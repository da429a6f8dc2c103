// Live streaming figures, against the mock gateway in a child process (so
// the mock is not the bottleneck and its memory is not counted):
// - throughput: 10,000,000 MBO records as fast as loopback takes them,
//   records/s seen in JS (every record visited, one field read) through
//   'record' events, batch views and a DataView walk, beside the native
//   decode-only rate of the same records in the same run (each the median
//   of three runs);
// - latency: 10,000 records/s, each stamped with its send time (a clock
//   shared by both processes), p50/p99 until the JS callback;
// - memory: RSS per streaming client, in a fresh process.
// Uses the built dist/ and the native addon. `node bench/live.mjs` prints
// the figures; bench/run.mjs calls benchLive().
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const SELF = fileURLToPath(import.meta.url);
const KEY = 'db-MockLiveGatewayKey0123456789A';
const RECORDS = 10_000_000;
const CHUNK_RECORDS = 100_000; // one pre-encoded 5.6 MB buffer, sent 100 times
const LATENCY_RATE = 10_000;
const LATENCY_SECONDS = 2;
const LATENCY_ROUNDS = 9;
const RSS_CLIENTS = 20;
// Throughput figures, the baseline's too: the median of this many runs.
const ROUNDS = 3;

/** Wall-clock nanoseconds with sub-microsecond resolution, comparable across processes. */
function wallNanos() {
  return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));
}

// -- the mock gateway process -------------------------------------------------

/**
 * Calls send(i) LATENCY_RATE times a second for LATENCY_SECONDS. Timers are
 * far too coarse for 100 µs: it sleeps on a futex for most of each gap (so
 * the mock leaves the CPUs to the client) and spins the rest.
 */
async function paced(send, stopped) {
  const step = 1e3 / LATENCY_RATE;
  const total = LATENCY_RATE * LATENCY_SECONDS;
  const futex = new Int32Array(new SharedArrayBuffer(4));
  let next = performance.now();
  for (let i = 0; i < total && !stopped(); i++) {
    const wait = next - performance.now() - 0.01;
    if (wait > 0) Atomics.wait(futex, 0, 0, wait);
    while (performance.now() < next);
    next += step;
    send(i);
    if (i % 1000 === 999) await new Promise((r) => setImmediate(r)); // let I/O through
  }
}

async function mockMain() {
  const { MockLiveGateway, encodeMboRecords } = await import('../dist/lib/testing/live-gateway.js');
  const bulk = encodeMboRecords(CHUNK_RECORDS);
  const gw = await MockLiveGateway.start({ acks: false, symbolMappings: false, behavior: { heartbeats: false } });
  gw.on('session', (session) => {
    session.on('start', async () => {
      const mode = session.auth.dataset;
      if (mode === 'BENCH.THRU') {
        await session.stream(bulk, { repeat: RECORDS / CHUNK_RECORDS, chunkBytes: bulk.length });
        await session.close();
      } else if (mode === 'BENCH.LAT') {
        const one = encodeMboRecords(1);
        const dv = new DataView(one.buffer);
        await paced((i) => {
          dv.setUint32(52, i, true);
          dv.setBigUint64(8, wallNanos(), true);
          session.send(one);
        }, () => session.closed);
        await session.close();
      } else {
        // Memory: a steady 100,000 records/s per client until it leaves.
        const part = encodeMboRecords(1000);
        const timer = setInterval(() => session.send(part), 10);
        session.once('close', () => clearInterval(timer));
      }
    });
  });
  // The baseline: the same stamped 56-byte messages at the same pace over a
  // plain TCP socket, read by plain Node, to tell this machine's own latency
  // tail from the client's.
  const raw = net.createServer((socket) => {
    socket.setNoDelay(true);
    const one = encodeMboRecords(1);
    const dv = new DataView(one.buffer);
    paced((i) => {
      dv.setUint32(52, i, true);
      dv.setBigUint64(8, wallNanos(), true);
      socket.write(one);
    }, () => socket.destroyed).then(() => socket.end());
  });
  await new Promise((resolve) => raw.listen(0, '127.0.0.1', resolve));
  process.send({ port: gw.port, rawPort: raw.address().port });
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

/**
 * CPU seconds of this process's main (JS) thread so far, from
 * /proc/self/task (Linux; undefined elsewhere). The live client's native
 * thread runs beside it, so on a machine with a core to spare the JS
 * thread's cost per record is what bounds the 'record' event rate.
 */
function jsThreadCpuSeconds() {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks (USER_HZ = 100)
  } catch {
    return undefined;
  }
}

function median(values) {
  return [...values].sort((a, b) => a - b)[values.length >> 1];
}

/** The run with the median rate of ROUNDS runs of `run`. */
async function medianRun(run) {
  const runs = [];
  for (let i = 0; i < ROUNDS; i++) runs.push(await run());
  return [...runs].sort((a, b) => a.recordsPerSec - b.recordsPerSec)[runs.length >> 1];
}

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function throughput(LiveThreaded, port, mode) {
  const client = new LiveThreaded({ key: KEY, dataset: 'BENCH.THRU', gateway: '127.0.0.1', port });
  client.subscribe({ schema: 'mbo', symbols: 'A' });
  let count = 0;
  let sum = 0;
  let t0 = 0;
  let cpu0;
  let js0;
  const first = () => {
    t0 = performance.now();
    cpu0 = process.cpuUsage();
    js0 = jsThreadCpuSeconds();
  };
  const done = new Promise((resolve) => client.once('close', resolve));
  client.on('error', () => {}); // the mock closes the session at the end
  if (mode === 'records') {
    // 'record' events: the idiomatic path, one event per record.
    client.on('record', (rec) => {
      if (t0 === 0) first();
      sum += rec.instrument_id;
      count++;
    });
  } else if (mode === 'views') {
    client.on('batch', (batch) => {
      if (t0 === 0) first();
      for (const rec of batch) sum += rec.instrument_id;
      count += batch.count;
    });
  } else {
    // The same through a DataView walk, without a view object per record.
    client.on('batch', (batch) => {
      if (t0 === 0) first();
      const dv = batch.view;
      for (let o = 0; o < dv.byteLength; o += dv.getUint8(o) * 4) sum += dv.getUint32(o + 4, true);
      count += batch.count;
    });
  }
  await client.start();
  await done;
  const seconds = (performance.now() - t0) / 1000;

  const cpu = process.cpuUsage(cpu0);
  const jsCpu = js0 === undefined ? undefined : jsThreadCpuSeconds() - js0;
  if (count !== RECORDS || sum === 0) throw new Error(`received ${count} of ${RECORDS} records`);
  // CPU time of this process: the JS thread and the native thread that reads
  // and decodes (the mock gateway runs in another process).
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const perJsCpuSec = jsCpu ? count / jsCpu : undefined;
  return {
    records: count,
    seconds,
    recordsPerSec: count / seconds,
    recordsPerCpuSec: count / cpuSeconds,
    recordsPerJsThreadCpuSec: perJsCpuSec,
    // Under load the native thread should keep reading: a quiet feed's path.
    batchesReadOnLoop: client.batchesReadOnLoop,
  };
}

/**
 * The baseline of the throughput figures: the same 10 M records decoded
 * natively in this process (one DbnDecoder fed the same chunks, batches
 * counted, no record touched in JS), so the live figures can be read as a
 * fraction of what the decoder alone does on this machine, in this run.
 */
async function nativeDecodeRate() {
  const { DbnDecoder } = await import('../dist/lib/dbn/index.js');
  const { encodeMboRecords } = await import('../dist/lib/testing/live-gateway.js');
  const bulk = encodeMboRecords(CHUNK_RECORDS);
  const walls = [];
  const cpus = [];
  for (let round = 0; round < ROUNDS; round++) {
    const decoder = new DbnDecoder({ fragment: { version: 3 } });
    let count = 0;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < RECORDS / CHUNK_RECORDS; i++) {
      for (let b = decoder.write(bulk); b; b = decoder.read()) count += b.count;
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    if (count !== RECORDS) throw new Error(`decoded ${count} of ${RECORDS} records`);
    walls.push(count / seconds);
    cpus.push(count / ((cpu.user + cpu.system) / 1e6));
  }
  return { wall: median(walls), cpu: median(cpus) };
}

// -- the latency process: a fresh heap, so no garbage of the throughput runs is collected meanwhile

async function latencyMain(port, rawPort) {
  const { LiveThreaded } = await import('../dist/lib/live/index.js');
  const rounds = [];
  const baseline = [];
  for (let i = 0; i < LATENCY_ROUNDS; i++) {
    rounds.push(await latency(LiveThreaded, port));
    baseline.push(await rawLatency(rawPort));
  }
  process.send({ rounds, baseline });
}

/** The same measurement on a plain socket: stamped records read with net.Socket. */
async function rawLatency(port) {
  const samples = [];
  let pending = Buffer.alloc(0);
  await new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('data', (data) => {
      const now = wallNanos();
      pending = pending.length ? Buffer.concat([pending, data]) : data;
      for (; pending.length >= 56; pending = pending.subarray(56)) {
        if (pending.readUInt32LE(52) >= 1000) samples.push(Number(now - pending.readBigUInt64LE(8)) / 1e3);
      }
    });
    socket.on('end', resolve);
    socket.on('error', reject);
  });
  return summarize(samples);
}

function summarize(samples) {
  samples.sort((a, b) => a - b);
  return { samples: samples.length, p50us: quantile(samples, 0.5), p99us: quantile(samples, 0.99), maxUs: samples.at(-1) };
}

/** The round with the median p99. */
function medianRound(rounds) {
  return [...rounds].sort((a, b) => a.p99us - b.p99us)[rounds.length >> 1];
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
  return summarize(samples);
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
  const { port, rawPort } = await mock.message;
  try {
    const decode = await nativeDecodeRate();
    const decodeRate = decode.wall;
    const events = await medianRun(() => throughput(LiveThreaded, port, 'records'));
    const views = await medianRun(() => throughput(LiveThreaded, port, 'views'));
    const raw = await medianRun(() => throughput(LiveThreaded, port, 'raw'));
    // Several rounds, the median p99 reported: on a busy machine the tail is
    // as much the scheduler's as ours.
    const { rounds, baseline } = await startChild(['latency', String(port), String(rawPort)]).message;
    const lat = medianRound(rounds);
    const base = medianRound(baseline);
    const rss = startChild(['rss', String(port)], ['--expose-gc']);
    const mem = await rss.message;
    const perClient = (mem.during - mem.before) / RSS_CLIENTS;
    return {
      results: [
        { name: "live MBO, 'record' events (one field per record)", ...events },
        { name: 'live MBO, record views (batch events, one field per record)', ...views },
        { name: 'live MBO, DataView walk (batch events, one field per record)', ...raw },
      ],
      baseline: { nativeDecodeRecordsPerSec: decodeRate, nativeDecodeRecordsPerCpuSec: decode.cpu },
      latency: { rate: LATENCY_RATE, ...lat, rounds, baseline: { ...base, rounds: baseline } },
      rss: { clients: RSS_CLIENTS, perClientBytes: perClient, ...mem },
      notes: [
        `baseline, native decode only of the same records in this process: ${(decodeRate / 1e6).toFixed(2)} M records/s; ` +
          `'record' events ${(events.recordsPerSec / decodeRate).toFixed(2)}x of it (target >= 0.6x), ` +
          `batch views ${(views.recordsPerSec / decodeRate).toFixed(2)}x, DataView walk ${(raw.recordsPerSec / decodeRate).toFixed(2)}x`,
        `by CPU time (${(decode.cpu / 1e6).toFixed(2)} M records per CPU-second decoding only; the live figures include ` +
          `the native thread's socket reads): 'record' events ${(events.recordsPerCpuSec / decode.cpu).toFixed(2)}x, ` +
          `batch views ${(views.recordsPerCpuSec / decode.cpu).toFixed(2)}x, DataView walk ${(raw.recordsPerCpuSec / decode.cpu).toFixed(2)}x`,
        ...(events.recordsPerJsThreadCpuSec
          ? [
              `by the JS thread's CPU time alone (the native thread reads and decodes beside it): 'record' events ` +
                `${(events.recordsPerJsThreadCpuSec / 1e6).toFixed(2)} M per CPU-second = ${(events.recordsPerJsThreadCpuSec / decode.cpu).toFixed(2)}x, ` +
                `batch views ${(views.recordsPerJsThreadCpuSec / decode.cpu).toFixed(2)}x, DataView walk ${(raw.recordsPerJsThreadCpuSec / decode.cpu).toFixed(2)}x`,
            ]
          : []),
        `batches read on the JS thread's event loop in the median throughput runs ('record' events, views, walk): ` +
          `${events.batchesReadOnLoop}, ${views.batchesReadOnLoop}, ${raw.batchesReadOnLoop}`,
        `latency p99 ratio to the plain socket: ${(lat.p99us / base.p99us).toFixed(2)}x (target <= 1.5x)`,
        `latency at ${LATENCY_RATE.toLocaleString('en-US')} records/s, mock send -> JS 'record' callback: ` +
          `p50 ${lat.p50us.toFixed(1)} µs, p99 ${lat.p99us.toFixed(1)} µs, max ${lat.maxUs.toFixed(0)} µs ` +
          `(median round of ${LATENCY_ROUNDS}; p99 per round: ${rounds.map((r) => r.p99us.toFixed(0)).join(', ')} µs)`,
        `baseline, the same records on a plain Node TCP socket: p50 ${base.p50us.toFixed(1)} µs, ` +
          `p99 ${base.p99us.toFixed(1)} µs (p99 per round: ${baseline.map((r) => r.p99us.toFixed(0)).join(', ')} µs)`,
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
  else if (role === 'latency') await latencyMain(Number(process.argv[3]), Number(process.argv[4]));
  else console.log(JSON.stringify(await benchLive(), (_, v) => (typeof v === 'bigint' ? String(v) : v), 2));
}
