/**
 * The push-model live client: a native thread reads and decodes, JS receives
 * batches as events or through async iterators.
 * @module
 */
import { EventEmitter } from 'node:events';
import { LiveError } from '../errors.js';
import { RecordCursor, type RecordBatch } from '../dbn/batch.js';
import type { Metadata } from '../dbn/metadata.js';
import type { AnyRecord } from '../generated/records.js';
import type { PitSymbolMap } from '../symbology/pit-symbol-map.js';
import {
  EVENT_END,
  EVENT_ERROR,
  EVENT_METADATA,
  liveNative,
  type NativeLiveItem,
  type NativeLiveThreaded,
  type NativeStarted,
} from './native.js';
import { BatchBuffers, DEFAULT_BATCH_BYTES, type LentBatch } from './lending.js';
import type { LiveThreadedOptions, ReconnectEvent, Subscription, SubscriptionRequest } from './options.js';
import { LiveSession } from './session.js';
import { BatchSink } from './sink.js';
import { callSite, Deferred, withCallSite } from './util.js';

/** Events of {@link LiveThreaded}. */
export interface LiveThreadedEvents {
  /** The session started (again, after a reconnection): its metadata header. */
  metadata: [metadata: Metadata];
  /**
   * One record. The view is re-pointed to the next record once the
   * listeners return (nothing is allocated per record): to keep a record,
   * keep `rec.clone()` (a view of its own) or `rec.bytes()` (a copy).
   */
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

// Batches JS may hold per consumer before it stops pulling from the native
// queue (which then fills, and the native thread stops reading).
const HIGH_WATER = 2;
// Delivery per turn of the event loop: a slice this long at most (checked
// between batches and every 64 records), then timers and I/O get their turn.
const SLICE_MS = 10;
// Batches the native queue holds at most by default (option queueBatches).
const QUEUE_BATCHES = 16;

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
  readonly symbolMap: PitSymbolMap;
  /** The dataset of the session. */
  readonly dataset: string;

  readonly #session: LiveSession<NativeLiveThreaded>;
  readonly #native: NativeLiveThreaded;
  #state: State = 'idle';
  #start: Deferred<Metadata> | undefined;
  #closed: Deferred<void> | undefined;
  // Buffers lent to the native thread, queueBatches + HIGH_WATER at most:
  // with JS holding its most (#inbox), the native queue holds queueBatches.
  readonly #buffers: BatchBuffers;
  #inbox: LentBatch[] = [];
  #cursor: RecordCursor | undefined;  // records of inbox[0] not yet emitted
  // The 'record' listeners as emit() would call them, taken again after any
  // listener is added or removed (see #recordListeners).
  #recordSnapshot: ((record: AnyRecord) => void)[] | undefined;
  #batchEmitted = false;  // inbox[0] went to batch listeners and iterators
  readonly #sinks = new Set<BatchSink>();
  #userPaused = false;
  #referenced = true;
  #slice: NodeJS.Immediate | undefined;  // the next delivery slice, when scheduled
  #restartDelay = 0;
  #restartTimer: NodeJS.Timeout | undefined;
  #finalError: LiveError | undefined;
  // The native queue has an item (or the socket data, when this thread reads
  // it) after next() found none. Called from the event loop, a turn of its
  // own: the slice runs at once.
  readonly #onWake = (): void => {
    if (!this.#slice && this.#state !== 'closed') this.#runSlice();
  };

  /**
   * Validates the options (throws {@link InvalidArgumentError} before any
   * network I/O). Nothing connects until {@link start}.
   */
  constructor(options: LiveThreadedOptions) {
    super();
    this.#session = new LiveSession(options, (o) => new liveNative.NativeLiveThreaded(o), () => void this.close());
    this.#native = this.#session.native;
    this.dataset = this.#session.dataset;
    this.symbolMap = this.#session.symbolMap;
    const maxBuffers = (options.queueBatches ?? QUEUE_BATCHES) + HIGH_WATER;
    this.#buffers = new BatchBuffers(this.#native, options.batchBytes ?? DEFAULT_BATCH_BYTES, maxBuffers);
    this.#watchListeners();
  }

