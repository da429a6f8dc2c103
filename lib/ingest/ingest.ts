/**
 * `ingest`: historical ranges into a database, in chunks recorded as they
 * finish, so that a re-run continues where a failed or stopped one ended.
 * @module
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DatabentoError, InvalidArgumentError } from '../errors.js';
import { Historical } from '../historical/client.js';
import { AbortError, BentoClientError, CostLimitError, HttpError } from '../historical/errors.js';
import { encodeSType, encodeSymbols, optionalCostLimit, optionalFunction, optionalSignal } from '../historical/params.js';
import type { DateTimeLike, SchemaName, STypeName } from '../historical/types.js';
import { nanosToIso, toNanos } from '../time.js';
import { DuckDbTarget } from './duckdb.js';
import { follow, type LiveFollowOptions, type LiveStats } from './live.js';
import { RowBuilder, SymbolDictionary, type RowBlock } from './rows.js';
import { tableFor, type TableSpec } from './tables.js';
import { IngestError, type IngestTarget, type JobKey } from './target.js';

const DAY_NS = 86_400_000_000_000n;

/** Options of {@link ingest}. */
export interface IngestOptions {
  /** Dataset code, e.g. `'GLBX.MDP3'`. */
  dataset: string;
  /** One schema, e.g. `'mbo'` or `'ohlcv-1m'`: its table is named after it (`mbo`, `ohlcv_1m`). */
  schema: string;
  /** Symbols: an array or a comma-separated string. */
  symbols: string | readonly string[];
  /** Input symbology (default `'raw_symbol'`). */
  stypeIn?: string;
  /** Range start (inclusive): ISO 8601 (a bare date is UTC midnight), a Date, or UNIX ns. */
  start: DateTimeLike;
  /** Range end (exclusive). */
  end: DateTimeLike;
  /**
   * Where to load: a DuckDB file path (created if absent, e.g. `./market.duckdb`),
   * or a `postgres://user:pass@host:port/db` URL.
   */
  to: string;
  /** A historical client to use (default: one made from `key` and `gateway`). */
  client?: Historical;
  /** API key when no `client` is given (default `DATABENTO_API_KEY`). */
  key?: string;
  /** Historical gateway when no `client` is given. */
  gateway?: string;
  /** Days per chunk (default 1): each chunk is one request and one transaction. */
  chunkDays?: number;
  /** Attempts per chunk before it is reported as failed (default 3). */
  chunkAttempts?: number;
  /** Pause before a chunk's next attempt in ms, doubled each time (default 1000). */
  retryDelayMs?: number;
  /** Refuse to start when the cost of the chunks still to load is higher (USD). */
  maxCostUsd?: number;
  /** Stops between (and inside) chunks; the current chunk is rolled back. */
  signal?: AbortSignal;
  /** Called after each chunk and as records arrive (at most every 200 ms). */
  onProgress?: (progress: IngestProgress) => void;
  /**
   * After the range, follow the live feed (`true` or options) until `signal`
   * aborts: each live session replays intraday from shortly before the last
   * stored timestamp, so there is no gap at the hand-over or after a dropped
   * connection, and the overlap is skipped by the key. Needs `key` (or
   * `DATABENTO_API_KEY`).
   */
  live?: boolean | LiveFollowOptions;
}

/** Running totals of an ingest. */
export interface IngestProgress {
  /** Chunks of the range. */
  chunksTotal: number;
  /** Chunks already finished by an earlier run. */
  chunksSkipped: number;
  /** Chunks loaded by this run. */
  chunksLoaded: number;
  /** Chunks given up on. */
  chunksFailed: number;
  /** Records received. */
  records: number;
  /** Rows new to the table. */
  rowsInserted: number;
  /** Rows inserted per second of this run. */
  rowsPerSec: number;
  /** Cost in USD of the chunks this run loads, as quoted before starting. */
  costUsd: number;
  /** The chunk being loaded. */
  chunk?: {
    /** Chunk start, ISO 8601. */
    start: string;
    /** Chunk end, ISO 8601 (exclusive). */
    end: string;
  };
  /** The live part, once started (`records` and `rowsInserted` above count the historical part only). */
  live?: LiveStats;
}

