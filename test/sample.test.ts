// The shipped sample data and `databento-node mock`: the mocks serve it
// standalone, and the real clients reach them through the documented
// environment variables alone.
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { DbnStore, Historical, InvalidArgumentError, LiveThreaded, RType, type TradeMsg } from '../lib/index.js';
import { SAMPLE_SCHEMAS, SAMPLE_SYMBOLS, sampleFile, sampleRange, startSampleMocks } from '../lib/testing/index.js';
import { CLI } from './cli-helpers.js';

const saved = { ...process.env };
afterEach(() => {
  for (const k of Object.keys(process.env)) if (k.startsWith('DATABENTO_')) delete process.env[k];
  Object.assign(process.env, Object.fromEntries(Object.entries(saved).filter(([k]) => k.startsWith('DATABENTO_'))));
});

describe('sample data', () => {
  it('ships several schemas of several symbols over the same half hour, in time order', () => {
    for (const schema of SAMPLE_SCHEMAS) {
      const store = DbnStore.fromFile(sampleFile(schema)!);
      expect(store.metadata).toMatchObject({ dataset: 'GLBX.MDP3', schema, symbols: [...SAMPLE_SYMBOLS] });
      const records = store.toArray();
      expect(new Set(records.map((r) => r.instrument_id)).size).toBe(3);
      for (let i = 1; i < records.length; i++) expect(records[i]!.ts_event >= records[i - 1]!.ts_event).toBe(true);
      expect(records.every((r) => r.ts_event >= store.metadata.start && r.ts_event < store.metadata.end)).toBe(true);
    }
  });

  it('answers a range request with the requested symbols, times and limit only', () => {
    const body = sampleRange({ dataset: 'GLBX.MDP3', schema: 'trades', symbols: 'NQZ4,NOPE', start: '2024-11-18T14:40', end: '2024-11-18T14:45' })!;
    const store = DbnStore.fromBytes(body);
    const all = DbnStore.fromFile(sampleFile('trades')!).toArray();
    const nq = all.filter((r) => r.instrument_id === 4378 && r.ts_event >= 1_731_940_800_000_000_000n && r.ts_event < 1_731_941_100_000_000_000n);
    expect(nq.length).toBeGreaterThan(20);
    expect(store.toArray().map((r) => r.ts_event)).toEqual(nq.map((r) => r.ts_event));
    expect(store.metadata).toMatchObject({ symbols: ['NQZ4', 'NOPE'], not_found: ['NOPE'], start: 1_731_940_800_000_000_000n });
    expect(store.metadata.mappings.map((m) => m.raw_symbol)).toEqual(['NQZ4']);
    expect(DbnStore.fromBytes(sampleRange({ dataset: 'GLBX.MDP3', schema: 'mbp-1', symbols: 'ALL_SYMBOLS', limit: '7' })!).toArray()).toHaveLength(7);
    expect(sampleRange({ dataset: 'XNAS.ITCH', schema: 'trades', symbols: 'AAPL' })).toBeUndefined();
  });
});

describe('clients configured by the environment', () => {
  it('reach the mocks through DATABENTO_LIVE_GATEWAY and DATABENTO_HIST_GATEWAY without options', async () => {
    const mocks = await startSampleMocks();
    try {
      Object.assign(process.env, mocks.env);
      const hist = new Historical();
      expect(hist.gateway).toBe(mocks.historical.url);
      const store = await hist.timeseries.getRange({ dataset: 'GLBX.MDP3', schema: 'trades', symbols: ['ESZ4'], start: '2024-11-18T14:30', end: '2024-11-18T14:31' });
      const trades = (await store.toArray()) as TradeMsg[];
      expect(trades.length).toBeGreaterThan(10);
      expect(trades.every((t) => t.instrument_id === 2935 && t.pretty_price > 5800 && t.pretty_price < 6000)).toBe(true);

      const live = new LiveThreaded({ dataset: 'GLBX.MDP3' });
      try {
        live.subscribe({ schema: 'trades', symbols: ['CLF5'] });
        await live.start();
        const seen: string[] = [];
        for await (const rec of live) {
          if (rec.rtype !== RType.Mbp0) continue;
          seen.push(`${live.symbolMap.find(rec)} ${(rec as TradeMsg).pretty_price}`);
          if (seen.length === 3) break;
        }
        expect(seen).toHaveLength(3);
        for (const s of seen) expect(s).toMatch(/^CLF5 6\d\.\d+$/);
      } finally {
        await live.close();
      }
      expect(mocks.live.sessions).toHaveLength(1);
    } finally {
      await mocks.close();
    }
  });

  it('options win over the environment, and a malformed DATABENTO_LIVE_GATEWAY is an INVALID_ARGUMENT', () => {
    process.env['DATABENTO_API_KEY'] = 'db-EnvironmentKeyEnvironmentKey0';
    process.env['DATABENTO_HIST_GATEWAY'] = 'http://127.0.0.1:9';
    expect(new Historical({ gateway: 'http://127.0.0.1:10' }).gateway).toBe('http://127.0.0.1:10');
    for (const bad of ['host:port', 'a b', 'host:70000', '[::1']) {
      process.env['DATABENTO_LIVE_GATEWAY'] = bad;
      expect(() => new LiveThreaded({ dataset: 'GLBX.MDP3' })).toThrow(InvalidArgumentError);
      expect(() => new LiveThreaded({ dataset: 'GLBX.MDP3', gateway: '127.0.0.1' })).not.toThrow();
    }
  });
});

describe('databento-node mock', () => {
  it('prints the ports as shell exports, serves clients until Ctrl-C, then exits 0', async () => {
    const child = spawn(process.execPath, [CLI, 'mock', '--rate', '100000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.setEncoding('utf8').on('data', (s: string) => {
          stdout += s;
          if (/DATABENTO_HIST_GATEWAY=.*\n/.test(stdout)) resolve();
        });
        child.on('close', () => reject(new Error(`mock exited early: ${stderr}`)));
      });
      const env = Object.fromEntries([...stdout.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
      expect(env['DATABENTO_LIVE_GATEWAY']).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(env['DATABENTO_HIST_GATEWAY']).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      Object.assign(process.env, env);
      const store = await new Historical().timeseries.getRange({ dataset: 'GLBX.MDP3', schema: 'ohlcv-1m', symbols: 'ALL_SYMBOLS', start: '2024-11-18' });
      expect(await store.toArray()).toHaveLength(90);
      const live = new LiveThreaded({ dataset: 'GLBX.MDP3' });
      live.subscribe({ schema: 'definition', symbols: 'ES.FUT', stypeIn: 'parent' });
      await live.start();
      let definition: unknown;
      for await (const rec of live) {
        if (rec.rtype === RType.InstrumentDef) {
          definition = rec.toJSON();
          break;
        }
      }
      await live.close();
      expect(definition).toMatchObject({ raw_symbol: 'ESZ4', asset: 'ES', currency: 'USD' });
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(stderr).toContain('live: session 0 started (GLBX.MDP3: definition ES.FUT)');
    } finally {
      child.kill('SIGKILL');
    }
  });
});