  // A listener added for records starts delivery; any change to the 'record'
  // listeners retakes their copy (see #recordListeners).
  readonly #onNewListener = (event: string | symbol): void => {
    if (event === 'record') this.#recordSnapshot = undefined;
    if (event === 'batch' || event === 'record') this.#schedule();
  };
  readonly #onRemoveListener = (event: string | symbol): void => {
    if (event === 'record') this.#recordSnapshot = undefined;
  };

  #watchListeners(): void {
    // Typed emitters leave 'newListener' out of their event map.
    const emitter = this as EventEmitter;
    if (!emitter.listeners('newListener').includes(this.#onNewListener)) emitter.on('newListener', this.#onNewListener);
    if (!emitter.listeners('removeListener').includes(this.#onRemoveListener)) emitter.on('removeListener', this.#onRemoveListener);
  }

  /**
   * As EventEmitter's `removeAllListeners`; the client keeps its own watch on
   * listeners, so one added afterwards still starts delivery.
   */
  override removeAllListeners(...args: Parameters<EventEmitter<LiveThreadedEvents>['removeAllListeners']>): this {
    super.removeAllListeners(...args);
    this.#recordSnapshot = undefined;
    this.#watchListeners();
    return this;
  }

  /**
   * Adds a subscription and returns its id (1, 2, …). Before {@link start}
   * it is sent once connected; afterwards at once (no replay `start` then).
   * Throws {@link InvalidArgumentError} for an invalid request.
   */
  subscribe(request: SubscriptionRequest): number {
    return this.#session.subscribe(request, this.#halted());
  }

  /**
   * Connects, authenticates, sends the subscriptions and starts the session
   * on the native thread. Resolves with the session's metadata; rejects
   * with a {@link LiveError} (`AUTH_FAILED`, `CONNECT_FAILED`, …).
   */
  start(): Promise<Metadata> {
    if (this.#start) return this.#start.promise;
    if (this.#state === 'closing' || this.#state === 'closed') {
      return Promise.reject(this.#session.closedError());
    }
    if (this.#state !== 'idle') {
      return Promise.reject(new LiveError('The live client was already started', 'INVALID_STATE'));
    }
    const start = new Deferred<Metadata>();
    this.#session.connecting();
    try {
      this.#buffers.start();  // kept across reconnections
      this.#native.start(this.#onWake);
    } catch (e) {
      return Promise.reject(e);
    }
    this.#state = 'starting';
    this.#start = start;
    const site = callSite(this.start);
    const started = start.promise.catch((e: unknown) => {
      throw withCallSite(e, site);
    });
    started.catch(() => {});  // as the Deferred's own: not an unhandled rejection if ignored
    return started;
  }

  /**
   * Stops the session: the native thread ends, queued records are dropped,
   * iterators finish, `close` is emitted. No `record` or `batch` event
   * follows once it returns, even when called inside a listener.
   * Idempotent; resolves once closed.
   */
  close(): Promise<void> {
    this.#closed ??= new Deferred<void>();
    if (this.#state === 'closing' || this.#state === 'closed') return this.#closed.promise;
    this.#state = 'closing';
    clearTimeout(this.#restartTimer);
    this.#restartTimer = undefined;
    this.#inbox.length = 0;
    this.#cursor = undefined;
    const endFollows = this.#native.close();
    if (endFollows) {
      this.#schedule();  // pulls the end item
    } else {
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
    return this;
  }

  /** Resumes delivery after {@link pause}. */
  resume(): this {
    this.#userPaused = false;
    this.#schedule();
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
    this.#slice?.unref();
    return this;
  }

  /** Undoes {@link unref}. */
  ref(): this {
    this.#referenced = true;
    this.#native.ref();
    this.#restartTimer?.ref();
    this.#slice?.ref();
    return this;
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

  /**
   * Batches read from the socket on this thread's event loop (a quiet feed's)
   * rather than by the native thread. A diagnostic.
   * @internal
   */
  get batchesReadOnLoop(): number {
    return this.#native.batchesReadHere();
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
   * session's {@link LiveError} if it fails. Leaving the loop early
   * (`break`, `return`, a throw) closes the client, as with Node streams.
   * Slower per record than {@link batches}, which avoids a promise per record.
   */
  async *records(): AsyncGenerator<AnyRecord, void, undefined> {
    for await (const batch of this.batches()) yield* batch;
  }

  /**
   * Every batch of records, in order; each iterator gets every batch.
   * Leaving the loop early (`break`, `return`, a throw) closes the client.
   */
  batches(): AsyncIterableIterator<RecordBatch> {
    const sink = new BatchSink();
    if (this.#state === 'closed') sink.end(this.#finalError ?? this.#session.abortError);
    else this.#sinks.add(sink);
    const detach = (): void => {
      this.#sinks.delete(sink);
      this.#schedule();
    };
    this.#schedule();
    return sink.iterator(() => this.#schedule(), detach, () => this.close());
  }

  // -- native events ---------------------------------------------------------

  /** Handles one queued item; false to end the slice (let awaiting code run first). */
  #onItem(item: NativeLiveItem): boolean {
    switch (item[0]) {
      case EVENT_METADATA:
        return this.#onMetadata(item[1]);
      case EVENT_ERROR:
        this.#onError(item[1]);
        return true;
      case EVENT_END:
        this.#onEnd();
        return false;
    }
  }

  #onMetadata(started: NativeStarted): boolean {
    if (this.#halted()) return true;
    const metadata = this.#session.started(started);
    this.#state = 'streaming';
    const reconnected = this.#session.reconnect?.restarted(metadata.start, this.#native.sessionId());
    if (reconnected) this.emit('reconnect', reconnected);
    const start = this.#start;
    this.#start = undefined;
    start?.resolve(metadata);
    this.emit('metadata', metadata);
    // Yield: code awaiting start() attaches its consumers before records flow.
    return false;
  }

  #onBatch(slot: number): void {
    if (this.#halted()) {
      this.#native.giveBack(slot);
      return;
    }
    // Before delivery: the symbol map already knows the batch's own mappings.
    this.#inbox.push({ batch: this.#session.batch(this.#buffers.batch(slot)), slot });
    this.#buffers.grow(this.#inbox.length);
  }

  #onError(error: LiveError): void {
    if (this.#state === 'closing' || this.#state === 'closed') return;
    const start = this.#start;
    if (start) {
      // The first start failed: no reconnection, the caller gets the error.
      this.#start = undefined;
      this.#finalError = this.#session.failed(error);
      start.reject(error);
      return;
    }
    const delay = this.#session.reconnect?.failed(error, this.#native.lastTsEvent());
    if (delay !== undefined) {
      this.#restartDelay = delay;
      this.#state = 'reconnecting';
      return;  // restarted once the thread has ended (#onEnd)
    }
    this.#fail(error);
  }

  #onEnd(): void {
    if (this.#state === 'reconnecting') {
      this.#restartTimer = setTimeout(() => {
        this.#restartTimer = undefined;
        if (this.#state !== 'reconnecting') return;
        try {
          this.#native.restart(this.#onWake);
        } catch (e) {
          this.#fail(e as LiveError);
          this.#finish();
        }
      }, this.#restartDelay);
      if (!this.#referenced) this.#restartTimer.unref();
      return;
    }
    this.#finish();
  }

  /** A terminal failure: reported to whoever can take it. */
  #fail(error: LiveError): void {
    this.#finalError = this.#session.failed(error);
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
    this.#session.dispose();
    this.#inbox.length = 0;
    this.#buffers.clear();
    this.#cursor = undefined;
    if (this.#slice) clearImmediate(this.#slice);
    this.#slice = undefined;
    const start = this.#start;
    this.#start = undefined;
    start?.reject(
      this.#session.abortError ?? this.#finalError ?? new LiveError('The live client was closed before the session started', 'ABORTED'),
    );
    for (const sink of this.#sinks) sink.end(this.#session.abortError);
    this.#sinks.clear();
    this.#closed ??= new Deferred<void>();
    this.#closed.resolve();
    this.emit('close');
  }

  // -- delivery ---------------------------------------------------------------
  //
  // Records are delivered in slices, one per turn of the event loop (from
  // setImmediate), each bounded by SLICE_MS: however slow the consumer, timers
  // and I/O keep their turn. A slice first delivers what JS holds, then pulls
  // from the native queue while the consumers have room. When the queue is
  // empty the native side wakes us on its next item; when the consumers are
  // full (or paused) they schedule the next slice as they free up. A listener
  // that throws ends the slice: the exception reaches 'uncaughtException' as
  // with any event source, and the next slice carries on with the next record.

  #schedule(): void {
    if (this.#slice || this.#state === 'closed') return;
    this.#slice = setImmediate(this.#runSlice);
    if (!this.#referenced) this.#slice.unref();
  }

  readonly #runSlice = (): void => {
    this.#slice = undefined;
    let more = true;
    try {
      more = this.#deliverSlice(performance.now() + SLICE_MS);
    } finally {
      if (more) this.#schedule();
    }
  };

  #halted(): boolean {
    return this.#state === 'closing' || this.#state === 'closed';
  }

  #hasConsumers(): boolean {
    return this.#sinks.size > 0 || this.listenerCount('batch') > 0 || this.listenerCount('record') > 0;
  }

  /** Whether JS may take another batch from the native queue. */
  #hasRoom(): boolean {
    if (this.#halted()) return true;  // draining to the end item; batches are dropped natively
    if (this.#userPaused || this.#inbox.length >= HIGH_WATER) return false;
    for (const sink of this.#sinks) if (sink.queue.length >= HIGH_WATER) return false;
    return true;
  }

  /** One slice; returns whether another should follow at once. */
  #deliverSlice(deadline: number): boolean {
    for (;;) {
      if (this.#state === 'closed') return false;
      if (!this.#deliverHeld(deadline)) return true;
      if (!this.#hasRoom()) return false;  // the consumers schedule us when they have room
      const item = this.#native.next(this.#buffers.info);
      if (item === null) return false;  // the native side wakes us
      if (typeof item === 'number') this.#onBatch(item);
      else if (!this.#onItem(item)) return true;
      if (performance.now() > deadline) return true;
    }
  }

  /**
   * A copy of the 'record' listeners (once-wrappers included), as emit()
   * takes one per call: a listener added or removed inside a listener takes
   * effect from the next record on.
   */
  #recordListeners(): ((record: AnyRecord) => void)[] {
    const listeners = (this as EventEmitter).rawListeners('record') as ((record: AnyRecord) => void)[];
    this.#recordSnapshot = listeners;
    return listeners;
  }

  /** Delivers the batches JS holds; false when the slice's time ran out first. */
  #deliverHeld(deadline: number): boolean {
    while (this.#inbox.length > 0 && !this.#userPaused && !this.#halted() && this.#hasConsumers()) {
      const head = this.#inbox[0]!;
      if (!this.#batchEmitted) {
        this.#batchEmitted = true;
        // Batch listeners and iterators may keep the batch: they get a copy.
        // Records alone are views valid during their listener: the lent
        // buffer goes back once they are delivered.
        const kept = this.#sinks.size > 0 || this.listenerCount('batch') > 0;
        const batch = kept ? this.#buffers.copy(head) : head.batch;
        // Set first: if a batch listener throws, the records still follow.
        this.#cursor = this.listenerCount('record') > 0 ? new RecordCursor(batch) : undefined;
        this.#recordSnapshot = undefined;
        for (const sink of this.#sinks) sink.push(batch);
        if (this.listenerCount('batch') > 0) this.emit('batch', batch);
      }
      const cursor = this.#cursor;
      if (cursor) {
        let n = 0;
        for (let rec = cursor.next(); rec !== undefined; rec = cursor.next()) {
          // As emit('record', rec), without its per-call work.
          const listeners = this.#recordSnapshot ?? this.#recordListeners();
          for (let i = 0; i < listeners.length; i++) listeners[i]!.call(this, rec);
          // pause() and close() inside a listener take effect at once.
          if (this.#userPaused || this.#halted()) return true;
          if ((++n & 63) === 0 && performance.now() > deadline) return false;
        }
        this.#cursor = undefined;
      }
      if (this.#halted()) return true;
      this.#inbox.shift();
      this.#buffers.done(head);
      this.#batchEmitted = false;
      if (performance.now() > deadline) return false;
    }
    return true;
  }
}
