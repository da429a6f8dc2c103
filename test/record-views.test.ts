// Record views never read outside their own record: a record shorter than its
// rtype's layout is rejected with a DbnError (by the decoder, and by the walker
// for hand-built batches), never viewed with a class whose getters would read
// the next record.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DbnDecoder,
  DbnEncoder,
  DbnError,
  DbnStore,
  InvalidArgumentError,
  MboMsg,
  RecordBatch,
  RType,
  toColumns,
  UnknownRecord,
  writeDbnFile,
} from '../lib/index.js';
import { fixturePath } from './fixtures.js';

const MBO = 56;

/** An MBO record of `bytes` bytes (56, or 64 with a ts_out suffix); fields derived from `k`. */
function mbo(k: number, bytes = MBO): Uint8Array {
  const out = new Uint8Array(bytes);
  const dv = new DataView(out.buffer);
  dv.setUint8(0, bytes / 4);
  dv.setUint8(1, RType.Mbo);
  dv.setUint16(2, 1, true);
  dv.setUint32(4, 100 + k, true);
  dv.setBigUint64(8, 1_700_000_000_000_000_000n + BigInt(k), true);
  if (bytes >= MBO) {
    dv.setBigUint64(16, 1000n + BigInt(k), true); // order_id
    dv.setBigInt64(24, 5_000_000_000n * BigInt(k + 1), true); // price
    dv.setUint32(32, 10 + k, true); // size
    dv.setUint8(38, 'A'.charCodeAt(0));
    dv.setUint8(39, 'B'.charCodeAt(0));
    dv.setUint32(52, k, true); // sequence
  }
  if (bytes === MBO + 8) dv.setBigUint64(MBO, 42n + BigInt(k), true); // ts_out
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const batchOf = (...records: Uint8Array[]) => {
  const bytes = concat(...records);
  return new RecordBatch(bytes.buffer as ArrayBuffer, records.length, 3, false);
};

const METADATA = { dataset: 'GLBX.MDP3', schema: 'mbo', start: 0n, stype_in: 'raw_symbol', stype_out: 'instrument_id', symbols: ['ES'] };
const header = () => DbnEncoder.encode(METADATA, new Uint8Array(0));

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('a batch with records of one rtype and different lengths', () => {
  it('views each record with the layout its own length allows', () => {
    const batch = batchOf(mbo(0), mbo(1, MBO + 8), mbo(2), mbo(3, MBO + 8));
    const seen = batch.records().map((r) => {
      expect(r).toBeInstanceOf(MboMsg);
      const m = r as MboMsg;
      return [m.sequence, m.order_id, m.size, m.ts_out];
    });
    expect(seen).toEqual([
      [0, 1000n, 10, undefined],
      [1, 1001n, 11, 43n],
      [2, 1002n, 12, undefined],
      [3, 1003n, 13, 45n],
    ]);
  });

  it('rejects a record shorter than its layout after a full one, instead of reading the next record', () => {
    const batch = batchOf(mbo(0), mbo(1, 40), mbo(2));
    const seen: unknown[] = [];
    const err = thrown(() => {
      for (const r of batch) seen.push(r.instrument_id);
    });
    expect(seen).toEqual([100]);
    expect(err).toBeInstanceOf(DbnError);
    expect(err).toMatchObject({ code: 'BAD_RECORD_LENGTH', message: expect.stringMatching(/rtype 0xa0\) has 40 bytes .* needs 56/) });
    expect(() => batch.forEach(() => undefined)).toThrow(expect.objectContaining({ code: 'BAD_RECORD_LENGTH' }));
  });

  it('rejects a short record first in a batch, and a header-only record of a known rtype', () => {
    expect(() => batchOf(mbo(0, 16)).records()).toThrow(expect.objectContaining({ code: 'BAD_RECORD_LENGTH' }));
    expect(() => batchOf(mbo(0, 48), mbo(1)).records()).toThrow(expect.objectContaining({ code: 'BAD_RECORD_LENGTH' }));
  });

  it('gives a record of an unknown rtype an UnknownRecord view of its own bytes', () => {
    const odd = mbo(5, 24);
    odd[1] = 0x77;
    const [a, b, c] = batchOf(mbo(0), odd, mbo(1)).records();
    expect(a).toBeInstanceOf(MboMsg);
    expect(b).toBeInstanceOf(UnknownRecord);
    expect(b!.bytes()).toEqual(odd);
    expect((c as MboMsg).sequence).toBe(1);
  });

  it('a record running past the end of a batch is a DbnError, not a RangeError', () => {
    const bytes = concat(mbo(0), mbo(1).subarray(0, 40));
    const batch = new RecordBatch(bytes.buffer as ArrayBuffer, 2, 3, false);
    expect(() => batch.records()).toThrow(expect.objectContaining({ code: 'BAD_RECORD_LENGTH' }));
  });
});