/** A chunk that failed on every attempt. */
export interface ChunkFailure {
  /** Chunk start, ISO 8601. */
  start: string;
  /** Chunk end, ISO 8601. */
  end: string;
  /** The last error's code. */
  code: string;
  /** The last error's message. */
  message: string;
}

/** What an ingest did. */
export interface IngestSummary extends IngestProgress {
  /** Where the data went (no password). */
  target: string;
  /** The table loaded. */
  table: string;
  /** Seconds the run took. */
  seconds: number;
  /** Chunks that failed (a re-run retries them). */
  failures: ChunkFailure[];
  /** How the target stores the table, when it has a choice (PostgreSQL: a TimescaleDB hypertable or a plain table, and why). */
  storage?: string;
}

interface Plan {
  dataset: string;
  table: TableSpec;
  symbols: string[];
  stypeIn: string;
  start: bigint;
  end: bigint;
  chunkNs: bigint;
  attempts: number;
  retryDelayMs: number;
  maxCostUsd: number | undefined;
  signal: AbortSignal | undefined;
  onProgress: ((p: IngestProgress) => void) | undefined;
  live: { key: string; options: LiveFollowOptions } | undefined;
}

/**
 * Loads a historical range of one schema into a database table, one chunk
 * (by default a UTC day) per request and per transaction. Finished chunks are
 * recorded in the target (`databento_ingest_chunks`); a re-run skips them, so
 * an ingest stopped by a crash, Ctrl-C or a failing gateway continues where
 * it ended. Rows already stored (same key) are never duplicated.
 *
 * Every option is checked, and the target opened, before any request.
 * Resolves to a summary; rejects with {@link IngestError} (code
 * `'INGEST_INCOMPLETE'`, the summary in `summary`) when chunks kept failing.
 *
 * ```ts
 * await ingest({ dataset: 'GLBX.MDP3', schema: 'ohlcv-1m', symbols: 'ES.FUT', stypeIn: 'parent',
 *   start: '2024-01-01', end: '2024-07-01', to: './market.duckdb' });
 * ```
 */
export async function ingest(options: IngestOptions): Promise<IngestSummary> {
  const plan = checkOptions(options);
  const client = options.client ?? new Historical({ ...(options.key !== undefined && { key: options.key }), ...(options.gateway !== undefined && { gateway: options.gateway }) });
  const target = await openTarget(options.to);
  try {
    const storage = await target.prepare(plan.table);
    const summary = await run(plan, client, target, storage);
    if (!plan.live) return summary;
    const t0 = performance.now() - summary.seconds * 1000;
    summary.live = await follow(
      {
        key: plan.live.key,
        dataset: plan.dataset,
        schema: plan.table.schema,
        symbols: plan.symbols,
        stypeIn: plan.stypeIn,
        table: plan.table,
        target,
        dict: new SymbolDictionary(),
        from: plan.end,
        signal: plan.signal,
        onStats: (live) => plan.onProgress?.({ ...summary, live: { ...live } }),
      },
      plan.live.options,
    ).catch((err: unknown) => {
      // What the historical part did still stands: say so with the error.
      if (err instanceof IngestError && !err.summary) err.summary = summary;
      throw err;
    });
    summary.seconds = (performance.now() - t0) / 1000;
    return summary;
  } finally {
    await target.close();
  }
}

/** Opens the target named by `to`: a `postgres://` URL or a DuckDB file path. */
export async function openTarget(to: string): Promise<IngestTarget> {
  if (typeof to !== 'string' || to.trim() === '') {
    throw new IngestError('to must name a target: a DuckDB file path or a postgres:// URL', 'BAD_TARGET');
  }
  if (/^postgres(ql)?:\/\//i.test(to)) {
    const { PostgresTarget } = await import('./postgres.js');
    return PostgresTarget.open(to);
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(to)) {
    throw new IngestError(`unsupported target ${to.split('://')[0]}://…; use a DuckDB file path or a postgres:// URL`, 'BAD_TARGET');
  }
  if (to !== ':memory:') {
    const dir = dirname(resolve(to));
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new IngestError(`the directory of ${to} does not exist`, 'BAD_TARGET');
    if (existsSync(to) && statSync(to).isDirectory()) throw new IngestError(`${to} is a directory, not a DuckDB file`, 'BAD_TARGET');
  }
  return DuckDbTarget.open(to);
}

