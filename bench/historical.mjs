// Historical streaming: timeseries.getRange of 1,000,000 MBO records (zstd)
// from the mock historical server, run in its own process over 127.0.0.1,
// decoded natively while the body downloads.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { Historical } from '../dist/lib/index.js';
import { mboFile, measure } from './synthetic.mjs';

const RECORDS = 1_000_000;

export async function benchHistorical() {
  const path = await mboFile({ records: RECORDS, compression: 'zstd' });
  const server = fork(new URL('./mock-historical-child.mjs', import.meta.url).pathname, [path]);
  try {
    const [url] = await once(server, 'message');
    const client = new Historical({ key: 'db-BenchBenchBenchBenchBenchBenc', gateway: url, retry: false });
    const result = await measure(
      'historical: getRange, zstd MBO from a local mock, reading one field per record',
      async () => {
        const store = await client.timeseries.getRange({
          dataset: 'GLBX.MDP3',
          symbols: ['ES.FUT'],
          stypeIn: 'parent',
          schema: 'mbo',
          start: 0n,
        });
        let size = 0;
        let n = 0;
        for await (const batch of store.batches()) {
          for (const rec of batch) {
            size += rec.size;
            n++;
          }
        }
        if (n !== RECORDS || size === 0) throw new Error(`decoded ${n} records, expected ${RECORDS}`);
        return n;
      },
      5,
    );
    return { results: [result] };
  } finally {
    server.disconnect();
  }
}
