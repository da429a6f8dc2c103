// Symbol maps: TsSymbolMap and PitSymbolMap from metadata, resolutions and live records.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { DbnEncoder, DbnStore, type Metadata } from '../lib/dbn/index.js';
import { DatabentoError, InvalidArgumentError } from '../lib/errors.js';
import { PitSymbolMap, SymbologyResolution, TsSymbolMap, type SymbolMapMetadata } from '../lib/symbology/index.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/dbn/', import.meta.url));
const UNDEF_TS = (1n << 64n) - 1n;
const ns = (iso: string): bigint => BigInt(Date.parse(iso)) * 1_000_000n;

/** The C++ test example: raw_symbol → instrument_id over July 2023. */
const JULY: SymbolMapMetadata = {
  start: ns('2023-07-01T00:00:00Z'),
  end: ns('2023-08-01T00:00:00Z'),
  stype_in: 'raw_symbol',
  stype_out: 'instrument_id',
  mappings: [
    { raw_symbol: 'AAPL', intervals: [{ start_date: '2023-07-01', end_date: '2023-08-01', symbol: '32' }] },
    { raw_symbol: 'TSLA', intervals: [{ start_date: '2023-07-01', end_date: '2023-07-03', symbol: '' }] }, // old files: skipped
    {
      raw_symbol: 'PLTR',
      intervals: [
        { start_date: '2023-07-01', end_date: '2023-07-07', symbol: '' },
        { start_date: '2023-07-07', end_date: '2023-07-10', symbol: '8029' },
      ],
    },
  ],
};

/** A v3 SymbolMappingMsg (176 bytes). */
function symbolMappingV3(id: number, inSymbol: string, outSymbol: string, ts: bigint): Uint8Array {
  const b = new Uint8Array(176);
  const dv = new DataView(b.buffer);
  dv.setUint8(0, 44);
  dv.setUint8(1, 0x16);
  dv.setUint16(2, 1, true);
  dv.setUint32(4, id, true);
  dv.setBigUint64(8, ts, true);
  dv.setUint8(16, 4); // stype_in parent
  b.set(Buffer.from(inSymbol, 'latin1'), 17);
  dv.setUint8(88, 1); // stype_out raw_symbol
  b.set(Buffer.from(outSymbol, 'latin1'), 89);
  dv.setBigUint64(160, ts, true);
  dv.setBigUint64(168, UNDEF_TS, true);
  return b;
}

/** A v1 SymbolMappingMsg (80 bytes). */
function symbolMappingV1(id: number, inSymbol: string, outSymbol: string, ts: bigint): Uint8Array {
  const b = new Uint8Array(80);
  const dv = new DataView(b.buffer);
  dv.setUint8(0, 20);
  dv.setUint8(1, 0x16);
  dv.setUint16(2, 1, true);
  dv.setUint32(4, id, true);
  dv.setBigUint64(8, ts, true);
  b.set(Buffer.from(inSymbol, 'latin1'), 16);
  b.set(Buffer.from(outSymbol, 'latin1'), 38);
  dv.setBigUint64(64, ts, true);
  dv.setBigUint64(72, UNDEF_TS, true);
  return b;
}

/** Live-style DBN: metadata with no stype_in and no mappings, then the given records. */
function liveStore(records: Uint8Array[], version: 1 | 3 = 3): DbnStore {
  const bytes = DbnEncoder.encode(
    { version, dataset: 'GLBX.MDP3', schema: null, stype_in: null, stype_out: 'instrument_id', start: ns('2024-11-18T14:30:00Z') },
    Buffer.concat(records),
  );
  return DbnStore.fromBytes(bytes, { upgradePolicy: version === 1 ? 'as-is' : 'upgrade' });
}

