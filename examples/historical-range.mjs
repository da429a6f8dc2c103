// Get historical data for a time range, after checking what it costs.
//
//   DATABENTO_API_KEY=db-… node examples/historical-range.mjs \
//     --dataset GLBX.MDP3 --schema trades --symbols ESM4 \
//     --start 2024-05-01T13:30 --end 2024-05-01T14:00 --max-cost 1.00
//
// DATABENTO_HIST_GATEWAY overrides the API's address (e.g. a mock server's URL).
import { parseArgs } from 'node:util';
import { Historical, nanosToIso } from 'databento-node';

const { values: args } = parseArgs({
  options: {
    dataset: { type: 'string', default: 'GLBX.MDP3' },
    schema: { type: 'string', default: 'trades' },
    symbols: { type: 'string', default: 'ESM4' },
    start: { type: 'string', default: '2024-05-01T13:30' },
    end: { type: 'string', default: '2024-05-01T14:00' },
    'max-cost': { type: 'string', default: '1.00' },
  },
});

// The key comes from DATABENTO_API_KEY.
const client = new Historical({ gateway: process.env.DATABENTO_HIST_GATEWAY });
const query = {
  dataset: args.dataset,
  schema: args.schema,
  symbols: args.symbols.split(','),
  start: args.start,
  end: args.end,
};

const [cost, count, bytes] = await Promise.all([
  client.metadata.getCost(query),
  client.metadata.getRecordCount(query),
  client.metadata.getBillableSize(query),
]);
console.log(`${count} records, ${bytes} billable bytes, cost $${cost.toFixed(4)}`);
const maxCostUsd = Number(args['max-cost']);
if (cost > maxCostUsd) {
  console.log(`more than --max-cost $${maxCostUsd}: not downloading`);
  process.exit(0);
}

// maxCostUsd checks again on the server's current price before any data is sent.
const store = await client.timeseries.getRange({ ...query, maxCostUsd });
console.log(`${store.metadata.dataset} ${store.metadata.schema} from ${nanosToIso(store.metadata.start)}`);
let n = 0;
let volume = 0;
// Records are decoded natively while the response body downloads.
for await (const rec of store) {
  n++;
  if ('size' in rec) volume += rec.size;
  if (n <= 3) console.log(JSON.stringify(rec));
}
console.log(`received ${n} records, total size ${volume}`);
