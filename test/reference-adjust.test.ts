// Applying adjustment factors to prices, checked against values computed by hand.
import { describe, expect, test } from 'vitest';
import { DbnStore, OhlcvMsg } from '../lib/index.js';
import { PriceAdjustment, type FactorRow } from '../lib/reference/index.js';
import { readFixture } from './fixtures.js';

const listing = { security_id: 'S-33449', exchange: 'USNASD' };
// A 4-for-1 split, a dividend, a rescinded dividend and a pending one.
const FACTORS: FactorRow[] = [
  { ...listing, event_id: 'E-1-FSPLT', option: 1, status: 'A', ex_date: '2020-08-31', factor: 0.25, ts_created: 10n },
  { ...listing, event_id: 'E-2-DIV', option: 1, status: 'A', ex_date: '2020-08-07', factor: 0.99816, ts_created: 10n },
  { ...listing, event_id: 'E-3-DIV', option: 1, status: 'A', ex_date: '2020-05-08', factor: 0.99729, ts_created: 10n },
  { ...listing, event_id: 'E-3-DIV', option: 1, status: 'R', ex_date: '2020-05-08', factor: 0.99729, ts_created: 20n },
  { ...listing, event_id: 'E-4-DIV', option: 1, status: 'P', ex_date: '2020-11-06', factor: 0.99853, ts_created: 10n },
];

describe('PriceAdjustment', () => {
  const adj = PriceAdjustment.fromFactors(FACTORS);

  test('factors by date: every applied factor with a later ex-date', () => {
    expect(adj.factorOn('2019-12-31')).toBeCloseTo(0.24954, 12); // 0.99816 × 0.25
    expect(adj.factorOn('2020-08-06')).toBeCloseTo(0.24954, 12);
    expect(adj.factorOn('2020-08-07')).toBe(0.25); // on the ex-date the price is already post-dividend
    expect(adj.factorOn('2020-08-30')).toBe(0.25);
    expect(adj.factorOn('2020-08-31')).toBe(1);
    expect(adj.factorOn('2020-11-05')).toBe(1); // the pending dividend is not applied
    expect(adj.factorOn(new Date(Date.UTC(2020, 7, 6, 20)))).toBeCloseTo(0.24954, 12);
    expect(adj.factorOn(1596758400000000000n)).toBe(0.25); // 2020-08-07T00:00Z
  });

  test('bars, by hand', () => {
    const bars = adj.adjustBars([
      { date: '2020-05-07', open: 300, high: 302, low: 298, close: 300, volume: 1000 },
      { date: '2020-08-06', open: 450, high: 457.65, low: 439.19, close: 455.61, volume: 2000 },
      { date: '2020-08-07', open: 452.82, high: 454.7, low: 441.17, close: 444.45 },
      { ts_event: 1598832000000000000n, open: 127.58, high: 131, low: 126, close: 129.04 }, // 2020-08-31
    ]);
    expect(bars.map((b) => b.date)).toEqual(['2020-05-07', '2020-08-06', '2020-08-07', '2020-08-31']);
    expect(bars[0]!.close).toBeCloseTo(74.862, 9); // 300 × 0.99816 × 0.25
    expect(bars[0]!.high).toBeCloseTo(75.36108, 9); // 302 × 0.24954
    expect(bars[0]!.volume).toBe(1000); // volumes are left alone
    expect(bars[1]!.close).toBeCloseTo(113.6929194, 7); // 455.61 × 0.24954
    expect(bars[1]!.low).toBeCloseTo(109.5954726, 7); // 439.19 × 0.24954
    expect(bars[2]!.close).toBeCloseTo(111.1125, 9); // 444.45 × 0.25
    expect(bars[3]).toEqual({ date: '2020-08-31', ts_event: 1598832000000000000n, open: 127.58, high: 131, low: 126, close: 129.04, factor: 1 });
  });

  test('OHLCV records from a DBN file', () => {
    const records = [...DbnStore.fromBytes(readFixture('test_data.ohlcv-1h.v3.dbn.zst'))].filter((r) => r instanceof OhlcvMsg);
    expect(records.length).toBeGreaterThan(0);
    const first = records[0]!;
    const day = new Date(Number(first.ts_event / 1_000_000n)).toISOString().slice(0, 10);
    const nextDay = new Date(Date.parse(day) + 86_400_000).toISOString().slice(0, 10);
    const half = PriceAdjustment.fromFactors([{ event_id: 'E-9-FSPLT', option: 1, status: 'A', ex_date: nextDay, factor: 0.5 }]);
    const [bar] = half.adjustBars([first]);
    expect(bar!.date).toBe(day);
    expect(bar!.open).toBe(first.pretty_open * 0.5);
    expect(bar!.close).toBe(first.pretty_close * 0.5);
    expect(bar!.ts_event).toBe(first.ts_event);
    expect(bar!.volume).toBe(first.volume);
  });

  test('time zones decide the day of an intraday bar', () => {
    // 2020-08-07T01:00Z is still 2020-08-06 in New York: before the dividend's ex-date there.
    const ts = BigInt(Date.UTC(2020, 7, 7, 1)) * 1_000_000n;
    expect(adj.factorOn(ts)).toBe(0.25);
    const ny = PriceAdjustment.fromFactors(FACTORS, { timeZone: 'America/New_York' });
    expect(ny.factorOn(ts)).toBeCloseTo(0.24954, 12);
    expect(() => PriceAdjustment.fromFactors(FACTORS, { timeZone: 'Mars/Olympus' })).toThrow(/time zone/);
  });

  test('refuses factors of several listings and bad input', () => {
    expect(() => PriceAdjustment.fromFactors([...FACTORS, { ...FACTORS[0]!, exchange: 'USNYSE' }])).toThrow(/filter the factors/);
    expect(() => PriceAdjustment.fromFactors([{ ...FACTORS[0]!, ex_date: '2020/08/31' }])).toThrow(/ex_date/);
    expect(() => adj.factorOn('yesterday')).toThrow(/YYYY-MM-DD/);
    expect(() => adj.adjustBars([{ open: 1, high: 1, low: 1, close: 1 }])).toThrow(/date or a ts_event/);
  });
});
