/**
 * Streaming DBN decoder: bytes in, records out.
 * @module
 */
import { native, type NativeDecoder } from '../native.js';
import { RecordBatch } from './batch.js';
import { metadataFromNative, type Metadata } from './metadata.js';
import { nativeDecoderOptions, type DecoderOptions } from './options.js';

/**
 * Decodes a DBN stream pushed in chunks split anywhere — mid-header,
 * mid-record, mid-zstd-frame. Plain and zstd-compressed input are told apart
 * by their first bytes. Each {@link write} returns the records the chunk
 * completed, and {@link read} any more of them; {@link end} checks the stream
 * did not stop half-way.
 *
 * Memory stays bounded whatever the input claims: zstd input is decompressed
 * only about 4 MiB ahead of what has been read (a chunk that expands beyond
 * that hands out its records through {@link read}), and a metadata header
 * longer than `maxMetadataBytes` is refused from its length field.
 *
 * ```ts
 * const decoder = new DbnDecoder();
 * for await (const chunk of response.body) {
 *   for (let batch = decoder.write(chunk); batch; batch = decoder.read()) {
 *     for (const rec of batch) handle(rec);
 *   }
 * }
 * decoder.end();
 * ```
 */
export class DbnDecoder {
  readonly #native: NativeDecoder;
  #metadata: Metadata | undefined;
  #version = 0;
  #tsOut = false;
  #pending: unknown;

  constructor(options?: DecoderOptions) {
    this.#native = new native.NativeDecoder(nativeDecoderOptions(options));
    if (options?.fragment) {
      this.#readVersions();
    }
  }

  /** The metadata header, once it has been decoded; always undefined for fragments. */
  get metadata(): Metadata | undefined {
    return this.#metadata;
  }

  /** DBN version of the records handed out (0 until the header is decoded). */
  get version(): number {
    return this.#version;
  }

  /**
   * Feeds a chunk and returns the first batch of records it completed, or
   * null if none; {@link read} returns the rest. Throws {@link DbnError} on
   * input that cannot be DBN; records decoded before a corrupt one are
   * returned first and the error comes on the next call.
   */
  write(chunk: Uint8Array): RecordBatch | null {
    this.#throwPending();
    try {
      this.#native.write(chunk);
    } catch (e) {
      return this.#collect(e);
    }
    return this.#collect(undefined);
  }

  /**
   * {@link write} with the decompression and decoding done on a native worker
   * thread, so the JS thread stays free (e.g. to receive the next network
   * chunk). One call at a time: await it before using the decoder again.
   * `chunk` must not be modified until the promise settles.
   */
  async writeAsync(chunk: Uint8Array): Promise<RecordBatch | null> {
    this.#throwPending();
    try {
      await this.#native.writeAsync(chunk);
    } catch (e) {
      return this.#collect(e);
    }
    return this.#collect(undefined);
  }

  /**
   * The next batch of records the chunks written so far completed, or null
   * once every one has been handed out. Call it after each write until it
   * returns null: a zstd chunk that decompresses to more than about 4 MiB is
   * decompressed a batch at a time, as it is read.
   */
  read(): RecordBatch | null {
    this.#throwPending();
    if (this.#version === 0) return null;
    const batch = this.#native.read();
    return batch && RecordBatch.fromNative(batch, this.#version, this.#tsOut);
  }

  /** Hands out what the last write completed; a write error follows the records decoded before it. */
  #collect(error: unknown): RecordBatch | null {
    if (this.#version === 0) {
      const md = this.#native.metadata();
      if (md !== undefined) {
        this.#metadata = metadataFromNative(md);
        this.#readVersions();
      }
    }
    const batch = this.#version === 0 ? null : this.#native.read();
    if (error !== undefined) {
      if (batch === null) throw error;
      this.#pending = error;
    }
    return batch && RecordBatch.fromNative(batch, this.#version, this.#tsOut);
  }

  /**
   * Declares the end of the input. Throws {@link DbnError} (`TRUNCATED_HEADER`,
   * `TRUNCATED_RECORD`) if it stopped inside the header, a record or a zstd
   * frame, and `BAD_ARGUMENT` if records are still unread ({@link read}).
   */
  end(): void {
    this.#throwPending();
    this.#native.finish();
  }

  #throwPending(): void {
    if (this.#pending !== undefined) {
      const error = this.#pending;
      this.#pending = undefined;
      throw error;
    }
  }

  #readVersions(): void {
    const v = this.#native.versions();
    this.#version = v.outputVersion;
    this.#tsOut = v.tsOut;
  }
}
