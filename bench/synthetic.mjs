// Synthetic MBO data for the benchmarks, written once with our own encoder
// and cached in the temp directory.
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDbnFile } from '../dist/lib/index.js';

export const BENCH_DIR = join(tmpdir(), 'databento-node-bench');
export const MBO_SIZE = 56;
export const T0 = 1_700_000_000_000_000_000n;
const PER_CHUNK = 100_000;

/** MBO records first..first+n (DBN v3): a few instruments, moving prices, sizes and sides. */
export function mboRecords(first, n) {
  const bytes = new Uint8Array(n * MBO_SIZE);
  const dv = new DataView(bytes.buffer);
  for (let i = 0; i < n; i++) {
    const k = first + i;
    const o = i * MBO_SIZE;
    const ts = T0 + BigInt(k) * 1_000n;
    dv.setUint8(o, MBO_SIZE / 4);
    dv.setUint8(o + 1, 0xa0);
    dv.setUint16(o + 2, 1, true);
    dv.setUint32(o + 4, 5000 + (k % 16), true);
    dv.setBigUint64(o + 8, ts, true);
    dv.setBigUint64(o + 16, BigInt(k), true);
    dv.setBigInt64(o + 24, 4_500_000_000_000n + BigInt((k * 7919) % 400) * 250_000_000n, true);
    dv.setUint32(o + 32, 1 + (k % 25), true);
    dv.setUint8(o + 36, 0x80);
    dv.setUint8(o + 37, k % 4);
    dv.setUint8(o + 38, 'ACMTF'.charCodeAt(k % 5));
    dv.setUint8(o + 39, k % 2 ? 0x41 : 0x42);
    dv.setBigUint64(o + 40, ts + 500n, true);
    dv.setInt32(o + 48, 20_000 + (k % 1000), true);
    dv.setUint32(o + 52, k, true);
  }
  return bytes;
}

function* chunks(total) {
  for (let done = 0; done < total; done += PER_CHUNK) yield mboRecords(done, Math.min(PER_CHUNK, total - done));
}

/** Path of a synthetic MBO file of `records` records, written on first use. */
export async function mboFile({ records, compression = 'none' }) {
  mkdirSync(BENCH_DIR, { recursive: true });
  const path = join(BENCH_DIR, `mbo-${records}.dbn${compression === 'zstd' ? '.zst' : ''}`);
  if (!existsSync(path)) {
    const metadata = {
      dataset: 'GLBX.MDP3',
      schema: 'mbo',
      start: T0,
      end: T0 + BigInt(records) * 1_000n,
      stype_in: 'raw_symbol',
      stype_out: 'instrument_id',
      symbols: ['ES.FUT'],
    };
    const partial = `${path}.${process.pid}.partial`;
    await writeDbnFile(partial, metadata, chunks(records), { compression });
    renameSync(partial, path); // atomic: a concurrent run never reads half a file
  }
  return path;
}

/**
 * Runs `fn` (which returns a record count) once to warm up, then `runs`
 * times, and reports the median run: its wall time, and the CPU time this
 * process spent (user + system), which a shared, busy machine disturbs far
 * less than the wall clock.
 */
export async function measure(name, fn, runs = 3) {
  await fn();
  const samples = [];
  let records = 0;
  for (let i = 0; i < runs; i++) {
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    records = await fn();
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = process.cpuUsage(cpu0);
    samples.push({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 });
  }
  samples.sort((a, b) => a.seconds - b.seconds);
  const { seconds } = samples[Math.floor(runs / 2)];
  const cpuSeconds = samples.map((s) => s.cpuSeconds).sort((a, b) => a - b)[Math.floor(runs / 2)];
  return { name, records, seconds, recordsPerSec: records / seconds, cpuSeconds, recordsPerCpuSec: records / cpuSeconds };
}
