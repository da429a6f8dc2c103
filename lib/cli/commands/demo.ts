/**
 * `databento-node demo`: the whole path without an account. Starts the mock
 * live gateway and mock historical server in this process with the sample
 * data, streams live trades and fetches a historical range through the real
 * clients, prints them, and exits.
 * @internal
 * @module
 */
import type { Command } from 'commander';
import { Historical } from '../../historical/index.js';
import { LiveThreaded } from '../../live/index.js';
import { TsSymbolMap } from '../../symbology/index.js';
import { RType } from '../../generated/enums.js';
import type { InstrumentDefMsg, OhlcvMsg, TradeMsg } from '../../generated/records.js';
import { nanosToIso } from '../../time.js';
import { MOCK_API_KEY, SAMPLE_DATASET, SAMPLE_SYMBOLS, startSampleMocks } from '../../testing/index.js';
import { action, integerOption, message, writeOut } from '../util.js';

interface DemoOptions {
  limit: number;
}

export function register(program: Command): void {
  program
    .command('demo')
    .description('stream live trades and fetch historical bars from local mocks with sample data (no account needed)')
    .option('-l, --limit <records>', 'live trades to print', integerOption(1, 10_000), 12)
    .action(action(runDemo));
}

const price = (p: number): string => (Number.isNaN(p) ? '-' : p.toFixed(2)).padStart(9);
const time = (ns: bigint): string => (nanosToIso(ns) ?? '-').replace('T', ' ').slice(0, 23);

async function runDemo(opts: DemoOptions): Promise<void> {
  const mocks = await startSampleMocks();
  try {
    message(`mock live gateway on ${mocks.env.DATABENTO_LIVE_GATEWAY}, mock historical server on ${mocks.env.DATABENTO_HIST_GATEWAY}`);
    await live(mocks.live.port, opts.limit);
    await historical(mocks.historical.url);
    await writeOut(
      '\nThat was sample data from local mocks. With an account, set DATABENTO_API_KEY and use the same clients;\n' +
        'to keep the mocks running for your own code and the examples: npx databento-node mock\n',
    );
  } finally {
    await mocks.close();
  }
}

/** Live: instrument definitions, then trades, as a client of the mock gateway. */
async function live(port: number, limit: number): Promise<void> {
  const client = new LiveThreaded({ key: MOCK_API_KEY, dataset: SAMPLE_DATASET, gateway: '127.0.0.1', port });
  try {
    client.subscribe({ schema: 'definition', symbols: [...SAMPLE_SYMBOLS] });
    client.subscribe({ schema: 'trades', symbols: [...SAMPLE_SYMBOLS] });
    const metadata = await client.start();
    await writeOut(`Live: ${metadata.dataset}, definitions and trades of ${SAMPLE_SYMBOLS.join(', ')}\n\n`);
    await writeOut(`  ${'symbol'.padEnd(6)} ${'instrument'.padEnd(28)} tick\n`);
    let trades = 0;
    for await (const rec of client) {
      const symbol = (client.symbolMap.find(rec) ?? String(rec.instrument_id)).padEnd(6);
      if (rec.rtype === RType.InstrumentDef) {
        const def = rec as InstrumentDefMsg;
        await writeOut(`  ${symbol} ${`${def.asset} ${def.security_type} ${def.exchange}, expires ${time(def.expiration).slice(0, 10)}`.padEnd(28)} ${def.pretty_min_price_increment}\n`);
      } else if (rec.rtype === RType.Mbp0) {
        const trade = rec as TradeMsg;
        if (trades === 0) await writeOut(`\n  ${'time (UTC)'.padEnd(23)}  ${'symbol'.padEnd(6)} side  ${'size'.padStart(4)} ${'price'.padStart(9)}\n`);
        const side = trade.side === 'B' ? 'buy ' : trade.side === 'A' ? 'sell' : '-   ';
        await writeOut(`  ${time(trade.ts_event)}  ${symbol} ${side}  ${String(trade.size).padStart(4)} ${price(trade.pretty_price)}\n`);
        if (++trades >= limit) break;
      }
    }
  } finally {
    await client.close();
  }
}

/** Historical: one-minute bars of a range, as a client of the mock historical server. */
async function historical(gateway: string): Promise<void> {
  const client = new Historical({ key: MOCK_API_KEY, gateway });
  const query = {
    dataset: SAMPLE_DATASET,
    schema: 'ohlcv-1m',
    symbols: [...SAMPLE_SYMBOLS],
    start: '2024-11-18T14:30',
    end: '2024-11-18T14:34',
  } as const;
  const store = await client.timeseries.getRange(query);
  const symbols = TsSymbolMap.fromMetadata(store.metadata);
  await writeOut(`\nHistorical: ${query.dataset} ${query.schema} bars from ${query.start} to ${query.end} UTC\n\n`);
  await writeOut(`  ${'minute (UTC)'.padEnd(16)}  ${'symbol'.padEnd(6)} ${['open', 'high', 'low', 'close'].map((h) => h.padStart(9)).join(' ')} ${'volume'.padStart(7)}\n`);
  let bars = 0;
  for await (const rec of store) {
    if (rec.rtype !== RType.Ohlcv1M) continue;
    const bar = rec as OhlcvMsg;
    const symbol = (symbols.find(bar) ?? String(bar.instrument_id)).padEnd(6);
    const prices = [bar.pretty_open, bar.pretty_high, bar.pretty_low, bar.pretty_close].map(price).join(' ');
    await writeOut(`  ${time(bar.ts_event).slice(0, 16)}  ${symbol} ${prices} ${String(bar.volume).padStart(7)}\n`);
    bars++;
  }
  await writeOut(`\n  ${bars} bars\n`);
}
