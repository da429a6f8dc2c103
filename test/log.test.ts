// Diagnostics: the `logger` option of every client and NODE_DEBUG=databento,
// captured from a real live session and real HTTP calls against the mocks.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Historical, InvalidArgumentError, LiveBlocking, LiveThreaded, type Logger } from '../lib/index.js';
import { MOCK_API_KEY, MockHistoricalServer, MockLiveGateway, encodeMboRecords, sampleRange } from '../lib/testing/index.js';

const KEY = 'db-LogTestKeyLogTestKeyLogTest12';

/** A logger that keeps its lines, as pino or console would print them. */
function capture(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const at = (level: string) => (message: string) => void lines.push(`${level} ${message}`);
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

function expectNoKey(text: string, key: string): void {
  expect(text).not.toContain(key);
  expect(text).not.toContain(key.slice(-5));
  expect(text).not.toContain(Buffer.from(`${key}:`).toString('base64'));
}

let hist: MockHistoricalServer;
beforeAll(async () => {
  hist = await MockHistoricalServer.start({ key: KEY });
  hist.setTimeseries(sampleRange);
});
afterAll(async () => {
  await hist.close();
});

describe('logger option', () => {
  it('Historical logs each request with its status and timing, the retries, and the body, never the key', async () => {
    const logger = capture();
    hist.inject({ kind: 'error', status: 503, detail: 'busy' }, { path: '/v0/timeseries.get_range' });
    const client = new Historical({ key: KEY, gateway: hist.url, logger, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 } });
    const store = await client.timeseries.getRange({ dataset: 'GLBX.MDP3', schema: 'trades', symbols: 'ESZ4', start: '2024-11-18T14:30', end: '2024-11-18T14:31' });
    expect((await store.toArray()).length).toBeGreaterThan(0);
    const text = logger.lines.join('\n');
    expect(text).toMatch(/^debug historical: POST \/v0\/timeseries\.get_range -> 503 in \d+(\.\d)? ms$/m);
    expect(text).toMatch(/^warn historical: retrying in \d+ ms \(attempt 2 of 3\) after: busy$/m);
    expect(text).toMatch(/^debug historical: POST \/v0\/timeseries\.get_range -> 200 in \d+(\.\d)? ms$/m);
    expect(text).toMatch(/^debug historical: POST \/v0\/timeseries\.get_range: body of \d+ bytes read in \d+(\.\d)? ms$/m);
    expectNoKey(text, KEY);
  });

  it('a live session logs connect, authentication, subscriptions, gateway messages, failure and close, never the key', async () => {
    const gw = await MockLiveGateway.start({
      keys: [KEY],
      records: encodeMboRecords(3),
      behavior: { errorAfterRecords: { code: 3, text: `Subscription refused for key ${KEY}`, close: true } },
    });
    try {
      const logger = capture();
      const client = new LiveThreaded({ key: KEY, dataset: 'GLBX.MDP3', gateway: '127.0.0.1', port: gw.port, logger });
      client.subscribe({ schema: 'mbo', symbols: ['ESZ4', 'NQZ4'] });
      await client.start();
      const failure = await (async () => {
        try {
          for await (const _ of client) {
            // drain until the gateway's error ends the session
          }
        } catch (e) {
          return e as Error;
        }
        return undefined;
      })();
      await client.close();
      expect(failure).toBeDefined();
      const text = logger.lines.join('\n');
      expect(text).toMatch(/^info live GLBX\.MDP3: subscription 1: mbo raw_symbol ESZ4,NQZ4$/m);
      expect(text).toMatch(new RegExp(`^info live GLBX\\.MDP3: connecting to 127\\.0\\.0\\.1:${gw.port} for GLBX\\.MDP3$`, 'm'));
      expect(text).toMatch(/^info live GLBX\.MDP3: authenticated; session \d+ started/m);
      expect(text).toMatch(/^info live GLBX\.MDP3: gateway: Subscription request 1 for mbo data succeeded$/m);
      expect(text).toMatch(/^error live GLBX\.MDP3: gateway error \(code 3\): Subscription refused for key <redacted>$/m);
      expect(text).toMatch(/^error live GLBX\.MDP3: session failed: GATEWAY_ERROR: /m);
      expect(text).toMatch(/^info live GLBX\.MDP3: closed$/m);
      expect(logger.lines.findIndex((l) => l.includes('connecting'))).toBeLessThan(logger.lines.findIndex((l) => l.includes('authenticated')));
      expectNoKey(text, KEY);
    } finally {
      await gw.close();
    }
  });

  it('LiveBlocking logs the same milestones, and a refused authentication with the gateway text redacted', async () => {
    const gw = await MockLiveGateway.start({ keys: [KEY], behavior: (i) => (i === 1 ? { refuseAuth: `unknown key ${KEY}` } : {}) });
    try {
      const logger = capture();
      const client = new LiveBlocking({ key: KEY, dataset: 'GLBX.MDP3', gateway: '127.0.0.1', port: gw.port, logger });
      client.subscribe({ schema: 'trades', symbols: 'ESZ4' });
      await client.start();
      await client.close();
      const refused = new LiveBlocking({ key: KEY, dataset: 'GLBX.MDP3', gateway: '127.0.0.1', port: gw.port, logger });
      await expect(refused.start()).rejects.toMatchObject({ code: 'AUTH_FAILED' });
      await refused.close();
      const text = logger.lines.join('\n');
      expect(text).toMatch(/^info live GLBX\.MDP3: subscription 1: trades raw_symbol ESZ4$/m);
      expect(text).toMatch(/^info live GLBX\.MDP3: authenticated; session \d+ started/m);
      expect(text).toMatch(/^error live GLBX\.MDP3: session failed: AUTH_FAILED: /m);
      expect(logger.lines.filter((l) => l === 'info live GLBX.MDP3: closed')).toHaveLength(2);
      expectNoKey(text, KEY);
    } finally {
      await gw.close();
    }
  });

  it('must have the four methods', () => {
    const bad = [{}, { debug() {}, info() {}, warn() {} }, 'console', null];
    for (const logger of bad) {
      expect(() => new Historical({ key: KEY, logger: logger as unknown as Logger })).toThrow(InvalidArgumentError);
      expect(() => new LiveThreaded({ key: KEY, dataset: 'GLBX.MDP3', logger: logger as unknown as Logger })).toThrow(InvalidArgumentError);
    }
    expect(() => new Historical({ key: KEY, logger: console })).not.toThrow();
  });
});