describe('the decoder and a record shorter than its layout', () => {
  it('hands out the records before it, then throws BAD_RECORD_LENGTH', () => {
    const bytes = concat(header(), mbo(0), mbo(1), mbo(2, 40), mbo(3));
    const seen: number[] = [];
    const err = thrown(() => {
      for (const r of DbnStore.fromBytes(bytes)) seen.push((r as MboMsg).sequence);
    });
    expect(seen).toEqual([0, 1]);
    expect(err).toBeInstanceOf(DbnError);
    expect(err).toMatchObject({ code: 'BAD_RECORD_LENGTH', message: expect.stringMatching(/rtype 0xA0\) has 40 bytes but its DBN v3 layout needs 56/) });
  });

  it('does the same for fragments and in the push decoder, whatever the chunking', () => {
    const frag = concat(mbo(0), mbo(1, 16), mbo(2));
    expect(() => DbnStore.fromBytes(frag, { fragment: { version: 3 } }).toArray()).toThrow(
      expect.objectContaining({ code: 'BAD_RECORD_LENGTH' }),
    );
    for (const chunk of [1, 7, 56, 200]) {
      const decoder = new DbnDecoder({ fragment: { version: 3 } });
      let count = 0;
      const err = thrown(() => {
        for (let at = 0; at < frag.length; at += chunk) count += decoder.write(frag.subarray(at, at + chunk))?.count ?? 0;
        decoder.end();
      });
      expect(count).toBe(1);
      expect(err).toMatchObject({ code: 'BAD_RECORD_LENGTH' });
    }
  });

  it('passes longer records (a ts_out suffix) through, viewed with their layout', () => {
    const bytes = concat(header(), mbo(0), mbo(1, MBO + 8), mbo(2));
    const recs = DbnStore.fromBytes(bytes).toArray() as MboMsg[];
    expect(recs.map((r) => [r.sequence, r.byteLength])).toEqual([
      [0, 56],
      [1, 64],
      [2, 56],
    ]);
  });
});

describe('forEach and replay hand out one view per view class, re-pointed', () => {
  const batch = () => batchOf(mbo(0), mbo(1, MBO + 8), mbo(2), mbo(3));

  it('reads every record through views valid during the callback; clone() and bytes() keep one', () => {
    const seen: number[] = [];
    const views = new Set<unknown>();
    const kept: MboMsg[] = [];
    const raw: Uint8Array[] = [];
    const n = batch().forEach((r) => {
      const m = r as MboMsg;
      seen.push(m.sequence);
      views.add(m);
      kept.push(m.clone());
      raw.push(m.bytes());
    });
    expect(n).toBe(4);
    expect(seen).toEqual([0, 1, 2, 3]);
    expect(views.size).toBe(1); // one per view class: 56- and 64-byte records share MboMsg
    expect(kept.map((r) => [r.sequence, r.order_id, r.ts_out])).toEqual([
      [0, 1000n, undefined],
      [1, 1001n, 43n],
      [2, 1002n, undefined],
      [3, 1003n, undefined],
    ]);
    expect(kept[0]).toBeInstanceOf(MboMsg);
    expect(kept[0]).not.toBe(kept[2]);
    expect(raw[2]).toEqual(mbo(2));
  });

  it('stops when the callback returns false and counts the records visited', () => {
    const seen: number[] = [];
    expect(batch().forEach((r) => (seen.push((r as MboMsg).sequence), seen.length < 2))).toBe(2);
    expect(seen).toEqual([0, 1]);
  });

  it('a nested forEach over another batch does not disturb the outer view', () => {
    const outer: number[] = [];
    batch().forEach((r) => {
      const m = r as MboMsg;
      batchOf(mbo(9)).forEach(() => undefined);
      outer.push(m.sequence);
    });
    expect(outer).toEqual([0, 1, 2, 3]);
  });

  it('replay over a store gives the same records as for...of', () => {
    const bytes = concat(header(), ...Array.from({ length: 3000 }, (_, k) => mbo(k, k % 7 === 0 ? MBO + 8 : MBO)));
    const store = DbnStore.fromBytes(bytes);
    const viaReplay: number[] = [];
    expect(store.replay((r) => void viaReplay.push((r as MboMsg).sequence))).toBe(3000);
    expect(viaReplay).toEqual(store.toArray().map((r) => (r as MboMsg).sequence));
  });

  it('for...of views stay valid when held', () => {
    const held = [...batch()] as MboMsg[];
    expect(held.map((r) => r.sequence)).toEqual([0, 1, 2, 3]);
    expect(new Set(held).size).toBe(4);
  });
});

describe('RecordBatch.length', () => {
  it('is the record count, as for an array', () => {
    const b = batchOf(mbo(0), mbo(1), mbo(2));
    expect(b.length).toBe(3);
    expect(b.length).toBe(b.count);
    let total = 0;
    for (const x of [b, batchOf(mbo(3))]) total += x.length;
    expect(total).toBe(4);
  });
});

