/**
 * Names the historical API accepts, and the JSON shapes it returns (field
 * names kept as the API sends them).
 * @module
 */

/** Schema names. */
export type SchemaName =
  | 'mbo' | 'mbp-1' | 'mbp-10' | 'tbbo' | 'trades'
  | 'ohlcv-1s' | 'ohlcv-1m' | 'ohlcv-1h' | 'ohlcv-1d' | 'ohlcv-eod'
  | 'definition' | 'statistics' | 'status' | 'imbalance'
  | 'cmbp-1' | 'cbbo-1s' | 'cbbo-1m' | 'tcbbo' | 'bbo-1s' | 'bbo-1m';

/** Symbology type names. */
export type STypeName =
  | 'instrument_id' | 'raw_symbol' | 'smart' | 'continuous' | 'parent' | 'nasdaq_symbol' | 'cms_symbol'
  | 'isin' | 'us_code' | 'bbg_comp_id' | 'bbg_comp_ticker' | 'figi' | 'figi_ticker'
  | 'listing_id' | 'issuer_id' | 'security_id';

/** Output encodings of batch jobs. */
export type EncodingName = 'dbn' | 'csv' | 'json';
/** Compressions of batch jobs. */
export type CompressionName = 'none' | 'zstd';
/** How batch job output is split in time. */
export type SplitDuration = 'day' | 'week' | 'month' | 'year' | 'none';
/** Delivery methods of batch jobs. */
export type Delivery = 'download';
/** States of batch jobs. */
export type JobState = 'queued' | 'processing' | 'done' | 'expired';

/**
 * A point in time: a `Date` (sent as an ISO 8601 string), an ISO 8601 string
 * such as `'2024-11-18'` or `'2024-11-18T14:30'` (sent verbatim), or UNIX
 * nanoseconds as a bigint (sent as a decimal number).
 */
export type DateTimeLike = Date | string | bigint;

/** A UTC calendar day: `'YYYY-MM-DD'` or a `Date` (its UTC day). */
export type DateOnlyLike = string | Date;

/** Symbols: an array, or one string (which may already be comma-joined). Instrument ids may be numbers. */
export type Symbols = string | readonly (string | number)[];

/** A publisher: one dataset on one venue (`metadata.list_publishers`). */
export interface PublisherDetail {
  publisher_id: number;
  dataset: string;
  venue: string;
  description: string | null;
}

/** A field of a schema (`metadata.list_fields`). */
export interface FieldDetail {
  name: string;
  type: string;
}

/** Unit prices of one feed mode in US dollars per GB (`metadata.list_unit_prices`). */
export interface UnitPricesForMode {
  mode: 'historical' | 'historical-streaming' | 'live';
  /** Schema name → USD per GB. */
  unit_prices: Partial<Record<SchemaName, number>> & Record<string, number>;
}

/** Data quality of one day (`metadata.get_dataset_condition`). */
export interface DatasetConditionDetail {
  /** `YYYY-MM-DD`. */
  date: string;
  condition: 'available' | 'degraded' | 'pending' | 'missing';
  /** `YYYY-MM-DD`, or null when the data was never modified. */
  last_modified_date: string | null;
}

/** Available range of a dataset, overall and per schema (`metadata.get_dataset_range`). */
export interface DatasetRange {
  /** ISO 8601 with nanoseconds, inclusive. */
  start: string;
  /** ISO 8601 with nanoseconds, exclusive. */
  end: string;
  /** Schema name → its own range. */
  schema: Record<string, { start: string; end: string }>;
}

/** A batch job, as submit_job, list_jobs and get_job_details return it. */
export interface BatchJob {
  id: string;
  user_id: string | null;
  cost_usd: number | null;
  dataset: string;
  /** A single symbol comes back as a plain string. */
  symbols: string | string[];
  stype_in: string;
  stype_out: string;
  schema: string;
  /** `YYYY-MM-DD HH:MM:SS+00:00`. */
  start: string;
  end: string;
  limit: number | null;
  encoding: string;
  /** null means none. */
  compression: string | null;
  pretty_px: boolean;
  pretty_ts: boolean;
  map_symbols: boolean;
  split_symbols: boolean;
  /** null means none. */
  split_duration: string | null;
  split_size: number | null;
  packaging?: string | null;
  delivery: string;
  record_count: number | null;
  billed_size: number | null;
  actual_size: number | null;
  package_size: number | null;
  state: JobState | string;
  ts_received: string | null;
  ts_queued: string | null;
  ts_process_start: string | null;
  ts_process_done: string | null;
  ts_expiration: string | null;
  /** Percent done (0-100); absent or null until processing reports it. */
  progress?: number | null;
}

/** A file of a finished batch job (`batch.list_files`). */
export interface BatchFileDesc {
  filename: string;
  /** Bytes. */
  size: number;
  /** `<algorithm>:<hex>`, e.g. `sha256:0168d5…`. */
  hash: string;
  urls: { https: string; ftp: string };
}