function checkOptions(o: IngestOptions): Plan {
  if (o === null || typeof o !== 'object') throw new InvalidArgumentError('ingest options must be an object');
  if (typeof o.dataset !== 'string' || o.dataset === '') throw new InvalidArgumentError('ingest: dataset must be a non-empty string, e.g. GLBX.MDP3');
  const table = tableFor(o.schema);
  const symbols = encodeSymbols(o.symbols as string | string[], 'ingest: symbols').split(',');
  const stypeIn = encodeSType(o.stypeIn ?? 'raw_symbol', 'ingest: stypeIn');
  if (o.start === undefined) throw new InvalidArgumentError('ingest: start is required');
  if (o.end === undefined) throw new InvalidArgumentError('ingest: end is required');
  const start = toNanos(o.start, 'ingest: start');
  const end = toNanos(o.end, 'ingest: end');
  if (end <= start) throw new InvalidArgumentError(`ingest: end (${nanosToIso(end)}) must be after start (${nanosToIso(start)})`);
  const chunkDays = o.chunkDays ?? 1;
  if (!Number.isInteger(chunkDays) || chunkDays < 1) throw new InvalidArgumentError('ingest: chunkDays must be a whole number ≥ 1');
  const attempts = o.chunkAttempts ?? 3;
  if (!Number.isInteger(attempts) || attempts < 1) throw new InvalidArgumentError('ingest: chunkAttempts must be a whole number ≥ 1');
  const retryDelayMs = o.retryDelayMs ?? 1000;
  if (typeof retryDelayMs !== 'number' || !(retryDelayMs >= 0)) throw new InvalidArgumentError('ingest: retryDelayMs must be a number ≥ 0');
  if (o.client !== undefined && !(o.client instanceof Historical)) throw new InvalidArgumentError('ingest: client must be a Historical client');
  let live: Plan['live'];
  if (o.live !== undefined && o.live !== false) {
    const options = o.live === true ? {} : o.live;
    if (options === null || typeof options !== 'object') throw new InvalidArgumentError('ingest: live must be true or an options object');
    for (const k of ['overlapMs', 'batchRows', 'maxLagMs', 'reconnectDelayMs', 'maxFailures', 'port'] as const) {
      const v = options[k];
      if (v !== undefined && (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v))) throw new InvalidArgumentError(`ingest: live.${k} must be a number ≥ 0`);
    }
    const key = o.key ?? process.env['DATABENTO_API_KEY'];
    if (!key) throw new InvalidArgumentError('ingest: live needs an API key: pass key or set DATABENTO_API_KEY');
    live = { key, options };
  }
  return {
    dataset: o.dataset,
    table,
    symbols,
    stypeIn,
    start,
    end,
    chunkNs: BigInt(chunkDays) * DAY_NS,
    attempts,
    retryDelayMs,
    maxCostUsd: optionalCostLimit(o.maxCostUsd),
    signal: optionalSignal(o.signal),
    onProgress: optionalFunction<(p: IngestProgress) => void>(o.onProgress, 'ingest: onProgress'),
    live,
  };
}

/** The range cut at multiples of the chunk length (UTC midnights for days). */
export function chunksOf(start: bigint, end: bigint, chunkNs: bigint): Array<[bigint, bigint]> {
  const out: Array<[bigint, bigint]> = [];
  for (let at = start; at < end; ) {
    const next = (at / chunkNs + 1n) * chunkNs;
    const stop = next < end ? next : end;
    out.push([at, stop]);
    at = stop;
  }
  return out;
}

