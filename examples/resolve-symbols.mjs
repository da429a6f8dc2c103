// Resolve symbols to instrument ids (or between any two symbologies) over a
// date range, and use the result to name the instruments in records.
//
//   DATABENTO_API_KEY=db-… node examples/resolve-symbols.mjs \
//     --dataset GLBX.MDP3 --symbols ES.c.0,NQ.c.0 --stype-in continuous \
//     --start-date 2024-05-01 --end-date 2024-05-04
//
// DATABENTO_HIST_GATEWAY overrides the API's address (e.g. a mock server's URL).
import { parseArgs } from 'node:util';
import { Historical } from 'databento-node';

const { values: args } = parseArgs({
  options: {
    dataset: { type: 'string', default: 'GLBX.MDP3' },
    symbols: { type: 'string', default: 'ES.c.0,NQ.c.0' },
    'stype-in': { type: 'string', default: 'continuous' },
    'start-date': { type: 'string', default: '2024-05-01' },
    'end-date': { type: 'string', default: '2024-05-04' },
  },
});

const client = new Historical({ gateway: process.env.DATABENTO_HIST_GATEWAY });
const resolution = await client.symbology.resolve({
  dataset: args.dataset,
  symbols: args.symbols.split(','),
  stypeIn: args['stype-in'],
  stypeOut: 'instrument_id',
  startDate: args['start-date'],
  endDate: args['end-date'],
});

for (const [symbol, intervals] of Object.entries(resolution.result)) {
  for (const { d0, d1, s } of intervals) console.log(`${symbol}: instrument ${s} from ${d0} until ${d1}`);
}
if (resolution.partial.length) console.log(`resolved on some days only: ${resolution.partial.join(', ')}`);
if (resolution.not_found.length) console.log(`not found: ${resolution.not_found.join(', ')}`);

// The other way round: which symbol an instrument id stood for on a given day,
// as you need it for records of historical data.
const symbolMap = resolution.toTsSymbolMap();
const [firstSymbol] = Object.keys(resolution.result);
const first = resolution.result[firstSymbol]?.[0];
if (first) {
  console.log(`on ${first.d0}, instrument ${first.s} was ${symbolMap.find(first.d0, Number(first.s))}`);
}
