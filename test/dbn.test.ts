import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { execFileSync } from 'node:child_process';
import { DbnDecodeStream, DbnDecoder, DbnEncoder, DbnError, DbnStore, RecordBatch, writeDbnFile } from '../lib/index.js';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Mbp10Msg, Metadata } from '../lib/index.js';
import { native } from '../lib/native.js';
import {
  ALL_FIXTURES,
  GOLDEN_FIXTURES,
  fixturePath,
  fragmentVersion,
  hex,
  readFixture,
  readGolden,
} from './fixtures.js';

/** The metadata in the golden files' JSON form. */
function goldenForm(md: Metadata): Record<string, unknown> {
  return { ...md, start: String(md.start), end: String(md.end), limit: String(md.limit) };
}

const recordHex = (records: Iterable<{ bytes(): Uint8Array }>): string[] => Array.from(records, (r) => hex(r.bytes()));

/** Decodes bytes fed in the given chunks; returns metadata and record hex. */
function decodeChunks(chunks: Uint8Array[], options?: ConstructorParameters<typeof DbnDecoder>[0]) {
  const decoder = new DbnDecoder(options);
  const records: string[] = [];
  for (const chunk of chunks) {
    const batch = decoder.write(chunk);
    if (batch) records.push(...recordHex(batch));
  }
  decoder.end();
  return { metadata: decoder.metadata, records };
}

const isFragment = (name: string): boolean => /\.frag(\.zst)?$/.test(name);
const fragmentOptions = (name: string) => ({ fragment: { version: fragmentVersion(name) } });

describe('fixtures', () => {
  it.each(ALL_FIXTURES.filter((f) => !f.endsWith('.dbz')))('%s decodes', (name) => {
    const store = DbnStore.fromFile(fixturePath(name), isFragment(name) ? fragmentOptions(name) : undefined);
    const records = store.toArray();
    if (!isFragment(name) && !name.includes('ohlcv-1d')) expect(records.length).toBeGreaterThan(0);
    for (const r of records) expect(r.byteLength).toBe(r.length * 4);
  });

  it.each(ALL_FIXTURES.filter((f) => f.endsWith('.dbz')))('%s (legacy DBZ) is refused clearly', (name) => {
    expect(() => DbnStore.fromFile(fixturePath(name))).toThrow(
      expect.objectContaining({ code: 'LEGACY_DBZ', message: expect.stringContaining('DBZ') }),
    );
  });
});

describe('golden decodes of the official client', () => {
  it.each(GOLDEN_FIXTURES)('%s: metadata and every record byte-identical', async (name) => {
    const golden = readGolden(name);
    const store = DbnStore.fromFile(fixturePath(name));
    expect(goldenForm(store.metadata)).toEqual(golden.metadata);
    const expected = golden.records.map((r) => r.hex);
    expect(recordHex(store)).toEqual(expected);
    for (const [i, rec] of store.toArray().entries()) {
      expect(rec.rtype).toBe(golden.records[i]!.rtype);
      expect(rec.byteLength).toBe(golden.records[i]!.length_bytes);
    }
    // The same through async batches, in-memory bytes and one-shot decoding.
    const viaBatches: string[] = [];
    for await (const batch of store.batches()) viaBatches.push(...recordHex(batch));
    expect(viaBatches).toEqual(expected);
    const viaAsync: string[] = [];
    for await (const rec of store) viaAsync.push(hex(rec.bytes()));
    expect(viaAsync).toEqual(expected);
    expect(recordHex(DbnStore.fromBytes(readFixture(name)))).toEqual(expected);
    expect(decodeChunks([readFixture(name)]).records).toEqual(expected);
  });
});

