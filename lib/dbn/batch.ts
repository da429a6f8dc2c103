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
 * included) packed back to back in an `ArrayBuffer` (all of it, unless
 * constructed with a shorter {@link byteLength}). Iterating
 * (`for (const rec of batch)`, `records()`) yields a new typed view per
 * record, valid as long as you hold it (a batch you are given has its own
 * buffer, never reused); {@link forEach} is faster and re-points one view
 * per record layout. The buffer can be transferred to another thread
 * (`postMessage(batch.buffer, [batch.buffer])`) and wrapped there with
 * `new RecordBatch(buffer, count, version, tsOut)`.
 */
export class RecordBatch implements Iterable<AnyRecord> {
  /** The buffer holding the records: its first {@link byteLength} bytes. */
  readonly buffer: ArrayBuffer;
  /** Number of records in the batch. */
  readonly count: number;
  /** DBN version of the record layouts (3 unless decoded with `upgradePolicy: 'as-is'`). */
  readonly version: number;
  /** Whether each record ends with an 8-byte `ts_out` gateway timestamp. */
  readonly tsOut: boolean;
  /** A DataView over the records' bytes, shared by the record views. */
  readonly view: DataView;

  /**
   * @param byteLength how many bytes at the start of `buffer` hold the
   *   records (default: all of it).
   */
  constructor(buffer: ArrayBuffer, count: number, version: number, tsOut: boolean, byteLength?: number) {
    this.buffer = buffer;
    this.count = count;
    this.version = version;
    this.tsOut = tsOut;
    this.view = byteLength === undefined ? new DataView(buffer) : new DataView(buffer, 0, byteLength);
  }

  /** @internal */
  static fromNative(batch: NativeBatch, version: number, tsOut: boolean): RecordBatch {
    return new RecordBatch(batch.buffer, batch.count, version, tsOut, batch.byteLength);
  }

  /** Number of records in the batch (the same as {@link count}, as for an array). */
  get length(): number {
    return this.count;
  }

  /** Total bytes of the records. */
  get byteLength(): number {
    return this.view.byteLength;
  }

  /** The raw DBN bytes of all records in the batch (a view of the buffer, not a copy). */
  bytes(): Uint8Array {
    return new Uint8Array(this.buffer, 0, this.view.byteLength);
  }

  /**
   * Iterates over the records in order, a new typed view each
   * (`for (const rec of batch)`). The iterator refills one result object, so
   * read `result.value` before calling `next()` again (as `for...of` does).
   */
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
   *
   * The fast path: `fn` gets one view object per view class, re-pointed
   * to each record in turn, so a view is valid only until `fn` returns. To
   * keep a record, keep `rec.clone()` (a view of its own) or `rec.bytes()`.
   */
  forEach(fn: (record: AnyRecord) => unknown): number {
    const view = this.view;
    const end = view.byteLength;
    const cursors = new CursorCache(view, this.version);
    let head = -1;
    let rec: AnyRecord | undefined;
    let n = 0;
    for (let offset = 0; offset < end; ) {
      const h = view.getUint16(offset, true); // hd.length, then rtype
      const next = offset + (h & 0xff) * 4;
      if (h !== head) {
        rec = cursors.at(offset);
        head = h;
      }
      if (next > end) throw pastEnd(view, offset);
      rec!._o = offset;
      n++;
      if (fn(rec!) === false) break;
      offset = next;
    }
    return n;
  }
}

/**
 * @internal The records of one batch, one view per view class re-pointed
 * record by record (as {@link RecordBatch.forEach}), resumable between calls:
 * the live client's `record` events are delivered in time-bounded slices.
 */
export class RecordCursor {
  readonly #view: DataView;
  readonly #end: number;
  readonly #views: CursorCache;
  #offset = 0;
  #head = -1;
  #rec: AnyRecord | undefined;

  constructor(batch: RecordBatch) {
    this.#view = batch.view;
    this.#end = batch.view.byteLength;
    this.#views = new CursorCache(batch.view, batch.version);
  }

  /** The next record (a re-pointed view), or undefined after the last. */
  next(): AnyRecord | undefined {
    const offset = this.#offset;
    if (offset >= this.#end) return undefined;
    const view = this.#view;
    const h = view.getUint16(offset, true); // hd.length, then rtype
    const next = offset + (h & 0xff) * 4;
    if (h !== this.#head) {
      this.#rec = this.#views.at(offset);
      this.#head = h;
    }
    if (next > this.#end) throw pastEnd(view, offset);
    this.#offset = next;
    const rec = this.#rec!;
    rec._o = offset;
    return rec;
  }
}

/** One re-pointable view per view class met in a batch. */
class CursorCache {
  readonly #view: DataView;
  readonly #version: number;
  readonly #views: AnyRecord[] = [];

  constructor(view: DataView, version: number) {
    this.#view = view;
    this.#version = version;
  }

  /** The view of the layout of the record at `offset`. */
  at(offset: number): AnyRecord {
    const cls = viewClass(this.#view, offset, this.#version);
    for (const v of this.#views) if (v.constructor === cls) return v;
    const v = new cls(this.#view, offset);
    this.#views.push(v);
    return v;
  }
}

/**
 * Walks the records of one batch, or of a sequence of batches, a new view
 * per record. A plain iterator object rather than a generator: this is the
 * innermost loop of every `for...of`, and it stays small enough for V8 to
 * inline.
 */
export class RecordWalker implements Iterator<AnyRecord> {
  #view: DataView;
  #end: number;
  #version: number;
  #offset = 0;
  #head = -1;
  #cls: RecordClass = UnknownRecord;
  readonly #result: IteratorYieldResult<AnyRecord> = { done: false, value: undefined as unknown as AnyRecord };
  readonly #batches: Iterator<RecordBatch> | undefined;

  /** Walks `batch`, then every batch `more` yields. */
  constructor(batch: RecordBatch | undefined, more?: Iterator<RecordBatch>) {
    this.#view = batch?.view ?? EMPTY_VIEW;
    this.#end = this.#view.byteLength;
    this.#version = batch?.version ?? 3;
    this.#batches = more;
  }

  next(): IteratorResult<AnyRecord> {
    const offset = this.#offset;
    if (offset >= this.#end) return this.#nextBatch();
    const view = this.#view;
    const head = view.getUint16(offset, true); // hd.length, then rtype
    const next = offset + (head & 0xff) * 4;
    // Batches are mostly one layout: look the class up only when the header's
    // (length, rtype) pair changes, so a record is never viewed with the class
    // of a longer record of its rtype.
    if (head !== this.#head) {
      this.#cls = viewClass(view, offset, this.#version);
      this.#head = head;
    }
    if (next > this.#end) throw pastEnd(view, offset);
    this.#offset = next;
    // One result object, refilled: for...of reads it before the next call.
    const result = this.#result;
    result.value = new this.#cls(view, offset);
    return result;
  }

  #nextBatch(): IteratorResult<AnyRecord> {
    for (;;) {
      const b = this.#batches?.next();
      if (!b || b.done) return { done: true, value: undefined };
      this.#view = b.value.view;
      this.#end = this.#view.byteLength;
      this.#version = b.value.version;
      this.#head = -1;
      this.#offset = 0;
      if (this.#end > 0) return this.next();
    }
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
