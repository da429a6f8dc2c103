// The historical client against the mock historical server, over real HTTP on 127.0.0.1.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, existsSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { DbnEncoder, DbnStore, type RecordBatch } from '../lib/dbn/index.js';
import { DatabentoError, InvalidArgumentError, DbnError } from '../lib/errors.js';
import {
  AbortError,
  BentoClientError,
  BentoServerError,
  ChecksumError,
  CostLimitError,
  Historical,
  HttpError,
  RequestError,
  StreamingDbnStore,
  type HistoricalOptions,
} from '../lib/historical/index.js';
import { MockHistoricalServer, MockReply, type MockBatchFile } from '../lib/testing/historical-server.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/dbn/', import.meta.url));
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(join(FIXTURES, name)));
const KEY = 'db-Wk3xEJ7pQo9LrT2aZ6vNcF8sHy4Ub';
const AUTH = 'Basic ZGItV2szeEVKN3BRbzlMclQyYVo2dk5jRjhzSHk0VWI6';
const PKG_VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;

let server: MockHistoricalServer;
let tmp: string;

beforeAll(async () => {
  server = await MockHistoricalServer.start({ fixturesDir: FIXTURES });
  tmp = mkdtempSync(join(tmpdir(), 'databento-hist-test-'));
});
afterAll(async () => {
  await server.close();
  rmSync(tmp, { recursive: true, force: true });
});
beforeEach(() => {
  server.reset();
  server.chunkSize = 16 * 1024;
  server.chunkDelayMs = 0;
  server.setTimeseries(undefined);
  for (const e of ['metadata.get_cost', 'metadata.list_datasets', 'symbology.resolve']) server.setResponse(e, undefined);
});

const client = (opts: HistoricalOptions = {}): Historical =>
  new Historical({ key: KEY, gateway: server.url, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 }, ...opts });

const last = () => server.requests.at(-1)!;

/** Runs `fn` and collects the process warnings it emits. */
async function withWarnings<T>(fn: () => Promise<T>): Promise<{ result: T; warnings: Error[] }> {
  const warnings: Error[] = [];
  const on = (w: Error): void => void warnings.push(w);
  process.on('warning', on);
  try {
    const result = await fn();
    await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
    return { result, warnings };
  } finally {
    process.off('warning', on);
  }
}

/** A rejection's error, for field assertions. */
async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

/** `n` synthetic MBO records (56 bytes each, DBN v3 layout). */
function mboRecords(n: number, instrumentId = 5482): Uint8Array {
  const buf = new Uint8Array(n * 56);
  const dv = new DataView(buf.buffer);
  const t0 = 1_609_160_400_000_000_000n;
  for (let i = 0; i < n; i++) {
    const o = i * 56;
    dv.setUint8(o, 14);
    dv.setUint8(o + 1, 0xa0);
    dv.setUint16(o + 2, 1, true);
    dv.setUint32(o + 4, instrumentId, true);
    dv.setBigUint64(o + 8, t0 + BigInt(i), true);
    dv.setBigUint64(o + 16, BigInt(i + 1), true);
    dv.setBigInt64(o + 24, 3_722_750_000_000n + BigInt(i % 100) * 250_000_000n, true);
    dv.setUint32(o + 32, 1 + (i % 10), true);
    dv.setUint8(o + 36, 128);
    dv.setUint8(o + 37, 0);
    dv.setUint8(o + 38, 0x41); // 'A'
    dv.setUint8(o + 39, i % 2 ? 0x42 : 0x41);
    dv.setBigUint64(o + 40, t0 + BigInt(i) + 1000n, true);
    dv.setInt32(o + 48, 20_000, true);
    dv.setUint32(o + 52, i, true);
  }
  return buf;
}

function mboFile(n: number, compression: 'none' | 'zstd'): Uint8Array {
  return DbnEncoder.encode(
    { dataset: 'GLBX.MDP3', schema: 'mbo', start: 1_609_160_400_000_000_000n, stype_in: 'raw_symbol', stype_out: 'instrument_id', symbols: ['ESH1'] },
    mboRecords(n),
    { compression },
  );
}

const hexOf = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const recordHexes = (store: Iterable<{ bytes(): Uint8Array }>): string[] => Array.from(store, (r) => hexOf(r.bytes()));

const RANGE = { dataset: 'GLBX.MDP3', symbols: ['ESH1'], schema: 'mbo', start: '2020-12-28' } as const;

describe('client construction', () => {
  test('key from DATABENTO_API_KEY, Basic auth and the user agent', async () => {
    const saved = process.env['DATABENTO_API_KEY'];
    process.env['DATABENTO_API_KEY'] = KEY;
    try {
      await new Historical({ gateway: server.url }).metadata.listDatasets();
    } finally {
      if (saved === undefined) delete process.env['DATABENTO_API_KEY'];
      else process.env['DATABENTO_API_KEY'] = saved;
    }
    const req = last();
    expect(req.headers.authorization).toBe(AUTH);
    expect(req.headers['user-agent']).toMatch(
      new RegExp(`^Databento/${PKG_VERSION.replace(/\./g, '\\.')} Node\\.js/${process.versions.node.replace(/\./g, '\\.')} Linux/\\S+$`),
    );
    expect(req.headers.accept).toBe('application/json');
  });

  test('a missing or malformed key is refused without echoing it', () => {
    const saved = process.env['DATABENTO_API_KEY'];
    delete process.env['DATABENTO_API_KEY'];
    try {
      expect(() => new Historical({ gateway: server.url })).toThrow(InvalidArgumentError);
    } finally {
      if (saved !== undefined) process.env['DATABENTO_API_KEY'] = saved;
    }
    const bad = 'db-secret with space';
    const err = (() => {
      try {
        new Historical({ key: bad });
      } catch (e) {
        return e as Error;
      }
      throw new Error('no error');
    })();
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect(err.message).not.toContain('secret');
  });

  test('gateway forms', () => {
    expect(new Historical({ key: KEY }).gateway).toBe('https://hist.databento.com');
    expect(new Historical({ key: KEY, gateway: 'hist.databento.com' }).gateway).toBe('https://hist.databento.com');
    expect(new Historical({ key: KEY, gateway: 'http://127.0.0.1:8080/' }).gateway).toBe('http://127.0.0.1:8080');
    expect(() => new Historical({ key: KEY, gateway: 'ftp://x' })).toThrow(InvalidArgumentError);
    expect(() => new Historical({ key: KEY, retry: { maxAttempts: 0 } })).toThrow(InvalidArgumentError);
  });

  test('the key is not visible when the client is inspected', () => {
    const c = client();
    expect(inspect(c, { depth: 10, showHidden: true })).not.toContain(KEY);
    expect(JSON.stringify(c)).not.toContain(KEY);
  });
});