describe('as-is policy', () => {
  it.each(GOLDEN_FIXTURES.filter((f) => /\.v1\.dbn$/.test(f) || /^test_data\.[a-z0-9-]+\.dbn$/.test(f)))(
    '%s keeps the file version and its record bytes',
    (name) => {
      const bytes = readFixture(name);
      const store = DbnStore.fromBytes(bytes, { upgradePolicy: 'as-is' });
      const version = bytes[3]!;
      expect(store.metadata.version).toBe(version);
      expect(store.metadata.symbol_cstr_len).toBe(version === 1 ? 22 : 71);
      const headerEnd = 8 + new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, true);
      expect(recordHex(store).join('')).toBe(hex(bytes.subarray(headerEnd)));
    },
  );

  it('hands out the v1 and v2 layout classes', () => {
    const v1 = DbnStore.fromFile(fixturePath('test_data.definition.v1.dbn'), { upgradePolicy: 'as-is' }).toArray();
    expect(v1[0]!.constructor.name).toBe('InstrumentDefMsgV1');
    expect(v1[0]!.byteLength).toBe(360);
    const v2 = DbnStore.fromFile(fixturePath('test_data.definition.dbn'), { upgradePolicy: 'as-is' }).toArray();
    expect(v2[0]!.constructor.name).toBe('InstrumentDefMsgV2');
    const up = DbnStore.fromFile(fixturePath('test_data.definition.v1.dbn')).toArray();
    expect(up[0]!.constructor.name).toBe('InstrumentDefMsg');
    expect(up[0]!.byteLength).toBe(520);
    const stats = DbnStore.fromFile(fixturePath('test_data.statistics.v1.dbn'), { upgradePolicy: 'as-is' }).toArray();
    expect(stats[0]!.constructor.name).toBe('StatMsgV1');
  });
});

describe('ts_out', () => {
  it('records of a ts_out stream carry the gateway send time after their body, through upgrades too', () => {
    const src = DbnStore.fromFile(fixturePath('test_data.definition.v1.dbn'), { upgradePolicy: 'as-is' });
    // Append an 8-byte send time to every record and grow hd.length by two words.
    const stamped = src.toArray().map((rec, i) => {
      const bytes = new Uint8Array(rec.byteLength + 8);
      bytes.set(rec.bytes());
      bytes[0] = bytes.length / 4;
      new DataView(bytes.buffer).setBigUint64(rec.byteLength, 1_700_000_000_000_000_000n + BigInt(i), true);
      return bytes;
    });
    const file = DbnEncoder.encode({ ...src.metadata, ts_out: true }, stamped.map((b) => ({ bytes: () => b })));
    const asIs = DbnStore.fromBytes(file, { upgradePolicy: 'as-is' }).toArray();
    const upgraded = DbnStore.fromBytes(file).toArray();
    for (const [i, rec] of upgraded.entries()) {
      expect(rec.ts_out).toBe(1_700_000_000_000_000_000n + BigInt(i));
      expect(asIs[i]!.ts_out).toBe(rec.ts_out);
      expect(rec.byteLength).toBe(520 + 8);
      // The body upgrades as without ts_out.
      expect(hex(rec.bytes().subarray(16, 520))).toBe(hex(DbnStore.fromFile(fixturePath('test_data.definition.v1.dbn')).toArray()[i]!.bytes().subarray(16)));
    }
    expect(DbnStore.fromFile(fixturePath('test_data.mbo.v3.dbn')).toArray()[0]!.ts_out).toBeUndefined();
  });
});

describe('upgrade-v2 policy', () => {
  it('upgrades v1 records to the v2 layouts and leaves later versions alone', () => {
    const def = DbnStore.fromFile(fixturePath('test_data.definition.v1.dbn'), { upgradePolicy: 'upgrade-v2' });
    expect(def.metadata.version).toBe(2);
    expect(def.metadata.symbol_cstr_len).toBe(71);
    const records = def.toArray();
    expect(records[0]!.constructor.name).toBe('InstrumentDefMsgV2');
    expect(records[0]!.byteLength).toBe(400);
    // The v2 file holds the same definitions in the v2 layout.
    const v2 = DbnStore.fromFile(fixturePath('test_data.definition.v2.dbn.zst'), { upgradePolicy: 'as-is' });
    expect(recordHex(def)).toEqual(recordHex(v2));
    // StatMsg is the same in v1 and v2: untouched.
    const stats = DbnStore.fromFile(fixturePath('test_data.statistics.v1.dbn'), { upgradePolicy: 'upgrade-v2' });
    expect(stats.toArray()[0]!.byteLength).toBe(64);
    const v3 = DbnStore.fromFile(fixturePath('test_data.statistics.v3.dbn.zst'), { upgradePolicy: 'upgrade-v2' });
    expect(v3.metadata.version).toBe(3);
    expect(recordHex(v3)).toEqual(recordHex(DbnStore.fromFile(fixturePath('test_data.statistics.v3.dbn.zst'))));
  });
});

