/**
 * `client.timeseries.getRange`: historical records streamed as DBN and
 * decoded natively while the body downloads.
 * @module
 */
import { open, rm } from 'node:fs/promises';
import { DatabentoError, InvalidArgumentError } from '../errors.js';
import { DbnDecoder, DbnStore, type Metadata, type RecordBatch, type UpgradePolicy } from '../dbn/index.js';
import { upgradePolicyValue } from '../dbn/options.js';
import type { AnyRecord } from '../generated/records.js';
import { BadResponseError, CostLimitError } from './errors.js';
import { throwIfAborted, type BodyReader, type HttpClient, type RequestSpec } from './http.js';
import { queryParams, type MetadataApi, type QueryOptions } from './metadata.js';
import type { STypeName } from './types.js';
import { encodeSType, optionalCostLimit, optionalFunction, optionalSignal, optionsObject } from './params.js';

/** What decoding the body's next chunk gives once the body has ended. */
const END_OF_BODY = Symbol('end of body');

/** Download progress of {@link TimeseriesApi.getRange}. */
export interface RangeProgress {
  /** Bytes of the (compressed) body received so far. */
  bytes: number;
  /** Records decoded so far. */
  records: number;
}

/** Options of {@link TimeseriesApi.getRange}. */
export interface GetRangeOptions extends QueryOptions {
  /** Default `'instrument_id'`. */
  stypeOut?: STypeName;
  /** Called after each chunk of the body with running totals. */
  onProgress?: (progress: RangeProgress) => void;
  /**
   * Cost guard: ask `metadata.getCost` first and throw {@link CostLimitError}
   * (code `'COST_LIMIT'`) without requesting data when the cost is higher.
   */
  maxCostUsd?: number;
  /** How DBN v1/v2 records are handed out (default `'upgrade'` to v3). */
  upgradePolicy?: UpgradePolicy;
  /**
   * Write the body (DBN, still zstd-compressed) to this file as it arrives,
   * then return `DbnStore.fromFile(path)`. On failure the partial file is deleted.
   */
  path?: string;
}

/** {@link GetRangeOptions} with a `path`: the result is a file-backed {@link DbnStore}. */
export interface GetRangeToFileOptions extends GetRangeOptions {
  path: string;
}

/** The timeseries endpoint (`/v0/timeseries.get_range`). */
export class TimeseriesApi {
  readonly #http: HttpClient;
  readonly #metadata: MetadataApi;

  /** @internal */
  constructor(http: HttpClient, metadata: MetadataApi) {
    this.#http = http;
    this.#metadata = metadata;
  }