describe('metadata', () => {
  afterEach(() => {
    for (const r of server.requests) expect(r.headers.authorization).toBe(AUTH);
  });

  test('listPublishers', async () => {
    const result = await client().metadata.listPublishers();
    expect(last()).toMatchObject({ method: 'GET', path: '/v0/metadata.list_publishers', query: {} });
    expect(last().headers.authorization).toBe(AUTH);
    expect(result).toEqual([
      { publisher_id: 1, dataset: 'GLBX.MDP3', venue: 'GLBX', description: 'CME Globex MDP 3.0' },
      { publisher_id: 2, dataset: 'XNAS.ITCH', venue: 'XNAS', description: 'Nasdaq TotalView-ITCH' },
    ]);
  });

  test('listDatasets with dates (string and Date)', async () => {
    const result = await client().metadata.listDatasets({ startDate: '2024-01-01', endDate: new Date('2024-02-01T00:00:00Z') });
    expect(last()).toMatchObject({
      method: 'GET',
      path: '/v0/metadata.list_datasets',
      query: { start_date: '2024-01-01', end_date: '2024-02-01' },
    });
    expect(result).toEqual(['GLBX.MDP3', 'XNAS.ITCH']);
    await client().metadata.listDatasets();
    expect(last().query).toEqual({});
  });

  test('listSchemas', async () => {
    const result = await client().metadata.listSchemas({ dataset: 'GLBX.MDP3' });
    expect(last()).toMatchObject({ method: 'GET', path: '/v0/metadata.list_schemas', query: { dataset: 'GLBX.MDP3' } });
    expect(result).toContain('mbo');
  });

  test('listFields (encoding defaults to dbn)', async () => {
    const result = await client().metadata.listFields({ schema: 'trades' });
    expect(last()).toMatchObject({ method: 'GET', path: '/v0/metadata.list_fields', query: { encoding: 'dbn', schema: 'trades' } });
    expect(result[0]).toEqual({ name: 'length', type: 'uint8_t' });
  });

  test('listUnitPrices', async () => {
    const result = await client().metadata.listUnitPrices({ dataset: 'GLBX.MDP3' });
    expect(last()).toMatchObject({ path: '/v0/metadata.list_unit_prices', query: { dataset: 'GLBX.MDP3' } });
    expect(result.map((m) => m.mode)).toEqual(['historical', 'historical-streaming', 'live']);
    expect(result[0]!.unit_prices.mbo).toBe(21.05);
  });

  test('getDatasetCondition', async () => {
    const result = await client().metadata.getDatasetCondition({ dataset: 'GLBX.MDP3', startDate: '2024-11-18', endDate: '2024-11-19' });
    expect(last()).toMatchObject({
      method: 'GET',
      path: '/v0/metadata.get_dataset_condition',
      query: { dataset: 'GLBX.MDP3', start_date: '2024-11-18', end_date: '2024-11-19' },
    });
    expect(result[1]).toEqual({ date: '2022-11-10', condition: 'missing', last_modified_date: null });
  });

  test('getDatasetRange', async () => {
    const result = await client().metadata.getDatasetRange({ dataset: 'GLBX.MDP3' });
    expect(last()).toMatchObject({ path: '/v0/metadata.get_dataset_range', query: { dataset: 'GLBX.MDP3' } });
    expect(result.start).toBe('2017-05-21T00:00:00.000000000Z');
    expect(result.schema['ohlcv-1s']!.end).toBe('2023-03-23T00:00:00.000000000Z');
  });

  test('getRecordCount: ISO strings verbatim, symbols comma-joined in a form body', async () => {
    const n = await client().metadata.getRecordCount({
      dataset: 'GLBX.MDP3',
      symbols: ['ESZ4', 'NQZ4'],
      schema: 'trades',
      start: '2024-11-18T14:30',
      end: '2024-11-18T15:00',
    });
    expect(n).toBe(42);
    const req = last();
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/v0/metadata.get_record_count');
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(req.query).toEqual({});
    expect(req.form).toEqual({
      dataset: 'GLBX.MDP3',
      end: '2024-11-18T15:00',
      schema: 'trades',
      start: '2024-11-18T14:30',
      stype_in: 'raw_symbol',
      symbols: 'ESZ4,NQZ4',
    });
  });

  test('getBillableSize: bigint nanoseconds, limit and stype_in', async () => {
    const n = await client().metadata.getBillableSize({
      dataset: 'GLBX.MDP3',
      symbols: 'ES.FUT',
      schema: 'mbp-1',
      start: 1731940200000000000n,
      end: 1731942000000000000n,
      stypeIn: 'parent',
      limit: 1000,
    });
    expect(n).toBe(44688);
    expect(last().form).toEqual({
      dataset: 'GLBX.MDP3',
      end: '1731942000000000000',
      limit: '1000',
      schema: 'mbp-1',
      start: '1731940200000000000',
      stype_in: 'parent',
      symbols: 'ES.FUT',
    });
  });

  test('getCost: a Date goes out as ISO 8601', async () => {
    const cost = await client().metadata.getCost({
      dataset: 'GLBX.MDP3',
      symbols: 'ALL_SYMBOLS',
      schema: 'trades',
      start: new Date('2024-11-18T00:00:00Z'),
    });
    expect(cost).toBe(0.65783);
    expect(last()).toMatchObject({
      path: '/v0/metadata.get_cost',
      form: { dataset: 'GLBX.MDP3', schema: 'trades', start: '2024-11-18T00:00:00.000Z', stype_in: 'raw_symbol', symbols: 'ALL_SYMBOLS' },
    });
  });

  test('invalid arguments throw before any request', async () => {
    const c = client();
    const q = { dataset: 'GLBX.MDP3', symbols: ['ESZ4'], schema: 'trades', start: '2024-11-18' } as const;
    await expect(c.metadata.getCost({ ...q, symbols: [] })).rejects.toThrow(InvalidArgumentError);
    await expect(c.metadata.getCost({ ...q, schema: 'nope' as 'mbo' })).rejects.toThrow(InvalidArgumentError);
    await expect(c.metadata.getCost({ ...q, start: 12345 as unknown as bigint })).rejects.toThrow(/bigint/);
    await expect(c.metadata.getCost({ ...q, limit: -1 })).rejects.toThrow(InvalidArgumentError);
    await expect(c.metadata.getCost({ ...q, stypeIn: 'bogus' as 'parent' })).rejects.toThrow(InvalidArgumentError);
    await expect(c.metadata.listDatasets({ startDate: '2024-13-45' })).rejects.toThrow(InvalidArgumentError);
    await expect(c.metadata.listSchemas({ dataset: '' })).rejects.toThrow(InvalidArgumentError);
    await expect(c.symbology.resolve({ dataset: 'GLBX.MDP3', symbols: ['A'], startDate: '18/11/2024' })).rejects.toThrow(
      InvalidArgumentError,
    );
    await expect(c.timeseries.getRange({ ...RANGE, upgradePolicy: 'sideways' as 'as-is' })).rejects.toThrow(InvalidArgumentError);
    await expect(c.batch.submitJob({ ...q, splitDuration: 'fortnight' as 'day' })).rejects.toThrow(InvalidArgumentError);
    expect(server.requests).toHaveLength(0);
  });

  test('a body of the wrong shape is a BAD_RESPONSE error', async () => {
    server.setResponse('metadata.list_datasets', { not: 'an array' });
    const err = await failure(client().metadata.listDatasets());
    expect(err).toBeInstanceOf(DatabentoError);
    expect((err as DatabentoError).code).toBe('BAD_RESPONSE');
  });
});