describe('fragments', () => {
  const fragments = ALL_FIXTURES.filter(isFragment);

  it.each(fragments)('%s decodes when told its version', (name) => {
    const records = DbnStore.fromFile(fixturePath(name), fragmentOptions(name)).toArray();
    expect(records.length).toBeGreaterThan(0);
    for (const r of records) {
      expect(r.rtype).toBe(0x13);
      expect(r.byteLength).toBe(520); // upgraded to v3
    }
  });

  it('v1, v2 and v3 fragments of the same definitions agree once upgraded', () => {
    const decode = (name: string) => recordHex(DbnStore.fromFile(fixturePath(name), fragmentOptions(name)));
    const v3 = decode('test_data.definition.v3.dbn.frag');
    expect(decode('test_data.definition.v3.dbn.frag.zst')).toEqual(v3);
    expect(decode('test_data.definition.v2.dbn.frag')).toEqual(v3);
    expect(decode('test_data.definition.v1.dbn.frag')).toEqual(v3);
  });

  it('a fragment store has no metadata', () => {
    const store = DbnStore.fromFile(fixturePath('test_data.definition.v3.dbn.frag'), { fragment: { version: 3 } });
    expect(store.maybeMetadata).toBeUndefined();
    expect(() => store.metadata).toThrow(DbnError);
  });
});

describe('chunked input', () => {
  const samples = [
    'test_data.mbo.v3.dbn',
    'test_data.definition.v1.dbn',
    'test_data.mbo.v1.dbn.zst',
    'test_data.statistics.v1.dbn.zst',
    'multi-frame.definition.v1.dbn.frag.zst',
  ];

  it.each(samples)('%s: identical records at every split point and byte by byte', (name) => {
    const bytes = readFixture(name);
    const options = isFragment(name) ? fragmentOptions(name) : undefined;
    const whole = decodeChunks([bytes], options);
    expect(whole.records.length).toBeGreaterThan(0);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const split = decodeChunks([bytes.subarray(0, cut), bytes.subarray(cut)], options);
      expect(split.records).toEqual(whole.records);
      expect(split.metadata).toEqual(whole.metadata);
    }
    const bytewise = decodeChunks(Array.from(bytes, (_, i) => bytes.subarray(i, i + 1)), options);
    expect(bytewise.records).toEqual(whole.records);
  });

  it('metadata appears as soon as the header is complete', () => {
    const bytes = readFixture('test_data.mbo.v3.dbn');
    const decoder = new DbnDecoder();
    expect(decoder.write(bytes.subarray(0, 359))).toBeNull();
    expect(decoder.metadata).toBeUndefined();
    expect(decoder.write(bytes.subarray(359, 360))).toBeNull();
    expect(decoder.metadata?.dataset).toBe('GLBX.MDP3');
    const batch = decoder.write(bytes.subarray(360));
    expect(batch).toBeInstanceOf(RecordBatch);
    expect(batch!.count).toBe(2);
  });
});

describe('encoding', () => {
  it.each(GOLDEN_FIXTURES)('%s: encode then decode round-trips, plain and zstd', (name) => {
    const store = DbnStore.fromFile(fixturePath(name));
    const records = recordHex(store);
    for (const compression of ['none', 'zstd'] as const) {
      const bytes = DbnEncoder.encode(store.metadata, store.toArray(), { compression });
      const again = DbnStore.fromBytes(bytes);
      expect(again.metadata).toEqual(store.metadata);
      expect(recordHex(again)).toEqual(records);
    }
  });

  // v1 files are left out: their deprecated record_count holds a count, where writers now put 2^64-1.
  it.each(ALL_FIXTURES.filter((f) => /^test_data\.[a-z0-9-]+(\.v[23])?\.dbn$/.test(f)))(
    '%s: re-encoding with as-is reproduces the file byte for byte',
    (name) => {
      const bytes = readFixture(name);
      const store = DbnStore.fromBytes(bytes, { upgradePolicy: 'as-is' });
      const out = DbnEncoder.encode(store.metadata, store.toArray());
      expect(hex(out)).toBe(hex(bytes));
    },
  );

  it('streams a file with writeDbnFile from batches', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dbn-'));
    const src = DbnStore.fromFile(fixturePath('test_data.mbp-10.v3.dbn.zst'));
    const path = join(dir, 'out.dbn.zst');
    await writeDbnFile(path, src.metadata, src.batches(), { compression: 'zstd' });
    const back = DbnStore.fromFile(path);
    expect(back.metadata).toEqual(src.metadata);
    expect(recordHex(back)).toEqual(recordHex(src));
  });

  it('refuses values the format cannot hold', () => {
    const md = { dataset: 'GLBX.MDP3', schema: 'mbo', stype_in: 'raw_symbol', stype_out: 'instrument_id' };
    expect(() => new DbnEncoder({ ...md, dataset: 'X'.repeat(16) })).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT' }));
    expect(() => new DbnEncoder({ ...md, symbols: ['Ä'] })).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT' }));
    expect(() => new DbnEncoder({ ...md, schema: 'nope' })).toThrow(/unknown schema/);
    const enc = new DbnEncoder(md);
    expect(() => enc.write(new Uint8Array([0, 0xa0, 0, 0]))).toThrow(expect.objectContaining({ code: 'BAD_RECORD_LENGTH' }));
    expect(() => enc.write(new Uint8Array([14, 0xa0, 0, 0]))).toThrow(expect.objectContaining({ code: 'TRUNCATED_RECORD' }));
  });
});

