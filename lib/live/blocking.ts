/**
 * The pull-model live client: ask for the next record, synchronously (in a
 * worker thread) or with a Promise (the wait happens off the JS thread).
 * @module
 */
import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { InvalidArgumentError, LiveError } from '../errors.js';
import type { RecordBatch } from '../dbn/batch.js';
import type { Metadata } from '../dbn/metadata.js';
import type { AnyRecord } from '../generated/records.js';
import type { PitSymbolMap } from '../symbology/pit-symbol-map.js';
import { liveNative, type NativeLiveBatch, type NativeLiveBlocking, type NativeStarted } from './native.js';
import type { LiveOptions, ReconnectEvent, Subscription, SubscriptionRequest } from './options.js';
import { LiveSession, type ReconnectTracker } from './session.js';
import { callSite, withCallSite } from './util.js';

/** Events of {@link LiveBlocking}. */
export interface LiveBlockingEvents {
  /** The reconnect policy re-established the session (async reads only). */
  reconnect: [event: ReconnectEvent];
  /** The client was closed. */
  close: [];
}

function checkTimeout(timeoutMs: number | undefined): number | undefined {
  if (timeoutMs === undefined) return undefined;
  if (typeof timeoutMs !== 'number' || Number.isNaN(timeoutMs) || timeoutMs < 0) {
    throw new InvalidArgumentError(`timeoutMs must be a non-negative number of milliseconds, not ${timeoutMs}`);
  }
  return timeoutMs === Infinity ? undefined : timeoutMs;
}

/**
 * A live session read on demand, as the official client's LiveBlocking.
 * {@link nextRecord} blocks the calling thread (use it in a worker thread);
 * {@link next} waits on a libuv thread and resolves a Promise.
 *
 * ```ts
 * const client = new LiveBlocking({ dataset: 'GLBX.MDP3' });
 * client.subscribe({ schema: 'mbo', symbols: 'ES.FUT', stypeIn: 'parent', snapshot: true });
 * await client.start();
 * for (let rec; (rec = await client.next(1000)) !== null; ) handle(rec);
 * ```
 *
 * A silent gateway is an error, not a hang: with no bytes for the heartbeat
 * interval + 5 s, reads fail with `HEARTBEAT_TIMEOUT`.
 */
export class LiveBlocking extends EventEmitter<LiveBlockingEvents> implements AsyncIterable<AnyRecord>, AsyncDisposable, Disposable {
  /** instrument_id → symbol, kept current from the SymbolMappingMsg records read. */
  readonly symbolMap: PitSymbolMap;
  /** The dataset of the session. */
  readonly dataset: string;

  readonly #session: LiveSession<NativeLiveBlocking>;
  readonly #native: NativeLiveBlocking;
  #current: Iterator<AnyRecord> | undefined;  // records of the last batch not yet returned
  #tail: Promise<unknown> = Promise.resolve();  // async calls run one after another
  #closed = false;
  #wake: AbortController | undefined;  // cancels a reconnect back-off on close

  /** Validates the options (throws {@link InvalidArgumentError} before any network I/O). */
  constructor(options: LiveOptions) {
    super();
    this.#session = new LiveSession(options, (o) => new liveNative.NativeLiveBlocking(o), () => void this.close());
    this.#native = this.#session.native;
    this.dataset = this.#session.dataset;
    this.symbolMap = this.#session.symbolMap;
  }

  /** Adds a subscription and returns its id; sent when connected (at once if already). */
  subscribe(request: SubscriptionRequest): number {
    return this.#session.subscribe(request, this.#closed);
  }

