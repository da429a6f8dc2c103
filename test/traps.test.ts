// Mistakes a newcomer makes on the first day, each caught in the client with a
// typed error a person can act on, before anything reaches a server.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Historical, InvalidArgumentError, LiveBlocking, LiveThreaded, Reference, toNanos } from '../lib/index.js';
import { MOCK_API_KEY, MockHistoricalServer, MockLiveGateway } from '../lib/testing/index.js';

let hist: MockHistoricalServer;
let live: MockLiveGateway;
beforeAll(async () => {
  hist = await MockHistoricalServer.start();
  live = await MockLiveGateway.start();
});
afterAll(async () => {
  await hist.close();
  await live.close();
});

beforeEach(() => {
  hist.reset();
});

const savedKey = process.env['DATABENTO_API_KEY'];
afterEach(() => {
  if (savedKey === undefined) delete process.env['DATABENTO_API_KEY'];
  else process.env['DATABENTO_API_KEY'] = savedKey;
});

async function invalid(call: () => unknown): Promise<InvalidArgumentError> {
  try {
    await call();
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect((err as InvalidArgumentError).code).toBe('INVALID_ARGUMENT');
    return err as InvalidArgumentError;
  }
  throw new Error('no error was thrown');
}

const BAD_TIMES = ['yesterday', '2024-13-45', '2024-02-30', '2023-02-29', '2024-04-31', '2024-01-01T24:00', '2024-01-01T12:60'];

describe('dates and times', () => {
  const client = (): Historical => new Historical({ key: MOCK_API_KEY, gateway: hist.url });
  const query = { dataset: 'GLBX.MDP3', schema: 'trades', symbols: ['ESZ4'] } as const;

  it('that are not on the calendar fail in the historical client, before any request', async () => {
    for (const bad of BAD_TIMES) {
      const e = await invalid(() => client().timeseries.getRange({ ...query, start: bad }));
      expect(e.message).toContain(`"${bad}"`);
      expect(e.message).toContain('ISO 8601');
      await invalid(() => client().timeseries.getRange({ ...query, start: '2024-01-01', end: bad }));
      await invalid(() => client().metadata.getCost({ ...query, start: bad }));
      await invalid(() => client().batch.submitJob({ ...query, start: bad }));
    }
    for (const bad of ['yesterday', '2024-02-30', '2024-13-45']) {
      await invalid(() => client().symbology.resolve({ dataset: 'GLBX.MDP3', symbols: ['ESZ4'], startDate: bad }));
      await invalid(() => client().metadata.listDatasets({ startDate: bad }));
    }
    expect(hist.requests).toHaveLength(0);
  });

  it('with the end before the start fail before any request, by instant whatever their forms', async () => {
    const ends: [string | bigint | Date, string | bigint | Date][] = [
      ['2024-11-18T15:00', '2024-11-18T14:30'],
      ['2024-11-18', '2024-11-17'],
      [1_731_940_200_000_000_000n, 1_731_940_199_999_999_999n],
      [new Date('2024-11-18T14:30:00Z'), '2024-11-18T15:29:59+01:00'],
      ['1731940200000000000', '2024-11-18T14:29'],
    ];
    for (const [start, end] of ends) {
      const e = await invalid(() => client().timeseries.getRange({ ...query, start, end }));
      expect(e.message).toMatch(/end \(.*\) is before start \(.*\)/);
      await invalid(() => client().batch.submitJob({ ...query, start, end }));
    }
    await invalid(() => client().symbology.resolve({ dataset: 'GLBX.MDP3', symbols: 'ESZ4', startDate: '2024-11-18', endDate: '2024-11-17' }));
    expect(hist.requests).toHaveLength(0);
  });

  it('that are real still go out as written (leap days, nanosecond strings, zones, equal ends)', async () => {
    hist.setResponse('metadata.get_cost', 1.5);
    for (const [start, end] of [
      ['2024-02-29', '2024-03-01'],
      ['1731940200000000000', undefined],
      ['2024-11-18T14:30:00.123456789Z', '2024-11-18T15:31+01:00'],
      ['2024-11-18', '2024-11-18'],
    ] as const) {
      await expect(client().metadata.getCost({ ...query, start, ...(end === undefined ? {} : { end }) })).resolves.toBe(1.5);
      expect(hist.requests.at(-1)!.params['start']).toBe(start);
    }
  });

  it('for a live replay start fail in subscribe, before any connection', async () => {
    const client = new LiveThreaded({ key: MOCK_API_KEY, dataset: 'GLBX.MDP3', gateway: '127.0.0.1', port: live.port });
    try {
      for (const bad of BAD_TIMES) {
        const e = await invalid(() => client.subscribe({ schema: 'trades', symbols: 'ESZ4', start: bad }));
        expect(e.message).toContain(`"${bad}"`);
      }
      client.subscribe({ schema: 'trades', symbols: 'ESZ4', start: '2024-02-29T14:30' });
      client.subscribe({ schema: 'trades', symbols: 'ESZ4', start: '1731940200000000000' });
    } finally {
      await client.close();
    }
    expect(live.sessions).toHaveLength(0);
    expect(toNanos('2024-02-29', 'x')).toBe(1_709_164_800_000_000_000n);
  });
});

describe('API keys', () => {
  const makers: [string, (key?: string) => unknown][] = [
    ['Historical', (key) => new Historical(key === undefined ? { gateway: hist.url } : { key, gateway: hist.url })],
    ['Reference', (key) => new Reference(key === undefined ? { gateway: hist.url } : { key, gateway: hist.url })],
    ['LiveThreaded', (key) => new LiveThreaded({ ...(key === undefined ? {} : { key }), dataset: 'GLBX.MDP3', gateway: '127.0.0.1', port: live.port })],
    ['LiveBlocking', (key) => new LiveBlocking({ ...(key === undefined ? {} : { key }), dataset: 'GLBX.MDP3', gateway: '127.0.0.1', port: live.port })],
  ];

  it('follow one rule with one message in every client, and the message never shows the key', async () => {
    const messages = new Map<string, Set<string>>();
    for (const bad of ['abc', 'db-secretsecretsecretsecretsecret1', 'db-secret secret secret secret123', '']) {
      for (const [, make] of makers) {
        const e = await invalid(() => make(bad));
        expect(e.message).not.toContain('secret');
        if (bad !== '') expect(e.message).not.toContain(bad);
        messages.set(bad, (messages.get(bad) ?? new Set()).add(e.message));
      }
    }
    for (const [bad, set] of messages) expect([bad, [...set]]).toEqual([bad, [expect.any(String)]]);
    expect([...messages.get('abc')!][0]).toMatch(/must be 32 printable ASCII characters \(got 3\)/);
    delete process.env['DATABENTO_API_KEY'];
    const missing = new Set<string>();
    for (const [, make] of makers) missing.add((await invalid(() => make())).message);
    expect([...missing]).toEqual(['no API key: pass { key } or set DATABENTO_API_KEY']);
    process.env['DATABENTO_API_KEY'] = 'abc';
    for (const [, make] of makers) expect((await invalid(() => make())).message).toBe([...messages.get('abc')!][0]);
    expect(hist.requests).toHaveLength(0);
    expect(live.sessions).toHaveLength(0);
  });

  it('accept the same 32-character key everywhere', async () => {
    for (const [, make] of makers) {
      const client = make(MOCK_API_KEY) as { close?: () => Promise<void> };
      await client.close?.();
    }
  });
});
