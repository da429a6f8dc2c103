/**
 * The gateway's own records, built from the generated layouts: system, error
 * and symbol-mapping messages, trades, and runs of MBO records for tests.
 * @module
 */
import { RType } from '../generated/enums.js';
import { recordSize } from '../generated/records.js';
import { encodeRecord, fieldOffsets } from './records.js';

const UNDEF_TIMESTAMP = (1n << 64n) - 1n;

/** Fields of {@link encodeSymbolMappingMsg}. */
export interface SymbolMappingInit {
  /** Instrument id of the record header. */
  instrumentId: number;
  /** Input SType code (default 1, `raw_symbol`). */
  stypeIn?: number;
  /** The subscribed symbol, e.g. `'ES.FUT'`. */
  stypeInSymbol: string;
  /** Output SType code (default 1, `raw_symbol`). */
  stypeOut?: number;
  /** The output symbol, e.g. `'ESZ4'`. */
  stypeOutSymbol: string;
  /** Start of the mapping, UNIX ns (default `tsEvent`). */
  startTs?: bigint;
  /** End of the mapping, UNIX ns (default UNDEF_TIMESTAMP). */
  endTs?: bigint;
  /** ts_event of the record header, UNIX ns (default now). */
  tsEvent?: bigint;
  /** Publisher id of the record header (default 1). */
  publisherId?: number;
}

/** Current time as UNIX nanoseconds (millisecond resolution). */
export function nowNanos(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}

/** A SystemMsg (DBN v2/v3 layout): heartbeat (code 0), subscription ack (1), … */
export function encodeSystemMsg(msg: string, code: number, tsEvent: bigint = nowNanos()): Uint8Array {
  return encodeRecord('SystemMsg', { ts_event: tsEvent, msg: msg.slice(0, 302), code });
}

/** An ErrorMsg (DBN v2/v3 layout). Fatal codes: 1, 2, 3, 5, 6, 8. */
export function encodeErrorMsg(err: string, code: number, isLast = 1, tsEvent: bigint = nowNanos()): Uint8Array {
  return encodeRecord('ErrorMsg', { ts_event: tsEvent, err: err.slice(0, 301), code, is_last: isLast });
}

/** A SymbolMappingMsg (DBN v2/v3 layout). */
export function encodeSymbolMappingMsg(m: SymbolMappingInit): Uint8Array {
  const ts = m.tsEvent ?? nowNanos();
  return encodeRecord('SymbolMappingMsg', {
    publisher_id: m.publisherId ?? 1,
    instrument_id: m.instrumentId,
    ts_event: ts,
    stype_in: m.stypeIn ?? 1,
    stype_in_symbol: m.stypeInSymbol.slice(0, 70),
    stype_out: m.stypeOut ?? 1,
    stype_out_symbol: m.stypeOutSymbol.slice(0, 70),
    start_ts: m.startTs ?? ts,
    end_ts: m.endTs ?? UNDEF_TIMESTAMP,
  });
}

/** A TradeMsg with the given fields; the rest are zeros. */
export function encodeTradeMsg(t: {
  instrumentId: number;
  tsEvent: bigint;
  price: bigint;
  size: number;
  side?: 'A' | 'B' | 'N';
  sequence?: number;
  publisherId?: number;
}): Uint8Array {
  return encodeRecord('TradeMsg', {
    publisher_id: t.publisherId ?? 1,
    instrument_id: t.instrumentId,
    ts_event: t.tsEvent,
    price: t.price,
    size: t.size,
    action: 'T',
    side: t.side ?? 'N',
    flags: 0x81,
    ts_recv: t.tsEvent,
    sequence: t.sequence ?? 0,
  });
}

const MBO_SIZE = recordSize(RType.Mbo, 3)!;
const MBO = fieldOffsets('MboMsg');

/** `count` MBO records starting at record `first`, back to back; ts_event = `tsEvent(i)`. */
export function encodeMboRecords(count: number, first = 0, tsEvent: (i: number) => bigint = (i) => 1_700_000_000_000_000_000n + BigInt(i)): Uint8Array {
  // One record from the layout table, then only the fields that vary, record by record.
  const template = encodeRecord('MboMsg', { publisher_id: 1, flags: 0x80, action: 'A' });
  const out = new Uint8Array(count * MBO_SIZE);
  const dv = new DataView(out.buffer);
  for (let n = 0; n < count; n++) {
    const i = first + n;
    const o = n * MBO_SIZE;
    const ts = tsEvent(i);
    out.set(template, o);
    dv.setUint32(o + MBO.instrument_id!, 5000 + (i % 16), true);
    dv.setBigUint64(o + MBO.ts_event!, ts, true);
    dv.setBigUint64(o + MBO.order_id!, BigInt(i), true);
    dv.setBigInt64(o + MBO.price!, 4_500_000_000_000n + BigInt(i % 400) * 250_000_000n, true);
    dv.setUint32(o + MBO.size!, 1 + (i % 25), true);
    dv.setUint8(o + MBO.side!, i % 2 ? 0x41 : 0x42); // 'A' / 'B'
    dv.setBigUint64(o + MBO.ts_recv!, ts, true);
    dv.setUint32(o + MBO.sequence!, i >>> 0, true);
  }
  return out;
}