describe('errors and retries', () => {
  test('4xx with a string detail: BentoClientError, not retried', async () => {
    server.inject({ kind: 'error', status: 400, detail: 'Invalid dataset.' }, { times: Infinity });
    const err = await failure(client().metadata.listSchemas({ dataset: 'NOPE' }));
    expect(err).toBeInstanceOf(BentoClientError);
    expect(err).toBeInstanceOf(HttpError);
    const e = err as BentoClientError;
    expect(e.status).toBe(400);
    expect(e.code).toBe('HTTP_ERROR');
    expect(e.message).toBe('Invalid dataset.');
    expect(e.method).toBe('GET');
    expect(e.requestPath).toBe('/v0/metadata.list_schemas');
    expect(e.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(server.requests).toHaveLength(1);
  });

  test('4xx with the rich detail: case, message and docs', async () => {
    server.inject({
      kind: 'error',
      status: 422,
      detail: {
        case: 'data_start_before_available_start',
        message: 'start was before the available start.',
        status_code: 422,
        docs: 'https://databento.com/docs/api-reference-historical/metadata/metadata-get-dataset',
        payload: { dataset: 'GLBX.MDP3' },
      },
    });
    const e = (await failure(client().metadata.getCost({ ...RANGE }))) as BentoClientError;
    expect(e).toBeInstanceOf(BentoClientError);
    expect(e.message).toBe('start was before the available start.');
    expect(e.case).toBe('data_start_before_available_start');
    expect(e.docsUrl).toBe('https://databento.com/docs/api-reference-historical/metadata/metadata-get-dataset');
    expect(e.method).toBe('POST');
    expect(e.requestPath).toBe('/v0/metadata.get_cost');
  });

  test('401 has code AUTH_FAILED', async () => {
    const s = await MockHistoricalServer.start({ key: 'db-the-right-one' });
    try {
      const e = (await failure(new Historical({ key: KEY, gateway: s.url }).metadata.listDatasets())) as HttpError;
      expect(e.status).toBe(401);
      expect(e.code).toBe('AUTH_FAILED');
      expect(s.requests).toHaveLength(1);
    } finally {
      await s.close();
    }
  });

  test('429 is retried after Retry-After', async () => {
    server.inject({ kind: 'rate-limit', retryAfter: 1 });
    const t0 = Date.now();
    await expect(client({ retry: { maxAttempts: 2, baseDelayMs: 1 } }).metadata.listDatasets()).resolves.toHaveLength(2);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950); // the server's 1 s, not the 1 ms backoff
    expect(server.requestsTo('/v0/metadata.list_datasets')).toHaveLength(2);
  });

  test('5xx and network failures are retried for safe requests, up to maxAttempts', async () => {
    server.inject({ kind: 'error', status: 503, detail: 'busy' });
    server.inject({ kind: 'reset' });
    await expect(client().metadata.listPublishers()).resolves.toHaveLength(2);
    expect(server.requests).toHaveLength(3);

    server.reset();
    server.inject({ kind: 'error', status: 502, body: '<html>502 Bad Gateway</html>' }, { times: Infinity });
    const e = (await failure(client().metadata.getRecordCount({ ...RANGE }))) as BentoServerError;
    expect(e).toBeInstanceOf(BentoServerError);
    expect(e.status).toBe(502);
    expect(e.message).toContain('502');
    expect(e.body).toBe('<html>502 Bad Gateway</html>');
    expect(server.requests).toHaveLength(3); // maxAttempts
  });

  test('retry: false sends once', async () => {
    server.inject({ kind: 'error', status: 500, detail: 'boom' }, { times: Infinity });
    await expect(client({ retry: false }).metadata.listPublishers()).rejects.toThrow(BentoServerError);
    expect(server.requests).toHaveLength(1);
  });

  test('submit_job is not retried on 5xx or a reset, but is on 429', async () => {
    const job = { dataset: 'GLBX.MDP3', symbols: ['ESZ4'], schema: 'trades', start: '2024-11-18' } as const;
    server.inject({ kind: 'error', status: 500, detail: 'boom' }, { times: Infinity });
    await expect(client().batch.submitJob(job)).rejects.toThrow(BentoServerError);
    expect(server.requests).toHaveLength(1);

    server.reset();
    server.inject({ kind: 'reset' }, { times: Infinity });
    const e = await failure(client().batch.submitJob(job));
    expect(e).toBeInstanceOf(RequestError);
    expect((e as RequestError).code).toBe('NETWORK_ERROR');
    expect(server.requests).toHaveLength(1);

    server.reset();
    server.inject({ kind: 'rate-limit', retryAfter: 0 });
    await expect(client().batch.submitJob(job)).resolves.toMatchObject({ dataset: 'GLBX.MDP3' });
    expect(server.requests).toHaveLength(2);
  });

  test('timeoutMs: no answer in time is a TIMEOUT RequestError', async () => {
    server.inject({ kind: 'stall', ms: 400 });
    const e = (await failure(client({ timeoutMs: 50, retry: false }).metadata.listDatasets())) as RequestError;
    expect(e).toBeInstanceOf(RequestError);
    expect(e.code).toBe('TIMEOUT');
  });

  test('a refused connection is a NETWORK_ERROR RequestError', async () => {
    const s = await MockHistoricalServer.start();
    const url = s.url;
    await s.close();
    const e = (await failure(new Historical({ key: KEY, gateway: url, retry: false }).metadata.listDatasets())) as RequestError;
    expect(e).toBeInstanceOf(RequestError);
    expect(e.code).toBe('NETWORK_ERROR');
    expect(e.message).toContain('ECONNREFUSED');
  });

  test('X-Warning entries become process warnings', async () => {
    server.inject({
      kind: 'warning',
      warnings: ['DeprecationWarning: the mode parameter is deprecated', 'BentoWarning: symbols were truncated'],
    });
    const { warnings } = await withWarnings(() => client().metadata.getCost({ ...RANGE }));
    expect(warnings.map((w) => [w.name, w.message])).toEqual([
      ['DatabentoDeprecationWarning', 'the mode parameter is deprecated'],
      ['DatabentoWarning', 'symbols were truncated'],
    ]);
  });

  test('X-Warning on an error response and on a stream', async () => {
    server.inject({ kind: 'error', status: 400, detail: 'no', headers: { 'X-Warning': '["Warning: careful"]' } });
    const a = await withWarnings(() => failure(client().metadata.listDatasets()));
    expect(a.warnings.map((w) => w.message)).toEqual(['careful']);
    server.setTimeseries(fixture('test_data.mbo.v3.dbn.zst'));
    server.inject({ kind: 'warning', warnings: 'not a JSON array' });
    const b = await withWarnings(async () => (await client().timeseries.getRange(RANGE)).toArray());
    expect(b.warnings.map((w) => [w.name, w.message])).toEqual([['DatabentoWarning', 'not a JSON array']]);
  });

  test('the key never appears in errors, bodies, causes or warnings', async () => {
    const b64 = Buffer.from(`${KEY}:`).toString('base64');
    server.setResponse('metadata.list_datasets', (req) => new MockReply(400, { detail: `bad key ${KEY} / ${req.headers.authorization}` }));
    server.inject({ kind: 'warning', warnings: [`Warning: your key ${KEY} is old`] });
    const { result: e, warnings } = await withWarnings(() => failure(client().metadata.listDatasets()));
    const seen = [inspect(e, { depth: 10, showHidden: true }), JSON.stringify(e), e.message, String((e as HttpError).body), ...warnings.map((w) => w.message)];
    for (const text of seen) {
      expect(text).not.toContain(KEY);
      expect(text).not.toContain(b64);
    }
    expect(e.message).toContain('***');

    // Network failures: the cause chain too.
    const s = await MockHistoricalServer.start();
    const url = s.url;
    await s.close();
    const n = await failure(new Historical({ key: KEY, gateway: url, retry: false }).timeseries.getRange(RANGE));
    const text = inspect(n, { depth: 10, showHidden: true });
    expect(text).not.toContain(KEY);
    expect(text).not.toContain(b64);
  });
});

