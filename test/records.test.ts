import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import {
  BboMsg,
  BidAskPair,
  CbboMsg,
  Cmbp1Msg,
  ConsolidatedBidAskPair,
  ErrorMsg,
  ErrorMsgV1,
  HEADER_LAYOUT,
  ImbalanceMsg,
  InstrumentDefMsg,
  InstrumentDefMsgV1,
  InstrumentDefMsgV2,
  LAYOUTS,
  LEVEL_LAYOUTS,
  MboMsg,
  Mbp10Msg,
  Mbp1Msg,
  OhlcvMsg,
  RECORD_CLASSES,
  StatMsg,
  StatMsgV1,
  StatusMsg,
  SymbolMappingMsg,
  SymbolMappingMsgV1,
  SystemMsg,
  SystemMsgV1,
  TbboMsg,
  TradeMsg,
  UnknownRecord,
  recordClassFor,
  recordSize,
  type AnyRecord,
  type LayoutInfo,
} from '../lib/generated/records.js';
import {
  Action,
  Compression,
  Dataset,
  Encoding,
  ErrorCode,
  FlagSet,
  InstrumentClass,
  MatchAlgorithm,
  PUBLISHERS,
  Publisher,
  RType,
  SType,
  Schema,
  Side,
  SlowReaderBehavior,
  StatType,
  StatusAction,
  SystemCode,
  TriState,
  UNDEF_PRICE,
  UNDEF_STAT_QUANTITY,
  UNDEF_STAT_QUANTITY_V1,
  UNDEF_TIMESTAMP,
  Venue,
  compressionFromName,
  compressionName,
  datasetCode,
  datasetFromCode,
  encodingFromName,
  encodingName,
  enumKey,
  errorCodeFromName,
  errorCodeName,
  flagNames,
  publisherByCode,
  publisherById,
  publishersForDataset,
  rtypeForSchema,
  rtypeFromName,
  rtypeName,
  schemaForRtype,
  schemaFromName,
  schemaName,
  slowReaderBehaviorFromName,
  slowReaderBehaviorName,
  stypeFromName,
  stypeName,
  systemCodeFromName,
  systemCodeName,
  venueCode,
  venueFromCode,
} from '../lib/generated/enums.js';

const FIXTURES = new URL('./fixtures/dbn/', import.meta.url);
const SPEC = new URL('./fixtures/spec/dbn-format.md', import.meta.url);
const GENERATOR = fileURLToPath(new URL('../scripts/generate-records.mjs', import.meta.url));
const TABLE = new URL('../scripts/records.mjs', import.meta.url).href;

// The layout table is plain JS; only the shape this test reads is typed.
interface TableField {
  name: string;
  type: string;
  offset: number;
  len?: number;
  count?: number;
  of?: string;
}
interface TableLayout {
  name: string;
  size: number;
  rtypes?: number[];
  versions?: number[];
  fields: TableField[];
}
interface Table {
  HEADER: TableLayout;
  LEVELS: TableLayout[];
  RECORDS: TableLayout[];
  SCALAR_SIZES: { [type: string]: number };
}
const table = (await import(TABLE)) as Table;

