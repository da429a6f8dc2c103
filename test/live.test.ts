// The live clients against the mock gateway over real sockets: every byte
// the client sends, every record it receives, options and subscriptions.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { release } from 'node:os';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DbnStore, RecordBatch } from '../lib/dbn/index.js';
import { InvalidArgumentError, LiveError } from '../lib/errors.js';
import type { AnyRecord } from '../lib/generated/records.js';
import { LiveBlocking, LiveThreaded, type LiveThreadedOptions, type SubscriptionRequest } from '../lib/live/index.js';
import { liveNative } from '../lib/live/native.js';
import { packageVersion } from '../lib/historical/version.js';
import { encodeMboRecords, MOCK_API_KEY } from '../lib/testing/live-gateway.js';
import { blocking, gateway, threaded } from './live-helpers.js';

const FIXTURES = new URL('./fixtures/dbn/', import.meta.url).pathname;
const MBO_FILE = `${FIXTURES}test_data.mbo.v3.dbn`;

/** Every batch until the client closes (the gateway closing makes it close). */
function collect(client: LiveThreaded): Promise<{ batches: RecordBatch[]; error?: LiveError }> {
  const batches: RecordBatch[] = [];
  let error: LiveError | undefined;
  client.on('batch', (b) => batches.push(b));
  client.on('error', (e) => (error = e));
  return new Promise((resolve) => client.once('close', () => resolve({ batches, error })));
}

function concatBatches(batches: RecordBatch[]): Buffer {
  return Buffer.concat(batches.map((b) => b.bytes()));
}

