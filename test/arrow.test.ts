// Arrow tables, IPC and Parquet checked field by field against the record
// views, for every fixture schema (DBN v1, v2 and v3, as-is and upgraded).
import { DataType, RecordBatchReader, tableFromIPC } from 'apache-arrow';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { arrowBatches, DbnEncoder, DbnStore, RecordBatch, toArrowTable, writeArrowIpc } from '../lib/index.js';
import { checkTable } from './arrow-check.js';
import { jsonSymbols } from './readback.js';
import { ALL_FIXTURES, fixturePath } from './fixtures.js';

const FILES = ALL_FIXTURES.filter((f) => !f.includes('.frag') && !f.endsWith('.dbz'));
const dir = mkdtempSync(join(tmpdir(), 'databento-arrow-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('store.toArrow against the record views', () => {
  for (const file of FILES) {
    for (const upgradePolicy of ['as-is', 'upgrade'] as const) {
      it(`${file} (${upgradePolicy})`, async () => {
        const store = DbnStore.fromFile(fixturePath(file), { upgradePolicy });
        const all = store.toArray();
        const rtypes = [...new Set(all.map((r) => r.rtype))];
        for (const rtype of rtypes) {
          const recs = all.filter((r) => r.rtype === rtype);
          const table = await store.toArrow({ rtype, batchRows: 3 });
          expect(table.batches.every((b) => b.numRows <= 3)).toBe(true);
          checkTable(table, recs, `${file} rtype ${rtype}`);
          const symbols = await jsonSymbols(store, rtype);
          if (symbols.length) expect(table.getChild('symbol')!.toArray(), file).toEqual(symbols);
          const plain = await store.toArrow({ rtype, prettyPx: false, prettyTs: false, mapSymbols: false });
          expect(plain.getChild('symbol')).toBeNull();
          checkTable(plain, recs, `${file} rtype ${rtype} plain`);
        }
      });
    }
  }
});

