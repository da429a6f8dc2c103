// Streams argv[4] rows of one reference endpoint (argv[3]) from argv[2] (a
// gateway URL) in a fresh process and prints the row count, the time and the
// peak RSS.
import { Reference } from '../dist/lib/index.js';

const [url, api, count] = process.argv.slice(2);
const ref = new Reference({ key: 'db-BenchBenchBenchBenchBenchBench', gateway: url, retry: false });
const t0 = process.hrtime.bigint();
let rows = 0;
let check = 0;
for await (const row of ref[api].stream({ start: '1900', symbols: `N${count}` })) {
  rows++;
  check += row.ts_created === 0n ? 1 : 0;
}
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
if (check !== rows) throw new Error('rows were not converted');
process.stdout.write(JSON.stringify({ rows, seconds, maxRss: process.resourceUsage().maxRSS * 1024 }));
