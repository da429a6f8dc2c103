// Writes the sample data that ships in the package (sample-data/): half an hour
// of CME Globex futures (E-mini S&P 500, E-mini Nasdaq-100, crude oil) as
// trades, top of book (mbp-1), one-minute bars and instrument definitions.
// The market is simulated (a seeded random walk), the records are real DBN
// written by this package's own encoder from the generated layouts, so the
// output is the same on every run.
//
//   npm run build:ts && node scripts/make-sample-data.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DbnEncoder } from '../dist/lib/index.js';
import { encodeRecord } from '../dist/lib/testing/index.js';

const OUT = fileURLToPath(new URL('../sample-data/', import.meta.url));
const DATASET = 'GLBX.MDP3';
const PUBLISHER = 1; // GLBX.MDP3.GLBX
const START = 1_731_940_200_000_000_000n; // 2024-11-18T14:30:00Z
const END = START + 30n * 60n * 1_000_000_000n;
const PX = 1_000_000_000n; // one price unit in fixed-point

const INSTRUMENTS = [
  { symbol: 'ESZ4', id: 2935, asset: 'ES', group: 'ES', tick: 250_000_000n, px: 5_905_000_000_000n, rate: 0.9,
    multiplier: 50, expiration: 1_734_705_000_000_000_000n, uom: 'IPNT', cfi: 'FFIXSX', maturity: [2024, 12, 20] },
  { symbol: 'NQZ4', id: 4378, asset: 'NQ', group: 'NQ', tick: 250_000_000n, px: 20_650_000_000_000n, rate: 0.6,
    multiplier: 20, expiration: 1_734_705_000_000_000_000n, uom: 'IPNT', cfi: 'FFIXSX', maturity: [2024, 12, 20] },
  { symbol: 'CLF5', id: 1921, asset: 'CL', group: 'CL', tick: 10_000_000n, px: 69_150_000_000n, rate: 0.4,
    multiplier: 1000, expiration: 1_734_645_600_000_000_000n, uom: 'BBL', cfi: 'FCAPSX', maturity: [2025, 1, 21] },
];

// mulberry32: a small seeded generator, so the data is the same on every run.
let seed = 20241118;
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const exponential = (rate) => -Math.log(1 - random()) / rate;
const randomInt = (min, max) => min + Math.floor(random() * (max - min + 1));

// Events of every instrument, merged in time order: a quote change or a trade.
const events = [];
for (const inst of INSTRUMENTS) {
  for (let t = exponential(inst.rate); t < 1800; t += exponential(inst.rate)) events.push({ inst, ns: BigInt(Math.floor(t * 1e9)) });
  for (let t = exponential(inst.rate * 1.5); t < 1800; t += exponential(inst.rate * 1.5)) events.push({ inst, ns: BigInt(Math.floor(t * 1e9)), quote: true });
}
events.sort((a, b) => (a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : 0));

const book = new Map(INSTRUMENTS.map((i) => [i.id, { bid: i.px - i.tick, ask: i.px, bidSz: 12, askSz: 9, bidCt: 5, askCt: 4 }]));
const trades = [];
const mbp1 = [];
const bars = new Map(); // `${minute}:${id}` -> bar
let sequence = 1_000_000;

for (const { inst, ns, quote } of events) {
  const b = book.get(inst.id);
  const tsEvent = START + ns;
  const tsRecv = tsEvent + BigInt(randomInt(2_000, 40_000));
  const common = { publisher_id: PUBLISHER, instrument_id: inst.id, ts_event: tsEvent, ts_recv: tsRecv, ts_in_delta: randomInt(8_000, 25_000), sequence: sequence++ };
  if (quote) {
    // The market drifts a tick up or down now and then; sizes change on every update.
    const move = random() < 0.3 ? (random() < 0.5 ? -inst.tick : inst.tick) : 0n;
    b.bid += move;
    b.ask = b.bid + inst.tick;
    const side = random() < 0.5 ? 'B' : 'A';
    if (side === 'B') [b.bidSz, b.bidCt] = [randomInt(1, 60), randomInt(1, 20)];
    else [b.askSz, b.askCt] = [randomInt(1, 60), randomInt(1, 20)];
    const price = side === 'B' ? b.bid : b.ask;
    const size = side === 'B' ? b.bidSz : b.askSz;
    mbp1.push(encodeRecord('Mbp1Msg', { ...common, price, size, action: 'A', side, flags: 0x80, depth: 0, levels: [level(b)] }));
    continue;
  }
  const side = random() < 0.5 ? 'B' : 'A'; // the aggressor
  const price = side === 'B' ? b.ask : b.bid;
  const size = Math.min(randomInt(1, 8) * (random() < 0.1 ? 5 : 1), 40);
  const trade = { ...common, price, size, action: 'T', side, flags: 0x80, depth: 0 };
  trades.push(encodeRecord('TradeMsg', trade));
  mbp1.push(encodeRecord('Mbp1Msg', { ...trade, levels: [level(b)] }));
  const minute = tsEvent - (tsEvent % 60_000_000_000n);
  const key = `${minute}:${inst.id}`;
  const bar = bars.get(key);
  if (bar) Object.assign(bar, { high: price > bar.high ? price : bar.high, low: price < bar.low ? price : bar.low, close: price, volume: bar.volume + BigInt(size) });
  else bars.set(key, { minute, id: inst.id, open: price, high: price, low: price, close: price, volume: BigInt(size) });
}

