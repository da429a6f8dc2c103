// Run a batch job: check its cost, submit it, wait until it is done,
// download its files (resumably, checksums verified) and read them.
//
//   DATABENTO_API_KEY=db-… node examples/batch-job.mjs \
//     --dataset GLBX.MDP3 --schema ohlcv-1m --symbols ESM4,NQM4 \
//     --start 2024-05-01 --end 2024-05-03 --max-cost 5 --out ./downloads
//
// DATABENTO_HIST_GATEWAY overrides the API's address (e.g. a mock server's
// URL); --poll-ms sets how often the job's state is checked (default 15 s).
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { DbnStore, Historical } from 'databento-node';

const { values: args } = parseArgs({
  options: {
    dataset: { type: 'string', default: 'GLBX.MDP3' },
    schema: { type: 'string', default: 'ohlcv-1m' },
    symbols: { type: 'string', default: 'ESM4,NQM4' },
    start: { type: 'string', default: '2024-05-01' },
    end: { type: 'string', default: '2024-05-03' },
    'max-cost': { type: 'string', default: '5' },
    out: { type: 'string', default: './downloads' },
    'poll-ms': { type: 'string', default: '15000' },
    'timeout-s': { type: 'string', default: '3600' },
  },
});

const client = new Historical({ gateway: process.env.DATABENTO_HIST_GATEWAY });
const request = {
  dataset: args.dataset,
  schema: args.schema,
  symbols: args.symbols.split(','),
  start: args.start,
  end: args.end,
};
console.log(`estimated cost $${(await client.metadata.getCost(request)).toFixed(4)}`);

// maxCostUsd refuses to submit (CostLimitError) if the cost is above it.
const job = await client.batch.submitJob({ ...request, splitDuration: 'day', maxCostUsd: Number(args['max-cost']) });
console.log(`submitted ${job.id}`);

// Batch jobs take from seconds to hours: poll until done.
const deadline = Date.now() + Number(args['timeout-s']) * 1000;
for (let state = job.state; state !== 'done'; ) {
  if (state === 'expired') throw new Error(`job ${job.id} expired`);
  if (Date.now() > deadline) throw new Error(`job ${job.id} still ${state} after --timeout-s`);
  await sleep(Number(args['poll-ms']));
  state = (await client.batch.getJobDetails({ jobId: job.id })).state;
  console.log(`  ${job.id}: ${state}`);
}

const paths = await client.batch.download({
  jobId: job.id,
  outputDir: args.out,
  onProgress: ({ filename, bytes, totalBytes }) => {
    if (bytes === totalBytes) console.log(`  downloaded ${filename} (${totalBytes} bytes)`);
  },
});
for (const path of paths.filter((p) => /\.dbn(\.zst)?$/.test(p))) {
  const store = DbnStore.fromFile(path);
  const count = store.replay(() => true); // visits every record without keeping them
  console.log(`${path}: ${count} ${store.metadata.schema} records`);
}