async function run(plan: Plan, client: Historical, target: IngestTarget, storage: string | undefined): Promise<IngestSummary> {
  const t0 = performance.now();
  const job: JobKey = { dataset: plan.dataset, schema: plan.table.schema, stypeIn: plan.stypeIn, symbols: [...plan.symbols].sort().join(',') };
  const chunks = chunksOf(plan.start, plan.end, plan.chunkNs);
  const finished = await target.finishedChunks(job);
  const pending = chunks.filter(([s, e]) => !finished.has(`${s}-${e}`));
  const progress: IngestProgress = {
    chunksTotal: chunks.length,
    chunksSkipped: chunks.length - pending.length,
    chunksLoaded: 0,
    chunksFailed: 0,
    records: 0,
    rowsInserted: 0,
    rowsPerSec: 0,
    costUsd: 0,
  };
  const failures: ChunkFailure[] = [];
  const query = { dataset: plan.dataset, schema: plan.table.schema as SchemaName, symbols: plan.symbols, stypeIn: plan.stypeIn as STypeName };
  if (pending.length > 0) {
    // One quote for what this run will load, checked before any data is requested.
    progress.costUsd = await client.metadata.getCost({
      ...query,
      start: pending[0]![0],
      end: pending.at(-1)![1],
      ...(plan.signal && { signal: plan.signal }),
    });
    if (plan.maxCostUsd !== undefined && progress.costUsd > plan.maxCostUsd) throw new CostLimitError(progress.costUsd, plan.maxCostUsd);
  }
  let lastReport = 0;
  const report = (force: boolean): void => {
    const now = performance.now();
    if (!plan.onProgress || (!force && now - lastReport < 200)) return;
    lastReport = now;
    progress.rowsPerSec = progress.rowsInserted / Math.max((now - t0) / 1000, 1e-3);
    plan.onProgress({ ...progress, ...(progress.chunk && { chunk: { ...progress.chunk } }) });
  };
  const dict = new SymbolDictionary();
  for (const [start, end] of pending) {
    progress.chunk = { start: nanosToIso(start)!, end: nanosToIso(end)! };
    report(true);
    let lastError: unknown;
    for (let attempt = 1; attempt <= plan.attempts; attempt++) {
      if (plan.signal?.aborted) throw new AbortError('ingest aborted');
      const seen = progress.records;
      try {
        const store = await client.timeseries.getRange({ ...query, start, end, ...(plan.signal && { signal: plan.signal }) });
        const builder = new RowBuilder(plan.table, dict, store.metadata);
        const blocks = async function* (): AsyncGenerator<RowBlock> {
          for await (const batch of store.batches()) {
            progress.records += batch.count;
            const block = builder.rows(batch);
            if (block.count > 0) yield block;
            report(false);
          }
        };
        const records = (): number => progress.records - seen;
        const mark = { ...job, start, end, get records() { return records(); } };
        const r = await target.load(plan.table, blocks(), dict, mark);
        progress.rowsInserted += r.inserted;
        progress.chunksLoaded++;
        lastError = undefined;
        break;
      } catch (err) {
        progress.records = seen;
        if (err instanceof AbortError || plan.signal?.aborted) throw err;
        lastError = err;
        if (!retryable(err) || attempt === plan.attempts) break;
        await sleep(plan.retryDelayMs * 2 ** (attempt - 1), plan.signal);
      }
    }
    if (lastError !== undefined) {
      progress.chunksFailed++;
      const e = lastError as { code?: string; message?: string };
      failures.push({ ...progress.chunk, code: e.code ?? 'ERROR', message: e.message ?? String(lastError) });
    }
  }
  delete progress.chunk;
  report(true);
  const summary: IngestSummary = {
    ...progress,
    target: target.description,
    table: plan.table.name,
    seconds: (performance.now() - t0) / 1000,
    failures,
    ...(storage !== undefined && { storage }),
  };
  summary.rowsPerSec = summary.rowsInserted / Math.max(summary.seconds, 1e-3);
  if (failures.length > 0) {
    const first = failures[0]!;
    const err = new IngestError(
      `${failures.length} of ${chunks.length} chunks failed (first: ${first.start} – ${first.end}: ${first.code}: ${first.message}); ` +
        'run the same ingest again to retry them',
      'INGEST_INCOMPLETE',
    );
    err.summary = summary;
    throw err;
  }
  return summary;
}

/** Whether another attempt of a chunk can succeed: not for client errors (bad symbol, no access…). */
function retryable(err: unknown): boolean {
  if (err instanceof BentoClientError) return err.code === 'RATE_LIMITED';
  if (err instanceof InvalidArgumentError || err instanceof CostLimitError) return false;
  if (err instanceof DatabentoError && err.code === 'UNSORTED_RECORDS') return false;
  return err instanceof HttpError || err instanceof DatabentoError || err instanceof Error;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new AbortError('ingest aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