describe('timeseries.getRange', () => {
  const cases = [
    ['zstd v3', 'test_data.mbo.v3.dbn.zst'],
    ['plain v3', 'test_data.mbo.v3.dbn'],
    ['zstd v1 upgraded', 'test_data.mbp-10.v1.dbn.zst'],
    ['plain v2', 'test_data.definition.dbn'],
    ['zstd definition v3', 'test_data.definition.v3.dbn.zst'],
  ] as const;

  test.each(cases)('streams %s in tiny chunks, record for record equal to decoding the file', async (_label, name) => {
    const bytes = fixture(name);
    server.setTimeseries(bytes);
    server.chunkSize = 7;
    const progress: { bytes: number; records: number }[] = [];
    const store = await client().timeseries.getRange({ ...RANGE, onProgress: (p) => progress.push(p) });
    expect(store).toBeInstanceOf(StreamingDbnStore);
    const direct = DbnStore.fromBytes(bytes);
    expect(store.metadata).toEqual(direct.metadata); // available before any record was read
    const got: string[] = [];
    for await (const rec of store) got.push(hexOf(rec.bytes()));
    expect(got).toEqual(recordHexes(direct));
    expect(got.length).toBeGreaterThan(0);
    expect(progress.length).toBeGreaterThan(3); // it did arrive in pieces
    expect(progress.at(-1)).toEqual({ bytes: bytes.length, records: got.length });
    expect(store.finished).toBe(true);
  });

  test('sends the spec parameters; stype defaults; Date/bigint/string times', async () => {
    server.setTimeseries(fixture('test_data.mbo.v3.dbn.zst'));
    await (await client().timeseries.getRange({
      dataset: 'GLBX.MDP3',
      symbols: ['ESZ4'],
      schema: 'mbo',
      start: '2024-11-18T14:30',
      end: '2024-11-18T15:00',
      limit: 2,
    })).cancel();
    const req = last();
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/v0/timeseries.get_range');
    expect(req.headers.authorization).toBe(AUTH);
    expect(req.form).toEqual({
      compression: 'zstd',
      dataset: 'GLBX.MDP3',
      encoding: 'dbn',
      end: '2024-11-18T15:00',
      limit: '2',
      schema: 'mbo',
      start: '2024-11-18T14:30',
      stype_in: 'raw_symbol',
      stype_out: 'instrument_id',
      symbols: 'ESZ4',
    });
    await (await client().timeseries.getRange({
      ...RANGE,
      start: 1731940200000000000n,
      end: new Date('2024-11-18T15:00:00Z'),
      stypeIn: 'parent',
      stypeOut: 'instrument_id',
    })).cancel();
    expect(last().form).toMatchObject({ start: '1731940200000000000', end: '2024-11-18T15:00:00.000Z', stype_in: 'parent' });
  });

  test('serves every v3 fixture schema from fixturesDir', async () => {
    for (const schema of ['trades', 'mbp-1', 'ohlcv-1s', 'statistics', 'imbalance', 'bbo-1s', 'status'] as const) {
      const store = await client().timeseries.getRange({ ...RANGE, schema });
      const got = (await store.toArray()).map((r) => hexOf(r.bytes()));
      expect(got).toEqual(recordHexes(DbnStore.fromFile(join(FIXTURES, `test_data.${schema}.v3.dbn.zst`))));
    }
  });

  test('batches() and replay()', async () => {
    const bytes = mboFile(5000, 'zstd');
    server.setTimeseries(bytes);
    server.chunkSize = 1000;
    const expected = recordHexes(DbnStore.fromBytes(bytes));

    const batches: RecordBatch[] = [];
    for await (const b of (await client().timeseries.getRange(RANGE)).batches()) batches.push(b);
    expect(batches.length).toBeGreaterThan(1);
    expect(batches.flatMap((b) => b.records().map((r) => hexOf(r.bytes())))).toEqual(expected);

    const seen: string[] = [];
    const n = await (await client().timeseries.getRange(RANGE)).replay((r) => void seen.push(hexOf(r.bytes())));
    expect(n).toBe(5000);
    expect(seen).toEqual(expected);

    const store = await client().timeseries.getRange(RANGE);
    let count = 0;
    expect(await store.replay(() => ++count < 10)).toBe(10);
    expect(store.finished).toBe(true);
    await expect(store.toArray()).rejects.toMatchObject({ code: 'INVALID_STATE' }); // one pass only
  });

  test('upgradePolicy as-is keeps v1 layouts', async () => {
    const bytes = fixture('test_data.mbp-10.v1.dbn.zst');
    server.setTimeseries(bytes);
    const store = await client().timeseries.getRange({ ...RANGE, upgradePolicy: 'as-is' });
    const got = (await store.toArray()).map((r) => hexOf(r.bytes()));
    expect(got).toEqual(recordHexes(DbnStore.fromBytes(bytes, { upgradePolicy: 'as-is' })));
  });

  test('pulls the body only as fast as it is consumed', async () => {
    const bytes = mboFile(500_000, 'none'); // 28 MB: more than socket buffers hold (about 4 MB here)
    server.setTimeseries(bytes);
    server.chunkSize = 64 * 1024;
    const store = await client().timeseries.getRange(RANGE);
    const it = store[Symbol.asyncIterator]();
    await it.next();
    await new Promise((r) => setTimeout(r, 300));
    expect(store.bytesReceived).toBeLessThan(4 * 1024 * 1024);
    expect(server.bytesSent).toBeLessThan(bytes.length * 0.6);
    await it.return!();
    expect(store.finished).toBe(true);
  });

  test('abort mid-stream rejects with ABORTED and releases the body', async () => {
    const bytes = mboFile(20_000, 'zstd');
    server.setTimeseries(bytes);
    server.chunkSize = 512;
    server.chunkDelayMs = 2;
    const ac = new AbortController();
    const store = await client().timeseries.getRange({ ...RANGE, signal: ac.signal });
    let n = 0;
    const err = await failure(
      (async () => {
        for await (const _ of store) if (++n === 100) ac.abort();
      })(),
    );
    expect(err).toBeInstanceOf(AbortError);
    expect(err.name).toBe('AbortError');
    expect((err as AbortError).code).toBe('ABORTED');
    expect(store.finished).toBe(true);
    expect(n).toBeLessThan(20_000);
  });

  test('Symbol.asyncDispose releases an unread stream', async () => {
    server.setTimeseries(mboFile(20_000, 'zstd'));
    server.chunkSize = 512;
    const store = await client().timeseries.getRange(RANGE);
    await store[Symbol.asyncDispose]();
    expect(store.finished).toBe(true);
    expect(await store.toArray()).toEqual([]);
  });

  test('an already-aborted signal sends nothing', async () => {
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    const err = await failure(client().timeseries.getRange({ ...RANGE, signal: ac.signal }));
    expect(err).toMatchObject({ code: 'ABORTED' });
    expect(server.requests).toHaveLength(0);
  });

  test('a body cut short after the header rejects the iteration (not retried)', async () => {
    const bytes = mboFile(2000, 'none');
    server.setTimeseries(bytes);
    server.chunkSize = 1024;
    server.inject({ kind: 'truncate', afterBytes: 50_000 });
    const store = await client().timeseries.getRange(RANGE);
    const err = await failure(store.toArray());
    expect(err).toBeInstanceOf(RequestError);
    expect((err as RequestError).code).toBe('NETWORK_ERROR');
    expect(server.requests).toHaveLength(1);
  });

  test('a body ending cleanly inside a record is a DbnError', async () => {
    const bytes = mboFile(100, 'none');
    server.setTimeseries(bytes.subarray(0, bytes.length - 20));
    const err = await failure((await client().timeseries.getRange(RANGE)).toArray());
    expect(err).toBeInstanceOf(DbnError);
  });

  test('failures before any body byte are retried', async () => {
    server.setTimeseries(fixture('test_data.mbo.v3.dbn.zst'));
    server.inject({ kind: 'error', status: 504, detail: 'slow' });
    server.inject({ kind: 'truncate', afterBytes: 0 });
    server.inject({ kind: 'rate-limit', retryAfter: 0 });
    const recs = await (await client({ retry: { maxAttempts: 4, baseDelayMs: 1 } }).timeseries.getRange(RANGE)).toArray();
    expect(recs).toHaveLength(2);
    expect(server.requests).toHaveLength(4);
  });

  test('4xx from get_range is a BentoClientError', async () => {
    const e = (await failure(client().timeseries.getRange({ ...RANGE, schema: 'cbbo-1m' }))) as BentoClientError;
    expect(e).toBeInstanceOf(BentoClientError);
    expect(e.status).toBe(422);
    expect(e.case).toBe('data_schema_not_fully_available');
  });

  test('path: writes the raw body to a file and returns DbnStore.fromFile', async () => {
    const bytes = mboFile(3000, 'zstd');
    server.setTimeseries(bytes);
    server.chunkSize = 333;
    const path = join(tmp, 'range.dbn.zst');
    const progress: { bytes: number; records: number }[] = [];
    const store = await client().timeseries.getRange({ ...RANGE, path, onProgress: (p) => progress.push(p) });
    expect(store).toBeInstanceOf(DbnStore);
    expect(Buffer.compare(readFileSync(path), bytes)).toBe(0); // still zstd, byte for byte
    expect(recordHexes(store)).toEqual(recordHexes(DbnStore.fromBytes(bytes)));
    expect(progress.at(-1)).toEqual({ bytes: bytes.length, records: 3000 });
  });

  test('path: a cut body rejects and removes the partial file', async () => {
    server.setTimeseries(mboFile(3000, 'none'));
    server.chunkSize = 1000;
    server.inject({ kind: 'truncate', afterBytes: 20_000 });
    const path = join(tmp, 'cut.dbn');
    await expect(client().timeseries.getRange({ ...RANGE, path })).rejects.toThrow(RequestError);
    expect(existsSync(path)).toBe(false);
  });

  test('cost guard: over the limit throws COST_LIMIT before any data request', async () => {
    server.setResponse('metadata.get_cost', 12.5);
    const e = (await failure(client().timeseries.getRange({ ...RANGE, maxCostUsd: 10 }))) as CostLimitError;
    expect(e).toBeInstanceOf(CostLimitError);
    expect(e.code).toBe('COST_LIMIT');
    expect(e.costUsd).toBe(12.5);
    expect(server.requests.map((r) => r.path)).toEqual(['/v0/metadata.get_cost']);
    expect(last().form).toMatchObject({ dataset: 'GLBX.MDP3', schema: 'mbo', symbols: 'ESH1', start: '2020-12-28' });

    server.reset();
    await (await client().timeseries.getRange({ ...RANGE, maxCostUsd: 20 })).cancel();
    expect(server.requests.map((r) => r.path)).toEqual(['/v0/metadata.get_cost', '/v0/timeseries.get_range']);
  });
});