describe('NODE_DEBUG=databento', () => {
  it('prints the same lines on stderr without a logger, never the key', () => {
    const index = fileURLToPath(new URL('../dist/lib/index.js', import.meta.url));
    const testing = fileURLToPath(new URL('../dist/lib/testing/index.js', import.meta.url));
    const script = `
      import { Historical, LiveThreaded } from ${JSON.stringify(index)};
      import { startSampleMocks } from ${JSON.stringify(testing)};
      const mocks = await startSampleMocks();
      const [host, port] = mocks.env.DATABENTO_LIVE_GATEWAY.split(':');
      await new Historical({ gateway: mocks.env.DATABENTO_HIST_GATEWAY }).metadata.listDatasets();
      const live = new LiveThreaded({ dataset: 'GLBX.MDP3', gateway: host, port: Number(port) });
      live.subscribe({ schema: 'trades', symbols: 'ESZ4' });
      await live.start();
      await live.close();
      await mocks.close();`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, NODE_DEBUG: 'databento', DATABENTO_API_KEY: MOCK_API_KEY },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^DATABENTO \d+: debug historical: GET \/v0\/metadata\.list_datasets -> 200 in /m);
    expect(r.stderr).toMatch(/^DATABENTO \d+: info live GLBX\.MDP3: connecting to 127\.0\.0\.1:\d+ for GLBX\.MDP3$/m);
    expect(r.stderr).toMatch(/^DATABENTO \d+: info live GLBX\.MDP3: authenticated; session/m);
    expectNoKey(r.stderr, MOCK_API_KEY);
  });
});