describe('TsSymbolMap', () => {
  test('the C++ test example: intervals, weekends, exclusive ends, skipped empty symbols', () => {
    const map = TsSymbolMap.fromMetadata(JULY);
    expect(map.at('2023-07-31', 32)).toBe('AAPL');
    expect(map.find('2023-08-01', 32)).toBeUndefined();
    expect(map.at('2023-07-08', 8029)).toBe('PLTR'); // a Saturday
    expect(map.find('2023-07-10', 8029)).toBeUndefined();
    expect(map.find('2023-07-06', 8029)).toBeUndefined();
    expect(map.size).toBe(31 + 3);
    expect(() => map.at('2023-08-01', 32)).toThrow(DatabentoError);
    try {
      map.at('2023-08-01', 32);
    } catch (e) {
      expect((e as DatabentoError).code).toBe('SYMBOL_NOT_FOUND');
    }
  });

  test('dates as Date and as bigint nanoseconds', () => {
    const map = TsSymbolMap.fromMetadata(JULY);
    expect(map.find(new Date('2023-07-08T23:59:59Z'), 8029)).toBe('PLTR');
    expect(map.find(ns('2023-07-09T12:00:00Z'), 8029)).toBe('PLTR');
    expect(map.find(ns('2023-07-10T00:00:00Z'), 8029)).toBeUndefined();
  });

  test('insert: first wins on overlap; empty ranges are no-ops; reversed ranges throw', () => {
    const map = new TsSymbolMap();
    map.insert(7, '2024-01-01', '2024-01-03', 'FIRST');
    map.insert(7, '2024-01-02', '2024-01-04', 'SECOND');
    expect(map.find('2024-01-02', 7)).toBe('FIRST');
    expect(map.find('2024-01-03', 7)).toBe('SECOND');
    map.insert(8, '2024-01-05', '2024-01-05', 'NONE');
    expect(map.find('2024-01-05', 8)).toBeUndefined();
    expect(() => map.insert(9, '2024-01-05', '2024-01-04', 'X')).toThrow(InvalidArgumentError);
    expect(() => map.insert(-1, '2024-01-01', '2024-01-02', 'X')).toThrow(InvalidArgumentError);
    expect(() => map.insert(1, '2024-02-30', '2024-03-02', 'X')).toThrow(InvalidArgumentError);
    expect([...map.entries()]).toEqual([
      { date: '2024-01-01', instrumentId: 7, symbol: 'FIRST' },
      { date: '2024-01-02', instrumentId: 7, symbol: 'FIRST' },
      { date: '2024-01-03', instrumentId: 7, symbol: 'SECOND' },
    ]);
  });

  test('from a real DBN file: every record maps back to its symbol by index timestamp', async () => {
    for (const [file, symbol] of [
      ['test_data.definition.v3.dbn.zst', 'MSFT'],
      ['test_data.mbo.v3.dbn.zst', 'ESH1'],
      ['test_data.ohlcv-1s.v3.dbn.zst', 'ESH1'],
      ['test_data.status.v3.dbn.zst', undefined],
    ] as const) {
      const store = DbnStore.fromFile(join(FIXTURES, file));
      const map = TsSymbolMap.fromMetadata(store.metadata);
      for (const rec of store) {
        if (symbol) expect(map.at(rec)).toBe(symbol);
      }
    }
    // Definitions: a different instrument id per day, each resolving to MSFT on its own day only.
    const defs = DbnStore.fromFile(join(FIXTURES, 'test_data.definition.v3.dbn.zst'));
    const map = TsSymbolMap.fromMetadata(defs.metadata);
    expect(map.find('2021-10-04', 6819)).toBe('MSFT');
    expect(map.find('2021-10-05', 6819)).toBeUndefined();
    expect(map.find('2021-10-05', 6830)).toBe('MSFT');
  });

  test('inverse metadata (instrument_id in): ids are the input symbols', () => {
    const md: SymbolMapMetadata = {
      ...JULY,
      stype_in: 'instrument_id',
      stype_out: 'raw_symbol',
      mappings: [{ raw_symbol: '32', intervals: [{ start_date: '2023-07-01', end_date: '2023-07-02', symbol: 'AAPL' }] }],
    };
    expect(TsSymbolMap.fromMetadata(md).find('2023-07-01', 32)).toBe('AAPL');
  });

  test('both stypes instrument_id (real statistics file) and live metadata are accepted; neither is refused', () => {
    const stats = DbnStore.fromFile(join(FIXTURES, 'test_data.statistics.v3.dbn.zst')).metadata;
    expect(stats.stype_in).toBe('instrument_id');
    expect(TsSymbolMap.fromMetadata(stats).isEmpty()).toBe(true);
    const live = liveStore([]).metadata;
    expect(live.stype_in).toBeNull();
    expect(TsSymbolMap.fromMetadata(live).isEmpty()).toBe(true);
    expect(() => TsSymbolMap.fromMetadata({ ...JULY, stype_out: 'raw_symbol' })).toThrow(InvalidArgumentError);
    expect(() =>
      TsSymbolMap.fromMetadata({
        ...JULY,
        mappings: [{ raw_symbol: 'X', intervals: [{ start_date: '2023-07-01', end_date: '2023-07-02', symbol: 'notanid' }] }],
      }),
    ).toThrow(InvalidArgumentError);
  });

  test('from a symbology resolution, both directions', () => {
    const res = new SymbologyResolution({
      result: {
        'ES.c.0': [
          { d0: '2023-06-14', d1: '2023-06-15', s: '10245' },
          { d0: '2023-06-15', d1: '2023-06-16', s: '10248' },
        ],
      },
      symbols: ['ES.c.0'],
      stype_in: 'continuous',
      stype_out: 'instrument_id',
      start_date: '2023-06-14',
      end_date: '2023-06-16',
      partial: [],
      not_found: [],
    });
    const map = TsSymbolMap.fromResolution(res);
    expect(map.find('2023-06-14', 10245)).toBe('ES.c.0');
    expect(map.find('2023-06-15', 10248)).toBe('ES.c.0');
    expect(map.find('2023-06-15', 10245)).toBeUndefined();

    const inv = new SymbologyResolution({
      ...res,
      result: { '10245': [{ d0: '2023-06-14', d1: '2023-06-15', s: 'ESM3' }] },
      stype_in: 'instrument_id',
      stype_out: 'raw_symbol',
    });
    expect(inv.toTsSymbolMap().find('2023-06-14', 10245)).toBe('ESM3');
    expect(inv.toPitSymbolMap('2023-06-14').find(10245)).toBe('ESM3');
    expect(() => inv.toPitSymbolMap('2023-06-16')).toThrow(InvalidArgumentError);
  });
});

