/**
 * A batch of records: one ArrayBuffer holding whole records back to back,
 * read through flyweight views (no per-record copies).
 * @module
 */
import { DbnError } from '../errors.js';
import { recordClassFor, recordSize, UnknownRecord, type AnyRecord, type RecordClass } from '../generated/records.js';
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
    return new RecordWalker(this);
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
    const it = new RecordWalker(this);
    let n = 0;
    for (let r = it.next(); !r.done; r = it.next()) {
      n++;
      if (fn(r.value) === false) break;
    }
    return n;
  }
}

/**
 * Walks the records of one batch, or of a sequence of batches. A plain
 * iterator object rather than a generator: this is the innermost loop of
 * every read, and it stays on V8's fast path.
 */
export class RecordWalker implements Iterator<AnyRecord> {
  #view: DataView;
  #version: number;
  #offset = 0;
  #head = -1;
  #cls: RecordClass = UnknownRecord;
  readonly #batches: Iterator<RecordBatch> | undefined;

  /** Walks `batch`, then every batch `more` yields. */
  constructor(batch: RecordBatch | undefined, more?: Iterator<RecordBatch>) {
    this.#view = batch?.view ?? EMPTY_VIEW;
    this.#version = batch?.version ?? 3;
    this.#batches = more;
  }

  next(): IteratorResult<AnyRecord> {
    let offset = this.#offset;
    let view = this.#view;
    while (offset >= view.byteLength) {
      const b = this.#batches?.next();
      if (!b || b.done) return { done: true, value: undefined };
      view = this.#view = b.value.view;
      this.#version = b.value.version;
      this.#head = -1;
      offset = 0;
    }
    const head = view.getUint16(offset, true); // hd.length, then rtype
    const length = (head & 0xff) * 4;
    // Batches are mostly one layout: look the class up only when the header's
    // (length, rtype) pair changes, so a record is never viewed with the class
    // of a longer record of its rtype.
    if (head !== this.#head) {
      this.#cls = viewClass(view, offset, this.#version);
      this.#head = head;
    }
    if (offset + length > view.byteLength) throw pastEnd(view, offset);
    this.#offset = offset + length;
    return { done: false, value: new this.#cls(view, offset) };
  }

  return(): IteratorResult<AnyRecord> {
    this.#batches?.return?.();
    return { done: true, value: undefined };
  }

  [Symbol.iterator](): Iterator<AnyRecord> {
    return this;
  }
}

const EMPTY_VIEW = new DataView(new ArrayBuffer(0));

function pastEnd(view: DataView, offset: number): DbnError {
  const length = view.getUint8(offset) * 4;
  return new DbnError(`record at byte ${offset} of the batch has length ${length} but only ${view.byteLength - offset} bytes are left`, 'BAD_RECORD_LENGTH');
}

/**
 * The view class for the record at `offset`, or a DbnError for a record no
 * view can read safely. The decoder rejects such records already; a batch
 * built by hand (`new RecordBatch(...)`) can still hold them.
 */
function viewClass(view: DataView, offset: number, version: number): RecordClass {
  const length = view.getUint8(offset) * 4;
  const rtype = view.getUint8(offset + 1);
  if (length < 16) {
    // Walking on would never end.
    throw new DbnError(`record at byte ${offset} of the batch has length ${length} (a record is at least 16 bytes)`, 'BAD_RECORD_LENGTH');
  }
  const cls = recordClassFor(rtype, version, length);
  const size = recordSize(rtype, version);
  if (cls === UnknownRecord && size !== undefined) {
    // A known rtype too short for any of its layouts: an UnknownRecord view
    // would claim an rtype whose fields it cannot give.
    throw new DbnError(
      `record at byte ${offset} of the batch (rtype 0x${rtype.toString(16).padStart(2, '0')}) has ${length} bytes but its DBN v${version} layout needs ${size}`,
      'BAD_RECORD_LENGTH',
    );
  }
  return cls;
}