describe('the core SHA-256 and CRAM reply', () => {
  it('match the FIPS 180-4 vectors', () => {
    const vectors: [string, string][] = [
      ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
      ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
      ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
      [
        'abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu',
        'cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1',
      ],
      ['a'.repeat(1_000_000), 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0'],
    ];
    for (const [input, hex] of vectors) expect(liveNative.liveSha256Hex(input)).toBe(hex);
    // Every length across two blocks, against Node's own implementation.
    const bytes = new Uint8Array(200).map((_, i) => (i * 37 + 11) & 0xff);
    for (let n = 0; n <= bytes.length; n++) {
      const part = bytes.subarray(0, n);
      expect(liveNative.liveSha256Hex(part)).toBe(createHash('sha256').update(part).digest('hex'));
    }
  });

  it('gives the spec vectors for the CRAM reply', () => {
    expect(liveNative.liveCramReply('abcd1234', 'db-unittestapikey1234567890FFFFF')).toBe(
      'be87ce3d564b64481d4ad1902e2b41b26e3eef62b9de37d87eb4a1d4a5199b6f-FFFFF',
    );
    expect(liveNative.liveCramReply('OvkNtDJNgywWjFeMSaYqUqTJfpGlDAjb', 'db-Wk3xEJ7pQo9LrT2aZ6vNcF8sHy4Ub')).toBe(
      '443977d3f4832ff87f55b748018dec256ceb844572164195382f9f0bbda1ece0-Hy4Ub',
    );
    expect(liveNative.liveCramReply('t7kNhwj4xqR0QYjzFKtBEG2ec2pXJ4FK', '32-character-with-lots-of-filler')).toBe(
      '42e2c6c6a874b2f4498bcaf0541be406901a23adef1fb2843d5426f6d2387d14-iller',
    );
  });
});

describe('the wire', () => {
  it('sends the authentication request with every field, in the official order', async () => {
    const gw = await gateway();
    const client = threaded(gw.port, { heartbeatIntervalS: 5, slowReaderBehavior: 'skip', userAgentExtension: 'myapp/1.0' });
    client.subscribe({ schema: 'trades', symbols: 'ESZ4' });
    await client.start();
    const session = gw.sessions[0]!;
    const auth = session.lines[0]!;
    const v = packageVersion();
    const cram = createHash('sha256').update(`${session.challenge}|${MOCK_API_KEY}`).digest('hex');
    expect(auth).toBe(
      `auth=${cram}-${MOCK_API_KEY.slice(-5)}|dataset=GLBX.MDP3|encoding=dbn|ts_out=0|compression=none|` +
        `client=Databento/${v} databento-node/${v} Node.js/${process.versions.node} Linux/${release()} myapp/1.0|` +
        'heartbeat_interval_s=5|slow_reader_behavior=skip',
    );
    expect(session.authenticated).toBe(true);
    expect(client.sessionId).toBe(session.sessionId);
    // Optional fields are left out unless set.
    const gw2 = await gateway();
    const plain = threaded(gw2.port, { tsOut: true, compression: 'zstd' });
    plain.subscribe({ schema: 'trades', symbols: 'ESZ4' });
    await plain.start();
    expect(gw2.sessions[0]!.lines[0]).toMatch(
      /^auth=[0-9a-f]{64}-6789A\|dataset=GLBX\.MDP3\|encoding=dbn\|ts_out=1\|compression=zstd\|client=Databento\/[^|]+$/,
    );
  });

  it('sends the spec example subscriptions byte for byte, then start_session', async () => {
    const gw = await gateway();
    const client = threaded(gw.port);
    const ids = [
      client.subscribe({ schema: 'mbo', stypeIn: 'parent', symbols: ['ES.FUT'], snapshot: true }),
      client.subscribe({ schema: 'trades', symbols: ['ESZ4', 'NQZ4'], start: '2024-11-20T14:00:00' }),
      client.subscribe({
        schema: 'ohlcv-1s',
        symbols: Array.from({ length: 501 }, (_, i) => `S${i}`),
        start: 1732100000000000000n,
      }),
      client.subscribe({ schema: 'definition', symbols: 'ALL_SYMBOLS' }),
    ];
    expect(ids).toEqual([1, 2, 3, 4]);
    await client.start();
    const lines = gw.sessions[0]!.lines.slice(1);
    const s500 = Array.from({ length: 500 }, (_, i) => `S${i}`).join(',');
    expect(lines).toEqual([
      'schema=mbo|stype_in=parent|id=1|symbols=ES.FUT|snapshot=1|is_last=1',
      'schema=trades|stype_in=raw_symbol|id=2|start=2024-11-20T14:00:00|symbols=ESZ4,NQZ4|snapshot=0|is_last=1',
      `schema=ohlcv-1s|stype_in=raw_symbol|start=1732100000000000000|id=3|symbols=${s500}|snapshot=0|is_last=0`,
      'schema=ohlcv-1s|stype_in=raw_symbol|start=1732100000000000000|id=3|symbols=S500|snapshot=0|is_last=1',
      'schema=definition|stype_in=raw_symbol|id=4|symbols=ALL_SYMBOLS|snapshot=0|is_last=1',
      'start_session',
    ]);
    expect(client.subscriptions).toEqual([
      { id: 1, schema: 'mbo', stypeIn: 'parent', symbols: ['ES.FUT'], snapshot: true },
      { id: 2, schema: 'trades', stypeIn: 'raw_symbol', symbols: ['ESZ4', 'NQZ4'], start: '2024-11-20T14:00:00', snapshot: false },
      expect.objectContaining({ id: 3, schema: 'ohlcv-1s', start: 1732100000000000000n }),
      { id: 4, schema: 'definition', stypeIn: 'raw_symbol', symbols: ['ALL_SYMBOLS'], snapshot: false },
    ]);
  });

  it('chunks 1,234 symbols by 500 with one id and is_last on the final chunk', async () => {
    const gw = await gateway({ acks: false, symbolMappings: false });
    const client = threaded(gw.port);
    const symbols = Array.from({ length: 1234 }, (_, i) => `SYM${i}`);
    client.subscribe({ schema: 'mbp-1', symbols });
    await client.start();
    const session = gw.sessions[0]!;
    expect(session.subscriptionLines.map((l) => [l.symbols.length, l.id, l.isLast])).toEqual([
      [500, 1, false],
      [500, 1, false],
      [234, 1, true],
    ]);
    expect(session.subscriptions).toHaveLength(1);
    expect(session.subscriptions[0]!.symbols).toEqual(symbols);
  });

  it('sends start as nanoseconds for a Date or a number, and subscriptions made after start at once', async () => {
    const gw = await gateway();
    const client = threaded(gw.port);
    client.subscribe({ schema: 'trades', symbols: 'A', start: new Date('2024-11-20T14:00:00Z') });
    client.subscribe({ schema: 'trades', symbols: [42], stypeIn: 'instrument_id', start: 0 });
    await client.start();
    expect(client.subscribe({ schema: 'mbo', symbols: 'B', snapshot: true })).toBe(3);
    const session = gw.sessions[0]!;
    await session.waitForLines(5);
    expect(session.lines.slice(1)).toEqual([
      'schema=trades|stype_in=raw_symbol|start=1732111200000000000|id=1|symbols=A|snapshot=0|is_last=1',
      'schema=trades|stype_in=instrument_id|start=0|id=2|symbols=42|snapshot=0|is_last=1',
      'start_session',
      'schema=mbo|stype_in=raw_symbol|id=3|symbols=B|snapshot=1|is_last=1',
    ]);
  });
});

describe('records', () => {
  it('arrive byte-identical to the file served, after the metadata', async () => {
    const gw = await gateway({ records: MBO_FILE, acks: false, symbolMappings: false, behavior: { closeAfterRecords: true } });
    const client = threaded(gw.port);
    client.subscribe({ schema: 'mbo', symbols: 'ESH1' });
    const done = collect(client);
    const md = await client.start();
    expect(md).toMatchObject({ version: 3, dataset: 'GLBX.MDP3', schema: null, stype_in: null, stype_out: 'instrument_id', ts_out: false });
    const { batches, error } = await done;
    expect(error?.code).toBe('CONNECTION_CLOSED');
    const file = readFileSync(MBO_FILE);
    const expected = file.subarray(8 + file.readUInt32LE(4));
    expect(concatBatches(batches).equals(expected)).toBe(true);
  });

  it('arrive byte-identical in bulk: 300,000 MBO records, none lost, in order', async () => {
    const records = encodeMboRecords(300_000);
    const gw = await gateway({ acks: false, symbolMappings: false, behavior: { closeAfterRecords: true } });
    gw.records = (session) => {
      void session;
      // Several chunks, split inside records: the client must reassemble.
      const cuts = [0, 1_000_003, 7_777_777, 12_345_678, records.length];
      return cuts.slice(1).map((end, i) => records.subarray(cuts[i], end));
    };
    const client = threaded(gw.port);
    client.subscribe({ schema: 'mbo', symbols: 'ESH1' });
    const done = collect(client);
    await client.start();
    const { batches } = await done;
    expect(batches.reduce((n, b) => n + b.count, 0)).toBe(300_000);
    expect(concatBatches(batches).equals(Buffer.from(records))).toBe(true);
    // Under load batches are full: tens of KiB each.
    expect(Math.max(...batches.map((b) => b.byteLength))).toBeGreaterThan(32 * 1024);
  });

  it('carry ts_out and come through zstd when negotiated', async () => {
    const gw = await gateway({ records: MBO_FILE, behavior: { closeAfterRecords: true } });
    const client = threaded(gw.port, { tsOut: true, compression: 'zstd' });
    client.subscribe({ schema: 'mbo', symbols: 'ESH1' });
    const done = collect(client);
    const md = await client.start();
    expect(md.ts_out).toBe(true);
    const { batches } = await done;
    expect(gw.sessions[0]!.compressed).toBe(true);
    const recs = batches.flatMap((b) => b.records());
    expect(batches.every((b) => b.tsOut)).toBe(true);
    const mbo = recs.filter((r) => r.rtype === 0xa0);
    const plain = DbnStore.fromFile(MBO_FILE).toArray();
    expect(mbo).toHaveLength(plain.length);
    for (let i = 0; i < mbo.length; i++) {
      const got = mbo[i]!.bytes();
      expect(got.length).toBe(64);
      expect(Buffer.from(got.subarray(1, 56)).equals(Buffer.from(plain[i]!.bytes().subarray(1, 56)))).toBe(true);
      const tsOut = new DataView(got.buffer, got.byteOffset).getBigUint64(56, true);
      expect(tsOut).toBeGreaterThan(1_600_000_000_000_000_000n);
    }
  });

  it('keep symbolMap current from SymbolMappingMsg records, before the records are delivered', async () => {
    const gw = await gateway({ instrumentId: (s) => (s === 'ESZ4' ? 4916 : 9999) });
    gw.records = () => [encodeMboRecords(1, 0, () => 1n).fill(0, 4, 8).map((b, i) => (i === 4 ? 0x34 : i === 5 ? 0x13 : b))];
    const client = threaded(gw.port);
    client.subscribe({ schema: 'mbo', symbols: ['ESZ4', 'NQZ4'] });
    await client.start();
    const seen: [number, string | undefined][] = [];
    await new Promise<void>((resolve) => {
      const onRecord = (rec: AnyRecord): void => {
        if (rec.rtype !== 0xa0) return;
        seen.push([rec.instrument_id, client.symbolMap.find(rec)]);
        client.off('record', onRecord);
        resolve();
      };
      client.on('record', onRecord);
    });
    expect(seen).toEqual([[4916, 'ESZ4']]);
    expect(client.symbolMap.find(9999)).toBe('NQZ4');
    client.subscribe({ schema: 'trades', symbols: 'CLZ4' });
    const mapped = await new Promise<string | undefined>((resolve) => {
      client.on('record', (r: AnyRecord) => {
        if (r.rtype === 0x16) resolve(client.symbolMap.find(r));
      });
    });
    expect(mapped).toBe('CLZ4');
  });

  it('come one per batch when the feed is quiet', async () => {
    const gw = await gateway({ acks: false, symbolMappings: false });
    const client = threaded(gw.port);
    client.subscribe({ schema: 'mbo', symbols: 'X' });
    await client.start();
    const session = gw.sessions[0]!;
    const got: number[] = [];
    client.on('batch', (b) => got.push(b.count));
    for (let i = 0; i < 5; i++) {
      session.send(encodeMboRecords(1, i));
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(got).toEqual([1, 1, 1, 1, 1]);
  });
});

describe('LiveBlocking (async)', () => {
  it('reads records with next() and nextBatch(), with timeouts, off the JS thread', async () => {
    const gw = await gateway({ records: MBO_FILE, acks: false });
    const client = blocking(gw.port);
    client.subscribe({ schema: 'mbo', symbols: 'ESH1' });
    const md = await client.start();
    expect(md.dataset).toBe('GLBX.MDP3');
    const first = await client.next(2000);
    expect(first?.rtype).toBe(0x16);
    expect(client.symbolMap.size).toBe(1);
    const rest: AnyRecord[] = [];
    for (let r = await client.next(2000); r && rest.length < 2; r = rest.length < 2 ? await client.next(2000) : null) rest.push(r);
    expect(rest.map((r) => r.rtype)).toEqual([0xa0, 0xa0]);
    // Nothing more: a short timeout gives null, not an error.
    const t0 = Date.now();
    expect(await client.nextBatch(150)).toBeNull();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    gw.sessions[0]!.send(encodeMboRecords(3));
    const batch = await client.nextBatch(2000);
    expect(batch?.count).toBe(3);
    await client.close();
    expect(await client.next()).toBeNull();
  });

  it('reconnects and resubscribes by hand with the original ids, without start', async () => {
    const gw = await gateway();
    const client = blocking(gw.port);
    client.subscribe({ schema: 'trades', symbols: 'ESZ4', start: 1732100000000000000n });
    client.subscribe({ schema: 'mbo', symbols: 'ES.FUT', stypeIn: 'parent', snapshot: true });
    expect(await client.connect()).toBe(gw.sessions[0]!.sessionId);
    await client.start();
    const sid = await client.reconnect();
    expect(sid).toBe(gw.sessions[1]!.sessionId);
    client.resubscribe();
    // New subscriptions continue the ids, as the official client's do.
    expect(client.subscribe({ schema: 'trades', symbols: 'NQZ4' })).toBe(3);
    await client.start();
    expect(gw.sessions[1]!.lines.slice(1)).toEqual([
      'schema=trades|stype_in=raw_symbol|id=1|symbols=ESZ4|snapshot=0|is_last=1',
      'schema=mbo|stype_in=parent|id=2|symbols=ES.FUT|snapshot=1|is_last=1',
      'schema=trades|stype_in=raw_symbol|id=3|symbols=NQZ4|snapshot=0|is_last=1',
      'start_session',
    ]);
    expect((await client.next(2000))?.rtype).toBe(0x16);
  });

  it('iterates with for await until closed', async () => {
    const gw = await gateway({ records: MBO_FILE, acks: false, symbolMappings: false });
    const client = blocking(gw.port);
    client.subscribe({ schema: 'mbo', symbols: 'ESH1' });
    await client.start();
    let n = 0;
    for await (const rec of client) {
      expect(rec.rtype).toBe(0xa0);
      if (++n === 2) setTimeout(() => void client.close(), 50);
    }
    expect(n).toBe(2);
  });
});

describe('options', () => {
  it('are validated before any network I/O', async () => {
    const gw = await gateway();
    const base = { key: MOCK_API_KEY, dataset: 'GLBX.MDP3', gateway: '127.0.0.1', port: gw.port };
    const bad: Partial<LiveThreadedOptions>[] = [
      { key: 'short' },
      { key: `${MOCK_API_KEY}x` },
      { heartbeatIntervalS: 4 },
      { heartbeatIntervalS: 1801 },
      { heartbeatIntervalS: 5.5 },
      { port: 0 },
      { port: 70000 },
      { dataset: '' },
      { dataset: 'A|B' },
      { compression: 'gzip' as 'zstd' },
      { slowReaderBehavior: 'drop' as 'skip' },
      { upgradePolicy: 'v9' as 'as-is' },
      { reconnect: { maxAttempts: 0 } },
      { batchBytes: 10 },
    ];
    for (const opts of bad) {
      expect(() => new LiveThreaded({ ...base, ...opts })).toThrow(InvalidArgumentError);
      expect(() => new LiveBlocking({ ...base, ...opts })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
    const client = threaded(gw.port);
    const badSubs = [
      { schema: 'nope', symbols: 'A' },
      { schema: 'mbo', symbols: [] },
      { schema: 'mbo', symbols: 'A,B' },
      { schema: 'mbo', symbols: 'A', stypeIn: 'bogus' },
      { schema: 'mbo', symbols: 'A', start: 1n, snapshot: true },
      { schema: 'mbo', symbols: 'A', start: -1 },
    ];
    // Plain JS callers get the same checks at run time.
    for (const sub of badSubs as unknown as SubscriptionRequest[]) expect(() => client.subscribe(sub)).toThrow(InvalidArgumentError);
    // TypeScript callers get them at compile time: schema and stypeIn are literal unions.
    // @ts-expect-error: 'trade' is not a schema name
    expect(() => client.subscribe({ schema: 'trade', symbols: 'A' })).toThrow(InvalidArgumentError);
    // @ts-expect-error: 'raw' is not a symbology
    expect(() => client.subscribe({ schema: 'trades', symbols: 'A', stypeIn: 'raw' })).toThrow(InvalidArgumentError);
    await new Promise((r) => setTimeout(r, 20));
    expect(gw.sessions).toHaveLength(0);
  });

  it('take the key from DATABENTO_API_KEY by default and never show it', async () => {
    const saved = process.env.DATABENTO_API_KEY;
    try {
      delete process.env.DATABENTO_API_KEY;
      expect(() => new LiveThreaded({ dataset: 'GLBX.MDP3' })).toThrow(/DATABENTO_API_KEY/);
      const wrong = 'db-ThisKeyIsSecretAndWrong123456';
      process.env.DATABENTO_API_KEY = wrong;
      const gw = await gateway({ behavior: { refuseAuth: `unknown key ${wrong} (${MOCK_API_KEY})` } });
      const client = new LiveThreaded({ dataset: 'GLBX.MDP3', gateway: '127.0.0.1', port: gw.port });
      const err = await client.start().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LiveError);
      expect((err as LiveError).code).toBe('AUTH_FAILED');
      const text = `${(err as Error).message} ${(err as Error).stack} ${JSON.stringify(err)}`;
      expect(text).not.toContain(wrong);
      expect(inspect(client, { showHidden: true, depth: 5 })).not.toContain(wrong);
      expect((err as Error).message).toContain('<redacted>');
      process.env.DATABENTO_API_KEY = 'db-ThisKeyIsSecretAndShort';
      const e2 = (() => {
        try {
          return new LiveThreaded({ dataset: 'GLBX.MDP3' });
        } catch (e) {
          return e as Error;
        }
      })();
      expect(String((e2 as Error).message)).not.toContain('ThisKeyIsSecret');
    } finally {
      if (saved === undefined) delete process.env.DATABENTO_API_KEY;
      else process.env.DATABENTO_API_KEY = saved;
    }
  });
});
