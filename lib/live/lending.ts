/**
 * The buffers the live client lends its native session thread, which
 * decodes batches straight into them: a batch is written once, where JS
 * reads it.
 * @internal
 * @module
 */
import { markAsUntransferable } from 'node:worker_threads';
import { RecordBatch } from '../dbn/batch.js';
import { reusedBuffers } from '../records/base.js';
import { BATCH_BYTES, BATCH_COUNT, BATCH_QUEUED, BATCH_SYMBOL_MAPPINGS, type NativeLiveBatch, type NativeLiveThreaded } from './native.js';

/** A batch in a lent buffer, from next() until its delivery is over. */
export interface LentBatch {
  batch: RecordBatch;
  slot: number;
}

/** Default batch buffer size: the native default (LiveThreaded::kDefaultBatchBytes). */
export const DEFAULT_BATCH_BYTES = 64 * 1024;

// Buffers lent at start: one being filled, one with JS, one to spare. More
// follow only when the native queue fills (see grow): a consumer that keeps
// up never pins the whole bound.
const INITIAL_BUFFERS = 3;

export class BatchBuffers {
  readonly #native: NativeLiveThreaded;
  readonly #size: number;
  readonly #max: number;
  #lent = 0;  // buffers the native side holds: free, being filled, queued or with JS
  readonly #bySlot = new Map<number, ArrayBuffer>();
  /** What next() writes for a batch. */
  readonly info = new Float64Array(4);

  /** Lends buffers of `size` bytes, `max` at most. */
  constructor(native: NativeLiveThreaded, size: number, max: number) {
    this.#native = native;
    this.#size = size;
    this.#max = max;
  }

  /** Lends the first buffers. */
  start(): void {
    this.#lend(Math.min(INITIAL_BUFFERS, this.#max));
  }

  /** The batch next() returned as `slot` (its figures in {@link info}). */
  batch(slot: number): NativeLiveBatch {
    const info = this.info;
    return {
      buffer: this.#bySlot.get(slot)!,
      byteLength: info[BATCH_BYTES]!,
      count: info[BATCH_COUNT]!,
      symbolMappings: info[BATCH_SYMBOL_MAPPINGS]!,
    };
  }

  /**
   * After a batch was taken, `held` batches being with JS: if the native
   * side may have no free buffer left, lend another (up to the maximum), so
   * the queue absorbs a consumer's hiccups before TCP pushes back.
   */
  grow(held: number): void {
    if (this.#lent < this.#max && this.info[BATCH_QUEUED]! + held >= this.#lent - 1) this.#lend(1);
  }

  /** The client closed: the native side let every buffer go. */
  clear(): void {
    this.#bySlot.clear();
  }

  #lend(count: number): void {
    for (let i = 0; i < count; i++) {
      // V8-allocated (never external: Electron forbids those), uninitialized:
      // the session thread overwrites what it hands over.
      const buffer = Buffer.allocUnsafeSlow(this.#size).buffer;
      // Its records are delivered to `record` listeners only, as views valid
      // during the listener; kept records must be copies.
      reusedBuffers.add(buffer);
      // Never detached by postMessage or structuredClone (copied instead, or
      // refused): the session thread may be writing into it.
      markAsUntransferable(buffer);
      const slot = this.#native.lend(buffer);
      if (slot === 0) return;  // closed
      this.#bySlot.set(slot, buffer);
      this.#lent++;
    }
  }

  /**
   * The batch's delivery is over: its buffer may be filled again (unless it
   * was detached meanwhile: that one is never written to again).
   */
  done(lent: LentBatch): void {
    if (lent.batch.buffer.byteLength === this.#size) {
      this.#native.giveBack(lent.slot);
    } else {
      this.#forget(lent.slot);
      this.#lend(1);
    }
  }

  /**
   * The batch for where the user may keep it (batch listeners, iterators): a
   * copy of its records in a buffer of their size. The lent buffer goes back
   * once delivery is over, as for any batch, so the queue's bound counts the
   * batches JS holds. Handing the lent buffer over instead (and lending a new
   * one) would save the copy but cost memory: a lent buffer outlives young
   * garbage collections, so once let go it waits for a full one, and under
   * load several MiB of them piled up per client.
   */
  copy(lent: LentBatch): RecordBatch {
    const b = lent.batch;
    // Not buffer.slice(), which zero-fills its new buffer before copying.
    const bytes = Buffer.allocUnsafeSlow(b.byteLength);
    bytes.set(b.bytes());
    return new RecordBatch(bytes.buffer, b.count, b.version, b.tsOut);
  }

  #forget(slot: number): void {
    this.#native.keep(slot);
    this.#bySlot.delete(slot);
    this.#lent--;
  }
}
