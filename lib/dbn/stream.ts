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

  constructor(options?: DecoderOptions) {
    super({ readableObjectMode: true });
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
  override _flush(done: TransformCallback): void {
    try {
      this.#decoder.end();
      done();
    } catch (e) {
      done(e as Error);
    }
  }

  #deliver(batch: RecordBatch | null, done: TransformCallback): void {
    if (!this.#announced && this.#decoder.metadata) {
      this.#announced = true;
      this.emit('metadata', this.#decoder.metadata);
    }
    if (batch) this.push(batch);
    done();
  }
}
