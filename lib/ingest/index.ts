/**
 * Ingest: historical ranges into DuckDB or PostgreSQL, resumable.
 * @module
 */
export type { LiveFollowOptions, LiveStats } from './live.js';
export { ingest, type ChunkFailure, type IngestOptions, type IngestProgress, type IngestSummary } from './ingest.js';
export { IngestError, type IngestErrorCode } from './target.js';
export { tableFor, ingestibleSchemas, type ColumnDef, type TableSpec } from './tables.js';
