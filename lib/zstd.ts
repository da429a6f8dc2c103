/**
 * Plain zstd streams over the addon's libzstd, for bodies that are not DBN
 * (the reference API's JSON lines) and for the mocks that serve them.
 * @internal
 * @module
 */
import { native, type NativeZstdCompressor, type NativeZstdDecompressor } from './native.js';

/** Output window of a decompressor: what one step may expand to, whatever the input. */
const WINDOW_BYTES = 256 * 1024;

/** A streaming zstd decompressor whose memory is bounded by its output window. */
export class ZstdDecompressStream {
  readonly #native: NativeZstdDecompressor = new native.NativeZstdDecompressor();
  readonly #window: Uint8Array;

  constructor(windowBytes = WINDOW_BYTES) {
    this.#window = new Uint8Array(windowBytes);
  }

  /**
   * Decompresses `input`, yielding the output window by window. Each view is
   * overwritten by the next step: use it before asking for the next one.
   * Throws `DbnError` `ZSTD_CORRUPT` on data that is not zstd.
   */
  *decompress(input: Uint8Array): Generator<Uint8Array, void, undefined> {
    let at = 0;
    for (;;) {
      const [consumed, produced] = this.#native.decompressInto(at === 0 ? input : input.subarray(at), this.#window);
      at += consumed;
      if (produced > 0) yield this.#window.subarray(0, produced);
      // A full window may leave output pending inside zstd even once the input is used up.
      if (at >= input.length && produced < this.#window.length) return;
    }
  }

  /** True when the input so far ends exactly at the end of a zstd frame (or there was none). */
  get atFrameBoundary(): boolean {
    return this.#native.atFrameBoundary();
  }
}

/** A streaming zstd compressor producing one frame. */
export class ZstdCompressStream {
  readonly #native: NativeZstdCompressor;

  constructor(level = 3) {
    this.#native = new native.NativeZstdCompressor(level);
  }

  /** Compresses `bytes`; returns what is ready so far (often nothing). */
  write(bytes: Uint8Array): Uint8Array {
    return this.#native.compress(bytes);
  }

  /** Ends the frame and returns the rest of it. */
  end(): Uint8Array {
    return this.#native.end();
  }
}

/** `bytes` compressed as one zstd frame. */
export function zstdCompress(bytes: Uint8Array, level = 3): Uint8Array {
  const z = new ZstdCompressStream(level);
  const head = z.write(bytes);
  const tail = z.end();
  return Buffer.concat([head, tail]);
}