describe('Arrow types', () => {
  it('uint64 ids, timestamp[ns, UTC], float64 or int64 prices, utf8 chars, dictionary symbols', async () => {
    const store = DbnStore.fromFile(fixturePath('test_data.mbo.v3.dbn.zst'));
    const t = await store.toArrow();
    const types = Object.fromEntries(t.schema.fields.map((f) => [f.name, String(f.type)]));
    expect(types).toMatchObject({
      ts_recv: 'Timestamp<NANOSECOND, UTC>',
      ts_event: 'Timestamp<NANOSECOND, UTC>',
      order_id: 'Uint64',
      instrument_id: 'Uint32',
      price: 'Float64',
      action: 'Utf8',
      symbol: 'Dictionary<Int32, Utf8>',
    });
    const fixed = await store.toArrow({ prettyPx: false });
    expect(String(fixed.schema.fields.find((f) => f.name === 'price')!.type)).toBe('Int64');
    expect(fixed.getChild('price')!.get(0)).toBe(3722750000000n);
    // Exact decimals: decimal128(38, 9) holding the fixed-point integer; undefined prices null.
    const dec = await store.toArrow({ prettyPx: 'decimal' });
    const price = dec.getChild('price')!;
    expect(DataType.isDecimal(price.type) && [price.type.scale, price.type.precision]).toEqual([9, 38]);
    const words = price.data[0]!.values as Uint32Array;
    expect(BigInt(words[1]!) * 2n ** 32n + BigInt(words[0]!)).toBe(3722750000000n);
    expect([words[2], words[3]]).toEqual([0, 0]);
    const defs = await DbnStore.fromFile(fixturePath('test_data.definition.v3.dbn.zst')).toArrow({ prettyPx: 'decimal' });
    expect(defs.getChild('strike_price')!.isValid(0)).toBe(false);
  });

  it('a missing peer dependency names the package', async () => {
    const { loadPeer } = await import('../lib/peer.js');
    await expect(loadPeer('apache-arrow-not-installed', 'Arrow output')).rejects.toMatchObject({
      code: 'MISSING_DEPENDENCY',
      message: expect.stringContaining("npm install apache-arrow-not-installed"),
    });
  });

  it('rejects bad options', async () => {
    const store = DbnStore.fromFile(fixturePath('test_data.mbo.v3.dbn.zst'));
    await expect(store.toArrow({ batchRows: 0 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(store.toArrow({ prettyPx: 'yes' as never })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('Arrow IPC', () => {
  it('file and stream formats read back with the same values, symbol deltas included', async () => {
    const store = DbnStore.fromFile(fixturePath('test_data.mbo.v1.dbn.zst'));
    const recs = store.toArray().filter((r) => r.rtype === 0xa0);
    for (const [name, format] of [['mbo.arrow', 'file'], ['mbo.arrows', 'stream']] as const) {
      const path = join(dir, name);
      expect(await store.toArrowIpc(path, { batchRows: 1 })).toBe(recs.length);
      const bytes = readFileSync(path);
      const table = tableFromIPC(bytes);
      checkTable(table, recs, name);
      expect(table.getChild('symbol')!.toArray()).toEqual(await jsonSymbols(store, 0xa0));
      expect(RecordBatchReader.from(bytes).isFile()).toBe(format === 'file');
    }
  });

  it('to a writable stream, left open', async () => {
    const store = DbnStore.fromFile(fixturePath('test_data.trades.v3.dbn.zst'));
    const sink = new PassThrough();
    const chunks: Buffer[] = [];
    sink.on('data', (c: Buffer) => chunks.push(c));
    const rows = await store.toArrowIpc(sink, { format: 'stream' });
    expect(sink.writableEnded).toBe(false);
    expect(tableFromIPC(Buffer.concat(chunks)).numRows).toBe(rows);
  });

  it('symbols new in later batches travel as dictionary deltas, in both formats', async () => {
    // Six MBO records of instruments 1, 2, 3, 1, 2, 3, each mapped to its own symbol.
    const day = 1_700_000_000_000_000_000n;
    const bytes = new Uint8Array(6 * 56);
    const dv = new DataView(bytes.buffer);
    for (let i = 0; i < 6; i++) {
      dv.setUint8(i * 56, 14);
      dv.setUint8(i * 56 + 1, 0xa0);
      dv.setUint32(i * 56 + 4, 1 + (i % 3), true);
      dv.setBigUint64(i * 56 + 8, day + BigInt(i), true);
      dv.setBigUint64(i * 56 + 40, day + BigInt(i), true);
    }
    const date = new Date(Number(day / 1_000_000n)).toISOString().slice(0, 10);
    const next = new Date(Number(day / 1_000_000n) + 86_400_000).toISOString().slice(0, 10);
    const metadata = {
      dataset: 'GLBX.MDP3',
      schema: 'mbo',
      start: day,
      stype_in: 'raw_symbol',
      stype_out: 'instrument_id',
      symbols: ['A', 'B', 'C'],
      mappings: ['A', 'B', 'C'].map((sym, i) => ({ raw_symbol: sym, intervals: [{ start_date: date, end_date: next, symbol: String(i + 1) }] })),
    };
    // A source of one record a batch, as a live client may deliver them.
    const md = DbnStore.fromBytes(DbnEncoder.encode(metadata, bytes)).metadata;
    const source = { metadata: md, batches: () => Array.from({ length: 6 }, (_, i) => new RecordBatch(bytes.slice(i * 56, i * 56 + 56).buffer, 1, 3, false)) };
    const want = ['A', 'B', 'C', 'A', 'B', 'C'];
    // Slices of one batch, put on the final dictionary, keep their nulls in place.
    const withNull = bytes.slice();
    new DataView(withNull.buffer).setUint32(4 * 56 + 4, 9, true); // instrument 9 has no symbol
    const oneBatch = { metadata: md, batches: () => [new RecordBatch(withNull.buffer, 6, 3, false)] };
    const sliced = await toArrowTable(oneBatch, { batchRows: 2 });
    expect(sliced.batches.map((b) => b.numRows)).toEqual([2, 2, 2]);
    expect(sliced.getChild('symbol')!.toArray()).toEqual(['A', 'B', 'C', 'A', null, 'C']);
    const batches = [];
    for await (const b of arrowBatches(source, { batchRows: 1 })) batches.push(b);
    expect(batches.map((b) => b.getChild('symbol')!.data[0]!.dictionary!.length)).toEqual([1, 2, 3, 3, 3, 3]);
    expect((await toArrowTable(source, { batchRows: 1 })).getChild('symbol')!.toArray()).toEqual(want);
    for (const format of ['file', 'stream'] as const) {
      const sink = new PassThrough();
      const chunks: Buffer[] = [];
      sink.on('data', (c: Buffer) => chunks.push(c));
      await writeArrowIpc(source, sink, { format, batchRows: 1 });
      expect(tableFromIPC(Buffer.concat(chunks)).getChild('symbol')!.toArray(), format).toEqual(want);
    }
  });
});