/** A DataView over a whole fixture file. */
function fixture(name: string): DataView {
  const buf = readFileSync(new URL(name, FIXTURES));
  return new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** Offset of the first record of a DBN file: 8 + the metadata length. */
function firstRecordOffset(dv: DataView): number {
  expect(String.fromCharCode(dv.getUint8(0), dv.getUint8(1), dv.getUint8(2))).toBe('DBN');
  return 8 + dv.getUint32(4, true);
}

/** Views of every record of a DBN file or fragment. */
function records(name: string, version?: number): AnyRecord[] {
  const dv = fixture(name);
  let off = 0;
  let v = version ?? 0;
  if (version === undefined) {
    v = dv.getUint8(3);
    off = firstRecordOffset(dv);
  }
  const out: AnyRecord[] = [];
  while (off < dv.byteLength) {
    const byteLength = dv.getUint8(off) * 4;
    const cls = recordClassFor(dv.getUint8(off + 1), v, byteLength);
    out.push(new cls(dv, off));
    off += byteLength;
  }
  expect(off).toBe(dv.byteLength);
  return out;
}

function first<T extends AnyRecord>(name: string, cls: abstract new (...args: never[]) => T, version?: number): T {
  const rec = records(name, version)[0];
  expect(rec).toBeInstanceOf(cls);
  return rec as T;
}

// ---------------------------------------------------------------------------

describe('generator', () => {
  it('--check finds the committed generated files up to date', () => {
    const out = execFileSync(process.execPath, [GENERATOR, '--check'], { encoding: 'utf8' });
    expect(out).toMatch(/up to date/);
  });
});

describe('layout table', () => {
  const fieldSize = (f: TableField): number => {
    switch (f.type) {
      case 'header':
        return 16;
      case 'cstr':
      case 'pad':
        return f.len!;
      case 'levels':
        return f.count! * 32;
      default:
        return table.SCALAR_SIZES[f.type]!;
    }
  };
  const all = [table.HEADER, ...table.LEVELS, ...table.RECORDS];

  it('covers every record layout of DBN v1, v2 and v3', () => {
    expect(table.RECORDS.map((r) => r.name).sort()).toEqual(
      [
        'BboMsg', 'CbboMsg', 'Cmbp1Msg', 'ErrorMsg', 'ErrorMsgV1', 'ImbalanceMsg', 'InstrumentDefMsg',
        'InstrumentDefMsgV1', 'InstrumentDefMsgV2', 'MboMsg', 'Mbp10Msg', 'Mbp1Msg', 'OhlcvMsg', 'StatMsg',
        'StatMsgV1', 'StatusMsg', 'SymbolMappingMsg', 'SymbolMappingMsgV1', 'SystemMsg', 'SystemMsgV1', 'TradeMsg',
      ].sort(),
    );
  });

  it.each(all.map((l) => [l.name, l] as const))('%s is contiguous: every byte in exactly one field', (_name, layout) => {
    let next = 0;
    for (const f of layout.fields) {
      expect(f.offset, `${layout.name}.${f.name}`).toBe(next);
      next = f.offset + fieldSize(f);
    }
    expect(next).toBe(layout.size);
    if (layout.rtypes) expect(layout.size % 8).toBe(0);
  });

  it('record sizes match the rtype table of the spec (§2.1) for every version', () => {
    const rows = readFileSync(SPEC, 'utf8')
      .split('\n')
      .filter((line) => /^\| 0x[0-9A-F]{2} \|/.test(line));
    expect(rows.length).toBe(23);
    const specRtypes = new Set<number>();
    for (const row of rows) {
      const cells = row.split('|').slice(1, -1).map((c) => c.trim().replace(/\*\*/g, ''));
      const rtype = parseInt(cells[0]!, 16);
      specRtypes.add(rtype);
      [1, 2, 3].forEach((version, i) => {
        const size = Number(cells[5 + i]);
        expect(recordSize(rtype, version), `rtype ${cells[0]} v${version}`).toBe(size);
        const layout = table.RECORDS.find((r) => r.rtypes!.includes(rtype) && r.versions!.includes(version));
        expect(layout?.size).toBe(size);
      });
      // The string name of the spec is what rtypeName prints.
      expect(rtypeName(rtype)).toBe(cells[2]!.replace(/`/g, ''));
    }
    for (const r of table.RECORDS) for (const rtype of r.rtypes!) expect(specRtypes.has(rtype)).toBe(true);
  });

  it('every field offset, size and name matches the layout tables of the spec (§2-§4)', () => {
    // Which spec table belongs to which layout: section headings and the
    // level-struct captions name them.
    const spec = new Map<string, [number, number, string][]>();
    let target: string | null = null;
    for (const line of readFileSync(SPEC, 'utf8').split('\n')) {
      let m: RegExpMatchArray | null;
      if (line.startsWith('## ')) target = line.startsWith('## 2. Record header') ? 'RecordHeader' : null;
      else if ((m = line.match(/^### (\d)\.\d+ (\w+)(?: v(\d))?/))) {
        target = m[1] === '4' && m[3] ? `${m[2]}V${m[3]}` : m[2]!;
      } else if ((m = line.match(/^(\w+) \(32 B\)/))) target = m[1]!;
      else if (target && (m = line.match(/^\| (\d+) \| (\d+) \| [^|]+ \| (\w+) \|/))) {
        const rows = spec.get(target) ?? [];
        rows.push([Number(m[1]), Number(m[2]), m[3]!]);
        spec.set(target, rows);
      }
    }
    for (const layout of all) {
      const ours = layout.fields.map((f) => [f.offset, fieldSize(f), f.name]);
      expect(ours, layout.name).toEqual(spec.get(layout.name));
    }
  });

  it('the generated TS layout metadata equals the table', () => {
    const strip = (l: TableLayout | LayoutInfo) => ({
      name: l.name,
      size: l.size,
      fields: l.fields.map((f) => [f.name, f.type, f.offset]),
    });
    expect(strip(HEADER_LAYOUT)).toEqual(strip(table.HEADER));
    expect(LEVEL_LAYOUTS.map(strip)).toEqual(table.LEVELS.map(strip));
    expect(LAYOUTS.map(strip)).toEqual(table.RECORDS.map(strip));
    expect(RECORD_CLASSES.map((c) => c.name)).toEqual([...table.RECORDS.map((r) => r.name), 'UnknownRecord']);
    for (const cls of RECORD_CLASSES.slice(0, -1)) {
      const layout = table.RECORDS.find((r) => r.name === cls.name)!;
      expect(cls.SIZE).toBe(layout.size);
      expect(cls.RTYPES).toEqual(layout.rtypes);
      expect(cls.VERSIONS).toEqual(layout.versions);
    }
  });
});

describe('recordClassFor', () => {
  it('picks the layout of the DBN version', () => {
    expect(recordClassFor(0x13, 1, 360)).toBe(InstrumentDefMsgV1);
    expect(recordClassFor(0x13, 2, 400)).toBe(InstrumentDefMsgV2);
    expect(recordClassFor(0x13, 3, 520)).toBe(InstrumentDefMsg);
    expect(recordClassFor(0x18, 1, 64)).toBe(StatMsgV1);
    expect(recordClassFor(0x18, 2, 64)).toBe(StatMsgV1);
    expect(recordClassFor(0x18, 3, 80)).toBe(StatMsg);
    expect(recordClassFor(0x15, 1, 80)).toBe(ErrorMsgV1);
    expect(recordClassFor(0x15, 2, 320)).toBe(ErrorMsg);
    expect(recordClassFor(0x16, 1, 80)).toBe(SymbolMappingMsgV1);
    expect(recordClassFor(0x16, 3, 176)).toBe(SymbolMappingMsg);
    expect(recordClassFor(0x17, 1, 80)).toBe(SystemMsgV1);
    expect(recordClassFor(0x17, 3, 320)).toBe(SystemMsg);
    expect(recordClassFor(0xa0, 1, 56)).toBe(MboMsg);
    expect(recordClassFor(0x11, 0, 56)).toBe(OhlcvMsg); // DBZ: version 0 reads as v1
    expect(recordClassFor(0xc2, 3, 80)).toBe(Cmbp1Msg);
    expect(recordClassFor(0x01, 3, 80)).toBe(TbboMsg);
  });

  it('accepts a ts_out suffix and falls back to the layout whose size fits', () => {
    expect(recordClassFor(0x13, 3, 528)).toBe(InstrumentDefMsg);
    expect(recordClassFor(0x13, 3, 360)).toBe(InstrumentDefMsgV1);
    expect(recordClassFor(0x18, 3, 72)).toBe(StatMsgV1);
    expect(recordClassFor(0x18, 1, 80)).toBe(StatMsg);
  });

  it('returns UnknownRecord for unknown rtypes and records too short for their layout', () => {
    expect(recordClassFor(0x42, 3, 64)).toBe(UnknownRecord);
    expect(recordClassFor(0xa0, 3, 40)).toBe(UnknownRecord);
    expect(recordSize(0x42, 3)).toBeUndefined();
    expect(recordSize(0x13, 2)).toBe(400);
  });
});

describe('record views over the fixtures', () => {
  it('MBO v3 (test_data.mbo.v3.dbn)', () => {
    const dv = fixture('test_data.mbo.v3.dbn');
    expect(firstRecordOffset(dv)).toBe(360);
    const r = first('test_data.mbo.v3.dbn', MboMsg);
    expect(r.length).toBe(14);
    expect(r.byteLength).toBe(56);
    expect(r.rtype).toBe(0xa0);
    expect(r.publisher_id).toBe(1);
    expect(r.instrument_id).toBe(5482);
    expect(r.ts_event).toBe(1609160400000429831n);
    expect(r.order_id).toBe(647784973705n);
    expect(r.price).toBe(3722750000000n);
    expect(r.pretty_price).toBe(3722.75);
    expect(r.size).toBe(1);
    expect(r.flags).toBe(0x80);
    expect(r.channel_id).toBe(0);
    expect(r.action).toBe('C');
    expect(r.side).toBe('A');
    expect(r.ts_recv).toBe(1609160400000704060n);
    expect(r.pretty_ts_recv?.toISOString()).toBe('2020-12-28T13:00:00.000Z');
    expect(r.pretty_ts_event).toEqual(new Date(1609160400000));
    expect(r.ts_in_delta).toBe(22993);
    expect(r.sequence).toBe(1170352);
    expect(r.hd).toEqual({ length: 14, rtype: 0xa0, publisher_id: 1, instrument_id: 5482, ts_event: 1609160400000429831n });
    // bytes() is a view of exactly this record inside the file buffer.
    const view = new MboMsg(dv, 360);
    const bytes = view.bytes();
    expect(bytes).toEqual(r.bytes());
    expect(bytes.byteLength).toBe(56);
    expect(bytes.buffer).toBe(dv.buffer);
    expect(bytes.byteOffset).toBe(dv.byteOffset + 360);
  });

  it('MBO v1 at an unaligned offset reads the same event (test_data.mbo.v1.dbn)', () => {
    const dv = fixture('test_data.mbo.v1.dbn');
    expect(firstRecordOffset(dv)).toBe(206);
    const v1 = first('test_data.mbo.v1.dbn', MboMsg);
    const v3 = first('test_data.mbo.v3.dbn', MboMsg);
    expect(v1.toJSON()).toEqual(v3.toJSON());
  });

  it('trades (test_data.trades.dbn, v2 = same records as v3)', () => {
    const r = first('test_data.trades.dbn', TradeMsg);
    expect(r.rtype).toBe(RType.Mbp0);
    expect(r.price).toBe(3720250000000n);
    expect(r.size).toBe(5);
    expect(r.action).toBe(Action.Trade);
    expect(r.side).toBe(Side.Ask);
    expect(r.flags).toBe(0x81);
    expect(flagNames(r.flags)).toEqual(['LAST']);
    expect(r.depth).toBe(0);
    expect(r.ts_recv).toBe(1609160400099150057n);
    expect(r.ts_in_delta).toBe(19251);
    expect(r.sequence).toBe(1170380);
  });

  it('statistics v1 (test_data.statistics.v1.dbn)', () => {
    const r = first('test_data.statistics.v1.dbn', StatMsgV1);
    expect(r.length).toBe(16);
    expect(r.instrument_id).toBe(146945);
    expect(r.ts_ref).toBe(UNDEF_TIMESTAMP);
    expect(r.pretty_ts_ref).toBeNull();
    expect(r.price).toBe(100000000000n);
    expect(r.pretty_price).toBe(100);
    expect(r.quantity).toBe(UNDEF_STAT_QUANTITY_V1);
    expect(r.sequence).toBe(2);
    expect(r.ts_in_delta).toBe(26961);
    expect(r.stat_type).toBe(StatType.LowestOffer);
    expect(r.channel_id).toBe(13);
    expect(r.update_action).toBe(1);
    expect(r.stat_flags).toBe(255);
    // v2 uses the same layout for the same events.
    expect(first('test_data.statistics.dbn', StatMsgV1).toJSON()).toEqual(r.toJSON());
  });

  it('definition v1 (test_data.definition.v1.dbn and its .frag)', () => {
    const r = first('test_data.definition.v1.dbn', InstrumentDefMsgV1);
    expect(r.length).toBe(90);
    expect(r.raw_symbol).toBe('MSFT');
    expect(r.exchange).toBe('XNAS');
    expect(r.instrument_class).toBe(InstrumentClass.Stock);
    const frag = first('test_data.definition.v1.dbn.frag', InstrumentDefMsgV1, 1);
    expect(frag.raw_symbol).toBe('GEM3 P9812');
    expect(frag.strike_price).toBe(9812500000000n);
    expect(frag.instrument_class).toBe(InstrumentClass.Put);
  });

  it('definition v2 (test_data.definition.dbn, same events as definition.v3)', () => {
    const r = first('test_data.definition.dbn', InstrumentDefMsgV2);
    expect(r.length).toBe(100);
    expect(r.publisher_id).toBe(2);
    expect(r.instrument_id).toBe(6819);
    expect(r.raw_symbol).toBe('MSFT');
    expect(r.group).toBe('pxnas-1');
    expect(r.exchange).toBe('XNAS');
    expect(r.secsubtype).toBe('Z ');
    expect(r.instrument_class).toBe('K');
    expect(r.match_algorithm).toBe(MatchAlgorithm.Fifo);
    expect(r.min_lot_size_round_lot).toBe(100);
    const frag = first('test_data.definition.v2.dbn.frag', InstrumentDefMsgV2, 2);
    expect(frag.raw_symbol).toBe('GEM3 P9812');
    expect(frag.strike_price).toBe(9812500000000n);
  });

  it('definition v3 (test_data.definition.v3.dbn.frag)', () => {
    const all = records('test_data.definition.v3.dbn.frag', 3);
    expect(all).toHaveLength(2);
    const r = all[0] as InstrumentDefMsg;
    expect(r).toBeInstanceOf(InstrumentDefMsg);
    expect(r.length).toBe(130);
    expect(r.raw_symbol).toBe('GEM3 P9812');
    expect(r.asset).toBe('GE');
    expect(r.cfi).toBe('OPAFPS');
    expect(r.security_type).toBe('OOF');
    expect(r.instrument_class).toBe('P');
    expect(r.strike_price).toBe(9812500000000n);
    expect(r.pretty_strike_price).toBe(9812.5);
    expect(r.expiration).toBe(1687168800000000000n);
    expect(r.pretty_expiration?.toISOString()).toBe('2023-06-19T10:00:00.000Z');
    // Upgraded from v1/v2: the v3-only leg fields hold their null values.
    expect(r.leg_side).toBe('N');
    expect(r.leg_price).toBe(UNDEF_PRICE);
    expect(r.pretty_leg_price).toBeNaN();
    expect(r.leg_instrument_class).toBe('');
    // A v3 fragment read as v1 still gets the v3 view: the size decides.
    expect(records('test_data.definition.v3.dbn.frag', 1)[0]).toBeInstanceOf(InstrumentDefMsg);
  });

  it('status (test_data.status.dbn)', () => {
    const r = first('test_data.status.dbn', StatusMsg);
    expect(r.length).toBe(10);
    expect(r.ts_recv).toBe(1609113600000000000n);
    expect(r.action).toBe(StatusAction.Trading);
    expect(enumKey(StatusAction, r.action)).toBe('Trading');
    expect(r.reason).toBe(1);
    expect(r.trading_event).toBe(0);
    expect(r.is_trading).toBe(TriState.Yes);
    expect(r.is_quoting).toBe('Y');
    expect(r.is_short_sell_restricted).toBe(TriState.NotAvailable);
  });

  it('imbalance (test_data.imbalance.dbn)', () => {
    const r = first('test_data.imbalance.dbn', ImbalanceMsg);
    expect(r.length).toBe(28);
    expect(r.publisher_id).toBe(2);
    expect(r.instrument_id).toBe(9439);
    expect(r.ref_price).toBe(229430000000n);
    expect(r.pretty_ref_price).toBeCloseTo(229.43, 9);
    expect(r.total_imbalance_qty).toBe(2000);
    expect(r.auction_type).toBe('O');
    expect(r.side).toBe('B');
    expect(r.unpaired_side).toBe('N');
    expect(r.significant_imbalance).toBe('~');
  });

  it('bbo-1s with levels (test_data.bbo-1s.dbn)', () => {
    const r = first('test_data.bbo-1s.dbn', BboMsg);
    expect(r.rtype).toBe(0xc3);
    expect(r.price).toBe(3702500000000n);
    expect(r.size).toBe(2);
    expect(r.side).toBe('A');
    expect(r.flags).toBe(0xa8);
    expect(flagNames(r.flags)).toEqual(['LAST', 'SNAPSHOT', 'BAD_TS_RECV']);
    expect(r.ts_recv).toBe(1609113600000000000n);
    expect(r.sequence).toBe(145799);
    expect(r.bid_px_00).toBe(3702250000000n);
    expect(r.pretty_bid_px_00).toBe(3702.25);
    expect(r.bid_sz_00).toBe(18);
    expect(r.bid_ct_00).toBe(10);
    expect(r.ask_px_00).toBe(3702750000000n);
    expect(r.ask_sz_00).toBe(13);
    expect(r.ask_ct_00).toBe(13);
    const [level] = r.levels;
    expect(level).toBeInstanceOf(BidAskPair);
    expect(level!.toObject()).toEqual({
      bid_px: 3702250000000n, ask_px: 3702750000000n, bid_sz: 18, ask_sz: 13, bid_ct: 10, ask_ct: 13,
    });
  });

  it('cbbo-1s with consolidated levels (test_data.cbbo-1s.dbn)', () => {
    const r = first('test_data.cbbo-1s.dbn', CbboMsg);
    expect(r.rtype).toBe(0xc0);
    expect(r.price).toBe(3720500000000n);
    expect(r.bid_px_00).toBe(3720250000000n);
    expect(r.bid_sz_00).toBe(24);
    expect(r.bid_pb_00).toBe(1);
    expect(r.ask_px_00).toBe(3720500000000n);
    expect(r.ask_sz_00).toBe(11);
    expect(r.ask_pb_00).toBe(1);
    expect(r.levels[0]).toBeInstanceOf(ConsolidatedBidAskPair);
    expect(r.levels[0]!.bid_pb).toBe(1);
  });

  it('ohlcv-1s (test_data.ohlcv-1s.dbn)', () => {
    const r = first('test_data.ohlcv-1s.dbn', OhlcvMsg);
    expect(r.rtype).toBe(RType.Ohlcv1S);
    expect(r.ts_event).toBe(1609160400000000000n);
    expect(r.open).toBe(372025000000000n);
    expect(r.high).toBe(372050000000000n);
    expect(r.low).toBe(372025000000000n);
    expect(r.close).toBe(372050000000000n);
    expect(r.pretty_close).toBe(372050);
    expect(r.volume).toBe(57n);
  });

  it('mbp-10 flat level getters agree with the level views (test_data.mbp-10.dbn)', () => {
    const r = first('test_data.mbp-10.dbn', Mbp10Msg);
    const levels = r.levels;
    expect(levels).toHaveLength(10);
    const flat = r as unknown as { [k: string]: unknown };
    levels.forEach((level, i) => {
      const n = String(i).padStart(2, '0');
      for (const k of ['bid_px', 'ask_px', 'bid_sz', 'ask_sz', 'bid_ct', 'ask_ct'] as const) {
        expect(flat[`${k}_${n}`]).toBe(level[k]);
      }
    });
    expect(r.toJSON().levels).toHaveLength(10);
  });

  it('every record of every uncompressed fixture gets a known view', () => {
    const files = [
      'test_data.mbo.dbn', 'test_data.mbp-1.dbn', 'test_data.mbp-1.v1.dbn', 'test_data.tbbo.dbn',
      'test_data.mbp-10.v1.dbn', 'test_data.cmbp-1.dbn', 'test_data.cmbp-1.v1.dbn', 'test_data.cbbo.v1.dbn',
      'test_data.bbo-1m.dbn', 'test_data.ohlcv-1h.v1.dbn', 'test_data.ohlcv-1m.dbn', 'test_data.imbalance.v1.dbn',
      'test_data.trades.v1.dbn', 'test_data.ohlcv-1d.dbn',
    ];
    for (const file of files) {
      for (const rec of records(file)) {
        expect(rec, file).not.toBeInstanceOf(UnknownRecord);
        expect(() => JSON.stringify(rec)).not.toThrow();
      }
    }
    expect(first('test_data.mbp-1.dbn', Mbp1Msg).levels).toHaveLength(1);
    expect(first('test_data.cmbp-1.dbn', Cmbp1Msg).rtype).toBe(RType.Cmbp1);
  });
});

describe('synthetic records', () => {
  function build(size: number, rtype: number, fill: (dv: DataView) => void): DataView {
    // An offset inside a bigger buffer, to prove views honour it.
    const buf = new ArrayBuffer(size + 24);
    const dv = new DataView(buf, 8);
    dv.setUint8(8, size / 4);
    dv.setUint8(9, rtype);
    fill(new DataView(buf, 16, size));
    return dv;
  }

  it('StatMsg v3 with undefined price, quantity and timestamps', () => {
    const dv = build(80, 0x18, (r) => {
      r.setBigUint64(8, UNDEF_TIMESTAMP, true); // ts_event
      r.setBigUint64(16, UNDEF_TIMESTAMP, true); // ts_recv
      r.setBigInt64(32, UNDEF_PRICE, true);
      r.setBigInt64(40, UNDEF_STAT_QUANTITY, true);
      r.setUint16(56, StatType.ClearedVolume, true);
    });
    const cls = recordClassFor(0x18, 3, 80);
    const r = new cls(dv, 8) as StatMsg;
    expect(r).toBeInstanceOf(StatMsg);
    expect(r.pretty_ts_event).toBeNull();
    expect(r.pretty_ts_recv).toBeNull();
    expect(r.price).toBe(UNDEF_PRICE);
    expect(r.pretty_price).toBeNaN();
    expect(r.quantity).toBe(UNDEF_STAT_QUANTITY);
    expect(r.stat_type).toBe(StatType.ClearedVolume);
    expect(r.bytes().byteOffset).toBe(16);
  });

  it('negative prices and i8/i16 fields', () => {
    const dv = build(520, 0x13, (r) => {
      r.setBigInt64(104, -1500000000n, true); // strike_price
      r.setInt16(212, -7, true); // appl_id
      r.setInt8(498, -1); // contract_multiplier_unit
    });
    const r = new InstrumentDefMsg(dv, 8);
    expect(r.strike_price).toBe(-1500000000n);
    expect(r.pretty_strike_price).toBe(-1.5);
    expect(r.appl_id).toBe(-7);
    expect(r.contract_multiplier_unit).toBe(-1);
    expect(r.raw_symbol).toBe('');
  });

  it('error and system messages (v1 and v2 layouts)', () => {
    const text = (r: DataView, off: number, s: string) => [...s].forEach((c, i) => r.setUint8(off + i, c.charCodeAt(0)));
    const e = new ErrorMsg(build(320, 0x15, (r) => {
      text(r, 16, 'Auth failed');
      r.setUint8(318, ErrorCode.AuthFailed);
      r.setUint8(319, 1);
    }), 8);
    expect(e.toJSON()).toMatchObject({ err: 'Auth failed', code: 1, is_last: 1 });
    expect(errorCodeName(e.code)).toBe('auth_failed');
    const s = new SystemMsgV1(build(80, 0x17, (r) => text(r, 16, 'Heartbeat')), 8);
    expect(s.msg).toBe('Heartbeat');
    const m = new SymbolMappingMsg(build(176, 0x16, (r) => {
      r.setUint8(16, SType.RawSymbol);
      text(r, 17, 'ESH1');
      r.setUint8(88, SType.InstrumentId);
      text(r, 89, '5482');
    }), 8);
    expect([m.stype_in, m.stype_in_symbol, m.stype_out, m.stype_out_symbol]).toEqual([1, 'ESH1', 0, '5482']);
  });
});

describe('toJSON / toObject', () => {
  it('MBO has Databento\'s JSON shape', () => {
    const r = first('test_data.mbo.v3.dbn', MboMsg);
    const json = JSON.parse(JSON.stringify(r)) as { [k: string]: unknown };
    expect(Object.keys(json)).toEqual([
      'ts_recv', 'hd', 'order_id', 'price', 'size', 'flags', 'channel_id', 'action', 'side', 'ts_in_delta', 'sequence',
    ]);
    expect(json).toEqual({
      ts_recv: '1609160400000704060',
      hd: { ts_event: '1609160400000429831', rtype: 160, publisher_id: 1, instrument_id: 5482 },
      order_id: '647784973705',
      price: '3722750000000',
      size: 1,
      flags: 128,
      channel_id: 0,
      action: 'C',
      side: 'A',
      ts_in_delta: 22993,
      sequence: 1170352,
    });
    expect(Object.keys(json['hd'] as object)).toEqual(['ts_event', 'rtype', 'publisher_id', 'instrument_id']);
    const obj = r.toObject();
    expect(obj.ts_recv).toBe(1609160400000704060n);
    expect(obj.hd.ts_event).toBe(1609160400000429831n);
    expect(obj.price).toBe(3722750000000n);
  });

  it('levels become an array of objects, pads are left out, OHLCV leads with hd', () => {
    const cbbo = first('test_data.cbbo-1s.dbn', CbboMsg).toJSON();
    expect(Object.keys(cbbo)).toEqual(['ts_recv', 'hd', 'price', 'size', 'side', 'flags', 'levels']);
    expect(cbbo.levels).toEqual([
      { bid_px: '3720250000000', ask_px: '3720500000000', bid_sz: 24, ask_sz: 11, bid_pb: 1, ask_pb: 1 },
    ]);
    const ohlcv = first('test_data.ohlcv-1s.dbn', OhlcvMsg).toJSON();
    expect(Object.keys(ohlcv)).toEqual(['hd', 'open', 'high', 'low', 'close', 'volume']);
    expect(ohlcv.volume).toBe('57');
    const unknown = new UnknownRecord(fixture('test_data.mbo.v3.dbn'), 360);
    expect(unknown.toJSON()).toEqual({
      hd: { ts_event: '1609160400000429831', rtype: 160, publisher_id: 1, instrument_id: 5482 },
    });
  });
});

describe('enums', () => {
  it('string helpers round-trip', () => {
    for (const v of Object.values(Schema)) expect(schemaFromName(schemaName(v)!)).toBe(v);
    for (const v of Object.values(SType)) expect(stypeFromName(stypeName(v)!)).toBe(v);
    for (const v of Object.values(RType)) expect(rtypeFromName(rtypeName(v)!)).toBe(v);
    for (const v of Object.values(Encoding)) expect(encodingFromName(encodingName(v)!)).toBe(v);
    for (const v of Object.values(Compression)) expect(compressionFromName(compressionName(v)!)).toBe(v);
    for (const v of Object.values(ErrorCode)) expect(errorCodeFromName(errorCodeName(v)!)).toBe(v);
    for (const v of Object.values(SystemCode)) expect(systemCodeFromName(systemCodeName(v)!)).toBe(v);
    for (const v of Object.values(SlowReaderBehavior)) expect(slowReaderBehaviorFromName(slowReaderBehaviorName(v)!)).toBe(v);
  });

  it('names, aliases and unknowns', () => {
    expect(schemaName(Schema.Mbp10)).toBe('mbp-10');
    expect(schemaFromName('ohlcv-eod')).toBe(13);
    expect(schemaFromName('OHLCV-1S')).toBe(Schema.Ohlcv1S);
    expect(schemaFromName('nope')).toBeUndefined();
    expect(schemaName(0xffff)).toBeUndefined();
    expect(stypeFromName('native')).toBe(SType.RawSymbol);
    expect(stypeFromName('product_id')).toBe(SType.InstrumentId);
    expect(stypeFromName('nasdaq')).toBe(SType.NasdaqSymbol);
    expect(stypeName(SType.SecurityId)).toBe('security_id');
    expect(encodingFromName('dbz')).toBe(Encoding.Dbn);
    expect(rtypeName(RType.InstrumentDef)).toBe('instrument-def');
    expect(rtypeFromName('ohlcv-deprecated')).toBe(0x11);
    expect(errorCodeName(ErrorCode.ReplayDataAgedOut)).toBe('replay_data_aged_out');
    expect(systemCodeFromName('end_of_interval')).toBe(SystemCode.EndOfInterval);
  });

  it('schema <-> rtype', () => {
    expect(rtypeForSchema(Schema.Tbbo)).toBe(RType.Mbp1);
    expect(rtypeForSchema(Schema.Definition)).toBe(RType.InstrumentDef);
    expect(schemaForRtype(RType.Mbp1)).toBe(Schema.Mbp1);
    expect(schemaForRtype(RType.Tcbbo)).toBe(Schema.Tcbbo);
    expect(schemaForRtype(RType.OhlcvDeprecated)).toBeUndefined();
  });

  it('char enums are their characters', () => {
    expect(Action.Add).toBe('A');
    expect(Action.Clear).toBe('R');
    expect(Side.None).toBe('N');
    expect(MatchAlgorithm.Undefined).toBe(' ');
    expect(InstrumentClass.Index).toBe('I');
    expect(enumKey(Action, 'F')).toBe('Fill');
    expect(enumKey(Action, 'Z')).toBeUndefined();
  });

  it('flags', () => {
    expect(FlagSet.LAST).toBe(0x80);
    expect(FlagSet.PUBLISHER_SPECIFIC).toBe(0x02);
    expect(flagNames(0)).toEqual([]);
    expect(flagNames(0xff)).toHaveLength(7);
  });

  it('publishers, venues, datasets', () => {
    expect(publisherById(1)).toEqual({ id: 1, code: 'GLBX.MDP3.GLBX', dataset: 'GLBX.MDP3', venue: 'GLBX', datasetId: 1, venueId: 1 });
    expect(publisherById(Publisher.XnasItchXnas)?.code).toBe('XNAS.ITCH.XNAS');
    expect(publisherById(115)).toMatchObject({ code: 'EQUS.SIP.24EQ', dataset: 'EQUS.SIP', venue: '24EQ' });
    expect(publisherById(145)?.code).toBe('XOSE.ITCH.XOSE');
    expect(publisherById(0)).toBeUndefined();
    expect(publisherById(146)).toBeUndefined();
    expect(publisherByCode('xnas.itch.xnas')?.id).toBe(2);
    expect(PUBLISHERS).toHaveLength(145);
    expect(publishersForDataset('EQUS.PLUS').map((p) => p.id)).toEqual([48, 49, 50, 51, 52, 53, 54, 55, 56, 60]);
    expect(publishersForDataset(Dataset.GlbxMdp3)).toHaveLength(1);
    expect(venueCode(Venue._24Eq)).toBe('24EQ');
    expect(venueFromCode('xosE')).toBe(71);
    expect(venueFromCode('')).toBeUndefined();
    expect(datasetCode(Dataset.XnasItch)).toBe('XNAS.ITCH');
    expect(datasetFromCode('OPRA.PILLAR')).toBe(19);
    expect(datasetCode(53)).toBeUndefined();
  });
});
