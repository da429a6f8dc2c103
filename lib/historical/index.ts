/**
 * The historical REST API: metadata, timeseries, symbology and batch jobs.
 * @module
 */
export { Historical, DEFAULT_GATEWAY, type HistoricalOptions } from './client.js';
export type { RetryOptions } from './http.js';
export {
  MetadataApi,
  type CallOptions,
  type ListDatasetsOptions,
  type DatasetOptions,
  type ListFieldsOptions,
  type DatasetConditionOptions,
  type QueryOptions,
} from './metadata.js';
export {
  TimeseriesApi,
  StreamingDbnStore,
  type GetRangeOptions,
  type GetRangeToFileOptions,
  type RangeProgress,
} from './timeseries.js';
export { SymbologyApi, type ResolveOptions } from './symbology.js';
export {
  BatchApi,
  type SubmitJobOptions,
  type ListJobsOptions,
  type JobOptions,
  type DownloadOptions,
  type DownloadProgress,
} from './batch.js';
export {
  HttpError,
  BentoClientError,
  BentoServerError,
  RequestError,
  BadResponseError,
  AbortError,
  CostLimitError,
  ChecksumError,
  type HttpErrorCode,
  type HttpErrorInit,
  type RequestErrorCode,
} from './errors.js';
export type * from './types.js';
