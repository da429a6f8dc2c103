/**
 * One async iterator's queue of batches, for {@link LiveThreaded.batches}.
 * @internal
 * @module
 */
import type { RecordBatch } from '../dbn/batch.js';
import type { LiveError } from '../errors.js';
import { Deferred } from './util.js';

export class BatchSink {
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

  /**
   * The iterator over this sink. `pulled`: the consumer took or awaits a
   * batch (the client may deliver more); `detach`: it is done with the sink;
   * `leave`: a loop was left early (the client closes).
   */
  iterator(pulled: () => void, detach: () => void, leave: () => Promise<void>): AsyncIterableIterator<RecordBatch> {
    const iterator: AsyncIterableIterator<RecordBatch> = {
      next: () => {
        const batch = this.queue.shift();
        if (batch) {
          pulled();
          return Promise.resolve({ value: batch, done: false });
        }
        if (this.done) {
          detach();
          if (this.error) {
            const e = this.error;
            this.error = undefined;  // thrown once
            return Promise.reject(e);
          }
          return Promise.resolve({ value: undefined, done: true });
        }
        this.waiter = new Deferred();
        pulled();
        return this.waiter.promise;
      },
      // Leaving a for-await loop early: the client closes, so nothing keeps
      // the process alive unnoticed.
      return: async () => {
        this.done = true;
        this.queue.length = 0;
        detach();
        await leave();
        return { value: undefined, done: true };
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }
}
