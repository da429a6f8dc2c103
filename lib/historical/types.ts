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
  /** Numeric publisher id, as in record headers. */
  publisher_id: number;
  /** Dataset code, e.g. `GLBX.MDP3`. */
  dataset: string;
  /** Venue code, e.g. `GLBX`. */
  venue: string;
  /** Description of the publisher, e.g. `CME Globex MDP 3.0`, or null. */
  description: string | null;
}

/** A field of a schema (`metadata.list_fields`). */
export interface FieldDetail {
  /** Field name, e.g. `rtype`. */
  name: string;
  /** Field type name, e.g. `uint8_t`. */
  type: string;
}

/** Unit prices of one feed mode in US dollars per GB (`metadata.list_unit_prices`). */
export interface UnitPricesForMode {
  /** Feed mode these prices apply to. */
  mode: 'historical' | 'historical-streaming' | 'live';
  /** Schema name → USD per GB. */
  unit_prices: Partial<Record<SchemaName, number>> & Record<string, number>;
}

/** Data quality of one day (`metadata.get_dataset_condition`). */
export interface DatasetConditionDetail {
  /** `YYYY-MM-DD`. */
  date: string;
  /** Data quality of the day. */
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
  schema: Record<string, {
    /** ISO 8601 with nanoseconds, inclusive. */
    start: string;
    /** ISO 8601 with nanoseconds, exclusive. */
    end: string;
  }>;
}

/** A batch job, as submit_job, list_jobs and get_job_details return it. */
export interface BatchJob {
  /** Job id, e.g. `GLBX-20221031-L3RVE95CV5`. */
  id: string;
  /** Id of the user who submitted the job, or null. */
  user_id: string | null;
  /** Cost of the job in US dollars, or null. */
  cost_usd: number | null;
  /** Dataset code. */
  dataset: string;
  /** A single symbol comes back as a plain string. */
  symbols: string | string[];
  /** Symbology type of `symbols`. */
  stype_in: string;
  /** Symbology type of the output symbols. */
  stype_out: string;
  /** Schema name. */
  schema: string;
  /** `YYYY-MM-DD HH:MM:SS+00:00`. */
  start: string;
  /** End of the requested range, exclusive; same format as `start`. */
  end: string;
  /** Maximum number of records, or null for no limit. */
  limit: number | null;
  /** Output encoding: `dbn`, `csv` or `json`. */
  encoding: string;
  /** null means none. */
  compression: string | null;
  /** Whether prices are formatted as decimals (CSV/JSON). */
  pretty_px: boolean;
  /** Whether timestamps are formatted as ISO 8601 (CSV/JSON). */
  pretty_ts: boolean;
  /** Whether each record gets a symbol field (CSV/JSON). */
  map_symbols: boolean;
  /** Whether output files are split by symbol. */
  split_symbols: boolean;
  /** null means none. */
  split_duration: string | null;
  /** Size in bytes above which output files are split, or null for none. */
  split_size: number | null;
  /** Output packaging; the API sends null, and may omit it. */
  packaging?: string | null;
  /** Delivery method, e.g. `download`. */
  delivery: string;
  /** Number of records in the output, or null. */
  record_count: number | null;
  /** Billable size of the data in bytes, or null. */
  billed_size: number | null;
  /** Size of the output files in bytes, or null. */
  actual_size: number | null;
  /** Size of the packaged output in bytes, or null. */
  package_size: number | null;
  /** Job state: `queued`, `processing`, `done` or `expired`. */
  state: JobState | string;
  /** When the job was received; null until then. */
  ts_received: string | null;
  /** When the job was queued; null until then. */
  ts_queued: string | null;
  /** When processing started; null until then. */
  ts_process_start: string | null;
  /** When processing finished; null until then. */
  ts_process_done: string | null;
  /** When the output files expire; null until set. */
  ts_expiration: string | null;
  /** Percent done (0-100); absent or null until processing reports it. */
  progress?: number | null;
}

/** A file of a finished batch job (`batch.list_files`). */
export interface BatchFileDesc {
  /** File name, e.g. `metadata.json` or `glbx-mdp3-20220610.mbo.dbn.zst`. */
  filename: string;
  /** Bytes. */
  size: number;
  /** `<algorithm>:<hex>`, e.g. `sha256:0168d5…`. */
  hash: string;
  /** Download locations of the file. */
  urls: {
    /** HTTPS download URL. */
    https: string;
    /** FTP download URL. */
    ftp: string;
  };
}