  /**
   * Streams historical data.
   *
   * Without `path`, resolves **once the DBN metadata header has been decoded**
   * to a {@link StreamingDbnStore}: `store.metadata` is then available at once,
   * and the records follow by `for await`, `batches()` or `replay()`, decoded
   * natively as the body downloads. The body is pulled from the network only as
   * fast as you consume it, so memory stays bounded however large the range.
   *
   * With `path`, writes the body to that file as it arrives and resolves to
   * `DbnStore.fromFile(path)` when the download is complete.
   *
   * `start`/`end`: a `Date` is sent as ISO 8601, a string verbatim, a bigint as
   * UNIX nanoseconds. Retries (429, 5xx, network failures) happen only before
   * any byte of the body has been received; a failure later rejects the
   * iteration (or the file download). `signal` cancels at any point with an
   * `AbortError` (code `'ABORTED'`) and releases the connection.
   *
   * ```ts
   * const store = await client.timeseries.getRange({ dataset: 'GLBX.MDP3', symbols: ['ESZ4'],
   *   schema: 'trades', start: '2024-11-18T14:30', end: '2024-11-18T15:00' });
   * for await (const rec of store) console.log(rec.instrument_id, rec.ts_event);
   * ```
   */
  getRange(options: GetRangeToFileOptions): Promise<DbnStore>;
  getRange(options: GetRangeOptions): Promise<StreamingDbnStore>;
  async getRange(options: GetRangeOptions): Promise<StreamingDbnStore | DbnStore> {
    const where = 'timeseries.get_range';
    const o = optionsObject(options, where, true);
    const params = {
      ...queryParams(o, where),
      stype_out: encodeSType(o.stypeOut ?? 'instrument_id', `${where}: stypeOut`),
      encoding: 'dbn',
      compression: 'zstd',
    };
    const signal = optionalSignal(o.signal);
    const onProgress = optionalFunction<(p: RangeProgress) => void>(o.onProgress, `${where}: onProgress`);
    const maxCostUsd = optionalCostLimit(o.maxCostUsd);
    const upgradePolicy = o.upgradePolicy ?? 'upgrade';
    upgradePolicyValue(upgradePolicy, `${where}: upgradePolicy`);
    if (o.path !== undefined && (typeof o.path !== 'string' || o.path === '')) {
      throw new InvalidArgumentError(`${where}: path must be a non-empty string`);
    }
    if (maxCostUsd !== undefined) {
      const { onProgress: _p, maxCostUsd: _m, upgradePolicy: _u, path: _f, ...query } = o;
      const cost = await this.#metadata.getCost(query);
      if (cost > maxCostUsd) throw new CostLimitError(cost, maxCostUsd);
    }
    const spec: RequestSpec = { method: 'POST', path: `/v0/${where}`, params, signal, binary: true };
    const ctx = { http: this.#http, spec, onProgress, upgradePolicy };
    return o.path === undefined ? openStream(ctx) : downloadToFile(ctx, o.path);
  }
}

interface RangeContext {
  http: HttpClient;
  spec: RequestSpec;
  onProgress: ((p: RangeProgress) => void) | undefined;
  upgradePolicy: UpgradePolicy;
}

/** Retried until the first body byte arrives; then the store owns the body. */
async function openStream(ctx: RangeContext): Promise<StreamingDbnStore> {
  let received = 0;
  return ctx.http.retrying(
    'safe',
    ctx.spec.signal,
    async () => {
      const res = await ctx.http.open(ctx.spec);
      const decoder = new DbnDecoder({ upgradePolicy: ctx.upgradePolicy });
      const queue: RecordBatch[] = [];
      let records = 0;
      try {
        while (decoder.metadata === undefined) {
          const chunk = await res.body.read();
          received = res.body.bytesRead;
          if (chunk === null) {
            if (received === 0) throw new BadResponseError('timeseries.get_range returned an empty body');
            decoder.end(); // throws: the body ended inside the header
            throw new BadResponseError('timeseries.get_range: the body ended before the DBN header');
          }
          const batch = decoder.write(chunk);
          if (batch) {
            queue.push(batch);
            records += batch.count;
          }
          ctx.onProgress?.({ bytes: received, records });
        }
      } catch (err) {
        await res.body.cancel();
        throw err;
      }
      return new StreamingDbnStore(res.body, decoder, queue, records, ctx);
    },
    () => received === 0,
  );
}

async function downloadToFile(ctx: RangeContext, path: string): Promise<DbnStore> {
  let received = 0;
  await ctx.http.retrying(
    'safe',
    ctx.spec.signal,
    async () => {
      const res = await ctx.http.open(ctx.spec);
      // Decoding alongside the write proves the file complete (a cut body is an error, not a short file).
      const decoder = new DbnDecoder({ upgradePolicy: ctx.upgradePolicy });
      let records = 0;
      const file = await open(path, 'w');
      try {
        for (let chunk = await res.body.read(); chunk !== null; chunk = await res.body.read()) {
          received = res.body.bytesRead;
          await file.write(chunk);
          for (let b = decoder.write(chunk); b; b = decoder.read()) records += b.count;
          ctx.onProgress?.({ bytes: received, records });
        }
        if (res.body.bytesRead === 0) throw new BadResponseError('timeseries.get_range returned an empty body');
        decoder.end();
      } catch (err) {
        await res.body.cancel();
        await file.close();
        await rm(path, { force: true });
        throw err;
      }
      await file.close();
    },
    () => received === 0,
  );
  return DbnStore.fromFile(path, { upgradePolicy: ctx.upgradePolicy });
}

/**
 * The records of a `timeseries.getRange` call, streamed: decoded natively as
 * the response body arrives, pulled from the network only as fast as they are
 * consumed. `metadata` is available at once.
 *
 * A network stream can be read **once**: use one of `for await`,
 * {@link batches}, {@link replay} or {@link toArray}. Stopping early (a
 * `break`, `replay`'s callback returning `false`, {@link cancel}) releases the
 * connection. Errors during the download reject the iteration: a connection
 * cut short (`RequestError`, code `'NETWORK_ERROR'`), a body ending inside a
 * record (`DbnError`, code `'TRUNCATED_RECORD'` — stricter than the C++ client,
 * which only warns), an abort (`AbortError`).
 */
export class StreamingDbnStore implements AsyncIterable<AnyRecord> {
  /** The DBN metadata header of the response. */
  readonly metadata: Metadata;
  readonly #body: BodyReader;
  readonly #decoder: DbnDecoder;
  readonly #queue: RecordBatch[];
  #nextChunk: Promise<Uint8Array | null> | undefined;
  #decoding: Promise<RecordBatch | null | typeof END_OF_BODY> | undefined;
  readonly #ctx: RangeContext;
  #records: number;
  #claimed = false;
  #finished = false;

  /** @internal */
  constructor(body: BodyReader, decoder: DbnDecoder, queue: RecordBatch[], records: number, ctx: RangeContext) {
    this.metadata = decoder.metadata!;
    this.#body = body;
    this.#decoder = decoder;
    this.#queue = queue;
    this.#records = records;
    this.#ctx = ctx;
  }

