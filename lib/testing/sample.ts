/**
 * The sample data that ships in the package (`sample-data/`): half an hour of
 * simulated CME Globex futures — `ESZ4`, `NQZ4` and `CLF5` on 2024-11-18 from
 * 14:30 to 15:00 UTC — as `trades`, `mbp-1`, `ohlcv-1m` and `definition`
 * records of dataset `GLBX.MDP3`, and both mocks serving it.
 *
 * ```ts
 * import { startSampleMocks } from 'databento-node/testing';
 *
 * const mocks = await startSampleMocks();
 * Object.assign(process.env, mocks.env); // the clients now talk to the mocks
 * // … new Historical(), new LiveThreaded({ dataset: 'GLBX.MDP3' }) …
 * await mocks.close();
 * ```
 * @module
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { DbnEncoder } from '../dbn/encoder.js';
import type { Metadata } from '../dbn/metadata.js';
import { DbnStore } from '../dbn/store.js';
import { toNanos } from '../time.js';
import { MockHistoricalServer, type MockBatchFile } from './historical-server.js';
import { MOCK_API_KEY, MockLiveGateway, defaultInstrumentId, type MockLiveSession } from './live-gateway.js';

/** Dataset of the sample data. */
export const SAMPLE_DATASET = 'GLBX.MDP3';
/** Symbols of the sample data (raw symbols). */
export const SAMPLE_SYMBOLS: readonly string[] = ['ESZ4', 'NQZ4', 'CLF5'];
/** Schemas of the sample data. */
export const SAMPLE_SCHEMAS: readonly string[] = ['trades', 'mbp-1', 'ohlcv-1m', 'definition'];
/** Start of the sample data (inclusive), ISO 8601. */
export const SAMPLE_START = '2024-11-18T14:30:00Z';
/** End of the sample data (exclusive), ISO 8601. */
export const SAMPLE_END = '2024-11-18T15:00:00Z';

let dir: string | undefined;

/** The folder of the shipped sample files (`glbx-mdp3.<schema>.dbn.zst`), from lib/ and from dist/ alike. */
export function sampleDataDir(): string {
  if (dir !== undefined) return dir;
  for (let d = dirname(fileURLToPath(import.meta.url)); ; d = dirname(d)) {
    if (existsSync(join(d, 'sample-data', 'glbx-mdp3.trades.dbn.zst'))) return (dir = join(d, 'sample-data'));
    if (dirname(d) === d) throw new Error('the sample-data folder of databento-node is missing');
  }
}

/** The sample file of `schema`, or undefined if the sample has no such schema. */
export function sampleFile(schema: string): string | undefined {
  return SAMPLE_SCHEMAS.includes(schema) ? join(sampleDataDir(), `glbx-mdp3.${schema}.dbn.zst`) : undefined;
}

const SAMPLE_IDS = new Map<string, number>();

/**
 * Instrument id of a symbol in the sample data: a raw symbol (`ESZ4`), a
 * parent (`ES.FUT`), a continuous symbol (`ES.c.0`) or an instrument id;
 * other symbols get the mock gateway's default.
 */
export function sampleInstrumentId(symbol: string, stypeIn: string): number {
  if (SAMPLE_IDS.size === 0) {
    for (const m of DbnStore.fromFile(sampleFile('definition')!).metadata.mappings) {
      const id = Number(m.intervals[0]!.symbol);
      const asset = m.raw_symbol.slice(0, -2); // ESZ4 -> ES
      SAMPLE_IDS.set(`raw_symbol:${m.raw_symbol}`, id).set(`parent:${asset}.FUT`, id).set(`instrument_id:${id}`, id);
      for (const rule of ['c', 'n', 'v']) SAMPLE_IDS.set(`continuous:${asset}.${rule}.0`, id);
    }
  }
  return SAMPLE_IDS.get(`${stypeIn}:${symbol}`) ?? defaultInstrumentId(symbol, stypeIn);
}

