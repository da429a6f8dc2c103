/**
 * Live streaming from Databento's live subscription gateway.
 *
 * - {@link LiveThreaded}: a native thread streams; records arrive as events,
 *   batches or through `for await`, with backpressure.
 * - {@link LiveBlocking}: pull records when you want them, synchronously (in
 *   a worker thread) or with a Promise.
 *
 * @module
 */
export { LiveThreaded, type LiveThreadedEvents } from './threaded.js';
export { LiveBlocking, type LiveBlockingEvents } from './blocking.js';
export type {
  LiveOptions,
  LiveThreadedOptions,
  ReconnectEvent,
  ReconnectPolicy,
  Subscription,
  SubscriptionRequest,
} from './options.js';