describe('bad input', () => {
  /** Decodes fully; returns the records or the DbnError. Anything else fails the test. */
  function attempt(bytes: Uint8Array, options?: ConstructorParameters<typeof DbnDecoder>[0]): string[] | DbnError {
    try {
      return decodeChunks([bytes], options).records;
    } catch (e) {
      if (e instanceof DbnError) return e;
      throw e;
    }
  }

  it.each(ALL_FIXTURES.filter((f) => !f.endsWith('.dbz')))('%s truncated at every byte: DbnError or a record prefix', (name) => {
    const bytes = readFixture(name);
    const options = isFragment(name) ? fragmentOptions(name) : undefined;
    const full = attempt(bytes, options) as string[];
    const plain = !name.endsWith('.zst');
    // Offsets where a shorter plain input is still whole: after the header and after each record.
    const boundaries = new Set<number>();
    if (plain) {
      const asIs = attempt(bytes, { ...options, upgradePolicy: 'as-is' }) as string[];
      let at = options ? 0 : 8 + new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, true);
      boundaries.add(at);
      for (const r of asIs) boundaries.add((at += r.length / 2));
    }
    if (options) boundaries.add(0); // an empty fragment is a valid one
    // Concatenated zstd frames: a cut at the end of a frame leaves a whole, shorter stream.
    const frameEndsCount = name.startsWith('multi-frame') ? Infinity : 0;
    let frameEnds = 0;
    for (let cut = 0; cut < bytes.length; cut++) {
      const result = attempt(bytes.subarray(0, cut), options);
      if (result instanceof DbnError) {
        expect(['TRUNCATED_HEADER', 'TRUNCATED_RECORD']).toContain(result.code);
        expect(boundaries.has(cut)).toBe(false);
      } else {
        if (!boundaries.has(cut)) expect(++frameEnds).toBeLessThanOrEqual(frameEndsCount);
        expect(result).toEqual(full.slice(0, result.length));
      }
    }
  });

  it('bad magic, unsupported version, bad lengths, corrupt zstd', () => {
    const mbo = readFixture('test_data.mbo.v3.dbn');
    const patched = (at: number, value: number, from = mbo) => {
      const copy = from.slice();
      copy[at] = value;
      return copy;
    };
    const code = (bytes: Uint8Array, options?: ConstructorParameters<typeof DbnDecoder>[0]) =>
      (attempt(bytes, options) as DbnError).code;
    expect(code(patched(0, 0x58))).toBe('BAD_MAGIC');
    expect(code(patched(3, 4))).toBe('UNSUPPORTED_VERSION');
    expect(code(patched(3, 0))).toBe('UNSUPPORTED_VERSION');
    expect(code(patched(4, 10))).toBe('BAD_HEADER'); // header length under the fixed part
    expect(code(patched(112, 0xff))).toBe('BAD_HEADER'); // more symbols than the header holds
    for (const len of [0, 1, 2, 3]) {
      expect(code(patched(360, len))).toBe('BAD_RECORD_LENGTH');
      // The first record survives when the second is corrupt.
      const decoder = new DbnDecoder();
      const batch = decoder.write(patched(360 + 56, len));
      expect(batch?.count).toBe(1);
      expect(() => decoder.end()).toThrow(expect.objectContaining({ code: 'BAD_RECORD_LENGTH' }));
    }
    // A record whose length runs past the end of the stream.
    expect(code(patched(360 + 56, 200))).toBe('TRUNCATED_RECORD');
    // An upgradable record shorter than its old layout.
    const def = readFixture('test_data.definition.v1.dbn.frag');
    expect(code(patched(0, 20, def).subarray(0, 80), { fragment: { version: 1 } })).toBe('BAD_RECORD_LENGTH');
    const zst = readFixture('test_data.mbo.v3.dbn.zst');
    const corrupt = zst.slice();
    for (let i = 20; i < corrupt.length - 4; i++) corrupt[i] ^= 0x5a;
    expect(code(corrupt)).toBe('ZSTD_CORRUPT');
    expect(code(new Uint8Array([1, 2, 3]))).toBe('TRUNCATED_HEADER');
    expect(() => DbnStore.fromFile('/nonexistent/file.dbn')).toThrow(expect.objectContaining({ code: 'IO_ERROR' }));
  });

  it('a corrupt file gives its good records first, then the error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dbn-'));
    const mbo = readFixture('test_data.mbo.v3.dbn').slice();
    mbo[360 + 56] = 0;
    const path = join(dir, 'bad.dbn');
    writeFileSync(path, mbo);
    const store = DbnStore.fromFile(path);
    const seen: number[] = [];
    expect(() => {
      for (const rec of store) seen.push(rec.rtype);
    }).toThrow(expect.objectContaining({ code: 'BAD_RECORD_LENGTH' }));
    expect(seen).toEqual([0xa0]);
    const seenAsync: number[] = [];
    await expect(async () => {
      for await (const rec of store) seenAsync.push(rec.rtype);
    }).rejects.toThrow(DbnError);
    expect(seenAsync).toEqual([0xa0]);
  });

  it('a hand-built batch with a zero-length record fails instead of looping', () => {
    const batch = new RecordBatch(new ArrayBuffer(32), 2, 3, false);
    expect(() => batch.records()).toThrow(expect.objectContaining({ code: 'BAD_RECORD_LENGTH' }));
  });

  it('invalid options throw before any I/O', () => {
    expect(() => new DbnDecoder({ upgradePolicy: 'sideways' as never })).toThrow(
      /upgradePolicy must be 'upgrade', 'upgrade-v2' or 'as-is', not "sideways"/,
    );
    expect(() => new DbnDecoder({ fragment: { version: 4 as never } })).toThrow(/fragment.version/);
    expect(() => DbnStore.fromFile('')).toThrow(/path/);
  });
});