/** The instrument ids `symbols` select in the sample (`ALL_SYMBOLS`: all of them), and the symbols it does not have. */
function select(symbols: readonly string[], stypeIn: string): { ids: Set<number>; notFound: string[] } {
  if (symbols.includes('ALL_SYMBOLS')) return { ids: new Set(SAMPLE_SYMBOLS.map((s) => sampleInstrumentId(s, 'raw_symbol'))), notFound: [] };
  const ids = new Set<number>();
  const notFound: string[] = [];
  for (const s of symbols) {
    const id = sampleInstrumentId(s, stypeIn);
    if (SAMPLE_IDS.has(`${stypeIn}:${s}`)) ids.add(id);
    else notFound.push(s);
  }
  return { ids, notFound };
}

/**
 * The body of a `timeseries.get_range` request over the sample data: the
 * requested schema, symbols and time range (and `limit`), as zstd DBN with
 * matching metadata; undefined if the sample has no such dataset or schema.
 * Pass it to {@link MockHistoricalServer.setTimeseries}.
 */
export function sampleRange(params: Readonly<Record<string, string>>): Uint8Array | undefined {
  const file = params['schema'] === undefined ? undefined : sampleFile(params['schema']);
  if (file === undefined || params['dataset'] !== SAMPLE_DATASET) return undefined;
  const store = DbnStore.fromFile(file);
  const stypeIn = params['stype_in'] ?? 'raw_symbol';
  const symbols = (params['symbols'] ?? 'ALL_SYMBOLS').split(',');
  const { ids, notFound } = select(symbols, stypeIn);
  const start = params['start'] ? parseTime(params['start']) : store.metadata.start;
  const end = params['end'] ? parseTime(params['end']) : store.metadata.end;
  const limit = params['limit'] ? Number(params['limit']) : Infinity;
  const parts: Uint8Array[] = [];
  for (const rec of store) {
    if (parts.length >= limit) break;
    if (ids.has(rec.instrument_id) && rec.ts_event >= start && rec.ts_event < end) parts.push(rec.bytes());
  }
  const md: Metadata = store.metadata;
  const metadata = {
    ...md,
    start,
    end,
    limit: Number.isFinite(limit) ? BigInt(limit) : 0n,
    stype_in: stypeIn,
    symbols,
    not_found: notFound,
    mappings: md.mappings.filter((m) => ids.has(Number(m.intervals[0]!.symbol))),
  };
  return DbnEncoder.encode(metadata, Buffer.concat(parts), { compression: 'zstd' });
}

/**
 * The file of a batch job over the sample data, as a `batch.submit_job`
 * request's parameters ask for it (schema, symbols, range, limit, encoding,
 * compression, pretty_px/pretty_ts/map_symbols), named as Databento names
 * them (`glbx-mdp3-20241118.trades.dbn.zst`); undefined when the sample has
 * no such data. Pass it to {@link MockHistoricalServer.setBatchFiles}.
 */
export async function sampleBatchFiles(params: Readonly<Record<string, string>>): Promise<MockBatchFile[] | undefined> {
  const dbn = sampleRange(params);
  if (dbn === undefined) return undefined;
  const encoding = params['encoding'] ?? 'dbn';
  const zstd = (params['compression'] ?? 'zstd') === 'zstd';
  const store = DbnStore.fromBytes(dbn);
  let data: Uint8Array;
  if (encoding === 'dbn') {
    data = zstd ? dbn : DbnEncoder.encode(store.metadata, Buffer.concat([...store.batchesSync()].map((b) => b.bytes())), { compression: 'none' });
  } else {
    const chunks: Buffer[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _e, done) => (chunks.push(chunk), done()) });
    const flag = (name: string) => params[name] === '1' || params[name]?.toLowerCase() === 'true';
    const opts = { prettyPx: flag('pretty_px'), prettyTs: flag('pretty_ts'), mapSymbols: flag('map_symbols'), compression: zstd ? ('zstd' as const) : ('none' as const) };
    await (encoding === 'csv' ? store.toCsv(sink, opts) : store.toJson(sink, opts));
    data = Buffer.concat(chunks);
  }
  const day = new Date(Number(store.metadata.start / 1_000_000n)).toISOString().slice(0, 10).replaceAll('-', '');
  const dataset = (params['dataset'] ?? SAMPLE_DATASET).toLowerCase().replaceAll('.', '-');
  return [{ filename: `${dataset}-${day}.${params['schema']}.${encoding}${zstd ? '.zst' : ''}`, data }];
}

