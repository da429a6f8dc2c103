/**
 * The pull-model live client: ask for the next record, synchronously (in a
 * worker thread) or with a Promise (the wait happens off the JS thread).
 * @module
 */
import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { InvalidArgumentError, LiveError } from '../errors.js';
import { RecordBatch } from '../dbn/batch.js';
import { metadataFromNative, type Metadata } from '../dbn/metadata.js';
import type { AnyRecord } from '../generated/records.js';
import { RType } from '../generated/enums.js';
import { PitSymbolMap } from '../symbology/pit-symbol-map.js';
import { liveNative, type NativeLiveBatch, type NativeLiveBlocking, type NativeStarted } from './native.js';
import {
  isRetriable,
  liveClientSetup,
  nativeSubscription,
  subscriptionFromNative,
  type LiveOptions,
  type ReconnectEvent,
  type ResolvedReconnect,
  type Subscription,
  type SubscriptionRequest,
} from './options.js';
import { abortError } from './util.js';

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
  readonly symbolMap = new PitSymbolMap();
  /** The dataset of the session. */
  readonly dataset: string;

  readonly #native: NativeLiveBlocking;
  readonly #reconnect: ResolvedReconnect | undefined;
  readonly #signal: AbortSignal | undefined;
  #metadata: Metadata | undefined;
  #version = 3;
  #tsOut = false;
  #current: Iterator<AnyRecord> | undefined;  // records of the last batch not yet returned
  #tail: Promise<unknown> = Promise.resolve();  // async calls run one after another
  #closed = false;
  #abortError: LiveError | undefined;
  #wake: AbortController | undefined;  // cancels a reconnect back-off on close
  readonly #onAbort = (): void => {
    this.#abortError = abortError(this.#signal);
    void this.close();
  };

  /** Validates the options (throws {@link InvalidArgumentError} before any network I/O). */
  constructor(options: LiveOptions) {
    super();
    const setup = liveClientSetup(options);
    this.dataset = setup.native.dataset;
    this.#reconnect = setup.reconnect;
    this.#signal = setup.signal;
    this.#native = new liveNative.NativeLiveBlocking(setup.native);
    this.#signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  /** Adds a subscription and returns its id; sent when connected (at once if already). */
  subscribe(request: SubscriptionRequest): number {
    const sub = nativeSubscription(request);
    this.#checkOpen();
    return this.#native.subscribe(sub);
  }

  /** Connects and authenticates now (else {@link start} does it). Resolves with the session id. */
  connect(): Promise<string> {
    return this.#serial(() => this.#native.connect());
  }

  /** Starts the session (connecting first if needed); resolves with its metadata. */
  start(): Promise<Metadata> {
    return this.#serial(async () => this.#started(await this.#native.start()));
  }

  /** {@link start} on the calling thread: blocks it until the metadata arrives. */
  startSync(): Metadata {
    this.#checkOpen();
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
      this.#signal?.removeEventListener('abort', this.#onAbort);
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

  /** Every record until the client closes (throws on failure; reconnects per policy). */
  async *[Symbol.asyncIterator](): AsyncGenerator<AnyRecord, void, undefined> {
    for (let batch = await this.nextBatch(); batch; batch = await this.nextBatch()) yield* batch;
  }

  /** The gateway's session id, once authenticated. */
  get sessionId(): string | undefined {
    return this.#native.sessionId() || undefined;
  }

  /** Every subscription made, in order, with its id. */
  get subscriptions(): Subscription[] {
    return this.#native.subscriptions().map(subscriptionFromNative);
  }

  /** The metadata of the current session, once started. */
  get metadata(): Metadata | undefined {
    return this.#metadata;
  }

  /** Whether {@link close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  // -- internals --------------------------------------------------------------

  #checkOpen(): void {
    if (this.#closed) throw this.#abortError ?? new LiveError('The live client is closed', 'INVALID_STATE');
  }

  #endOfStream(): null {
    if (this.#abortError) throw this.#abortError;
    return null;
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(this.#abortError ?? new LiveError('The live client is closed', 'INVALID_STATE'));
    const run = this.#tail.then(fn, fn);
    this.#tail = run.catch(() => {});
    return run;
  }

  #started(started: NativeStarted): Metadata {
    this.#metadata = metadataFromNative(started.metadata);
    this.#version = started.version;
    this.#tsOut = started.tsOut;
    this.#current = undefined;
    return this.#metadata;
  }

  #batch(raw: NativeLiveBatch | null): RecordBatch | null {
    if (!raw) return this.#closed ? this.#endOfStream() : null;
    const batch = new RecordBatch(raw.buffer, raw.count, this.#version, this.#tsOut);
    if (raw.symbolMappings > 0) {
      for (const rec of batch) {
        if (rec.rtype === RType.SymbolMapping) this.symbolMap.onRecord(rec);
      }
    }
    return batch;
  }

  async #readWithPolicy(timeout: number | undefined): Promise<NativeLiveBatch | null> {
    try {
      return await this.#native.nextBatch(timeout);
    } catch (e) {
      const policy = this.#reconnect;
      if (!policy || this.#closed || !(e instanceof LiveError) || !isRetriable(e)) throw e;
      await this.#reconnectWith(policy, e);
      return this.#native.nextBatch(timeout);
    }
  }

  async #reconnectWith(policy: ResolvedReconnect, cause: LiveError): Promise<void> {
    const lastTs = this.#native.lastTsEvent();
    let last: unknown = cause;
    for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
      this.#wake = new AbortController();
      try {
        await sleep(policy.delay(attempt, cause), undefined, { signal: this.#wake.signal });
      } catch {
        // aborted by close()
      }
      if (this.#closed) throw this.#abortError ?? last;
      try {
        await this.#native.reconnect();
        this.#native.resubscribe();
        const metadata = this.#started(await this.#native.start());
        this.emit('reconnect', {
          attempt,
          error: cause,
          lastTs,
          firstTs: metadata.start,
          sessionId: this.#native.sessionId(),
        });
        return;
      } catch (e) {
        if (this.#closed || !(e instanceof LiveError) || !isRetriable(e)) throw e;
        last = e;
      }
    }
    throw last;
  }
}
