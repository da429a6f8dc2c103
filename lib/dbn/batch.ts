/**
 * A batch of records: one ArrayBuffer holding whole records back to back,
 * read through flyweight views (no per-record copies).
 * @module
 */
import { recordClassFor, type AnyRecord, type RecordClass } from '../generated/records.js';
import type { NativeBatch } from '../native.js';

/**
 * Records as they cross from the native decoder: whole DBN records (header
 * included) packed back to back in one `ArrayBuffer`. Iterating yields a
 * typed view per record; views stay valid as long as you hold them (each
 * batch has its own buffer, never reused). The buffer can be transferred to
 * another thread (`postMessage(batch.buffer, [batch.buffer])`) and wrapped
 * there with `new RecordBatch(buffer, count, version, tsOut)`.
 */
export class RecordBatch implements Iterable<AnyRecord> {
  /** The records' bytes. */
  readonly buffer: ArrayBuffer;
  /** Number of records in the batch. */
  readonly count: number;
  /** DBN version of the record layouts (3 unless decoded with `upgradePolicy: 'as-is'`). */
  readonly version: number;
  /** Whether each record ends with an 8-byte `ts_out` gateway timestamp. */
  readonly tsOut: boolean;
  /** A DataView over the whole buffer, shared by the record views. */
  readonly view: DataView;

  constructor(buffer: ArrayBuffer, count: number, version: number, tsOut: boolean) {
    this.buffer = buffer;
    this.count = count;
    this.version = version;
    this.tsOut = tsOut;
    this.view = new DataView(buffer);
  }

  /** @internal */
  static fromNative(batch: NativeBatch, version: number, tsOut: boolean): RecordBatch {
    return new RecordBatch(batch.buffer, batch.count, version, tsOut);
  }

  /** Total bytes of the records. */
  get byteLength(): number {
    return this.buffer.byteLength;
  }

  /** The raw DBN bytes of all records in the batch. */
  bytes(): Uint8Array {
    return new Uint8Array(this.buffer);
  }

  /** Iterates over the records in order, one typed view each (`for (const rec of batch)`). */
  [Symbol.iterator](): Iterator<AnyRecord> {
    return new BatchIterator(this.view, this.version);
  }

  /** The records as an array of views. */
  records(): AnyRecord[] {
    return Array.from(this);
  }

  /**
   * Calls `fn` for every record; stops early when `fn` returns `false`.
   * Returns the number of records visited.
   */
  forEach(fn: (record: AnyRecord) => unknown): number {
    const it = new BatchIterator(this.view, this.version);
    let n = 0;
    for (let r = it.next(); !r.done; r = it.next()) {
      n++;
      if (fn(r.value) === false) break;
    }
    return n;
  }
}

/**
 * Walks the records of a batch. Hand-written rather than a generator: this is the innermost loop of every
 * read, and a plain iterator object stays on V8's fast path.
 */
export class BatchIterator implements Iterator<AnyRecord> {
  #offset = 0;
  #rtype = -1;
  #cls: RecordClass | undefined;

  private view: DataView;
  private version: number;

  constructor(view: DataView, version: number) {
    this.view = view;
    this.version = version;
  }

  /** Moves on to another batch (used by store iterators to avoid one iterator per batch). */
  reset(view: DataView, version: number): void {
    this.view = view;
    this.version = version;
    this.#offset = 0;
  }

  next(): IteratorResult<AnyRecord> {
    const view = this.view;
    const offset = this.#offset;
    if (offset >= view.byteLength) return { done: true, value: undefined };
    const length = view.getUint8(offset) * 4;
    const rtype = view.getUint8(offset + 1);
    // Batches are mostly one rtype: look the class up only when it changes.
    if (rtype !== this.#rtype) {
      this.#rtype = rtype;
      this.#cls = recordClassFor(rtype, this.version, length);
    }
    this.#offset = offset + length;
    return { done: false, value: new this.#cls!(view, offset) };
  }

  [Symbol.iterator](): Iterator<AnyRecord> {
    return this;
  }
}
