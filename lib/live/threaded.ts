/**
 * The push-model live client: a native thread reads and decodes, JS receives
 * batches as events or through async iterators.
 * @module
 */
import { EventEmitter } from 'node:events';
import { LiveError } from '../errors.js';
import { RecordBatch } from '../dbn/batch.js';
import { metadataFromNative, type Metadata } from '../dbn/metadata.js';
import type { AnyRecord } from '../generated/records.js';
import { RType } from '../generated/enums.js';
import { PitSymbolMap } from '../symbology/pit-symbol-map.js';
import {
  EVENT_BATCH,
  EVENT_END,
  EVENT_ERROR,
  EVENT_METADATA,
  liveNative,
  type NativeLiveBatch,
  type NativeLiveThreaded,
  type NativeStarted,
} from './native.js';
import {
  isRetriable,
  liveClientSetup,
  nativeSubscription,
  subscriptionFromNative,
  type LiveThreadedOptions,
  type ReconnectEvent,
  type ResolvedReconnect,
  type Subscription,
  type SubscriptionRequest,
} from './options.js';
import { abortError, Deferred } from './util.js';

/** Events of {@link LiveThreaded}. */
export interface LiveThreadedEvents {
  /** The session started (again, after a reconnection): its metadata header. */
  metadata: [metadata: Metadata];
  /** One record (a view into its batch). Listening per record is convenient; `batch` is faster. */
  record: [record: AnyRecord];
  /** A batch of records, as decoded natively. */
  batch: [batch: RecordBatch];
  /**
   * The session failed (and the reconnect policy, if any, gave up); the
   * client then closes. A `GATEWAY_ERROR` also carries `gatewayCode`, the
   * ErrorMsg's code (e.g. 6, internal_error). Failures of the first
   * {@link LiveThreaded.start} reject its Promise instead.
   */
  error: [error: LiveError];
  /** The session was re-established after a failure; see {@link ReconnectEvent}. */
  reconnect: [event: ReconnectEvent];
  /** The client is closed: the native thread has ended. Emitted once. */
  close: [];
}

type State = 'idle' | 'starting' | 'streaming' | 'reconnecting' | 'failed' | 'closing' | 'closed';

// Batches JS may hold per consumer before the native thread is paused.
const HIGH_WATER = 2;

/** One async iterator's queue. */
class BatchSink {
  readonly queue: RecordBatch[] = [];
  waiter: Deferred<IteratorResult<RecordBatch>> | undefined;
  done = false;
  error: LiveError | undefined;

  push(batch: RecordBatch): void {
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w.resolve({ value: batch, done: false });
    } else {
      this.queue.push(batch);
    }
  }

  end(error?: LiveError): void {
    if (this.done) return;
    this.done = true;
    this.error = error;
    const w = this.waiter;
    this.waiter = undefined;
    if (!w) return;
    if (error && this.queue.length === 0) w.reject(error);
    else w.resolve({ value: undefined, done: true });
  }
}

/**
 * A live session streamed by a native thread. Records arrive in batches
 * (full batches under load, single records when the feed is quiet) as
 * `batch` / `record` events, or through `for await`.
 *
 * Memory stays bounded: when JS falls behind (or calls {@link pause}), the
 * native thread stops reading the socket and TCP slows the gateway down.
 * Until a consumer (listener or iterator) is attached, records wait.
 *
 * ```ts
 * await using client = new LiveThreaded({ dataset: 'GLBX.MDP3' });
 * client.subscribe({ schema: 'trades', symbols: ['ESZ4'] });
 * await client.start();
 * for await (const rec of client) console.log(client.symbolMap.find(rec), rec.toJSON());
 * ```
 */
export class LiveThreaded extends EventEmitter<LiveThreadedEvents> implements AsyncIterable<AnyRecord>, AsyncDisposable {
  /** instrument_id → symbol, kept current from the SymbolMappingMsg records received. */
  readonly symbolMap = new PitSymbolMap();
  /** The dataset of the session. */
  readonly dataset: string;

