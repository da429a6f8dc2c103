/**
 * DBN decoding as a Node stream.
 * @module
 */
import { Transform, type TransformCallback } from 'node:stream';
import type { DbnError } from '../errors.js';
import type { RecordBatch } from './batch.js';
import { DbnDecoder } from './decoder.js';
import type { Metadata } from './metadata.js';
import type { DecoderOptions } from './options.js';

/**
 * A Transform stream from DBN bytes (plain or zstd) to {@link RecordBatch}es,
 * decoding on a native thread. It emits `'metadata'` (with the
 * {@link Metadata}) once the header is decoded, before the first batch, and
 * fails with a {@link DbnError} on corrupt or truncated input. Backpressure
 * works as for any stream: a slow reader pauses the source.
 *
 * ```ts
 * await pipeline(createReadStream('trades.dbn.zst'), new DbnDecodeStream(), async (batches) => {
 *   for await (const batch of batches) for (const rec of batch) console.log(rec.ts_event);
 * });
 * ```
 */
export class DbnDecodeStream extends Transform {
  readonly #decoder: DbnDecoder;
  #announced = false;
  #resume: (() => void) | undefined;

  constructor(options?: DecoderOptions) {
    // Two batches buffered keep a reader busy; each is at most ~4 MiB,
    // however far a zstd chunk expands.
    super({ readableObjectMode: true, readableHighWaterMark: 2 });
    this.#decoder = new DbnDecoder(options);
  }

  /** The metadata header, once decoded. */
  get metadata(): Metadata | undefined {
    return this.#decoder.metadata;
  }

  /** @internal */
  override _transform(chunk: Buffer | Uint8Array, _encoding: BufferEncoding, done: TransformCallback): void {
    this.#decoder.writeAsync(chunk).then((batch) => this.#deliver(batch, done), done);
  }

  /** @internal */
  override _read(size: number): void {
    const resume = this.#resume;
    this.#resume = undefined;
    resume?.();
    // Once the chunk is delivered, let Transform take the next one.
    if (!this.#resume) super._read(size);
  }

  /** @internal */
  override _flush(done: TransformCallback): void {
    try {
      this.#decoder.end();
      done();
    } catch (e) {
      done(e as Error);
    }
  }

  /**
   * Pushes the chunk's batches, pausing while the reader is behind: a zstd
   * chunk that expands far is decompressed only as fast as it is read.
   */
  #deliver(first: RecordBatch | null, done: TransformCallback): void {
    if (!this.#announced && this.#decoder.metadata) {
      this.#announced = true;
      this.emit('metadata', this.#decoder.metadata);
    }
    let batch = first;
    try {
      while (batch) {
        if (!this.push(batch)) {
          this.#resume = () => this.#deliver(this.#decoder.read(), done);
          return;
        }
        batch = this.#decoder.read();
      }
    } catch (e) {
      done(e as Error);
      return;
    }
    done();
  }
}
