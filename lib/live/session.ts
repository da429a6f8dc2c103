/**
 * What both live clients share: the validated options, the abort wiring, the
 * session's layout and symbol map, the getters, and the reconnect policy.
 * @internal
 * @module
 */
import { LiveError } from '../errors.js';
import { RecordBatch } from '../dbn/batch.js';
import { metadataFromNative, type Metadata } from '../dbn/metadata.js';
import { RType } from '../generated/enums.js';
import { PitSymbolMap } from '../symbology/pit-symbol-map.js';
import type { NativeLiveBatch, NativeStarted } from './native.js';
import {
  isRetriable,
  liveClientSetup,
  nativeSubscription,
  subscriptionFromNative,
  type LiveThreadedOptions,
  type NativeLiveOptions,
  type NativeSubscription,
  type NativeSubscriptionOut,
  type ReconnectEvent,
  type ResolvedReconnect,
  type Subscription,
  type SubscriptionRequest,
} from './options.js';
import { abortError } from './util.js';
import { logGatewayMessages, type LiveLog } from '../log.js';

/** The part of either native client the session helper uses. */
interface NativeSessionInfo {
  subscribe(sub: NativeSubscription): number;
  sessionId(): string;
  subscriptions(): NativeSubscriptionOut[];
  lastTsEvent(): bigint | null;
}

/** One live client's session state. */
export class LiveSession<N extends NativeSessionInfo> {
  /** instrument_id → symbol, kept current from the SymbolMappingMsg records received. */
  readonly symbolMap = new PitSymbolMap();
  readonly dataset: string;
  readonly native: N;
  /** The reconnect policy's bookkeeping; undefined without a policy. */
  readonly reconnect: ReconnectTracker | undefined;
  /** Set once the AbortSignal fired. */
  abortError: LiveError | undefined;
  metadata: Metadata | undefined;
  #version = 3;
  #tsOut = false;
  readonly #signal: AbortSignal | undefined;
  readonly #onAbort: () => void;
  readonly #log: LiveLog;
  readonly #endpoint: { gateway: string; port: number };

  /**
   * Validates `options` (throws before any I/O), makes the native client
   * and calls `onAbort` when the options' signal fires.
   */
  constructor(options: LiveThreadedOptions, makeNative: (options: NativeLiveOptions) => N, onAbort: () => void) {
    const setup = liveClientSetup(options);
    this.dataset = setup.native.dataset;
    this.#log = setup.log;
    this.#endpoint = { gateway: setup.native.gateway, port: setup.native.port };
    this.reconnect = setup.reconnect && new ReconnectTracker(setup.reconnect, setup.log);
    this.native = makeNative(setup.native);
    this.#signal = setup.signal;
    this.#onAbort = () => {
      this.abortError = abortError(this.#signal);
      onAbort();
    };
    this.#signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  /** Validates and adds a subscription; `closed` makes it throw INVALID_STATE (or the abort error). */
  subscribe(request: SubscriptionRequest, closed: boolean): number {
    const sub = nativeSubscription(request);
    if (closed) throw this.closedError();
    const id = this.native.subscribe(sub);
    this.#log.subscribed(id, subscriptionFromNative({ ...sub, id }));
    return id;
  }

  /** The client is about to connect (logged unless it is connected already). */
  connecting(): void {
    if (!this.native.sessionId()) this.#log.connecting(this.dataset, this.#endpoint.gateway, this.#endpoint.port);
  }

  /** The session failed for good (logged); returns the error, for `throw session.failed(e)`. */
  failed<E>(error: E): E {
    if (error instanceof LiveError) this.#log.failed(error);
    return error;
  }

  /** The error of a call on a closed client. */
  closedError(): LiveError {
    return this.abortError ?? new LiveError('The live client is closed', 'INVALID_STATE');
  }

  /** A session (re)started: its metadata and the layout of the records that follow. */
  started(started: NativeStarted): Metadata {
    const metadata = metadataFromNative(started.metadata);
    this.metadata = metadata;
    this.#version = started.version;
    this.#tsOut = started.tsOut;
    this.#log.started(this.native.sessionId(), metadata.start);
    return metadata;
  }

  /** A batch from the native side; the symbol map learns its mappings before anyone reads it. */
  batch(raw: NativeLiveBatch): RecordBatch {
    const batch = new RecordBatch(raw.buffer, raw.count, this.#version, this.#tsOut, raw.byteLength);
    if (raw.symbolMappings > 0) {
      for (const rec of batch) {
        if (rec.rtype === RType.SymbolMapping) this.symbolMap.onRecord(rec);
      }
    }
    this.reconnect?.onData();
    logGatewayMessages(this.#log, batch);
    return batch;
  }

  get sessionId(): string | undefined {
    return this.native.sessionId() || undefined;
  }

  get subscriptions(): Subscription[] {
    return this.native.subscriptions().map(subscriptionFromNative);
  }

  /** The client is closed for good: no more abort wiring. */
  dispose(): void {
    this.#signal?.removeEventListener('abort', this.#onAbort);
    this.#log.closed();
  }
}

/**
 * Counts reconnection attempts until a session is healthy again. A session
 * is healthy once data (records or the gateway's heartbeats) still arrives
 * `healthyAfterMs` after it started; a session that fails before that does
 * not reset the count, so a gateway that accepts and then drops every
 * session exhausts `maxAttempts` instead of being retried forever.
 */
export class ReconnectTracker {
  readonly #policy: ResolvedReconnect;
  readonly #log: LiveLog;
  #attempt = 0;
  #outage: { error: LiveError; lastTs: bigint | null } | undefined;
  #restartedAt: number | undefined;  // when the last reconnection's session started, until healthy

  constructor(policy: ResolvedReconnect, log: LiveLog) {
    this.#policy = policy;
    this.#log = log;
  }

  /** The current attempt number (0 when healthy). */
  get attempt(): number {
    return this.#attempt;
  }

  /**
   * A session failed: the delay before the next attempt, or undefined to
   * give up (not retriable, or the attempts are exhausted).
   */
  failed(error: LiveError, lastTs: bigint | null): number | undefined {
    if (!isRetriable(error) || this.#attempt >= this.#policy.maxAttempts) return undefined;
    this.#attempt++;
    this.#restartedAt = undefined;
    this.#outage ??= { error, lastTs };
    const delay = this.#policy.delay(this.#attempt, this.#outage.error);
    this.#log.reconnecting(this.#attempt, this.#policy.maxAttempts, delay, error);
    return delay;
  }

  /** A session started again: the `reconnect` event to emit, if it ends an outage. */
  restarted(firstTs: bigint, sessionId: string): ReconnectEvent | undefined {
    const outage = this.#outage;
    if (!outage) return undefined;
    this.#outage = undefined;
    this.#restartedAt = performance.now();
    return { attempt: this.#attempt, error: outage.error, lastTs: outage.lastTs, firstTs, sessionId };
  }

  /** Data arrived: the session is healthy once it has flowed long enough. */
  onData(): void {
    if (this.#restartedAt !== undefined && performance.now() - this.#restartedAt >= this.#policy.healthyAfterMs) {
      this.#restartedAt = undefined;
      this.#attempt = 0;
    }
  }
}
