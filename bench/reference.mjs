// Reference data streamed (`stream()`) from the mock historical server in its
// own process by a client in a fresh process whose peak RSS is printed:
// 1,000,000 adjustment factors (again with the JS heap capped at 40 MB, to
// show memory does not grow with the body) and 200,000 corporate actions
// (2.6 KB rows). Beside them, in
// this process, the same zstd JSON lines decompressed only and decompressed +
// split + JSON.parse'd (no HTTP, no row conversion).
import { execFile, fork } from 'node:child_process';
import { once } from 'node:events';
import { promisify } from 'node:util';
import { ZstdCompressStream, ZstdDecompressStream } from '../dist/lib/zstd.js';
import { referenceLines } from './reference-rows.mjs';

const run = promisify(execFile);
const kRows = (perSec) => `${(perSec / 1000).toFixed(1)} k rows/s`;
const here = (f) => new URL(f, import.meta.url).pathname;

/** The body the mock sends for `n` rows: zstd JSON lines, kept compressed in memory. */
function body(endpoint, n) {
  const z = new ZstdCompressStream();
  const parts = [];
  let text = '';
  for (const line of referenceLines(endpoint, n)) {
    text += line + '\n';
    if (text.length >= 1 << 20) {
      parts.push(z.write(Buffer.from(text)));
      text = '';
    }
  }
  parts.push(z.write(Buffer.from(text)), z.end());
  return Buffer.concat(parts);
}

function baselines(name, packed, n) {
  const chunks = [];
  for (let at = 0; at < packed.length; at += 64 * 1024) chunks.push(packed.subarray(at, at + 64 * 1024));
  let t0 = process.hrtime.bigint();
  let bytes = 0;
  const z1 = new ZstdDecompressStream();
  for (const c of chunks) for (const w of z1.decompress(c)) bytes += w.length;
  const inflate = Number(process.hrtime.bigint() - t0) / 1e9;
  t0 = process.hrtime.bigint();
  let parsed = 0;
  let carry = '';
  const z2 = new ZstdDecompressStream();
  for (const c of chunks) {
    for (const w of z2.decompress(c)) {
      const lines = (carry + Buffer.from(w).toString('utf8')).split('\n');
      carry = lines.pop();
      for (const l of lines) if (JSON.parse(l)) parsed++;
    }
  }
  const parse = Number(process.hrtime.bigint() - t0) / 1e9;
  if (parsed !== n) throw new Error(`parsed ${parsed} of ${n} lines`);
  return {
    bytes,
    results: [
      { name: `${name}: native zstd decompression only (baseline)`, records: n, seconds: inflate, recordsPerSec: n / inflate },
      { name: `${name}: decompress + split + JSON.parse, no HTTP (baseline)`, records: n, seconds: parse, recordsPerSec: n / parse },
    ],
  };
}

export async function benchReference() {
  const server = fork(here('./mock-reference-child.mjs'));
  try {
    const [url] = await once(server, 'message');
    const results = [];
    const notes = [];
    const stream = async (api, rows, nodeArgs = []) => {
      const args = [...nodeArgs, here('./reference-client-child.mjs'), url, api, String(rows)];
      const measured = JSON.parse((await run(process.execPath, args, { maxBuffer: 1 << 20 })).stdout);
      if (measured.rows !== rows) throw new Error(`${api}: streamed ${measured.rows} rows, expected ${rows}`);
      return measured;
    };
    for (const [name, endpoint, api, rows] of [
      ['adjustment factors', 'adjustment_factors.get_range', 'adjustmentFactors', 1_000_000],
      ['corporate actions', 'corporate_actions.get_range', 'corporateActions', 200_000],
    ]) {
      const packed = body(endpoint, rows);
      const base = baselines(name, packed, rows);
      const measured = await stream(api, rows);
      const streamed = { name: `${name}: Reference ${api}.stream() over HTTP, rows converted`, records: rows, seconds: measured.seconds, recordsPerSec: rows / measured.seconds };
      results.push(...base.results, streamed);
      notes.push(
        `${name}: ${(base.bytes / 2 ** 20).toFixed(0)} MiB of JSON lines (${(packed.length / 2 ** 20).toFixed(1)} MiB zstd); ` +
          `stream() ${kRows(streamed.recordsPerSec)} vs parse-only ${kRows(base.results[1].recordsPerSec)} ` +
          `(${(streamed.recordsPerSec / base.results[1].recordsPerSec).toFixed(2)}×); ` +
          `peak RSS of the streaming process ${(measured.maxRss / 2 ** 20).toFixed(1)} MiB`,
      );
    }
    // Bounded, not merely lazy collection: the same million rows with the JS heap capped at 40 MB.
    const capped = await stream('adjustmentFactors', 1_000_000, ['--max-old-space-size=40']);
    notes.push(`adjustment factors: 1,000,000 rows streamed with --max-old-space-size=40 too, peak RSS ${(capped.maxRss / 2 ** 20).toFixed(1)} MiB`);
    return { results, notes };
  } finally {
    server.disconnect();
  }
}
