/**
 * Records as Parquet files: Arrow record batches (see {@link arrowBatches})
 * written by `parquet-wasm` (an optional peer dependency loaded on first
 * use) as they are built, zstd compressed by default. Memory holds about
 * one row group, not the whole file.
 * @module
 */
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type * as ArrowNs from 'apache-arrow';
import type * as ParquetNs from 'parquet-wasm';
import { InvalidArgumentError } from '../errors.js';
import { loadPeer } from '../peer.js';
import { arrowBatches, checkArrowOptions, loadArrow, type ArrowOptions } from './arrow.js';
import type { BatchSource } from './text.js';

/** Options of {@link writeParquet}. */
export interface ParquetOptions extends ArrowOptions {
  /** Column compression (default `'zstd'`). */
  compression?: 'zstd' | 'snappy' | 'none';
  /** Rows per row group (default 1 Mi rows). */
  rowGroupRows?: number;
}

/**
 * Writes the records of one rtype (see {@link ArrowOptions}) to a Parquet
 * file at `path`, row group by row group. Resolves to the number of rows
 * written; on failure the partial file is removed.
 */
export async function writeParquet(source: BatchSource, path: string, options: ParquetOptions = {}): Promise<number> {
  if (typeof path !== 'string' || path === '') throw new InvalidArgumentError('the Parquet output needs a file path');
  const parquet = await parquetStream(source, options);
  try {
    await pipeline(parquet.bytes, createWriteStream(path));
  } catch (e) {
    await rm(path, { force: true });
    throw e;
  }
  return parquet.rows();
}

/** A Parquet file in memory. */
export interface ParquetFile {
  /** The file's bytes. */
  bytes: Uint8Array;
  /** Rows written. */
  rows: number;
}

/** The records of one rtype as the bytes of a Parquet file in memory (see {@link writeParquet}). */
export async function parquetBytes(source: BatchSource, options: ParquetOptions = {}): Promise<ParquetFile> {
  const parquet = await parquetStream(source, options);
  const chunks: Uint8Array[] = [];
  for await (const chunk of parquet.bytes) chunks.push(chunk as Uint8Array);
  return { bytes: Buffer.concat(chunks), rows: parquet.rows() };
}

/**
 * The bytes of a Parquet file of the records of one rtype, produced as the
 * records are read, and the rows in it once the bytes have ended.
 * @internal
 */
export interface ParquetStream {
  bytes: Readable;
  rows: () => number;
}

/** @internal */
export async function parquetStream(source: BatchSource, options: ParquetOptions = {}): Promise<ParquetStream> {
  const compression = options.compression ?? 'zstd';
  if (!['zstd', 'snappy', 'none'].includes(compression)) {
    throw new InvalidArgumentError(`compression must be 'zstd', 'snappy' or 'none', not ${String(compression)}`);
  }
  const { rowGroupRows } = options;
  if (rowGroupRows !== undefined && !(Number.isSafeInteger(rowGroupRows) && rowGroupRows >= 1)) {
    throw new InvalidArgumentError(`rowGroupRows must be a positive integer, not ${rowGroupRows}`);
  }
  checkArrowOptions(options);
  const parquet = await loadPeer<typeof ParquetNs>('parquet-wasm', 'Parquet output');
  const arrow = await loadArrow();
  const codec = { zstd: parquet.Compression.ZSTD, snappy: parquet.Compression.SNAPPY, none: parquet.Compression.UNCOMPRESSED }[compression];
  const builder = new parquet.WriterPropertiesBuilder().setCompression(codec).setMaxRowGroupSize(rowGroupRows ?? 1 << 20);
  let rows = 0;
  let failure: unknown;
  const batches = arrowBatches(source, options);
  // The writer's properties name the columns: they come from the first batch.
  const first = await batches.next();
  const props = withoutNumericDictionaries(arrow, builder, first.done ? [] : first.value.schema.fields).build();
  let head = first.done ? undefined : first.value;
  // The writer pulls Arrow batches (handed over in IPC form) as it needs them.
  const input = new ReadableStream<ParquetNs.RecordBatch>({
    async pull(controller) {
      try {
        const { value, done } = head ? { value: head, done: false } : await batches.next();
        head = undefined;
        if (done) return controller.close();
        rows += value.numRows;
        for (const batch of parquet.Table.fromIPCStream(arrow.tableToIPC(new arrow.Table(value), 'stream')).recordBatches()) {
          controller.enqueue(batch);
        }
      } catch (e) {
        failure = e;
        throw e;
      }
    },
    async cancel() {
      await batches.return(undefined);
    },
  });
  const output = (await parquet.transformParquetStream(input, props)) as WebReadableStream<Uint8Array>;
  const checked = Readable.from(
    (async function* () {
      try {
        yield* Readable.fromWeb(output);
      } catch (e) {
        throw failure ?? e;
      }
      // The writer ends its output as if the input had ended when the input
      // fails (a truncated file): the input's error must not be lost.
      if (failure !== undefined) throw failure;
    })(),
  );
  return { bytes: checked, rows: () => rows };
}

/**
 * Dictionary pages only for strings and narrow integers: for ids, prices,
 * sizes and timestamps they cost the writer most of its time (2-3x the
 * whole write) and zstd compresses the plain values about as small.
 */
function withoutNumericDictionaries(
  arrow: typeof ArrowNs,
  builder: ParquetNs.WriterPropertiesBuilder,
  fields: ArrowNs.Field[],
): ParquetNs.WriterPropertiesBuilder {
  const { DataType } = arrow;
  const wide = (t: ArrowNs.DataType): boolean =>
    (DataType.isInt(t) && t.bitWidth > 16) || DataType.isFloat(t) || DataType.isTimestamp(t) || DataType.isDecimal(t);
  return fields.filter((f) => wide(f.type)).reduce((b, f) => b.setColumnDictionaryEnabled(f.name, false), builder);
}
