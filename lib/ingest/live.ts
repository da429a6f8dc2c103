/**
 * Live follow: after the historical part, keep the table current from the
 * live gateway. Each session replays intraday from a little before the last
 * stored index timestamp, so the hand-over and every reconnection leave no
 * gap; the overlap is skipped by the table's key.
 * @module
 */
import { LiveError } from '../errors.js';
import { LiveThreaded } from '../live/threaded.js';
import { nanosToIso } from '../time.js';
import { RowBuilder, type RowBlock, type SymbolDictionary } from './rows.js';
import type { TableSpec } from './tables.js';
import { IngestError, type IngestTarget } from './target.js';

/** Options of the live part of {@link ingest}. */
export interface LiveFollowOptions {
  /** Live gateway host (default: derived from the dataset, or `DATABENTO_LIVE_GATEWAY`). */
  gateway?: string;
  /** Live gateway port (default 13000). */
  port?: number;
  /**
   * How far before the last stored timestamp each session's replay starts, in
   * ms (default 60 000): records whose `ts_event` (what replay filters on)
   * lies before their `ts_recv` are not missed.
   */
  overlapMs?: number;
  /** Rows loaded per transaction at most (default 100 000). */
  batchRows?: number;
  /** Longest a received row waits before it is loaded, in ms (default 500). */
  maxLagMs?: number;
  /** Pause before reconnecting after a dropped session, in ms (default 1000, doubling up to 30 s). */
  reconnectDelayMs?: number;
  /** Consecutive failed sessions (no record received) before giving up (default 10). */
  maxFailures?: number;
}

/** What the live part did. */
export interface LiveStats {
  /** Sessions opened (1 + reconnections). */
  sessions: number;
  /** Records received (replayed overlap included). */
  records: number;
  /** Rows new to the table. */
  rowsInserted: number;
  /** Replay start of each session, UNIX ns. */
  replayStarts: bigint[];
}

/** What the follower needs from the ingest. */
export interface FollowContext {
  key: string;
  dataset: string;
  schema: string;
  symbols: string[];
  stypeIn: string;
  table: TableSpec;
  target: IngestTarget;
  dict: SymbolDictionary;
  /** Replay start when the table is empty (the end of the historical part). */
  from: bigint;
  signal: AbortSignal | undefined;
  onStats: (stats: LiveStats) => void;
}

/** Follows the live feed until `signal` aborts (or the gateway keeps failing). */
export async function follow(ctx: FollowContext, o: LiveFollowOptions): Promise<LiveStats> {
  const stats: LiveStats = { sessions: 0, records: 0, rowsInserted: 0, replayStarts: [] };
  const overlapNs = BigInt(Math.round((o.overlapMs ?? 60_000) * 1e6));
  const baseDelay = o.reconnectDelayMs ?? 1000;
  let failures = 0;
  while (!ctx.signal?.aborted) {
    const last = await ctx.target.lastTimestamp(ctx.table);
    const start = last === undefined ? ctx.from : last > overlapNs ? last - overlapNs : 0n;
    stats.sessions++;
    stats.replayStarts.push(start);
    const client = new LiveThreaded({
      key: ctx.key,
      dataset: ctx.dataset,
      ...(o.gateway !== undefined && { gateway: o.gateway }),
      ...(o.port !== undefined && { port: o.port }),
      ...(ctx.signal && { signal: ctx.signal }),
    });
    const received = stats.records;
    let error: unknown;
    try {
      client.subscribe({ schema: ctx.schema, symbols: ctx.symbols, stypeIn: ctx.stypeIn, start } as Parameters<LiveThreaded['subscribe']>[0]);
      await client.start();
      await session(client, ctx, o, stats);
    } catch (err) {
      error = err;
    } finally {
      await client.close().catch(() => undefined);
    }
    if (ctx.signal?.aborted) break;
    if (error instanceof IngestError) throw error; // the database failed: reconnecting cannot help
    const refusal = refused(error, start, last);
    if (refusal) throw refusal; // the gateway will refuse the same subscription again
    failures = stats.records > received ? 0 : failures + 1;
    if (failures >= (o.maxFailures ?? 10)) throw error ?? new Error('the live gateway kept closing the session without data');
    await sleep(Math.min(baseDelay * 2 ** Math.max(failures - 1, 0), 30_000), ctx.signal);
  }
  return stats;
}

/** Loads one session's records in batches until it ends; always loads what was received. */
async function session(client: LiveThreaded, ctx: FollowContext, o: LiveFollowOptions, stats: LiveStats): Promise<void> {
  const builder = new RowBuilder(ctx.table, ctx.dict);
  builder.symbolOf = (id) => client.symbolMap.find(id);
  const batchRows = o.batchRows ?? 100_000;
  let pending: RowBlock[] = [];
  let pendingRows = 0;
  let loading: Promise<void> = Promise.resolve();
  let failure: unknown;
  // Loads run one after another; a failed load stops the session.
  const flush = (): Promise<void> => {
    if (pendingRows === 0) return loading;
    const blocks = pending;
    pending = [];
    pendingRows = 0;
    loading = loading.then(async () => {
      if (failure !== undefined) return;
      try {
        const r = await ctx.target.load(ctx.table, iterate(blocks), ctx.dict);
        stats.rowsInserted += r.inserted;
        ctx.onStats(stats);
      } catch (err) {
        failure = err;
      }
    });
    return loading;
  };
  const timer = setInterval(() => void flush(), o.maxLagMs ?? 500);
  try {
    for await (const batch of client.batches()) {
      const block = builder.rows(batch);
      stats.records += block.count;
      if (block.count > 0) {
        pending.push(block);
        pendingRows += block.count;
      }
      if (pendingRows >= batchRows) await flush(); // not reading meanwhile: TCP slows the gateway down
      if (failure !== undefined) break;
    }
  } finally {
    clearInterval(timer);
    await flush();
  }
  if (failure !== undefined) throw failure;
}

/** ErrorMsg code of the gateway's internal error, the one failure worth another session. */
const INTERNAL_ERROR = 6;
/** ErrorMsg code the gateway sends when the replay start is older than it keeps. */
const REPLAY_AGED_OUT = 8;

/**
 * The error to stop with when the gateway refused the session (a fatal
 * ErrorMsg other than its internal error), saying which replay it refused and
 * what that leaves missing; undefined for failures a new session may overcome.
 */
function refused(error: unknown, start: bigint, last: bigint | undefined): IngestError | undefined {
  if (!(error instanceof LiveError) || error.code !== 'GATEWAY_ERROR') return undefined;
  const code = (error as LiveError & { gatewayCode?: number }).gatewayCode;
  if (code === INTERNAL_ERROR) return undefined;
  const from = nanosToIso(start);
  const stored = last === undefined ? 'nothing is stored yet' : `the last stored record is at ${nanosToIso(last)}`;
  const message =
    code === REPLAY_AGED_OUT
      ? `the live gateway can no longer replay from ${from} (${error.message}); ${stored}, so the records since then ` +
        'cannot come from the live feed: load them with a historical ingest of that span, then follow live again'
      : `the live gateway refused the session replaying from ${from}: ${error.message}`;
  return new IngestError(message, 'LIVE_REFUSED', { cause: error });
}

async function* iterate(blocks: RowBlock[]): AsyncGenerator<RowBlock> {
  yield* blocks;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
