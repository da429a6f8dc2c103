/**
 * The live part of the addon, as the facade sees it.
 * @internal
 * @module
 */
import { native, type NativeBatch, type NativeMetadata } from '../native.js';
import type { LiveError } from '../errors.js';
import { LiveEventKind } from '../generated/errors.js';
import type { NativeLiveOptions, NativeSubscription, NativeSubscriptionOut } from './options.js';

/** A batch with the number of SymbolMappingMsg records in it. */
export interface NativeLiveBatch extends NativeBatch {
  symbolMappings: number;
}


/** What start() reports: the metadata and the layout of the records that follow. */
export interface NativeStarted {
  metadata: NativeMetadata;
  version: number;
  tsOut: boolean;
}

export interface NativeLiveBlocking {
  connect(): Promise<string>;
  subscribe(sub: NativeSubscription): number;
  start(): Promise<NativeStarted>;
  startSync(): NativeStarted;
  nextBatch(timeoutMs?: number): Promise<NativeLiveBatch | null>;
  nextBatchSync(timeoutMs?: number): NativeLiveBatch | null;
  reconnect(): Promise<string>;
  resubscribe(): void;
  close(): void;
  sessionId(): string;
  subscriptions(): NativeSubscriptionOut[];
  lastTsEvent(): bigint | null;
}

/** Kinds of the items the threaded client's queue holds (generated with the C++ enum). */
export const EVENT_METADATA = LiveEventKind.Metadata;
export const EVENT_BATCH = LiveEventKind.Batch;
export const EVENT_ERROR = LiveEventKind.Error;
export const EVENT_END = LiveEventKind.End;

/** One queued item other than a batch: [kind, payload]. */
export type NativeLiveItem =
  | [kind: typeof EVENT_METADATA, started: NativeStarted]
  | [kind: typeof EVENT_ERROR, error: LiveError]
  | [kind: typeof EVENT_END];

/** What next() writes for a batch, indexes into its Float64Array. */
export const BATCH_BYTES = 0;
export const BATCH_COUNT = 1;
export const BATCH_SYMBOL_MAPPINGS = 2;
export const BATCH_QUEUED = 3;

export interface NativeLiveThreaded {
  subscribe(sub: NativeSubscription): number;
  /** Starts the session thread; `wake` is called when an item arrives after next() returned null. */
  start(wake: () => void): void;
  restart(wake: () => void): void;
  /**
   * The next queued item, or null (the next item then calls `wake`). A batch
   * is the slot of the lent buffer holding it (a number), its figures
   * written to `info` (BATCH_BYTES, …): nothing is allocated per batch.
   */
  next(info: Float64Array): number | NativeLiveItem | null;
  /** A buffer for the session thread to decode batches into (it holds a reference); returns its slot (0 once closed). */
  lend(buffer: ArrayBuffer): number;
  /** A batch's records were delivered: its buffer may be filled again. */
  giveBack(slot: number): void;
  /** A batch's buffer stays with JS: the native side lets it go. */
  keep(slot: number): void;
  /** Returns whether an end item will follow. */
  close(): boolean;
  ref(): void;
  unref(): void;
  sessionId(): string;
  subscriptions(): NativeSubscriptionOut[];
  lastTsEvent(): bigint | null;
  queuedBatches(): number;
  /** How many batches the JS thread read from the socket itself (a quiet feed's). */
  batchesReadHere(): number;
}

export interface NativeLiveAddon {
  NativeLiveBlocking: new (options: NativeLiveOptions) => NativeLiveBlocking;
  NativeLiveThreaded: new (options: NativeLiveOptions) => NativeLiveThreaded;
  /** The core's SHA-256, lowercase hex (for tests). */
  liveSha256Hex(input: string | Uint8Array): string;
  /** The core's CRAM reply (for tests). */
  liveCramReply(challenge: string, key: string): string;
}

export const liveNative = native as unknown as NativeLiveAddon;
