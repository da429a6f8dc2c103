/**
 * What a database target of {@link ingest} does, whatever the database.
 * @module
 */
import { DatabentoError } from '../errors.js';
import { loadPeer } from '../peer.js';
import type { IngestSummary } from './ingest.js';
import type { RowBlock, SymbolDictionary } from './rows.js';
import type { TableSpec } from './tables.js';

/** Identifies one ingest job's chunks in the bookkeeping table. */
export interface JobKey {
  dataset: string;
  schema: string;
  stypeIn: string;
  /** The symbols, sorted and joined with commas. */
  symbols: string;
}

/** A finished chunk as recorded in the target. */
export interface ChunkMark extends JobKey {
  /** Chunk start, UNIX ns (inclusive). */
  start: bigint;
  /** Chunk end, UNIX ns (exclusive). */
  end: bigint;
  /** Records received for the chunk. */
  records: number;
}

/** Rows inserted by one load (rows already stored are not counted). */
export interface LoadResult {
  /** Rows the load offered. */
  rows: number;
  /** Rows new to the table. */
  inserted: number;
}

/** A database that ingested data goes into. */
export interface IngestTarget {
  /** Where the data goes, for messages (no password). */
  readonly description: string;
  /**
   * Creates the table, its decimal view and the bookkeeping tables when absent;
   * resolves to how the table is stored when the target has a choice (for the summary).
   */
  prepare(table: TableSpec): Promise<string | undefined>;
  /** Finished chunks of a job, as `start-end` strings of ns. */
  finishedChunks(job: JobKey): Promise<Set<string>>;
  /**
   * Loads the blocks in one transaction, skipping rows whose key is already
   * stored; records `mark` as finished in the same transaction. On failure
   * nothing of the load remains.
   */
  load(table: TableSpec, blocks: AsyncIterable<RowBlock>, dict: SymbolDictionary, mark?: ChunkMark): Promise<LoadResult>;
  /** The greatest index timestamp stored for these instruments' publisher rows (ns), or undefined when empty. */
  lastTimestamp(table: TableSpec): Promise<bigint | undefined>;
  /** Closes the connection. */
  close(): Promise<void>;
}

/** Codes of {@link IngestError}. */
export type IngestErrorCode =
  | 'MISSING_DEPENDENCY'
  | 'BAD_TARGET'
  | 'TARGET_UNAVAILABLE'
  | 'TARGET_ERROR'
  | 'INGEST_INCOMPLETE'
  | 'LIVE_REFUSED';

/** An ingest could not start or finish; `code` says why. */
export class IngestError extends DatabentoError {
  /** With code `INGEST_INCOMPLETE`: what the run did, the failed chunks included. */
  summary?: IngestSummary;

  constructor(message: string, code: IngestErrorCode, options?: ErrorOptions) {
    super(message, code, options);
  }
}

/** Loads an optional peer dependency, or explains how to install it. */
export function loadOptional<T>(name: string, purpose: string): Promise<T> {
  return loadPeer<T>(name, purpose, (message, cause) => new IngestError(message, 'MISSING_DEPENDENCY', { cause }));
}

/** The text of a string column's value; charCodes for one-character columns. */
export function charCodes(col: string[], count: number): Uint8Array {
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) out[i] = col[i]!.charCodeAt(0) || 0;
  return out;
}