describe('PitSymbolMap', () => {
  test('from metadata on a date: the interval containing it', () => {
    const map = PitSymbolMap.fromMetadata(JULY, '2023-07-08');
    expect(map.find(32)).toBe('AAPL');
    expect(map.find(8029)).toBe('PLTR');
    expect(map.size).toBe(2);
    const early = PitSymbolMap.fromMetadata(JULY, new Date('2023-07-02T10:00:00Z'));
    expect(early.find(8029)).toBeUndefined(); // empty-symbol interval skipped
    expect([...early]).toEqual([[32, 'AAPL']]);
  });

  test('dates outside the query range are refused', () => {
    expect(() => PitSymbolMap.fromMetadata(JULY, '2023-06-30')).toThrow(InvalidArgumentError);
    expect(() => PitSymbolMap.fromMetadata(JULY, '2023-08-01')).toThrow(InvalidArgumentError);
    expect(() => PitSymbolMap.fromMetadata(JULY, '2023-07-31')).not.toThrow();
  });

  test('from a real file for its single day', () => {
    const md: Metadata = DbnStore.fromFile(join(FIXTURES, 'test_data.mbo.v3.dbn.zst')).metadata;
    const map = PitSymbolMap.fromMetadata(md, '2020-12-28');
    expect([...map.entries()]).toEqual([[5482, 'ESH1']]);
  });

  test('live: SymbolMappingMsg records set and overwrite; other records are ignored', () => {
    const t = ns('2024-11-18T14:30:00Z');
    const store = liveStore([
      symbolMappingV3(4916, 'ES.FUT', 'ESZ4', t),
      symbolMappingV3(4917, 'ES.FUT', 'ESH5', t),
      symbolMappingV3(4916, 'ES.c.0', 'ESZ4-ROLLED', t + 1n),
    ]);
    const md = store.metadata;
    const map = PitSymbolMap.fromMetadata(md, '2024-11-18'); // live metadata: accepted, empty
    expect(map.isEmpty()).toBe(true);
    const recs = store.toArray();
    expect(recs.map((r) => map.onRecord(r))).toEqual([true, true, true]);
    expect(map.at(4917)).toBe('ESH5');
    expect(map.at(4916)).toBe('ESZ4-ROLLED'); // latest wins
    expect(map.find(recs[0]!)).toBe('ESZ4-ROLLED');
    const mbo = DbnStore.fromFile(join(FIXTURES, 'test_data.mbo.v3.dbn.zst')).toArray()[0]!;
    expect(map.onRecord(mbo)).toBe(false);
    expect(map.size).toBe(2);
    expect(() => map.at(1)).toThrow(/no symbol/);
  });

  test('live: v1 SymbolMappingMsg records (as-is and upgraded)', () => {
    const t = ns('2024-11-18T14:30:00Z');
    for (const policy of ['as-is', 'upgrade'] as const) {
      const bytes = DbnEncoder.encode(
        { version: 1, dataset: 'GLBX.MDP3', schema: null, stype_in: null, stype_out: 'instrument_id', start: t },
        symbolMappingV1(4916, 'ES.FUT', 'ESZ4', t),
      );
      const [rec] = DbnStore.fromBytes(bytes, { upgradePolicy: policy }).toArray();
      const map = new PitSymbolMap();
      expect(map.onRecord(rec!)).toBe(true);
      expect(map.find(4916)).toBe('ESZ4');
    }
  });

  test('set, has, delete, clear', () => {
    const map = new PitSymbolMap().set(1, 'A').set(2, 'B');
    expect(map.has(1)).toBe(true);
    expect(map.delete(1)).toBe(true);
    expect(map.find(1)).toBeUndefined();
    map.clear();
    expect(map.isEmpty()).toBe(true);
    expect(() => map.set(2 ** 32, 'X')).toThrow(InvalidArgumentError);
  });
});