function level(b) {
  return { bid_px: b.bid, ask_px: b.ask, bid_sz: b.bidSz, ask_sz: b.askSz, bid_ct: b.bidCt, ask_ct: b.askCt };
}

const ohlcv = [...bars.values()]
  .sort((a, b) => (a.minute < b.minute ? -1 : a.minute > b.minute ? 1 : a.id - b.id))
  .map((bar) => encodeRecord('OhlcvMsg', { rtype: 0x21, publisher_id: PUBLISHER, instrument_id: bar.id, ts_event: bar.minute,
    open: bar.open, high: bar.high, low: bar.low, close: bar.close, volume: bar.volume }));

const definitions = INSTRUMENTS.map((inst) =>
  encodeRecord('InstrumentDefMsg', {
    publisher_id: PUBLISHER, instrument_id: inst.id, ts_event: START, ts_recv: START + 4_000n,
    min_price_increment: inst.tick, display_factor: PX, expiration: inst.expiration, activation: 1_718_920_800_000_000_000n,
    high_limit_price: inst.px + 400n * inst.tick, low_limit_price: inst.px - 400n * inst.tick, max_price_variation: 60n * inst.tick,
    unit_of_measure_qty: BigInt(inst.multiplier) * PX, min_price_increment_amount: (inst.tick * BigInt(inst.multiplier)),
    price_ratio: (1n << 63n) - 1n, strike_price: (1n << 63n) - 1n, raw_instrument_id: BigInt(inst.id),
    leg_price: (1n << 63n) - 1n, leg_delta: (1n << 63n) - 1n,
    market_depth_implied: 2, market_depth: 10, market_segment_id: 64, max_trade_vol: 3000, min_lot_size: 1,
    min_lot_size_block: 1, min_lot_size_round_lot: 1, min_trade_vol: 1, contract_multiplier: 2147483647,
    decay_quantity: 2147483647, original_contract_size: 2147483647, leg_ratio_price_numerator: 0,
    appl_id: 1, maturity_year: inst.maturity[0], decay_start_date: 65535, channel_id: 10,
    currency: 'USD', settl_currency: 'USD', raw_symbol: inst.symbol, group: inst.group, exchange: inst.asset === 'CL' ? 'NYMX' : 'XCME',
    asset: inst.asset, cfi: inst.cfi, security_type: 'FUT', unit_of_measure: inst.uom, underlying: inst.asset,
    instrument_class: 'F', match_algorithm: 'F', main_fraction: 0, price_display_format: 0, sub_fraction: 0, underlying_product: 14,
    security_update_action: 'A', maturity_month: inst.maturity[1], maturity_day: inst.maturity[2], maturity_week: 255,
    user_defined_instrument: 'N',
  }),
);

mkdirSync(OUT, { recursive: true });
const mappings = INSTRUMENTS.map((i) => ({ raw_symbol: i.symbol, intervals: [{ start_date: '2024-11-18', end_date: '2024-11-19', symbol: String(i.id) }] }));
for (const [schema, records] of [['trades', trades], ['mbp-1', mbp1], ['ohlcv-1m', ohlcv], ['definition', definitions]]) {
  const metadata = { version: 3, dataset: DATASET, schema, start: START, end: END, stype_in: 'raw_symbol', stype_out: 'instrument_id',
    symbols: INSTRUMENTS.map((i) => i.symbol), mappings };
  const bytes = DbnEncoder.encode(metadata, Buffer.concat(records), { compression: 'zstd', level: 19 });
  const file = join(OUT, `${DATASET.toLowerCase().replace('.', '-')}.${schema}.dbn.zst`);
  writeFileSync(file, bytes);
  console.log(`${file}: ${records.length} records, ${bytes.length} bytes`);
}