  /** Connects and authenticates now (else {@link start} does it). Resolves with the session id. */
  connect(): Promise<string> {
    return this.#serial(() => {
      this.#session.connecting();
      return this.#native.connect().catch((e: unknown) => Promise.reject(this.#session.failed(e)));
    });
  }

  /** Starts the session (connecting first if needed); resolves with its metadata. */
  start(): Promise<Metadata> {
    return this.#serial(async () => {
      this.#session.connecting();
      return this.#started(await this.#native.start().catch((e: unknown) => Promise.reject(this.#session.failed(e))));
    });
  }

  /** {@link start} on the calling thread: blocks it until the metadata arrives. */
  startSync(): Metadata {
    this.#checkOpen();
    this.#session.connecting();
    return this.#started(this.#native.startSync());
  }

  /**
   * The next record, waiting on the calling thread up to `timeoutMs`
   * (default: until one arrives). Returns null on timeout or once closed;
   * throws a {@link LiveError} when the session fails. Meant for worker
   * threads: it blocks the event loop while it waits.
   */
  nextRecord(timeoutMs?: number): AnyRecord | null {
    const fromBatch = this.#current?.next();
    if (fromBatch && !fromBatch.done) return fromBatch.value;
    const batch = this.nextBatchSync(timeoutMs);
    if (!batch) return null;
    this.#current = batch[Symbol.iterator]();
    return this.#current.next().value ?? null;
  }

  /** The next records available (waiting up to `timeoutMs` for the first); null on timeout or once closed. */
  nextBatchSync(timeoutMs?: number): RecordBatch | null {
    const timeout = checkTimeout(timeoutMs);
    if (this.#closed) return this.#endOfStream();
    this.#current = undefined;
    return this.#batch(this.#native.nextBatchSync(timeout));
  }

  /**
   * The next record, waiting off the JS thread up to `timeoutMs` (default:
   * until one arrives). Null on timeout or once closed. Applies the
   * reconnect policy, if any.
   */
  async next(timeoutMs?: number): Promise<AnyRecord | null> {
    const fromBatch = this.#current?.next();
    if (fromBatch && !fromBatch.done) return fromBatch.value;
    const batch = await this.nextBatch(timeoutMs);
    if (!batch) return null;
    this.#current = batch[Symbol.iterator]();
    return this.#current.next().value ?? null;
  }

  /** The next records available, waiting off the JS thread; null on timeout or once closed. */
  nextBatch(timeoutMs?: number): Promise<RecordBatch | null> {
    let timeout: number | undefined;
    try {
      timeout = checkTimeout(timeoutMs);
    } catch (e) {
      return Promise.reject(e);
    }
    if (this.#closed) {
      try {
        return Promise.resolve(this.#endOfStream());
      } catch (e) {
        return Promise.reject(e);
      }
    }
    return this.#serial(async () => {
      this.#current = undefined;
      return this.#batch(await this.#readWithPolicy(timeout));
    });
  }

  /**
   * Closes the connection and opens a new one (authenticating again); later
   * subscriptions continue the ids. Call {@link resubscribe} and {@link start} next.
   */
  reconnect(): Promise<string> {
    return this.#serial(() => {
      this.#current = undefined;
      return this.#native.reconnect();
    });
  }

  /** Sends the subscriptions of earlier connections again (original ids, no `start`). */
  resubscribe(): void {
    this.#checkOpen();
    this.#native.resubscribe();
  }

  /** Closes the connection; a pending read resolves null. Idempotent; resolves once pending calls settled. */
  async close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#native.close();
      this.#wake?.abort();
      this.#session.dispose();
      this.emit('close');
    }
    await this.#tail.catch(() => {});
  }

  /** Same as {@link close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Closes without waiting, for `using`. */
  [Symbol.dispose](): void {
    void this.close();
  }

  /**
   * Every record until the client closes (throws on failure; reconnects per
   * policy). Leaving the loop (`break`, `return`, a throw) closes the client,
   * as with Node streams.
   */
  async *[Symbol.asyncIterator](): AsyncGenerator<AnyRecord, void, undefined> {
    try {
      for (let batch = await this.nextBatch(); batch; batch = await this.nextBatch()) yield* batch;
    } finally {
      await this.close();
    }
  }

  /** The gateway's session id, once authenticated. */
  get sessionId(): string | undefined {
    return this.#session.sessionId;
  }

  /** Every subscription made, in order, with its id. */
  get subscriptions(): Subscription[] {
    return this.#session.subscriptions;
  }

  /** The metadata of the current session, once started. */
  get metadata(): Metadata | undefined {
    return this.#session.metadata;
  }

  /** Whether {@link close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  // -- internals --------------------------------------------------------------

  #checkOpen(): void {
    if (this.#closed) throw this.#session.closedError();
  }

  #endOfStream(): null {
    if (this.#session.abortError) throw this.#session.abortError;
    return null;
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(this.#session.closedError());
    const site = callSite(this.#serial);
    const run = this.#tail.then(fn, fn).catch((e: unknown) => {
      throw withCallSite(e, site);
    });
    this.#tail = run.catch(() => {});
    return run;
  }

  #started(started: NativeStarted): Metadata {
    this.#current = undefined;
    return this.#session.started(started);
  }

  #batch(raw: NativeLiveBatch | null): RecordBatch | null {
    if (!raw) return this.#closed ? this.#endOfStream() : null;
    return this.#session.batch(raw);
  }

  /** Reads the next batch; a failure the policy retries reconnects (as often as it allows) and reads on. */
  async #readWithPolicy(timeout: number | undefined): Promise<NativeLiveBatch | null> {
    for (;;) {
      try {
        return await this.#native.nextBatch(timeout);
      } catch (e) {
        const tracker = this.#session.reconnect;
        if (!tracker || this.#closed || !(e instanceof LiveError)) throw this.#closed ? e : this.#session.failed(e);
        await this.#reconnectWith(tracker, e);
      }
    }
  }

  async #reconnectWith(tracker: ReconnectTracker, cause: LiveError): Promise<void> {
    const lastTs = this.#native.lastTsEvent();
    for (let error = cause; ; ) {
      const delay = tracker.failed(error, lastTs);
      if (delay === undefined) throw this.#session.failed(error);
      this.#wake = new AbortController();
      try {
        await sleep(delay, undefined, { signal: this.#wake.signal });
      } catch {
        // aborted by close()
      }
      if (this.#closed) throw this.#session.abortError ?? error;
      try {
        await this.#native.reconnect();
        this.#native.resubscribe();
        const metadata = this.#started(await this.#native.start());
        const event = tracker.restarted(metadata.start, this.#native.sessionId());
        if (event) this.emit('reconnect', event);
        return;
      } catch (e) {
        if (this.#closed || !(e instanceof LiveError)) throw e;
        error = e;
      }
    }
  }
}
