// Hand-written base of the generated record views (lib/generated/records.ts).
//
// A record view is a flyweight: it holds the DataView of a whole batch and the
// record's byte offset in it, and every getter reads its field straight from
// the batch at a fixed offset (little-endian). Nothing is copied, so creating
// a view per record is cheap and views stay valid as long as the batch does;
// the callback paths (forEach, replay) go further and re-point one view per
// class from record to record.
//
// The generated view classes are base classes whose prototype chain is set to
// Record's (rather than `extends Record`): V8 constructs a derived class several
// times slower, and each class repeats the header getters so that every getter
// only ever sees one kind of object.

/** The record header as a plain object (see {@link Record.hd}). */
export interface RecordHeader {
  /** Record length in 4-byte words, header and any ts_out suffix included. */
  length: number;
  /** Record type code (RType). */
  rtype: number;
  /** Databento publisher id (dataset + venue). */
  publisher_id: number;
  /** Numeric instrument id. */
  instrument_id: number;
  /** Matching-engine receive time, UNIX nanoseconds. */
  ts_event: bigint;
}

/** Header as it appears in {@link Record.toObject} (Databento JSON shape: no `length`). */
export interface RecordHeaderObject {
  /** Matching-engine receive time, UNIX nanoseconds. */
  ts_event: bigint;
  /** Record type code (RType). */
  rtype: number;
  /** Databento publisher id (dataset + venue). */
  publisher_id: number;
  /** Numeric instrument id. */
  instrument_id: number;
}

/** Header as it appears in {@link Record.toJSON}: 64-bit integers as decimal strings. */
export interface RecordHeaderJSON {
  /** Matching-engine receive time, UNIX nanoseconds as a decimal string. */
  ts_event: string;
  /** Record type code (RType). */
  rtype: number;
  /** Databento publisher id (dataset + venue). */
  publisher_id: number;
  /** Numeric instrument id. */
  instrument_id: number;
}

/** What every {@link Record.toObject} result has. */
export interface RecordObject {
  /** The record header. */
  hd: RecordHeaderObject;
}

/** What every {@link Record.toJSON} result has. */
export interface RecordJSON {
  /** The record header, 64-bit integers as decimal strings. */
  hd: RecordHeaderJSON;
}

/** Single-character strings for every byte value; '' for NUL (an unset char field). */
export const CHARS: readonly string[] = Array.from({ length: 256 }, (_, i) => (i === 0 ? '' : String.fromCharCode(i)));

/** Reads a NUL-padded fixed string of `len` bytes (ASCII / latin1) up to its first NUL. */
export function readCStr(dv: DataView, off: number, len: number): string {
  let s = '';
  for (let i = 0; i < len; i++) {
    const b = dv.getUint8(off + i);
    if (b === 0) break;
    s += CHARS[b];
  }
  return s;
}

/**
 * Reads an i64 fixed-point price as a number (raw × 1e-9); NaN for UNDEF_PRICE.
 * Exact for |raw| < 2^53, i.e. prices below about 9 million; beyond that it is
 * rounded to double precision like any float.
 */
export function prettyPrice(dv: DataView, off: number): number {
  // Two 32-bit reads avoid allocating a bigint per call.
  const lo = dv.getUint32(off, true);
  const hi = dv.getInt32(off + 4, true);
  if (hi === 0x7fffffff && lo === 0xffffffff) return NaN;
  return (hi * 4294967296 + lo) / 1e9;
}

/**
 * Reads a u64 UNIX-nanosecond timestamp as a Date; null for UNDEF_TIMESTAMP.
 * A Date has millisecond precision: the sub-millisecond part is truncated.
 */
export function prettyTs(dv: DataView, off: number): Date | null {
  const ns = dv.getBigUint64(off, true);
  if (ns === 0xffffffffffffffffn) return null;
  return new Date(Number(ns / 1_000_000n));
}

/**
 * @internal Buffers that are filled again once their records were delivered
 * (the live client's `record` events): a record of one that is kept
 * (`clone()`, `bytes()`) must be a copy.
 */
export const reusedBuffers = new WeakSet<ArrayBufferLike>();

/**
 * Base of every record view: a DBN record at byte offset `_o` of a batch
 * DataView. Gives the header fields; the generated subclasses add the body.
 */
export abstract class Record {
  // `declare`: no class-field initialisers, which would make every `new`
  // several times slower on V8; the constructor gives both a value.
  /** @internal DataView over the batch buffer holding the record. */
  declare _dv: DataView;
  /** @internal Byte offset of the record (its header) within `_dv`. */
  declare _o: number;

