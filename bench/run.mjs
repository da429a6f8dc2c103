// npm run bench: throughput of every part, printed as records/s with memory.
// Run after `npm install` (it uses the built dist/ and the native addon).
import { benchDbn } from './dbn.mjs';

const fmt = (n) => (n / 1e6).toFixed(2).padStart(8) + ' M records/s';
const mib = (bytes) => (bytes / 2 ** 20).toFixed(1) + ' MiB';

function report({ name, records, seconds, recordsPerSec, recordsPerCpuSec }) {
  const cpu = recordsPerCpuSec ? `, ${(recordsPerCpuSec / 1e6).toFixed(2)} M per CPU-second` : '';
  console.log(`${fmt(recordsPerSec)}  ${name}  (${records.toLocaleString('en-US')} records in ${seconds.toFixed(2)} s${cpu})`);
}

async function section(title, run) {
  console.log(`\n== ${title}`);
  try {
    const out = await run();
    for (const r of out.results ?? [out]) report(r);
    for (const line of out.notes ?? []) console.log(`   ${line}`);
    return out;
  } catch (e) {
    console.log(`   failed: ${e?.stack ?? e}`);
    process.exitCode = 1;
  }
}

const only = process.argv[2];
if (!only || only === 'dbn') {
  await section('DBN files (10,000,000 MBO records)', async () => {
    const out = await benchDbn();
    const r = out.ratios;
    out.notes = [
      ...['wall', 'cpu'].map(
        (k) =>
          `of the native decode-only rate, by ${k === 'wall' ? 'wall' : 'CPU'} time: DataView walk ${r.dataViewWalk[k].toFixed(2)}x, ` +
          `for...of ${r.forOf[k].toFixed(2)}x (target >= 0.5x), replay ${r.replay[k].toFixed(2)}x, ` +
          `forEach ${r.forEach[k].toFixed(2)}x (targets >= 0.6x)`,
      ),
      `file sizes: plain ${mib(out.files.plainBytes)}, zstd ${mib(out.files.zstdBytes)}`,
      `peak RSS of a process iterating every record: 1 M records ${mib(out.rss.records1M)}, ` +
        `10 M records ${mib(out.rss.records10M)} (zstd files)`,
    ];
    return out;
  });
}
for (const [name, file, fn] of [
  ['live', './live.mjs', 'benchLive'],
  ['historical', './historical.mjs', 'benchHistorical'],
  ['ingest', './ingest.mjs', 'benchIngest'],
  ['reference', './reference.mjs', 'benchReference'],
  ['text', './text.mjs', 'benchText'],
  ['columns', './columns.mjs', 'benchColumns'],
]) {
  if (only && only !== name) continue;
  let mod;
  try {
    mod = await import(file);
  } catch {
    continue; // that part is not built yet
  }
  await section(name, () => mod[fn]());
}
