// Retry-After is honoured only within the request's limits (maxDelayMs, timeoutMs), over real HTTP.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { Historical, HttpError, type HistoricalOptions } from '../lib/historical/index.js';
import { parseRetryAfter, sleep } from '../lib/historical/http.js';
import { MockHistoricalServer } from '../lib/testing/historical-server.js';

const KEY = 'db-Wk3xEJ7pQo9LrT2aZ6vNcF8sHy4Ub';
let server: MockHistoricalServer;

beforeAll(async () => {
  server = await MockHistoricalServer.start();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.reset();
});

const client = (opts: HistoricalOptions = {}): Historical => new Historical({ key: KEY, gateway: server.url, ...opts });

async function rejection(p: Promise<unknown>): Promise<HttpError> {
  try {
    await p;
  } catch (err) {
    return err as HttpError;
  }
  throw new Error('expected a rejection');
}

describe('Retry-After', () => {
  test('a wait longer than maxDelayMs fails at once with the requested delay', async () => {
    server.inject({ kind: 'rate-limit', retryAfter: 100 });
    const t0 = Date.now();
    const e = await rejection(client({ retry: { maxAttempts: 3, maxDelayMs: 2_000 } }).metadata.listDatasets());
    expect(Date.now() - t0).toBeLessThan(1_500);
    expect(e).toBeInstanceOf(HttpError);
    expect(e.code).toBe('RATE_LIMITED');
    expect(e.retryAfterSeconds).toBe(100);
    expect(server.requests).toHaveLength(1);
  }, 10_000);

  test('a wait longer than timeoutMs fails at once', async () => {
    server.inject({ kind: 'rate-limit', retryAfter: 5 });
    const t0 = Date.now();
    const e = await rejection(client({ timeoutMs: 1_000, retry: { maxAttempts: 3, maxDelayMs: 60_000 } }).metadata.listDatasets());
    expect(Date.now() - t0).toBeLessThan(1_500);
    expect(e.code).toBe('RATE_LIMITED');
    expect(server.requests).toHaveLength(1);
  }, 10_000);

  test('a far-future HTTP date neither overflows the timer into an instant retry nor waits', async () => {
    server.inject({ kind: 'rate-limit', retryAfter: 'Fri, 31 Dec 9999 23:59:59 GMT' });
    const e = await rejection(client({ retry: { maxAttempts: 3 } }).metadata.listDatasets());
    expect(e.code).toBe('RATE_LIMITED');
    expect(e.retryAfterSeconds).toBeGreaterThan(2 ** 31);
    expect(server.requests).toHaveLength(1);
  });

  test('a short wait within the limits is honoured, as an HTTP date too', async () => {
    server.inject({ kind: 'rate-limit', retryAfter: new Date(Date.now() - 5_000).toUTCString() });
    await expect(client({ retry: { maxAttempts: 2, baseDelayMs: 1 } }).metadata.listDatasets()).resolves.toHaveLength(2);
    expect(server.requests).toHaveLength(2);
  });

  test('parsing: seconds, dates, and what is ignored', () => {
    expect(parseRetryAfter('120')).toBe(120);
    expect(parseRetryAfter(' 0 ')).toBe(0);
    expect(parseRetryAfter('1'.padEnd(400, '0'))).toBe(Infinity);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT')).toBe(0);
    const ahead = parseRetryAfter(new Date(Date.now() + 60_000).toUTCString())!;
    expect(ahead).toBeGreaterThan(55);
    expect(ahead).toBeLessThanOrEqual(60);
    for (const bad of ['-5', '', 'soon', '12abc', null]) expect(parseRetryAfter(bad)).toBeUndefined();
  });

  test('sleep longer than the timer range does not fire early', async () => {
    const ac = new AbortController();
    let done = false;
    const p = sleep(2 ** 31 + 10, ac.signal).then(() => (done = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(done).toBe(false);
    ac.abort();
    await expect(p).rejects.toMatchObject({ code: 'ABORTED' });
  });
});
