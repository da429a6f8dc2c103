// A symbol's corporate actions, its adjustment factors applied to a price,
// and its current listing from the security master.
//
//   DATABENTO_API_KEY=db-… node examples/reference-data.mjs --symbol AAPL --start 2020 --country US
//
// DATABENTO_HIST_GATEWAY overrides the API's address (e.g. a mock server's URL).
import { parseArgs } from 'node:util';
import { PriceAdjustment, Reference, nanosToIso } from 'databento-node';

const { values: args } = parseArgs({
  options: {
    symbol: { type: 'string', default: 'AAPL' },
    start: { type: 'string', default: '2020' },
    country: { type: 'string', default: 'US' },
  },
});

// The key comes from DATABENTO_API_KEY.
const ref = new Reference({ gateway: process.env.DATABENTO_HIST_GATEWAY });
const query = { symbols: [args.symbol], countries: [args.country], start: args.start };

// One row per event (versions merged), sorted by event date.
const actions = await ref.corporateActions.getRange(query);
console.log(`${actions.length} corporate action(s) of ${args.symbol} since ${args.start}`);
for (const a of actions) {
  const ratio = a.ratio_old !== null && a.ratio_new !== null ? ` ${a.ratio_old}:${a.ratio_new}` : '';
  console.log(`  ${a.event_date ?? '(no date)'} ${a.event}${ratio} ${a.issuer_name} (${a.exchange})`);
}

// Factors are per listing: keep those of the primary exchange.
const factors = await ref.adjustmentFactors.getRange(query);
const primary = factors.filter((f) => f.exchange === (f.primary_exchange ?? f.exchange));
const listings = new Set(primary.map((f) => `${f.security_id} ${f.exchange}`));
console.log(`${factors.length} adjustment factor(s), ${primary.length} on the primary listing`);
if (listings.size === 1) {
  const adjust = PriceAdjustment.fromFactors(primary);
  for (const f of primary) {
    console.log(`  ${f.ex_date} ${f.event} ×${f.factor} — ${f.detail}`);
    // A price of 100 the day before the ex-date, in today's terms.
    const before = new Date(Date.parse(`${f.ex_date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    console.log(`    100.00 on ${before} is ${adjust.adjust(100, before).toFixed(4)} adjusted`);
  }
}

// The latest version of each listing.
for (const s of await ref.securityMaster.getLast({ symbols: [args.symbol], countries: [args.country] })) {
  console.log(
    `listing ${s.listing_id}: ${s.issuer_name}, ${s.security_description} on ${s.exchange} (${s.operating_mic}), ` +
      `ISIN ${s.isin}, ${s.shares_outstanding ?? '?'} shares, effective ${nanosToIso(s.ts_effective)}`,
  );
}