describe('symbology.resolve', () => {
  test('request, typed resolution and symbol maps', async () => {
    server.setResponse('symbology.resolve', {
      result: { 'ES.c.0': [{ d0: '2024-11-18', d1: '2024-11-20', s: '4916' }] },
      symbols: ['ES.c.0'],
      stype_in: 'continuous',
      stype_out: 'instrument_id',
      start_date: '2024-11-18',
      end_date: '2024-11-20',
      partial: [],
      not_found: ['ES.d.0'],
      message: 'OK',
      status: 0,
    });
    const res = await client().symbology.resolve({
      dataset: 'GLBX.MDP3',
      symbols: ['ES.c.0', 'ES.d.0'],
      stypeIn: 'continuous',
      stypeOut: 'instrument_id',
      startDate: '2024-11-18',
      endDate: '2024-11-20',
    });
    expect(last()).toMatchObject({
      method: 'POST',
      path: '/v0/symbology.resolve',
      form: {
        dataset: 'GLBX.MDP3',
        end_date: '2024-11-20',
        start_date: '2024-11-18',
        stype_in: 'continuous',
        stype_out: 'instrument_id',
        symbols: 'ES.c.0,ES.d.0',
      },
    });
    expect(res.result).toEqual({ 'ES.c.0': [{ d0: '2024-11-18', d1: '2024-11-20', s: '4916' }] });
    expect(res.not_found).toEqual(['ES.d.0']);
    expect(res.stype_in).toBe('continuous');
    const ts = res.toTsSymbolMap();
    expect([...ts]).toEqual([
      { date: '2024-11-18', instrumentId: 4916, symbol: 'ES.c.0' },
      { date: '2024-11-19', instrumentId: 4916, symbol: 'ES.c.0' },
    ]);
    expect(res.toPitSymbolMap('2024-11-19').find(4916)).toBe('ES.c.0');
  });

  test('206 (partially resolved) is a success; missing keys are BAD_RESPONSE', async () => {
    server.setResponse('symbology.resolve', () => new MockReply(206, { result: {}, partial: ['X'], not_found: [] }));
    const res = await client().symbology.resolve({ dataset: 'GLBX.MDP3', symbols: 'X', startDate: '2024-11-18' });
    expect(res.partial).toEqual(['X']);
    expect(last().form).toMatchObject({ stype_in: 'raw_symbol', stype_out: 'instrument_id' });
    server.setResponse('symbology.resolve', { result: {} });
    await expect(client().symbology.resolve({ dataset: 'GLBX.MDP3', symbols: 'X', startDate: '2024-11-18' })).rejects.toMatchObject({
      code: 'BAD_RESPONSE',
    });
  });
});