describe('toColumns on a mixed stream', () => {
  /** A v3 SystemMsg (320 bytes) with `text`. */
  function system(text: string): Uint8Array {
    const out = new Uint8Array(320);
    out[0] = 80;
    out[1] = RType.System;
    out.set(new TextEncoder().encode(text), 16);
    return out;
  }

  it("defaults to the schema's rtype, says which it took and how many records it left out", () => {
    const bytes = concat(header(), system('Subscription request 0 succeeded'), mbo(0), system('Heartbeat'), mbo(1), mbo(2, MBO + 8));
    const cols = DbnStore.fromBytes(bytes).toColumns();
    expect([cols.rtype, cols.rtypeFrom, cols.layout, cols.count, cols.skipped]).toEqual([RType.Mbo, 'schema', 'MboMsg', 3, 2]);
    expect(Array.from(cols.columns.sequence as Uint32Array)).toEqual([0, 1, 2]);
  });

  it('without a schema, takes the first record that is not a gateway message', () => {
    const batches = [batchOf(system('hello'), mbo(0)), batchOf(mbo(1))];
    const cols = toColumns(batches);
    expect([cols.rtype, cols.rtypeFrom, cols.count, cols.skipped]).toEqual([RType.Mbo, 'first-record', 2, 1]);
    expect(toColumns(batches, { schema: 'mbo' }).rtypeFrom).toBe('schema');
    const sys = toColumns(batches, { rtype: RType.System });
    expect([sys.rtype, sys.rtypeFrom, sys.layout, sys.count, sys.skipped]).toEqual([RType.System, 'option', 'SystemMsg', 1, 2]);
    expect(sys.columns.msg).toEqual(['hello']);
    // Gateway messages only: they are what there is.
    expect(toColumns([batchOf(system('a'), system('b'))]).count).toBe(2);
    expect(() => toColumns(batches, { schema: 'nope' })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('rejects a record of the rtype taken that is too short for its layout', () => {
    expect(() => toColumns([batchOf(mbo(0), mbo(1, 40))])).toThrow(expect.objectContaining({ code: 'BAD_RECORD_LENGTH' }));
  });
});

describe('writing DBN', () => {
  const dir = mkdtempSync(join(tmpdir(), 'record-views-'));
  const fixture = DbnStore.fromFile(fixturePath('test_data.mbo.v3.dbn'));
  const sequences = (store: DbnStore) => store.toArray().map((r) => (r as MboMsg).sequence);

  it('DbnEncoder.encode of something that is not a record throws a typed error', () => {
    const err = thrown(() => DbnEncoder.encode(METADATA, [{ price: 1n }] as never));
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect(err).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/record 0 is not a record: .* not a plain object/) });
    expect(() => new DbnEncoder(METADATA).write([mbo(0) as never])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('writeDbnFile is async, writes a store, and compresses a .zst path', async () => {
    const plain = join(dir, 'copy.dbn');
    const zst = join(dir, 'copy.dbn.zst');
    const pending = writeDbnFile(plain, fixture.metadata, fixture);
    expect(pending).toBeInstanceOf(Promise);
    await pending;
    await writeDbnFile(zst, fixture.metadata, fixture);
    expect(readFileSync(plain).subarray(0, 3).toString()).toBe('DBN');
    expect(readFileSync(zst).readUInt32LE(0)).toBe(0xfd2fb528); // zstd frame magic
    expect(sequences(DbnStore.fromFile(plain))).toEqual(sequences(fixture));
    expect(sequences(DbnStore.fromFile(zst))).toEqual(sequences(fixture));
    // An explicit option wins over the extension.
    const forced = join(dir, 'plain.dbn.zst');
    await writeDbnFile(forced, fixture.metadata, fixture.toArray(), { compression: 'none' });
    expect(readFileSync(forced).subarray(0, 3).toString()).toBe('DBN');
    // Views and batches from any iterable, sync or async.
    const mixed = join(dir, 'mixed.dbn');
    await writeDbnFile(mixed, fixture.metadata, (async function* () {
      for (const batch of fixture.batchesSync()) yield batch;
      yield* fixture.toArray().map((r) => [r]);
    })());
    expect(sequences(DbnStore.fromFile(mixed))).toEqual([...sequences(fixture), ...sequences(fixture)]);
  });

  it('a failed write leaves no file behind, not even a partial one', async () => {
    const path = join(dir, 'failed.dbn');
    const records = () =>
      (function* () {
        yield fixture.toArray();
        throw new Error('source failed');
      })();
    await expect(writeDbnFile(path, fixture.metadata, records())).rejects.toThrow('source failed');
    await expect(writeDbnFile(path, fixture.metadata, [{ price: 1n }] as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(existsSync(path)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('failed'))).toEqual([]);
    // And an existing file is left as it was.
    writeFileSync(path, 'before');
    await expect(writeDbnFile(path, fixture.metadata, records())).rejects.toThrow('source failed');
    expect(readFileSync(path, 'utf8')).toBe('before');
    expect(readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);
  });
});
