// Stream live trades and print them with their symbols, until Ctrl-C or
// --limit trades.
//
//   DATABENTO_API_KEY=db-… node examples/live-trades.mjs --dataset GLBX.MDP3 --symbols ES.FUT --stype-in parent
//
// DATABENTO_LIVE_GATEWAY=host[:port] overrides the gateway (e.g. a mock gateway).
import { parseArgs } from 'node:util';
import { LiveThreaded, RType, nanosToIso } from 'databento-node';

const { values: args } = parseArgs({
  options: {
    dataset: { type: 'string', default: 'GLBX.MDP3' },
    symbols: { type: 'string', default: 'ES.FUT' },
    'stype-in': { type: 'string', default: 'parent' },
    limit: { type: 'string', default: 'Infinity' },
  },
});

const [gateway, port] = (process.env.DATABENTO_LIVE_GATEWAY ?? '').split(':');
// The key comes from DATABENTO_API_KEY.
const client = new LiveThreaded({
  dataset: args.dataset,
  ...(gateway && { gateway }),
  ...(port && { port: Number(port) }),
  // Reconnect and resubscribe if the connection drops; the `reconnect` event says what was missed.
  reconnect: { maxAttempts: 5 },
});
client.on('reconnect', ({ attempt, lastTs, firstTs }) =>
  console.error(`reconnected (attempt ${attempt}); gap from ${nanosToIso(lastTs ?? 0n)} to ${nanosToIso(firstTs)}`),
);
process.once('SIGINT', () => void client.close());

client.subscribe({ schema: 'trades', symbols: args.symbols.split(','), stypeIn: args['stype-in'] });
const metadata = await client.start();
console.error(`session started on ${metadata.dataset}`);

let trades = 0;
// Ends when the client closes; throws a LiveError if the session fails.
for await (const rec of client) {
  if (rec.rtype !== RType.Mbp0) continue; // symbol mappings and system messages arrive too
  const symbol = client.symbolMap.find(rec) ?? rec.instrument_id;
  console.log(`${nanosToIso(rec.ts_event)} ${symbol} ${rec.side} ${rec.size} @ ${rec.pretty_price}`);
  if (++trades >= Number(args.limit)) break;
}
await client.close();