/** A request's start or end: UNIX ns digits, or ISO 8601 (a date alone is midnight UTC). */
function parseTime(text: string): bigint {
  return /^\d+$/.test(text) ? BigInt(text) : toNanos(text, 'time');
}

/** Options of {@link sampleLiveRecords}. */
export interface SampleLiveOptions {
  /** Records per second to send (default: as fast as the client reads). */
  rate?: number;
}

/**
 * A record source for {@link MockLiveGateway}: each session gets the sample
 * records of its subscriptions (schema and symbols), in time order, at `rate`
 * records per second.
 */
export function sampleLiveRecords(options: SampleLiveOptions = {}): (session: MockLiveSession) => AsyncIterable<Uint8Array> {
  const rate = options.rate ?? Infinity;
  return async function* (session) {
    const chosen: { ts: bigint; bytes: Uint8Array }[] = [];
    for (const sub of session.subscriptions) {
      const file = sampleFile(sub.schema);
      if (file === undefined || session.auth?.dataset !== SAMPLE_DATASET) continue;
      const { ids } = select(sub.symbols, sub.stypeIn);
      for (const rec of DbnStore.fromFile(file)) {
        if (ids.has(rec.instrument_id)) chosen.push({ ts: rec.ts_event, bytes: rec.bytes().slice() });
      }
    }
    chosen.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
    // Paced: a chunk every 50 ms; unpaced: chunks of 1000 records.
    const perChunk = Number.isFinite(rate) ? Math.max(1, Math.round(rate / 20)) : 1000;
    for (let at = 0; at < chosen.length; at += perChunk) {
      yield Buffer.concat(chosen.slice(at, at + perChunk).map((c) => c.bytes));
      if (Number.isFinite(rate)) await sleep(50);
    }
  };
}

/** Options of {@link startSampleMocks}. */
export interface SampleMocksOptions {
  /** Interface to listen on (default `127.0.0.1`). */
  host?: string;
  /** Port of the live gateway (default 0: any free port). */
  livePort?: number;
  /** Port of the historical server (default 0: any free port). */
  historicalPort?: number;
  /** Live records per second (default: as fast as the client reads). */
  rate?: number;
  /** Further API keys the live gateway accepts besides {@link MOCK_API_KEY}. */
  keys?: string[];
}

/** The environment that points the clients at {@link SampleMocks}. */
export interface SampleMocksEnv {
  /** {@link MOCK_API_KEY}, which both mocks accept. */
  DATABENTO_API_KEY: string;
  /** The live gateway as `host:port`. */
  DATABENTO_LIVE_GATEWAY: string;
  /** The historical server's URL. */
  DATABENTO_HIST_GATEWAY: string;
}

/** Both mocks, serving the sample data. */
export interface SampleMocks {
  /** The mock live gateway. */
  live: MockLiveGateway;
  /** The mock historical server. */
  historical: MockHistoricalServer;
  /** Environment variables that point the clients at the mocks. */
  env: SampleMocksEnv;
  /** Stops both. */
  close(): Promise<void>;
}

/** Starts the mock live gateway and the mock historical server, both serving the sample data. */
export async function startSampleMocks(options: SampleMocksOptions = {}): Promise<SampleMocks> {
  const host = options.host ?? '127.0.0.1';
  const liveOptions = {
    host,
    port: options.livePort ?? 0,
    keys: [MOCK_API_KEY, ...(options.keys ?? [])],
    records: sampleLiveRecords(options.rate === undefined ? {} : { rate: options.rate }),
    instrumentId: sampleInstrumentId,
    sessionStart: toNanos(SAMPLE_START, 'start'),
  };
  const live = await MockLiveGateway.start(liveOptions);
  let historical: MockHistoricalServer;
  try {
    historical = await MockHistoricalServer.start({ host, port: options.historicalPort ?? 0 });
  } catch (err) {
    await live.close();
    throw err;
  }
  historical.setTimeseries(sampleRange).setBatchFiles(sampleBatchFiles);
  return {
    live,
    historical,
    env: {
      DATABENTO_API_KEY: MOCK_API_KEY,
      DATABENTO_LIVE_GATEWAY: `${host}:${live.port}`,
      DATABENTO_HIST_GATEWAY: historical.url,
    },
    close: async () => {
      await Promise.all([live.close(), historical.close()]);
    },
  };
}