  readonly #native: NativeLiveThreaded;
  readonly #reconnect: ResolvedReconnect | undefined;
  readonly #signal: AbortSignal | undefined;
  #state: State = 'idle';
  #metadata: Metadata | undefined;
  #version = 3;
  #tsOut = false;
  #start: Deferred<Metadata> | undefined;
  #closed: Deferred<void> | undefined;
  #inbox: RecordBatch[] = [];
  #cursor: Iterator<AnyRecord> | undefined;  // records of inbox[0] not yet emitted
  #batchEmitted = false;  // inbox[0] went to batch listeners and iterators
  readonly #sinks = new Set<BatchSink>();
  #userPaused = false;
  #nativePaused = false;
  #referenced = true;
  #attempt = 0;
  #outage: { error: LiveError; lastTs: bigint | null } | undefined;
  #restartTimer: NodeJS.Timeout | undefined;
  #finalError: LiveError | undefined;
  #abortError: LiveError | undefined;
  #pumpScheduled = false;
  readonly #onEvent = (kind: number, payload?: NativeStarted | NativeLiveBatch | LiveError): boolean => {
    switch (kind) {
      case EVENT_METADATA:
        return this.#onMetadata(payload as NativeStarted);
      case EVENT_BATCH:
        this.#onBatch(payload as NativeLiveBatch);
        return true;
      case EVENT_ERROR:
        this.#onError(payload as LiveError);
        return true;
      case EVENT_END:
        this.#onEnd();
        return true;
    }
    return true;
  };
  readonly #onAbort = (): void => {
    this.#abortError = abortError(this.#signal);
    void this.close();
  };

  /**
   * Validates the options (throws {@link InvalidArgumentError} before any
   * network I/O). Nothing connects until {@link start}.
   */
  constructor(options: LiveThreadedOptions) {
    super();
    const setup = liveClientSetup(options);
    this.dataset = setup.native.dataset;
    this.#reconnect = setup.reconnect;
    this.#signal = setup.signal;
    this.#native = new liveNative.NativeLiveThreaded(setup.native);
    this.#signal?.addEventListener('abort', this.#onAbort, { once: true });
    // Typed emitters leave 'newListener' out of their event map.
    (this as EventEmitter).on('newListener', (event: string | symbol) => {
      if (event === 'batch' || event === 'record') this.#schedulePump();
    });
  }

  /**
   * Adds a subscription and returns its id (1, 2, …). Before {@link start}
   * it is sent once connected; afterwards at once (no replay `start` then).
   * Throws {@link InvalidArgumentError} for an invalid request.
   */
  subscribe(request: SubscriptionRequest): number {
    const sub = nativeSubscription(request);
    if (this.#state === 'closing' || this.#state === 'closed') {
      throw new LiveError('The live client is closed', 'INVALID_STATE');
    }
    return this.#native.subscribe(sub);
  }

  /**
   * Connects, authenticates, sends the subscriptions and starts the session
   * on the native thread. Resolves with the session's metadata; rejects
   * with a {@link LiveError} (`AUTH_FAILED`, `CONNECT_FAILED`, …).
   */
  start(): Promise<Metadata> {
    if (this.#start) return this.#start.promise;
    if (this.#state === 'closing' || this.#state === 'closed') {
      return Promise.reject(this.#abortError ?? new LiveError('The live client is closed', 'INVALID_STATE'));
    }
    if (this.#state !== 'idle') {
      return Promise.reject(new LiveError('The live client was already started', 'INVALID_STATE'));
    }
    const start = new Deferred<Metadata>();
    try {
      this.#native.start(this.#onEvent);
    } catch (e) {
      return Promise.reject(e);
    }
    this.#state = 'starting';
    this.#start = start;
    return start.promise;
  }

  /**
   * Stops the session: the native thread ends, queued records are dropped,
   * iterators finish, `close` is emitted. Idempotent; resolves once closed.
   */
  close(): Promise<void> {
    this.#closed ??= new Deferred<void>();
    if (this.#state === 'closing' || this.#state === 'closed') return this.#closed.promise;
    this.#state = 'closing';
    clearTimeout(this.#restartTimer);
    this.#restartTimer = undefined;
    const endFollows = this.#native.close();
    if (!endFollows) {
      // No thread to wait for (never started, or between reconnect attempts).
      process.nextTick(() => this.#finish());
    }
    return this.#closed.promise;
  }

  /** Same as {@link close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Stops delivering records; the native thread stops reading once its queue is full. */
  pause(): this {
    this.#userPaused = true;
    this.#updateFlow();
    return this;
  }

  /** Resumes delivery after {@link pause}. */
  resume(): this {
    this.#userPaused = false;
    this.#schedulePump();
    return this;
  }

  /** Whether {@link pause} is in effect. */
  isPaused(): boolean {
    return this.#userPaused;
  }

  /** Lets the process exit while this client streams (it still closes cleanly at exit). */
  unref(): this {
    this.#referenced = false;
    this.#native.unref();
    this.#restartTimer?.unref();
    return this;
  }

  /** Undoes {@link unref}. */
  ref(): this {
    this.#referenced = true;
    this.#native.ref();
    this.#restartTimer?.ref();
    return this;
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

  /**
   * Batches received but not yet delivered: in the native queue (bounded by
   * `queueBatches`) plus those held in JS for slow consumers. A diagnostic of
   * backpressure.
   */
  get bufferedBatches(): number {
    let n = this.#native.queuedBatches() + this.#inbox.length;
    for (const sink of this.#sinks) n += sink.queue.length;
    return n;
  }

  /** Whether the client is closed (or closing). */
  get closed(): boolean {
    return this.#state === 'closing' || this.#state === 'closed';
  }

  /** Async iteration over every record (see {@link records}). */
  [Symbol.asyncIterator](): AsyncIterator<AnyRecord> {
    return this.records();
  }

  /**
   * Every record, in order. Ends when the client closes; throws the
   * session's {@link LiveError} if it fails. Slower per record than
   * {@link batches}, which avoids a promise per record.
   */
  async *records(): AsyncGenerator<AnyRecord, void, undefined> {
    for await (const batch of this.batches()) yield* batch;
  }

  /** Every batch of records, in order; each iterator gets every batch. */
  batches(): AsyncIterableIterator<RecordBatch> {
    const sink = new BatchSink();
    if (this.#state === 'closed') sink.end(this.#finalError ?? this.#abortError);
    else this.#sinks.add(sink);
    const detach = (): void => {
      this.#sinks.delete(sink);
      this.#updateFlow();
    };
    this.#schedulePump();
    const iterator: AsyncIterableIterator<RecordBatch> = {
      next: () => {
        const batch = sink.queue.shift();
        if (batch) {
          this.#updateFlow();
          return Promise.resolve({ value: batch, done: false });
        }
        if (sink.done) {
          detach();
          if (sink.error) {
            const e = sink.error;
            sink.error = undefined;  // thrown once
            return Promise.reject(e);
          }
          return Promise.resolve({ value: undefined, done: true });
        }
        sink.waiter = new Deferred();
        this.#updateFlow();
        return sink.waiter.promise;
      },
      return: () => {
        sink.done = true;
        sink.queue.length = 0;
        detach();
        return Promise.resolve({ value: undefined, done: true });
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }

  // -- native events ---------------------------------------------------------

  #onMetadata(started: NativeStarted): boolean {
    if (this.#state === 'closing' || this.#state === 'closed') return true;
    const metadata = metadataFromNative(started.metadata);
    this.#metadata = metadata;
    this.#version = started.version;
    this.#tsOut = started.tsOut;
    const outage = this.#outage;
    this.#state = 'streaming';
    if (outage) {
      const event: ReconnectEvent = {
        attempt: this.#attempt,
        error: outage.error,
        lastTs: outage.lastTs,
        firstTs: metadata.start,
        sessionId: this.#native.sessionId(),
      };
      this.#outage = undefined;
      this.#attempt = 0;
      this.emit('reconnect', event);
    }
    const start = this.#start;
    this.#start = undefined;
    start?.resolve(metadata);
    this.emit('metadata', metadata);
    // Yield: code awaiting start() attaches its consumers before records flow.
    return false;
  }

  #onBatch(raw: NativeLiveBatch): void {
    if (this.#state === 'closing' || this.#state === 'closed') return;
    const batch = new RecordBatch(raw.buffer, raw.count, this.#version, this.#tsOut);
    if (raw.symbolMappings > 0) {
      // Before delivery, so listeners can resolve the batch's own records.
      for (const rec of batch) {
        if (rec.rtype === RType.SymbolMapping) this.symbolMap.onRecord(rec);
      }
    }
    this.#inbox.push(batch);
    this.#pump();
  }

  #onError(error: LiveError): void {
    if (this.#state === 'closing' || this.#state === 'closed') return;
    const start = this.#start;
    if (start) {
      // The first start failed: no reconnection, the caller gets the error.
      this.#start = undefined;
      this.#finalError = error;
      start.reject(error);
      return;
    }
    const policy = this.#reconnect;
    if (policy && isRetriable(error) && this.#attempt < policy.maxAttempts) {
      this.#attempt++;
      this.#outage ??= { error, lastTs: this.#native.lastTsEvent() };
      this.#state = 'reconnecting';
      return;  // restarted once the thread has ended (#onEnd)
    }
    this.#fail(error);
  }

  #onEnd(): void {
    if (this.#state === 'reconnecting') {
      const policy = this.#reconnect!;
      const delay = policy.delay(this.#attempt, this.#outage!.error);
      this.#restartTimer = setTimeout(() => {
        this.#restartTimer = undefined;
        if (this.#state !== 'reconnecting') return;
        try {
          this.#native.restart(this.#onEvent);
        } catch (e) {
          this.#fail(e as LiveError);
          this.#finish();
        }
      }, delay);
      if (!this.#referenced) this.#restartTimer.unref();
      return;
    }
    this.#finish();
  }

  /** A terminal failure: reported to whoever can take it. */
  #fail(error: LiveError): void {
    this.#finalError = error;
    if (this.#state !== 'closing' && this.#state !== 'closed') this.#state = 'failed';
    let taken = false;
    for (const sink of this.#sinks) {
      sink.end(error);
      taken = true;
    }
    if (this.listenerCount('error') > 0 || !taken) this.emit('error', error);
  }

  #finish(): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    // Final even after a failure: frees the session for good.
    this.#native.close();
    this.#signal?.removeEventListener('abort', this.#onAbort);
    this.#inbox.length = 0;
    this.#cursor = undefined;
    const start = this.#start;
    this.#start = undefined;
    start?.reject(
      this.#abortError ?? this.#finalError ?? new LiveError('The live client was closed before the session started', 'ABORTED'),
    );
    for (const sink of this.#sinks) sink.end(this.#abortError);
    this.#sinks.clear();
    this.#closed ??= new Deferred<void>();
    this.#closed.resolve();
    this.emit('close');
  }

  // -- delivery ---------------------------------------------------------------

  #hasConsumers(): boolean {
    return this.#sinks.size > 0 || this.listenerCount('batch') > 0 || this.listenerCount('record') > 0;
  }

  #schedulePump(): void {
    if (this.#pumpScheduled) return;
    this.#pumpScheduled = true;
    // Listeners are added after 'newListener' fires: deliver on the next tick.
    process.nextTick(() => {
      this.#pumpScheduled = false;
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#inbox.length > 0 && !this.#userPaused && this.#hasConsumers()) {
      const head = this.#inbox[0]!;
      if (!this.#batchEmitted) {
        this.#batchEmitted = true;
        for (const sink of this.#sinks) sink.push(head);
        if (this.listenerCount('batch') > 0) this.emit('batch', head);
        if (this.listenerCount('record') > 0) this.#cursor = head[Symbol.iterator]();
      }
      const cursor = this.#cursor;
      if (cursor) {
        for (let r = cursor.next(); !r.done; r = cursor.next()) {
          this.emit('record', r.value);
          if (this.#userPaused) break;  // pause() inside a listener takes effect at once
        }
        if (this.#userPaused) break;
        this.#cursor = undefined;
      }
      if (this.#inbox[0] === head) this.#inbox.shift();
      this.#batchEmitted = false;
    }
    this.#updateFlow();
  }

  #updateFlow(): void {
    if (this.#state === 'closed') return;
    let full = this.#userPaused || this.#inbox.length >= HIGH_WATER;
    for (const sink of this.#sinks) if (sink.queue.length >= HIGH_WATER) full = true;
    if (full === this.#nativePaused) return;
    this.#nativePaused = full;
    if (full) this.#native.pause();
    else this.#native.resume();
  }
}
