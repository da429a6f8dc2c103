/**
 * The live part of the addon, as the facade sees it.
 * @internal
 * @module
 */
import { native, type NativeBatch, type NativeMetadata } from '../native.js';
import type { LiveError } from '../errors.js';
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

/** Event kinds of the threaded client's callback. */
export const EVENT_METADATA = 0;
export const EVENT_BATCH = 1;
export const EVENT_ERROR = 2;
export const EVENT_END = 3;

/**
 * Called on the JS thread for each queued item; returning `false` yields the
 * rest of the queue to a later turn of the event loop.
 */
export type NativeLiveCallback = (
  kind: number,
  payload?: NativeStarted | NativeLiveBatch | LiveError,
) => boolean | undefined;

export interface NativeLiveThreaded {
  subscribe(sub: NativeSubscription): number;
  start(callback: NativeLiveCallback): void;
  restart(callback: NativeLiveCallback): void;
  pause(): void;
  resume(): void;
  /** Returns whether an end event will follow. */
  close(): boolean;
  ref(): void;
  unref(): void;
  sessionId(): string;
  subscriptions(): NativeSubscriptionOut[];
  lastTsEvent(): bigint | null;
  queuedBatches(): number;
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