describe('without libzstd', () => {
  it('compressed input fails with ZSTD_UNAVAILABLE while plain DBN still works', () => {
    const code = `
      import(process.env.LIB).then(({ DbnStore }) => {
        const plain = DbnStore.fromFile(process.env.PLAIN).toArray().length;
        let error;
        try { DbnStore.fromFile(process.env.ZST); } catch (e) { error = { code: e.code, message: e.message }; }
        console.log(JSON.stringify({ plain, error }));
      });`;
    const out = execFileSync(process.execPath, ['-e', code], {
      env: {
        ...process.env,
        DATABENTO_ZSTD_LIBRARY: '/nonexistent/libzstd.so.1',
        LIB: new URL('../dist/lib/index.js', import.meta.url).href,
        PLAIN: fixturePath('test_data.mbo.v3.dbn'),
        ZST: fixturePath('test_data.mbo.v3.dbn.zst'),
      },
    });
    const { plain, error } = JSON.parse(String(out));
    expect(plain).toBe(2);
    expect(error.code).toBe('ZSTD_UNAVAILABLE');
    expect(error.message).toMatch(/libzstd/);
  });
});

describe('DbnDecodeStream', () => {
  it('pipes a file through to record batches, metadata first', async () => {
    const name = 'test_data.mbp-10.v1.dbn.zst';
    const stream = new DbnDecodeStream();
    const events: string[] = [];
    stream.on('metadata', (md: Metadata) => events.push(`metadata ${md.schema}`));
    const records: string[] = [];
    await pipeline(createReadStream(fixturePath(name), { highWaterMark: 7 }), stream, async (batches: AsyncIterable<RecordBatch>) => {
      for await (const batch of batches) {
        events.push('batch');
        records.push(...recordHex(batch));
      }
    });
    expect(events[0]).toBe('metadata mbp-10');
    expect(records).toEqual(readGolden(name).records.map((r) => r.hex));
    expect(stream.metadata?.dataset).toBe('GLBX.MDP3');
  });

  it('fails the pipeline on truncated input', async () => {
    const bytes = readFixture('test_data.mbo.v3.dbn').subarray(0, 400);
    await expect(
      pipeline(Readable.from([Buffer.from(bytes)]), new DbnDecodeStream(), async (batches: AsyncIterable<RecordBatch>) => {
        for await (const batch of batches) void batch;
      }),
    ).rejects.toMatchObject({ code: 'TRUNCATED_RECORD' });
  });
});