  /** Bytes of the body received so far. */
  get bytesReceived(): number {
    return this.#body.bytesRead;
  }

  /** Records decoded so far (ahead of consumption by at most one network chunk). */
  get recordsDecoded(): number {
    return this.#records;
  }

  /** Whether the body has been read to its end, cancelled, or failed. */
  get finished(): boolean {
    return this.#finished;
  }

  /** The records one at a time. */
  [Symbol.asyncIterator](): AsyncIterator<AnyRecord> {
    this.#claim();
    let current: Iterator<AnyRecord> | undefined;
    const next = async (): Promise<IteratorResult<AnyRecord>> => {
      for (;;) {
        if (current) {
          // A fresh result: the batch iterator refills one result object.
          const r = current.next();
          if (!r.done) return { done: false, value: r.value };
        }
        const batch = await this.#next();
        if (batch === null) return { done: true, value: undefined };
        current = batch[Symbol.iterator]();
      }
    };
    const finish = async (): Promise<IteratorResult<AnyRecord>> => {
      await this.cancel();
      return { done: true, value: undefined };
    };
    return { next, return: finish };
  }

  /** The records in batches as decoded from each network chunk (the fastest way to read). */
  async *batches(): AsyncGenerator<RecordBatch, void, undefined> {
    this.#claim();
    try {
      for (let b = await this.#next(); b !== null; b = await this.#next()) yield b;
    } finally {
      await this.cancel();
    }
  }

  /**
   * Calls `fn` with every record in order; stops (and releases the
   * connection) when `fn` returns `false`. Resolves to the number of records
   * visited. The view `fn` gets is valid until `fn` returns (see
   * {@link RecordBatch.forEach}); keep `rec.clone()` to hold on to one.
   */
  async replay(fn: (record: AnyRecord) => unknown): Promise<number> {
    if (typeof fn !== 'function') throw new InvalidArgumentError('replay needs a callback function');
    this.#claim();
    let n = 0;
    try {
      for (let b = await this.#next(); b !== null; b = await this.#next()) {
        const visited = b.forEach(fn);
        n += visited;
        if (visited < b.count) break;
      }
    } finally {
      await this.cancel();
    }
    return n;
  }

  /** Every record in an array (the whole range in memory: for small ranges). */
  async toArray(): Promise<AnyRecord[]> {
    const out: AnyRecord[] = [];
    for await (const batch of this.batches()) for (const rec of batch) out.push(rec);
    return out;
  }

  /** Stops the download and releases the connection; further reads end. */
  async cancel(): Promise<void> {
    if (this.#finished) return;
    this.#finished = true;
    this.#queue.length = 0;
    await this.#body.cancel();
  }

  /** Same as {@link cancel}: `await using store = await client.timeseries.getRange(…)` releases the connection. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.cancel();
  }

  #claim(): void {
    if (this.#claimed) {
      throw new DatabentoError('a streamed range can be read once; use path to keep a re-readable file', 'INVALID_STATE');
    }
    this.#claimed = true;
  }

  async #next(): Promise<RecordBatch | null> {
    const queued = this.#queue.shift();
    if (queued) return queued;
    if (this.#finished) return null;
    try {
      for (;;) {
        throwIfAborted(this.#ctx.spec.signal);
        // A chunk that decoded to more than one batch (highly compressed
        // zstd) hands out the rest before the next chunk is decoded.
        const rest = this.#decoding ? null : this.#decoder.read();
        const decoded = rest ?? (await (this.#decoding ?? this.#decodeNextChunk()));
        this.#decoding = undefined;
        if (decoded === END_OF_BODY) {
          this.#decoder.end();
          this.#finished = true;
          return null;
        }
        if (rest === null) {
          // Decode the next chunk while the consumer handles this batch.
          const next = this.#decodeNextChunk();
          next.catch(() => undefined); // its error surfaces when it is awaited
          this.#decoding = next;
        }
        if (decoded) this.#records += decoded.count;
        this.#ctx.onProgress?.({ bytes: this.#body.bytesRead, records: this.#records });
        if (decoded) return decoded;
      }
    } catch (err) {
      await this.cancel();
      throw err;
    }
  }

  /**
   * Decodes the next chunk of the body on a native thread, receiving the one
   * after it meanwhile. Called only once the previous decode has settled.
   */
  async #decodeNextChunk(): Promise<RecordBatch | null | typeof END_OF_BODY> {
    const chunk = await (this.#nextChunk ?? this.#body.read());
    this.#nextChunk = undefined;
    if (chunk === null) return END_OF_BODY;
    const next = this.#body.read();
    next.catch(() => undefined); // its error surfaces when it is awaited
    this.#nextChunk = next;
    return this.#decoder.writeAsync(chunk);
  }
}
