// The reference-data client against the mock historical server, over real HTTP on 127.0.0.1.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { InvalidArgumentError } from '../lib/errors.js';
import { BentoClientError, BentoServerError, HttpError, RequestError } from '../lib/historical/index.js';
import { Reference, type ReferenceOptions } from '../lib/reference/index.js';
import { MockHistoricalServer } from '../lib/testing/historical-server.js';
import { CORPORATE_ACTIONS_LINES, SECURITY_MASTER_LINES } from '../lib/testing/reference-vectors.js';
import { zstdCompress } from '../lib/zstd.js';

const KEY = 'db-Wk3xEJ7pQo9LrT2aZ6vNcF8sHy4Ub';
const SPEC = readFileSync(new URL('./fixtures/spec/reference-api.md', import.meta.url), 'utf8');
let server: MockHistoricalServer;

beforeAll(async () => {
  server = await MockHistoricalServer.start();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.reset();
  server.chunkSize = 16 * 1024;
  for (const e of ['corporate_actions.get_range', 'adjustment_factors.get_range', 'security_master.get_range', 'security_master.get_last'] as const) {
    server.setReferenceData(e, undefined);
  }
});

const client = (opts: ReferenceOptions = {}): Reference =>
  new Reference({ key: KEY, gateway: server.url, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 }, ...opts });
const last = () => server.requests.at(-1)!;

