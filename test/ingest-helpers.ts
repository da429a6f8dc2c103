// A small synthetic market served by the mock historical server, with the
// figures a correct load must reproduce.
import { DbnEncoder } from '../lib/dbn/index.js';
import type { SymbolMapping } from '../lib/dbn/metadata.js';
import { MockHistoricalServer } from '../lib/testing/historical-server.js';

export const DAY = 86_400_000_000_000n;
/** 2024-03-04T00:00Z. */
export const D0 = BigInt(Date.parse('2024-03-04T00:00:00Z')) * 1_000_000n;
export const KEY = 'db-Wk3xEJ7pQo9LrT2aZ6vNcF8sHy4Ub';

export interface MboRow {
  ts: bigint;
  iid: number;
  orderId: bigint;
  price: bigint;
  size: number;
  sequence: number;
  action: string;
  side: string;
}

/** The instrument id of a symbol on day `d` (ESH4 is re-assigned on day 2). */
export function instrumentOf(symbol: string, d: number): number {
  if (symbol === 'ESH4') return d < 2 ? 5001 : 5003;
  return 5002;
}

/**
 * `perDay` MBO records a day for 3 days, two symbols; records come in groups
 * of 4 sharing ts_recv (two per instrument), as one venue packet would.
 */
export function mboMarket(perDay: number, days = 3): MboRow[] {
  const rows: MboRow[] = [];
  let seq = 0;
  for (let d = 0; d < days; d++) {
    for (let k = 0; k < perDay; k++) {
      const ts = D0 + BigInt(d) * DAY + 3_600_000_000_000n + BigInt(Math.floor(k / 4)) * 1_000_000n;
      const symbol = k % 2 === 0 ? 'ESH4' : 'ESM4';
      rows.push({
        ts,
        iid: instrumentOf(symbol, d),
        orderId: BigInt(d * 1_000_000 + k),
        price: 5_000_000_000_000n + BigInt((k * 37) % 200) * 250_000_000n,
        size: 1 + (k % 9),
        sequence: seq++,
        action: 'ACMTF'[k % 5]!,
        side: k % 3 === 0 ? 'N' : k % 2 ? 'A' : 'B',
      });
    }
  }
  return rows;
}

export function encodeMbo(rows: MboRow[]): Uint8Array {
  const out = new Uint8Array(rows.length * 56);
  const dv = new DataView(out.buffer);
  rows.forEach((r, i) => {
    const o = i * 56;
    dv.setUint8(o, 14);
    dv.setUint8(o + 1, 0xa0);
    dv.setUint16(o + 2, 1, true);
    dv.setUint32(o + 4, r.iid, true);
    dv.setBigUint64(o + 8, r.ts - 1000n, true);
    dv.setBigUint64(o + 16, r.orderId, true);
    dv.setBigInt64(o + 24, r.price, true);
    dv.setUint32(o + 32, r.size, true);
    dv.setUint8(o + 36, 0x80);
    dv.setUint8(o + 38, r.action.charCodeAt(0));
    dv.setUint8(o + 39, r.side.charCodeAt(0));
    dv.setBigUint64(o + 40, r.ts, true);
    dv.setInt32(o + 48, 150, true);
    dv.setUint32(o + 52, r.sequence, true);
  });
  return out;
}

const isoDay = (ns: bigint): string => new Date(Number(ns / 1_000_000n)).toISOString().slice(0, 10);

/** Mappings of the symbols over [start, end), one interval per day. */
function mappings(symbols: string[], start: bigint, end: bigint): SymbolMapping[] {
  return symbols.map((s) => {
    const intervals = [];
    for (let d = (start - D0) / DAY; D0 + d * DAY < end; d++) {
      const day = D0 + d * DAY;
      intervals.push({ start_date: isoDay(day), end_date: isoDay(day + DAY), symbol: String(instrumentOf(s, Number(d))) });
    }
    return { raw_symbol: s, intervals };
  });
}

/** Serves `rows` as `timeseries.get_range` does: those with ts_recv in [start, end), zstd DBN. */
export function serveMbo(server: MockHistoricalServer, rows: MboRow[]): void {
  server.setTimeseries((p) => {
    const start = BigInt(p['start']!);
    const end = BigInt(p['end']!);
    const symbols = p['symbols']!.split(',');
    const ids = new Set<number>();
    for (let d = 0; d < 5; d++) for (const s of symbols) ids.add(instrumentOf(s, d));
    const wanted = rows.filter((r) => r.ts >= start && r.ts < end && ids.has(r.iid));
    const metadata = {
      dataset: p['dataset']!,
      schema: 'mbo',
      start,
      end,
      stype_in: p['stype_in'] ?? 'raw_symbol',
      stype_out: 'instrument_id',
      symbols,
      mappings: mappings(symbols, start, end),
    };
    return DbnEncoder.encode(metadata, encodeMbo(wanted), { compression: 'zstd' });
  });
}

/** What the table must hold for these rows: count and sums, as decimal strings. */
export function expectedFigures(rows: MboRow[]): Record<string, string> {
  let orderIds = 0n;
  let prices = 0n;
  let sizes = 0n;
  let seqs = 0n;
  for (const r of rows) {
    orderIds += r.orderId;
    prices += r.price;
    sizes += BigInt(r.size);
    seqs += BigInt(r.sequence);
  }
  return { count: String(rows.length), orderIds: String(orderIds), prices: String(prices), sizes: String(sizes), seqs: String(seqs) };
}

/** The same figures as SQL over the `mbo` table. */
export const FIGURES_SQL =
  'SELECT count(*) AS count, sum(order_id) AS orderIds, sum(price) AS prices, sum(size) AS sizes, sum(sequence) AS seqs FROM mbo';

/** Rows per symbol and day (`ESH4 2024-03-04` → n). */
export function expectedSymbols(rows: MboRow[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) {
    const d = Number((r.ts - D0) / DAY);
    const symbol = ['ESH4', 'ESM4'].find((s) => instrumentOf(s, d) === r.iid)!;
    const k = `${symbol} ${isoDay(r.ts)}`;
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}