  /**
   * @param dv DataView over the batch buffer holding the record.
   * @param offset byte offset of the record (its header) within `dv`.
   */
  constructor(dv: DataView, offset: number) {
    this._dv = dv;
    this._o = offset;
  }

  /** Record length in 4-byte words (`hd.length`), header and any ts_out suffix included. */
  get length(): number {
    return this._dv.getUint8(this._o);
  }

  /** Record type code (RType). */
  get rtype(): number {
    return this._dv.getUint8(this._o + 1);
  }

  /** Databento publisher id (dataset + venue); see `publisherById`. */
  get publisher_id(): number {
    return this._dv.getUint16(this._o + 2, true);
  }

  /** Numeric instrument id. */
  get instrument_id(): number {
    return this._dv.getUint32(this._o + 4, true);
  }

  /** Matching-engine receive time, UNIX nanoseconds. */
  get ts_event(): bigint {
    return this._dv.getBigUint64(this._o + 8, true);
  }

  /** `ts_event` as a Date (millisecond precision, sub-ms truncated); null when undefined. */
  get pretty_ts_event(): Date | null {
    return prettyTs(this._dv, this._o + 8);
  }

  /** The header fields as a plain object. */
  get hd(): RecordHeader {
    return {
      length: this.length,
      rtype: this.rtype,
      publisher_id: this.publisher_id,
      instrument_id: this.instrument_id,
      ts_event: this.ts_event,
    };
  }

  /** Size of the record in bytes (`length * 4`), including any ts_out suffix. */
  get byteLength(): number {
    return this._dv.getUint8(this._o) * 4;
  }

  /**
   * The gateway's send time, UNIX nanoseconds, carried by records of sessions
   * opened with `tsOut: true` (8 bytes after the record's body); undefined
   * for records without it.
   */
  get ts_out(): bigint | undefined {
    // Known layouts only: an unknown record's size says nothing of a suffix.
    const { SIZE: size, RTYPES: rtypes } = this.constructor as { SIZE?: number; RTYPES?: readonly number[] };
    const length = this.byteLength;
    if (size === undefined || !rtypes?.length || length !== size + 8) return undefined;
    return this._dv.getBigUint64(this._o + size, true);
  }

  /**
   * The record's raw bytes, header included: a view into the batch buffer,
   * or a copy where that buffer is filled again later (live `record` events).
   */
  bytes(): Uint8Array {
    const dv = this._dv;
    const bytes = new Uint8Array(dv.buffer, dv.byteOffset + this._o, this.byteLength);
    return reusedBuffers.has(dv.buffer) ? bytes.slice() : bytes;
  }

  /** Plain object in Databento's JSON shape with 64-bit integers kept as bigint. */
  toObject(): RecordObject {
    return { hd: this._hdObject() };
  }

  /** Plain object in Databento's JSON shape: 64-bit integers as decimal strings. */
  toJSON(): RecordJSON {
    return { hd: this._hdJSON() };
  }

  /**
   * A view of the same record that stays valid after the callback that got
   * this one returns: `forEach` and `replay` hand out one view per record
   * layout, re-pointed record by record. The clone stays valid as long as
   * you hold it: it shares the batch's buffer, or has a copy of the record
   * where that buffer is filled again later (live `record` events).
   */
  clone(): this {
    const cls = this.constructor as new (dv: DataView, offset: number) => this;
    if (!reusedBuffers.has(this._dv.buffer)) return new cls(this._dv, this._o);
    return new cls(new DataView(this.bytes().buffer), 0);
  }

  /** @internal Header in the toObject shape. */
  _hdObject(): RecordHeaderObject {
    return {
      ts_event: this.ts_event,
      rtype: this.rtype,
      publisher_id: this.publisher_id,
      instrument_id: this.instrument_id,
    };
  }

  /** @internal Header in the toJSON shape. */
  _hdJSON(): RecordHeaderJSON {
    return {
      ts_event: this.ts_event.toString(),
      rtype: this.rtype,
      publisher_id: this.publisher_id,
      instrument_id: this.instrument_id,
    };
  }

  // console.log / util.inspect would otherwise print the DataView.
  [Symbol.for('nodejs.util.inspect.custom')](
    _depth: number,
    options: object,
    inspect: (value: unknown, options: object) => string,
  ): string {
    return `${this.constructor.name} ${inspect(this.toObject(), options)}`;
  }
}