async function failure(p: Promise<unknown>): Promise<Error & { code: string }> {
  try {
    await p;
  } catch (err) {
    return err as Error & { code: string };
  }
  throw new Error('expected a rejection');
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** ISO 8601 UTC → UNIX ns, computed independently of the client's parser. */
function ns(iso: string): bigint {
  const m = /^(.*?)(?:\.(\d+))?Z$/.exec(iso)!;
  return BigInt(Date.parse(`${m[1]}Z`)) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}

describe('request bodies', () => {
  test('corporate actions: every parameter, commas as %2C, symbols upper-cased', async () => {
    await client().corporateActions.getRange({
      start: '2024-01',
      end: '2024-04',
      symbols: ' aapl ',
      events: ['DIV', 'LIQ'],
      countries: ['US', 'CA'],
      exchanges: 'USNASD,USNYSE',
      securityTypes: ['EQS', 'ETF'],
      index: 'ex_date',
      stypeIn: 'raw_symbol',
    });
    const r = last();
    expect(r.method).toBe('POST');
    expect(r.path).toBe('/v0/corporate_actions.get_range');
    expect(r.body).toBe(
      'compression=zstd&countries=US%2CCA&end=2024-04&events=DIV%2CLIQ&exchanges=USNASD%2CUSNYSE&index=ex_date' +
        '&security_types=EQS%2CETF&start=2024-01&stype_in=raw_symbol&symbols=AAPL',
    );
    expect(r.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(r.headers['accept']).toBe('application/json');
    expect(r.headers['authorization']).toBe(`Basic ${Buffer.from(`${KEY}:`).toString('base64')}`);
    expect(r.headers['content-encoding']).toBeUndefined();
  });

  test('absent values are left out; defaults are sent; times in each accepted form', async () => {
    const ref = client();
    await ref.corporateActions.getRange({ start: 1696896000000000000n, events: [], countries: '' });
    expect(last().body).toBe('compression=zstd&index=event_date&start=1696896000000000000&stype_in=raw_symbol&symbols=ALL_SYMBOLS');
    await ref.adjustmentFactors.getRange({ start: new Date(Date.UTC(2023, 9, 10)), symbols: ['msft', 'AAPL'], countries: ['US'], securityTypes: 'EQS' });
    expect(last().path).toBe('/v0/adjustment_factors.get_range');
    expect(last().body).toBe(
      'compression=zstd&countries=US&security_types=EQS&start=2023-10-10T00%3A00%3A00.000Z&stype_in=raw_symbol&symbols=MSFT%2CAAPL',
    );
    await ref.securityMaster.getRange({ start: '2024', end: '2024-08-07T12:00:00Z', index: 'ts_record', stypeIn: 'isin', symbols: 'US0378331005' });
    expect(last().path).toBe('/v0/security_master.get_range');
    expect(last().body).toBe(
      'compression=zstd&end=2024-08-07T12%3A00%3A00Z&index=ts_record&start=2024&stype_in=isin&symbols=US0378331005',
    );
    await ref.securityMaster.getLast({ symbols: ['AAPL'], countries: 'US', securityTypes: ['EQS'] });
    expect(last().path).toBe('/v0/security_master.get_last');
    expect(last().body).toBe('compression=zstd&countries=US&security_types=EQS&stype_in=raw_symbol&symbols=AAPL');
    await ref.securityMaster.getLast();
    expect(last().body).toBe('compression=zstd&stype_in=raw_symbol&symbols=ALL_SYMBOLS');
  });

  test.each([
    ['no start', {}],
    ['a month 13', { start: '2024-13' }],
    ['a day that does not exist', { start: '2023-02-29' }],
    ['words', { start: 'yesterday' }],
    ['a number (ambiguous)', { start: 1700000000 }],
    ['an invalid Date', { start: new Date('nope') }],
    ['a negative bigint', { start: -1n }],
    ['end before start', { start: '2024-02', end: '2024-01-31' }],
    ['empty symbols', { start: '2024', symbols: '' }],
    ['no symbols', { start: '2024', symbols: [] }],
    ['a numeric symbol', { start: '2024', symbols: [1] }],
    ['an unknown index', { start: '2024', index: 'ts_event' }],
    ['an unknown stypeIn', { start: '2024', stypeIn: 'instrument_id' }],
    ['a non-boolean flatten', { start: '2024', flatten: 'yes' }],
    ['a non-boolean pit', { start: '2024', pit: 1 }],
    ['a list entry with a comma', { start: '2024', events: ['DIV,LIQ'] }],
  ])('%s is INVALID_ARGUMENT before any request', async (_, options) => {
    const e = await failure(client().corporateActions.getRange(options as never));
    expect(e).toBeInstanceOf(InvalidArgumentError);
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(server.requests).toHaveLength(0);
  });

  test('stream checks its options at the call, and refuses pit', () => {
    expect(() => client().corporateActions.stream({ start: 'soon' })).toThrow(InvalidArgumentError);
    expect(() => client().corporateActions.stream({ start: '2024', pit: true } as never)).toThrow(/getRange/);
    expect(() => client().securityMaster.stream({ start: '2024', index: 'event_date' as never })).toThrow(InvalidArgumentError);
    expect(() => new Reference({ key: 'has space', gateway: server.url })).toThrow(InvalidArgumentError);
    expect(server.requests).toHaveLength(0);
  });
});

/** The documented columns of an endpoint from the spec's table: key → [JSON type, nullable]. */
function specColumns(section: string): Map<string, [string, boolean]> {
  const start = SPEC.indexOf(`### ${section} Columns`);
  const text = SPEC.slice(start, SPEC.indexOf('\n### ', start + 10));
  const columns = new Map<string, [string, boolean]>();
  for (const line of text.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 6 || !/^\d/.test(cells[1]!)) continue;
    const type = cells[3]!.replace(/\*/g, '');
    for (const [, key] of cells[2]!.matchAll(/`([a-z_]+)`/g)) columns.set(key!, [type, /^\**yes/.test(cells[4]!)]);
  }
  return columns;
}

function checkType(key: string, value: unknown, type: string, nullable: boolean): void {
  const where = `${key}: ${String(value)} as ${type}`;
  if (value === null) {
    expect(nullable, where).toBe(true);
    return;
  }
  if (type.includes('timestamp')) expect(typeof value, where).toBe('bigint');
  else if (/^date\b/.test(type)) expect(value, where).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  else if (/^(enum|string)\b/.test(type)) expect(typeof value, where).toBe('string');
  else if (/^integer\b/.test(type)) expect(Number.isInteger(value), where).toBe(true);
  else if (/^number\b/.test(type)) expect(typeof value, where).toBe('number');
  else if (/^boolean\b/.test(type)) expect(typeof value, where).toBe('boolean');
  else if (/^object\b/.test(type)) expect(Object.getPrototypeOf(value), where).toBe(Object.prototype);
  else throw new Error(`undocumented type ${type} of ${key}`);
}

describe('every column of every spec test vector', () => {
  const vectors = [...SPEC.matchAll(/```json\n(.*?)\n```/gs)].map((m) => m[1]!);
  const cases = [
    ['5.2', 104, 'corporate_actions.get_range', vectors[0]!],
    ['6.2', 28, 'adjustment_factors.get_range', vectors[1]!],
    ['7.2', 50, 'security_master.get_range', vectors[2]!],
    ['7.2', 50, 'security_master.get_last', vectors[3]!],
  ] as const;

  test.each(cases)('§%s: %i columns of %s', async (section, count, endpoint, line) => {
    const columns = specColumns(section);
    expect(columns.size).toBe(count);
    server.setReferenceData(endpoint, [line]);
    const ref = client();
    const rows: object[] =
      endpoint === 'corporate_actions.get_range'
        ? await ref.corporateActions.getRange({ start: '1900', flatten: false, pit: true })
        : endpoint === 'adjustment_factors.get_range'
          ? await ref.adjustmentFactors.getRange({ start: '1900' })
          : endpoint === 'security_master.get_range'
            ? await ref.securityMaster.getRange({ start: '1900' })
            : await ref.securityMaster.getLast();
    expect(rows).toHaveLength(1);
    const row = rows[0] as Record<string, unknown>;
    const sent = JSON.parse(line) as Record<string, unknown>;
    expect(Object.keys(row)).toEqual(Object.keys(sent)); // nothing lost, nothing added, same order
    for (const [key, [type, nullable]] of columns) {
      expect(key in row, key).toBe(true);
      checkType(key, row[key], type, nullable);
      const expected = type.includes('timestamp') ? ns(sent[key] as string) : sent[key];
      expect(row[key], key).toEqual(expected);
    }
  });

  test('known values: timestamps to the nanosecond, codes and big integers as sent', async () => {
    const [brqs] = await client().corporateActions.getRange({ start: '2023', symbols: 'BRQS', flatten: false });
    expect(brqs!.ts_record).toBe(1696909034000000000n);
    expect(brqs!.ts_created).toBe(0n);
    expect(brqs!.event).toBe('RSPLT');
    expect(brqs!.event_action).toBe('U');
    expect(brqs!.register_country).toBe('VG');
    expect(brqs!.rate_info).toEqual({ par_value_old: null, par_value_new: null });
    const sm = await client().securityMaster.getRange({ start: '2024', symbols: 'AAPL_KZ' });
    expect(sm.map((r) => r.ts_created)).toEqual([1724212185938634000n, 1724212185952760000n]);
    expect(sm[0]!.shares_outstanding).toBe(15204137000);
    expect(sm[0]!.par_value).toBe(0.00001);
  });

  test('unknown codes are kept as strings', async () => {
    const line = CORPORATE_ACTIONS_LINES[1]!.replace('"related_event":null', '"related_event":"CORR"').replace('"event":"RSPLT"', '"event":"NEWEV"');
    server.setReferenceData('corporate_actions.get_range', [line]);
    const [row] = await client().corporateActions.getRange({ start: '2023' });
    expect(row!.related_event).toBe('CORR');
    expect(row!.event).toBe('NEWEV');
  });
});

describe('flatten, pit and sort', () => {
  test('flatten (default) merges the event objects; flatten: false keeps them', async () => {
    const flat = await client().corporateActions.getRange({ start: '2023', pit: true });
    expect(flat).toHaveLength(3);
    for (const row of flat) {
      expect(row).not.toHaveProperty('date_info');
      expect(row).not.toHaveProperty('rate_info');
      expect(row).not.toHaveProperty('event_info');
    }
    expect(flat.find((r) => r.symbol === 'BOMO')!['par_value_old']).toBe(0.01);
    const nested = await client().corporateActions.getRange({ start: '2023', pit: true, flatten: false });
    expect(nested[0]!.rate_info).toEqual({ par_value_old: 0.01, par_value_new: 0.01 });
    expect(nested[0]!.date_info).toEqual({});
  });

  test('a flattened key never overwrites a column', async () => {
    const line = CORPORATE_ACTIONS_LINES[1]!.replace('"event_info":{}', '"event_info":{"exchange":"XLON","new_name":"X"}');
    server.setReferenceData('corporate_actions.get_range', [line]);
    const [row] = await client().corporateActions.getRange({ start: '2023' });
    expect(row!.exchange).toBe('USNASD');
    expect(row!['event_info.exchange']).toBe('XLON');
    expect(row!['new_name']).toBe('X');
  });

  test('pit: false merges the versions of an event, newest values first; pit: true keeps them all', async () => {
    const merged = await client().corporateActions.getRange({ start: '2023', index: 'ts_record' });
    expect(merged.map((r) => [r.event_unique_id, r.ts_record])).toEqual([
      ['U-40179751345-16556634', ns('2023-10-10T03:37:14Z')],
      ['U-40179043276-1888618', ns('2023-11-01T00:00:00Z')],
    ]);
    expect(merged[1]!.ts_created).toBe(ns('2024-07-23T00:00:00.000000Z'));
    const all = await client().corporateActions.getRange({ start: '2023', index: 'ts_record', pit: true });
    expect(all.map((r) => r.ts_record)).toEqual([ns('2023-10-10T03:37:14Z'), ns('2023-10-10T04:37:14Z'), ns('2023-11-01T00:00:00Z')]);
  });

  test('pit: false fills a value missing from the newest version from an older one', async () => {
    const [v1, , v2] = CORPORATE_ACTIONS_LINES;
    server.setReferenceData('corporate_actions.get_range', [v2!.replace('"record_date_id":"D-9043276"', '"record_date_id":null'), v1!]);
    const [row] = await client().corporateActions.getRange({ start: '2023' });
    expect(row!.record_date_id).toBe('D-9043276');
    expect(row!.ts_record).toBe(ns('2023-11-01T00:00:00Z'));
  });

  test('sort: stable on the index column, nulls first', async () => {
    const base = JSON.parse(CORPORATE_ACTIONS_LINES[1]!) as Record<string, unknown>;
    const rows = [
      ['A', '2024-03-01'],
      ['B', '2024-01-01'],
      ['C', null],
      ['D', '2024-03-01'],
      ['E', '2024-01-01'],
    ].map(([id, date]) => ({ ...base, event_unique_id: id, event_date: date, ex_date: date }));
    server.setReferenceData('corporate_actions.get_range', rows);
    const sorted = await client().corporateActions.getRange({ start: '2023', pit: true });
    // The mock leaves out the null event_date, as the API does; the client's sort still puts nulls first.
    expect(sorted.map((r) => r.event_unique_id)).toEqual(['B', 'E', 'A', 'D']);
    server.setReferenceData('corporate_actions.get_range', () => rows);
    const withNull = await client().corporateActions.getRange({ start: '2023', pit: true });
    expect(withNull.map((r) => r.event_unique_id)).toEqual(['C', 'B', 'E', 'A', 'D']);
    // The stream keeps the server's order.
    expect((await collect(client().corporateActions.stream({ start: '2023' }))).map((r) => r.event_unique_id)).toEqual(['A', 'B', 'C', 'D', 'E']);
  });

  test('security master: getRange sorts on its index, getLast on ts_effective', async () => {
    const shuffled = [SECURITY_MASTER_LINES[1]!, SECURITY_MASTER_LINES[2]!, SECURITY_MASTER_LINES[0]!];
    server.setReferenceData('security_master.get_range', shuffled);
    const byEffective = await client().securityMaster.getRange({ start: '1990' });
    expect(byEffective.map((r) => r.ts_effective)).toEqual(
      [ns('2000-07-04T00:00:00Z'), ns('2024-08-07T00:00:00Z'), ns('2024-08-15T00:00:00Z')],
    );
    const byRecord = await client().securityMaster.getRange({ start: '1990', index: 'ts_record' });
    expect(byRecord.map((r) => r.symbol)).toEqual(['SLF', 'AAPL_KZ', 'AAPL_KZ']);
    expect(byRecord[1]!.ts_effective).toBe(ns('2024-08-15T00:00:00Z')); // equal ts_record: server order kept
    const lastRows = await client().securityMaster.getLast({ symbols: ['aapl_kz', 'slf'] });
    expect(lastRows.map((r) => [r.symbol, r.ts_effective])).toEqual([
      ['SLF', ns('2000-07-04T00:00:00Z')],
      ['AAPL_KZ', ns('2024-08-15T00:00:00Z')],
    ]);
  });

  test('empty results: an empty zstd frame, no match, an empty body', async () => {
    server.setReferenceData('adjustment_factors.get_range', zstdCompress(new Uint8Array(0)));
    expect(await client().adjustmentFactors.getRange({ start: '2024' })).toEqual([]);
    expect(await collect(client().adjustmentFactors.stream({ start: '2024' }))).toEqual([]);
    server.setReferenceData('adjustment_factors.get_range', undefined);
    expect(await client().adjustmentFactors.getRange({ start: '2024', symbols: 'NOPE' })).toEqual([]);
    expect(await client().corporateActions.getRange({ start: '2030' })).toEqual([]);
    server.setReferenceData('security_master.get_last', new Uint8Array(0));
    expect(await client().securityMaster.getLast()).toEqual([]);
  });
});

describe('errors', () => {
  test('4xx with both detail shapes, and 401', async () => {
    server.inject({ kind: 'error', status: 422, detail: { case: 'symbology_invalid_request', message: 'Invalid symbol.', docs: 'https://databento.com/docs' } });
    const e = (await failure(client().corporateActions.getRange({ start: '2024' }))) as unknown as BentoClientError;
    expect(e).toBeInstanceOf(BentoClientError);
    expect([e.status, e.case, e.message, e.requestPath]).toEqual([422, 'symbology_invalid_request', 'Invalid symbol.', '/v0/corporate_actions.get_range']);
    server.inject({ kind: 'error', status: 403, detail: 'No reference data in your plan.' });
    const f = (await failure(client().securityMaster.getLast())) as unknown as HttpError;
    expect([f.status, f.message, f.code]).toEqual([403, 'No reference data in your plan.', 'HTTP_ERROR']);
    const s = await MockHistoricalServer.start({ key: 'db-other' });
    try {
      const a = await failure(new Reference({ key: KEY, gateway: s.url }).adjustmentFactors.getRange({ start: '2024' }));
      expect(a.code).toBe('AUTH_FAILED');
      expect(a.message).not.toContain(KEY);
    } finally {
      await s.close();
    }
  });

  test('429 and 5xx are retried; when attempts run out they are typed', async () => {
    server.inject({ kind: 'rate-limit', retryAfter: 0 });
    server.inject({ kind: 'error', status: 503, detail: 'busy' });
    expect(await client().adjustmentFactors.getRange({ start: '2024' })).toHaveLength(1);
    expect(server.requests).toHaveLength(3);
    server.reset();
    server.inject({ kind: 'rate-limit', retryAfter: 0 }, { times: Infinity });
    expect((await failure(client().securityMaster.getLast())).code).toBe('RATE_LIMITED');
    expect(server.requests).toHaveLength(3);
    server.reset();
    server.inject({ kind: 'error', status: 500, detail: 'boom' }, { times: Infinity });
    const e = await failure(collect(client().corporateActions.stream({ start: '2023' })));
    expect(e).toBeInstanceOf(BentoServerError);
    expect(server.requests).toHaveLength(3);
  });

  test('a connection cut mid-body: getRange retries it whole, stream fails after the rows it gave', async () => {
    server.chunkSize = 64;
    const rows = Array.from({ length: 2000 }, (_, i) => ({ ...JSON.parse(SECURITY_MASTER_LINES[0]!), listing_id: `L-${i}` }));
    server.setReferenceData('security_master.get_range', () => rows);
    server.inject({ kind: 'truncate', afterBytes: 3000 });
    expect(await client().securityMaster.getRange({ start: '2024' })).toHaveLength(2000);
    expect(server.requests).toHaveLength(2);
    server.reset();
    server.inject({ kind: 'truncate', afterBytes: 3000 }, { times: Infinity });
    const got: unknown[] = [];
    const e = await failure((async () => {
      for await (const r of client().securityMaster.stream({ start: '2024' })) got.push(r);
    })());
    expect(e).toBeInstanceOf(RequestError);
    expect(e.code).toBe('NETWORK_ERROR');
    expect(got.length).toBeGreaterThan(0);
    expect(got.length).toBeLessThan(2000);
    expect(server.requests).toHaveLength(1);
  });

  test('a body cut inside the zstd frame, corrupt zstd, and lines that are not JSON objects are BAD_RESPONSE', async () => {
    const packed = zstdCompress(Buffer.from(SECURITY_MASTER_LINES.join('\n') + '\n'));
    const cases: [Uint8Array, RegExp][] = [
      [packed.subarray(0, packed.length - 20), /cut short/],
      [Buffer.from('{"detail":"plain JSON, not zstd"}'), /not valid zstd/],
      [zstdCompress(Buffer.from(`${SECURITY_MASTER_LINES[0]}\n{"ts_record": 12\n`)), /line 2 .*not JSON/],
      [zstdCompress(Buffer.from('[1,2]\n')), /not a JSON object/],
      [zstdCompress(Buffer.from(SECURITY_MASTER_LINES[0]!.replace('"ts_record":"2024-08-07T23:00:00Z"', '"ts_record":"yesterday"'))), /ts_record "yesterday"/],
    ];
    for (const [body, message] of cases) {
      server.setReferenceData('security_master.get_last', body);
      const e = await failure(client().securityMaster.getLast());
      expect(e.code, String(message)).toBe('BAD_RESPONSE');
      expect(e.message).toMatch(message);
    }
    server.setReferenceData('security_master.get_last', undefined);
    server.inject({ kind: 'corrupt' });
    expect((await failure(client().securityMaster.getLast())).code).toBe('BAD_RESPONSE');
  });

  test('X-Warning headers become process warnings; the key never shows', async () => {
    const warnings: Error[] = [];
    const on = (w: Error): void => void warnings.push(w);
    process.on('warning', on);
    try {
      server.inject({ kind: 'warning', warnings: ['DeprecationWarning: index ts_record is deprecated', `Warning: your key ${KEY}`] });
      await client().corporateActions.getRange({ start: '2023' });
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off('warning', on);
    }
    expect(warnings.map((w) => [w.name, w.message])).toEqual([
      ['DatabentoDeprecationWarning', 'index ts_record is deprecated'],
      ['DatabentoWarning', 'your key ***'],
    ]);
  });
});

describe('streaming', () => {
  test('rows arrive before the body is complete, and break releases the connection', async () => {
    server.chunkSize = 256;
    server.chunkDelayMs = 0;
    let produced = 0;
    const base = JSON.parse(CORPORATE_ACTIONS_LINES[0]!) as Record<string, unknown>;
    server.setReferenceData('corporate_actions.get_range', () => ({
      *[Symbol.iterator]() {
        for (let i = 0; i < 1_000_000; i++, produced++) yield { ...base, event_unique_id: `U-${i}` };
      },
    }));
    let n = 0;
    for await (const row of client().corporateActions.stream({ start: '2023', flatten: false })) {
      expect(row.rate_info).toEqual({ par_value_old: 0.01, par_value_new: 0.01 });
      if (++n === 500) break;
    }
    await new Promise((r) => setTimeout(r, 100));
    const after = produced;
    await new Promise((r) => setTimeout(r, 100));
    expect(produced).toBe(after); // the server stopped: the client went away
    expect(produced).toBeLessThan(200_000);
  });

  test('an AbortSignal cancels a stream', async () => {
    const ac = new AbortController();
    const rows = Array.from({ length: 5000 }, (_, i) => ({ ...JSON.parse(SECURITY_MASTER_LINES[0]!), listing_id: `L-${i}` }));
    server.setReferenceData('security_master.get_last', () => rows);
    server.chunkSize = 128;
    const e = await failure((async () => {
      let n = 0;
      for await (const _ of client().securityMaster.streamLast({ signal: ac.signal })) if (++n === 10) ac.abort();
    })());
    expect(e.code).toBe('ABORTED');
  });
});