describe('threads', () => {
  it('the addon loads and decodes in a worker thread', async () => {
    const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      import(workerData.lib).then(({ DbnStore }) => {
        const store = DbnStore.fromFile(workerData.file);
        let n = 0;
        for (const rec of store) n += rec.instrument_id === 5482 ? 1 : 0;
        parentPort.postMessage(n);
      }, (e) => parentPort.postMessage(String(e)));`;
    const lib = new URL('../dist/lib/index.js', import.meta.url).href;
    const worker = new Worker(code, { eval: true, workerData: { lib, file: fixturePath('test_data.mbo.v3.dbn') } });
    const result = await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    expect(result).toBe(2);
  });
});

describe('columns', () => {
  it('turn records into one typed array per field, equal to the views', () => {
    const store = DbnStore.fromFile(fixturePath('test_data.mbp-10.v3.dbn.zst'));
    const records = store.toArray() as Mbp10Msg[];
    const { rtype, layout, count, columns } = store.toColumns();
    expect([rtype, layout, count]).toEqual([0x0a, 'Mbp10Msg', records.length]);
    expect(Object.keys(columns).slice(0, 5)).toEqual(['ts_event', 'rtype', 'publisher_id', 'instrument_id', 'price']);
    expect(columns.price).toBeInstanceOf(BigInt64Array);
    expect(columns.ts_recv).toBeInstanceOf(BigUint64Array);
    expect(columns.size).toBeInstanceOf(Uint32Array);
    records.forEach((rec, i) => {
      expect(columns.price![i]).toBe(rec.price);
      expect(columns.ts_event![i]).toBe(rec.ts_event);
      expect(columns.side![i]).toBe(rec.side);
      expect(columns.bid_px_00![i]).toBe(rec.levels[0]!.bid_px);
      expect(columns.ask_ct_09![i]).toBe(rec.levels[9]!.ask_ct);
    });
    expect(Object.keys(columns)).not.toContain('_reserved');
  });

  it('pick fields and rtypes, and name the fields a layout has when asked for another', () => {
    const defs = DbnStore.fromFile(fixturePath('test_data.definition.v3.dbn.zst'));
    const { columns } = defs.toColumns({ fields: ['raw_symbol', 'instrument_class'] });
    expect(columns).toEqual({ raw_symbol: ['MSFT', 'MSFT'].slice(0, defs.toArray().length), instrument_class: expect.any(Array) });
    expect(columns.instrument_class![0]).toBe('K');
    expect(() => defs.toColumns({ fields: ['nope'] })).toThrow(/no field nope in InstrumentDefMsg; it has ts_event, rtype/);
    expect(defs.toColumns({ rtype: 0xa0 }).count).toBe(0);
  });
});

describe('native failures', () => {
  it('an allocation that fails on a worker thread rejects with DbnError OUT_OF_MEMORY, as on the JS thread', async () => {
    const store = new native.NativeFileStore(fixturePath('test_data.mbo.dbn'), { upgradePolicy: 3, hasMetadata: true });
    try {
      // 64 TiB: no allocator hands that out.
      const err = await store.read(2 ** 46).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DbnError);
      expect(err).toMatchObject({ code: 'OUT_OF_MEMORY' });
      // The store is still usable afterwards.
      expect((await store.read())?.count).toBeGreaterThan(0);
    } finally {
      store.close();
    }
  });
});