describe('batch', () => {
  const JOB = { dataset: 'GLBX.MDP3', symbols: ['ESZ4', 'NQZ4'], schema: 'trades', start: '2024-11-18', end: '2024-11-19' } as const;
  let outDir: string;
  beforeEach(() => {
    outDir = mkdtempSync(join(tmp, 'batch-'));
  });
  afterEach(() => rmSync(outDir, { recursive: true, force: true }));

  const files = (n: number, size: number): MockBatchFile[] =>
    Array.from({ length: n }, (_, i) => ({
      filename: `glbx-mdp3-2024111${i}.trades.dbn.zst`,
      data: Uint8Array.from({ length: size }, (_, j) => (j * 31 + i * 7) & 0xff),
    }));

  test('submitJob sends every option with the spec defaults', async () => {
    const job = await client().batch.submitJob(JOB);
    expect(last()).toMatchObject({ method: 'POST', path: '/v0/batch.submit_job' });
    expect(last().form).toEqual({
      compression: 'zstd',
      dataset: 'GLBX.MDP3',
      delivery: 'download',
      encoding: 'dbn',
      end: '2024-11-19',
      map_symbols: '0',
      pretty_px: '0',
      pretty_ts: '0',
      schema: 'trades',
      split_duration: 'day',
      split_symbols: '0',
      start: '2024-11-18',
      stype_in: 'raw_symbol',
      stype_out: 'instrument_id',
      symbols: 'ESZ4,NQZ4',
    });
    expect(job).toMatchObject({ dataset: 'GLBX.MDP3', state: 'queued', symbols: ['ESZ4', 'NQZ4'] });

    await client().batch.submitJob({
      ...JOB,
      encoding: 'csv',
      compression: 'none',
      prettyPx: true,
      prettyTs: true,
      splitSymbols: true,
      splitDuration: 'month',
      splitSize: 1_000_000,
      limit: 5,
      stypeIn: 'parent',
      stypeOut: 'instrument_id',
    });
    expect(last().form).toMatchObject({
      encoding: 'csv',
      compression: 'none',
      pretty_px: '1',
      pretty_ts: '1',
      map_symbols: '1', // default on for CSV/JSON
      split_symbols: '1',
      split_duration: 'month',
      split_size: '1000000',
      limit: '5',
      stype_in: 'parent',
    });
  });

  test('submitJob cost guard', async () => {
    server.setResponse('metadata.get_cost', 3);
    await expect(client().batch.submitJob({ ...JOB, maxCostUsd: 2.5 })).rejects.toThrow(CostLimitError);
    expect(server.requests.map((r) => r.path)).toEqual(['/v0/metadata.get_cost']);
  });

  test('listJobs, getJobDetails, listFiles', async () => {
    const done = server.addJob({ dataset: 'XNAS.ITCH' }, files(1, 10));
    await client().batch.listJobs();
    expect(last()).toMatchObject({ method: 'GET', path: '/v0/batch.list_jobs', query: { states: 'queued,processing,done' } });
    const jobs = await client().batch.listJobs({ states: ['done', 'expired'], since: 1730419200000000000n });
    expect(last().query).toEqual({ states: 'done,expired', since: '1730419200000000000' });
    expect(jobs.map((j) => j.id)).toContain(done.id);

    const details = await client().batch.getJobDetails({ jobId: done.id });
    expect(last()).toMatchObject({ path: '/v0/batch.get_job_details', query: { job_id: done.id } });
    expect(details).toEqual(done);

    const listed = await client().batch.listFiles({ jobId: done.id });
    expect(last()).toMatchObject({ path: '/v0/batch.list_files', query: { job_id: done.id } });
    expect(listed[0]).toMatchObject({ filename: 'glbx-mdp3-20241110.trades.dbn.zst', size: 10 });
    expect(listed[0]!.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(listed[0]!.urls.https).toMatch(/^https:\/\/api\.databento\.com\/v0\/batch\/download\//);

    const e = (await failure(client().batch.getJobDetails({ jobId: 'NOPE' }))) as BentoClientError;
    expect(e.status).toBe(404);
  });

  test('download: every file, verified, in parallel, with progress, from the URL path on our gateway', async () => {
    const fs = files(4, 40_000);
    const job = server.addJob({}, fs);
    server.chunkSize = 2000;
    server.chunkDelayMs = 1;
    const active = new Set<string>();
    let maxActive = 0;
    const last: Record<string, number> = {};
    const paths = await client().batch.download({
      jobId: job.id,
      outputDir: outDir,
      concurrency: 3,
      onProgress: ({ filename, bytes, totalBytes }) => {
        expect(totalBytes).toBe(40_000);
        last[filename] = bytes;
        if (bytes > 0 && bytes < totalBytes) active.add(filename);
        else active.delete(filename);
        maxActive = Math.max(maxActive, active.size);
      },
    });
    expect(paths).toEqual(fs.map((f) => join(outDir, job.id, f.filename)));
    for (const [i, p] of paths.entries()) expect(Buffer.compare(readFileSync(p), fs[i]!.data)).toBe(0);
    expect(maxActive).toBeGreaterThan(1);
    expect(maxActive).toBeLessThanOrEqual(3);
    expect(Object.values(last)).toEqual([40_000, 40_000, 40_000, 40_000]);
    const downloads = server.requests.filter((r) => r.path.startsWith('/v0/batch/download/'));
    expect(downloads).toHaveLength(4);
    for (const d of downloads) {
      expect(d.path).toMatch(new RegExp(`^/v0/batch/download/TEST_USER/${job.id}/`));
      expect(d.headers.authorization).toBe(AUTH);
      expect(d.headers.range).toBeUndefined();
    }
  });

  test('download: one named file; an unknown name is an InvalidArgumentError', async () => {
    const fs = files(3, 100);
    const job = server.addJob({}, fs);
    const paths = await client().batch.download({ jobId: job.id, outputDir: outDir, filename: fs[1]!.filename });
    expect(paths).toEqual([join(outDir, job.id, fs[1]!.filename)]);
    expect(server.requests.filter((r) => r.path.startsWith('/v0/batch/download/'))).toHaveLength(1);
    await expect(client().batch.download({ jobId: job.id, outputDir: outDir, filename: 'nope.dbn' })).rejects.toThrow(
      InvalidArgumentError,
    );
  });

  test('download resumes a partial file with a Range request', async () => {
    const [f] = files(1, 10_000);
    const job = server.addJob({}, [f!]);
    const target = join(outDir, job.id, f!.filename);
    await client().batch.download({ jobId: job.id, outputDir: outDir }); // creates the directory
    writeFileSync(target, f!.data.subarray(0, 3000));
    server.reset();
    await client().batch.download({ jobId: job.id, outputDir: outDir });
    const dl = server.requests.filter((r) => r.path.startsWith('/v0/batch/download/'));
    expect(dl.map((r) => r.headers.range)).toEqual(['bytes=3000-']);
    expect(Buffer.compare(readFileSync(target), f!.data)).toBe(0);

    // Complete already: verified, not downloaded again.
    server.reset();
    await client().batch.download({ jobId: job.id, outputDir: outDir });
    expect(server.requests.filter((r) => r.path.startsWith('/v0/batch/download/'))).toHaveLength(0);
  });

  test('download restarts when the server ignores Range (200)', async () => {
    const [f] = files(1, 10_000);
    const job = server.addJob({}, [f!]);
    const dir = join(outDir, job.id);
    await client().batch.download({ jobId: job.id, outputDir: outDir });
    writeFileSync(join(dir, f!.filename), f!.data.subarray(0, 4000));
    server.reset();
    server.inject({ kind: 'ignore-range' });
    await client().batch.download({ jobId: job.id, outputDir: outDir });
    expect(Buffer.compare(readFileSync(join(dir, f!.filename)), f!.data)).toBe(0);
  });

  test('a transfer cut mid-file is retried from where it stopped', async () => {
    const [f] = files(1, 50_000);
    const job = server.addJob({}, [f!]);
    server.chunkSize = 1000;
    server.inject({ kind: 'truncate', afterBytes: 20_000 }, { path: /^\/v0\/batch\/download\// });
    const [path] = await client().batch.download({ jobId: job.id, outputDir: outDir });
    expect(Buffer.compare(readFileSync(path!), f!.data)).toBe(0);
    const dl = server.requests.filter((r) => r.path.startsWith('/v0/batch/download/'));
    expect(dl).toHaveLength(2);
    expect(dl[1]!.headers.range).toMatch(/^bytes=\d+-$/);
    expect(Number(/\d+/.exec(dl[1]!.headers.range!)![0])).toBeGreaterThan(0);
  });

  test('a corrupt download is fetched once more, with a warning', async () => {
    const [f] = files(1, 5000);
    const job = server.addJob({}, [f!]);
    server.inject({ kind: 'corrupt' }, { path: /^\/v0\/batch\/download\// });
    const { result, warnings } = await withWarnings(() => client().batch.download({ jobId: job.id, outputDir: outDir }));
    expect(Buffer.compare(readFileSync(result[0]!), f!.data)).toBe(0);
    expect(warnings.map((w) => w.name)).toEqual(['DatabentoWarning']);
    expect(warnings[0]!.message).toMatch(/checksum mismatch/i);
    expect(server.requests.filter((r) => r.path.startsWith('/v0/batch/download/'))).toHaveLength(2);
  });

  test('a hash that never matches: ChecksumError after one full re-download, file deleted', async () => {
    const [f] = files(1, 5000);
    const bogus = `sha256:${createHash('sha256').update('something else').digest('hex')}`;
    const job = server.addJob({}, [{ ...f!, hash: bogus }]);
    const { result: e } = await withWarnings(() => failure(client().batch.download({ jobId: job.id, outputDir: outDir })));
    expect(e).toBeInstanceOf(ChecksumError);
    const c = e as ChecksumError;
    expect(c.code).toBe('CHECKSUM_MISMATCH');
    expect(c.expected).toBe(bogus);
    expect(c.actual).toBe(`sha256:${createHash('sha256').update(f!.data).digest('hex')}`);
    expect(existsSync(c.path)).toBe(false);
    expect(server.requests.filter((r) => r.path.startsWith('/v0/batch/download/'))).toHaveLength(2);
  });

  test('download is retried on 5xx and 429, and abortable', async () => {
    const fs = files(2, 3000);
    const job = server.addJob({}, fs);
    server.inject({ kind: 'error', status: 500, detail: 'x' }, { path: /download/ });
    server.inject({ kind: 'rate-limit', retryAfter: 0 }, { path: /download/ });
    const paths = await client().batch.download({ jobId: job.id, outputDir: outDir, concurrency: 1 });
    for (const [i, p] of paths.entries()) expect(Buffer.compare(readFileSync(p), fs[i]!.data)).toBe(0);

    const big = files(1, 200_000);
    const job2 = server.addJob({}, big);
    server.chunkSize = 1000;
    server.chunkDelayMs = 2;
    const ac = new AbortController();
    const p = client().batch.download({
      jobId: job2.id,
      outputDir: outDir,
      signal: ac.signal,
      onProgress: ({ bytes }) => {
        if (bytes > 10_000) ac.abort();
      },
    });
    await expect(p).rejects.toMatchObject({ code: 'ABORTED' });
  });

  test('an empty file is created without a download', async () => {
    const job = server.addJob({}, [{ filename: 'condition.json', data: new Uint8Array(0) }]);
    const [path] = await client().batch.download({ jobId: job.id, outputDir: outDir });
    expect(readFileSync(path!).length).toBe(0);
    expect(server.requests.filter((r) => r.path.startsWith('/v0/batch/download/'))).toHaveLength(0);
  });

  test('names from the API cannot escape the output directory', async () => {
    const job = server.addJob({}, [{ filename: '..', data: new Uint8Array(1) }]);
    await expect(client().batch.download({ jobId: job.id, outputDir: outDir })).rejects.toThrow(InvalidArgumentError);
    await expect(client().batch.download({ jobId: '../x', outputDir: outDir })).rejects.toThrow(InvalidArgumentError);
  });
});

describe('the mock server itself (raw HTTP)', () => {
  const basic = { authorization: AUTH };

  test('401 without credentials, 404 for unknown paths, 422 for missing parameters', async () => {
    const noAuth = await fetch(`${server.url}/v0/metadata.list_datasets`);
    expect(noAuth.status).toBe(401);
    expect(await noAuth.json()).toHaveProperty('detail');
    expect((await fetch(`${server.url}/v0/nope`, { headers: basic })).status).toBe(404);
    const missing = await fetch(`${server.url}/v0/metadata.get_cost`, {
      method: 'POST',
      headers: { ...basic, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'dataset=GLBX.MDP3',
    });
    expect(missing.status).toBe(422);
    expect(((await missing.json()) as { detail: { case: string } }).detail.case).toBe('param_missing');
  });

  test('records decoded parameters whatever the comma encoding', async () => {
    await fetch(`${server.url}/v0/batch.list_jobs?states=done%2Cexpired&since=2024-11-01`, { headers: basic });
    expect(last().query).toEqual({ states: 'done,expired', since: '2024-11-01' });
    await fetch(`${server.url}/v0/metadata.get_record_count`, {
      method: 'POST',
      headers: { ...basic, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'symbols=ESZ4,NQZ4&dataset=GLBX.MDP3&schema=trades&start=2024-11-18',
    });
    expect(last().form.symbols).toBe('ESZ4,NQZ4');
    expect(last().params).toEqual(last().form);
  });

  test('Range: 206 with Content-Range, 416 past the end', async () => {
    const job = server.addJob({}, [{ filename: 'f.bin', data: Uint8Array.from([1, 2, 3, 4, 5]) }]);
    const path = new URL(server.fileDescs(job.id)[0]!.urls.https).pathname;
    const part = await fetch(`${server.url}${path}`, { headers: { ...basic, range: 'bytes=3-' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 3-4/5');
    expect([...new Uint8Array(await part.arrayBuffer())]).toEqual([4, 5]);
    const past = await fetch(`${server.url}${path}`, { headers: { ...basic, range: 'bytes=5-' } });
    expect(past.status).toBe(416);
    await past.arrayBuffer();
  });
});
