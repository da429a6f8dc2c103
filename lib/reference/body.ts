/**
 * Reading a reference response: the body is zstd-compressed JSON lines,
 * decompressed window by window as it arrives and split into rows, so memory
 * stays bounded by one window of rows whatever the body's size.
 * @internal
 * @module
 */
import { DbnError, InvalidArgumentError } from '../errors.js';
import { BadResponseError } from '../historical/errors.js';
import type { BodyReader } from '../historical/http.js';
import { toNanos } from '../time.js';
import { ZstdDecompressStream } from '../zstd.js';

/** The longest line accepted; real rows are a few KiB. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

const NEWLINE = 0x0a;

/** A parsed JSON line, before its columns are converted. */
export type RawRow = Record<string, unknown>;

/**
 * The rows of a body, in batches (the lines of one decompressed window).
 * Throws {@link BadResponseError} (code `'BAD_RESPONSE'`) for data that is
 * not zstd, a body cut inside a zstd frame, a line that is not a JSON object,
 * or a line over {@link MAX_LINE_BYTES}. Stopping early releases the body.
 */
export async function* rowBatches(body: BodyReader, where: string): AsyncGenerator<RawRow[], void, undefined> {
  const zstd = new ZstdDecompressStream();
  const lines = new LineSplitter(where);
  try {
    for (let chunk = await body.read(); chunk !== null; chunk = await body.read()) {
      for (const window of decompress(zstd, chunk, where)) {
        const batch = lines.push(window);
        if (batch.length > 0) yield batch;
      }
    }
    if (!zstd.atFrameBoundary) {
      throw new BadResponseError(`${where}: the response body ended inside a zstd frame (${body.bytesRead} bytes): it was cut short`);
    }
    const last = lines.end();
    if (last.length > 0) yield last;
  } finally {
    await body.cancel();
  }
}

function* decompress(zstd: ZstdDecompressStream, chunk: Uint8Array, where: string): Generator<Uint8Array> {
  try {
    yield* zstd.decompress(chunk);
  } catch (err) {
    if (err instanceof DbnError && err.code === 'ZSTD_CORRUPT') {
      throw new BadResponseError(`${where}: the response body is not valid zstd (${err.message})`, { cause: err });
    }
    throw err;
  }
}

/** Splits decompressed bytes at newlines (never inside a UTF-8 sequence) and parses each line. */
class LineSplitter {
  readonly #where: string;
  #carry: Buffer = Buffer.alloc(0);
  #lineNo = 0;

  constructor(where: string) {
    this.#where = where;
  }

  /** The complete lines of `bytes` (with what was carried over), parsed; the tail is kept. */
  push(bytes: Uint8Array): RawRow[] {
    const last = bytes.lastIndexOf(NEWLINE);
    if (last < 0) {
      this.#keep(Buffer.concat([this.#carry, bytes]));
      return [];
    }
    const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const text = this.#carry.length > 0
      ? this.#carry.toString('utf8') + view.toString('utf8', 0, last)
      : view.toString('utf8', 0, last);
    // Copied: the window is reused for the next output.
    this.#keep(Buffer.from(view.subarray(last + 1)));
    return this.#parse(text);
  }

  /** The last line, if the body did not end with a newline. */
  end(): RawRow[] {
    const text = this.#carry.toString('utf8');
    this.#carry = Buffer.alloc(0);
    return text === '' ? [] : this.#parse(text);
  }

  #keep(carry: Buffer): void {
    if (carry.length > MAX_LINE_BYTES) {
      throw new BadResponseError(`${this.#where}: line ${this.#lineNo + 1} of the response is longer than ${MAX_LINE_BYTES} bytes`);
    }
    this.#carry = carry;
  }

  #parse(text: string): RawRow[] {
    const rows: RawRow[] = [];
    for (let at = 0; at <= text.length; ) {
      let nl = text.indexOf('\n', at);
      if (nl < 0) nl = text.length;
      this.#lineNo++;
      // Blank lines (and a trailing \r) carry no row.
      if (nl > at && !(nl - at <= 2 && text.slice(at, nl).trim() === '')) rows.push(this.#row(text.slice(at, nl)));
      at = nl + 1;
    }
    return rows;
  }

  #row(line: string): RawRow {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new BadResponseError(`${this.#where}: line ${this.#lineNo} of the response is not JSON: ${line.slice(0, 120)}`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new BadResponseError(`${this.#where}: line ${this.#lineNo} of the response is not a JSON object: ${line.slice(0, 120)}`);
    }
    return value as RawRow;
  }
}

/** Replaces the ISO 8601 timestamps of `columns` with bigint UNIX nanoseconds. */
export function convertTimestamps(row: RawRow, columns: readonly string[], where: string): void {
  for (const column of columns) {
    const value = row[column];
    try {
      if (typeof value !== 'string') throw new InvalidArgumentError('not a string');
      row[column] = toNanos(value, column);
    } catch {
      throw new BadResponseError(
        `${where}: row ${String(row['event_unique_id'] ?? row['listing_id'] ?? row['event_id'] ?? '')} has ${column} ` +
          `${JSON.stringify(value)}, not an ISO 8601 timestamp`,
      );
    }
  }
}
