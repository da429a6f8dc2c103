// The smoke test of a prebuilt binary on another CPU: decodes every DBN
// fixture and runs short live sessions (plain and zstd) against the mock
// gateway, printing one JSON summary. scripts/test-arm64.sh runs it with the
// host's Node and with an arm64 Node under qemu-user; the two must match.
// Usage: node arm64-smoke.mjs <package dir> <fixtures dir>
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [pkg, fixtures] = process.argv.slice(2);
const { DbnStore, LiveThreaded } = await import(pathToFileURL(join(pkg, 'dist/lib/index.js')).href);
const { MockLiveGateway, MOCK_API_KEY, encodeMboRecords } = await import(
  pathToFileURL(join(pkg, 'dist/lib/testing/index.js')).href
);

// FNV-1a over the decoded record bytes: equal on both CPUs iff the records are.
function fnv(hash, bytes) {
  for (let i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i], 16777619) >>> 0;
  return hash;
}

const files = {};
for (const name of readdirSync(fixtures).filter((f) => /\.(dbn|zst|frag|dbz)$/.test(f)).sort()) {
  const m = /\.v([123])\./.exec(name);
  const options = name.includes('.frag') ? { fragment: { version: m ? Number(m[1]) : 2 } } : undefined;
  try {
    let records = 0;
    let hash = 2166136261;
    for (const batch of DbnStore.fromFile(join(fixtures, name), options).batchesSync()) {
      records += batch.count;
      hash = fnv(hash, batch.bytes());
    }
    files[name] = { records, hash };
  } catch (e) {
    files[name] = { code: e.code ?? String(e) };
  }
}

const live = {};
for (const compression of ['none', 'zstd']) {
  const gw = await MockLiveGateway.start({ records: encodeMboRecords(2000) });
  const client = new LiveThreaded({ key: MOCK_API_KEY, dataset: 'GLBX.MDP3', gateway: '127.0.0.1', port: gw.port, compression });
  client.subscribe({ schema: 'mbo', symbols: 'ESZ4' });
  await client.start();
  let mbo = 0;
  for await (const rec of client) if (rec.rtype === 0xa0 && ++mbo === 2000) break;
  await client.close();
  await gw.close();
  live[compression] = mbo;
}

process.stdout.write(JSON.stringify({ files, live }) + '\n');
