/**
 * Records as Parquet files: the Arrow table of {@link toArrowTable} written
 * by `parquet-wasm` (an optional peer dependency loaded on first use), zstd
 * compressed by default.
 * @module
 */
import { writeFile } from 'node:fs/promises';
import type * as ParquetNs from 'parquet-wasm';
import { InvalidArgumentError } from '../errors.js';
import { loadPeer } from '../peer.js';
import { loadArrow, toArrowTable, type ArrowOptions } from './arrow.js';
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
 * file at `path`. The table is built in memory, then written. Resolves to the
 * number of rows written.
 */
export async function writeParquet(source: BatchSource, path: string, options: ParquetOptions = {}): Promise<number> {
  if (typeof path !== 'string' || path === '') throw new InvalidArgumentError('the Parquet output needs a file path');
  const { bytes, rows } = await parquetBytes(source, options);
  await writeFile(path, bytes);
  return rows;
}

/** A Parquet file in memory. */
export interface ParquetFile {
  /** The file's bytes. */
  bytes: Uint8Array;
  /** Rows written. */
  rows: number;
}

/** The records of one rtype as the bytes of a Parquet file (see {@link writeParquet}). */
export async function parquetBytes(source: BatchSource, options: ParquetOptions = {}): Promise<ParquetFile> {
  const compression = options.compression ?? 'zstd';
  if (!['zstd', 'snappy', 'none'].includes(compression)) {
    throw new InvalidArgumentError(`compression must be 'zstd', 'snappy' or 'none', not ${String(compression)}`);
  }
  const { rowGroupRows } = options;
  if (rowGroupRows !== undefined && !(Number.isSafeInteger(rowGroupRows) && rowGroupRows >= 1)) {
    throw new InvalidArgumentError(`rowGroupRows must be a positive integer, not ${rowGroupRows}`);
  }
  const parquet = await loadPeer<typeof ParquetNs>('parquet-wasm', 'Parquet output');
  const arrow = await loadArrow();
  const table = await toArrowTable(source, options);
  const codec = { zstd: parquet.Compression.ZSTD, snappy: parquet.Compression.SNAPPY, none: parquet.Compression.UNCOMPRESSED }[compression];
  const props = new parquet.WriterPropertiesBuilder().setCompression(codec).setMaxRowGroupSize(rowGroupRows ?? 1 << 20);
  const wasmTable = parquet.Table.fromIPCStream(arrow.tableToIPC(table, 'stream'));
  return { bytes: parquet.writeParquet(wasmTable, props.build()), rows: table.numRows };
}
