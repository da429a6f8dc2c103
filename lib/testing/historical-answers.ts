/**
 * What the mock historical server answers by default: the JSON endpoints it
 * serves with their required parameters, canned metadata answers, symbology
 * resolutions and batch jobs in the API's shapes.
 * @module
 */
import type { BatchJob } from '../historical/types.js';
import type { ResolvedInterval } from '../symbology/resolution.js';

/** Endpoints served with JSON, their method, required parameters and default answers. */
export const JSON_ENDPOINTS: Record<string, { method: 'GET' | 'POST'; required: string[] }> = {
  'metadata.list_publishers': { method: 'GET', required: [] },
  'metadata.list_datasets': { method: 'GET', required: [] },
  'metadata.list_schemas': { method: 'GET', required: ['dataset'] },
  'metadata.list_fields': { method: 'GET', required: ['schema', 'encoding'] },
  'metadata.list_unit_prices': { method: 'GET', required: ['dataset'] },
  'metadata.get_dataset_condition': { method: 'GET', required: ['dataset'] },
  'metadata.get_dataset_range': { method: 'GET', required: ['dataset'] },
  'metadata.get_record_count': { method: 'POST', required: ['dataset', 'symbols', 'schema', 'start'] },
  'metadata.get_billable_size': { method: 'POST', required: ['dataset', 'symbols', 'schema', 'start'] },
  'metadata.get_cost': { method: 'POST', required: ['dataset', 'symbols', 'schema', 'start'] },
  'symbology.resolve': { method: 'POST', required: ['dataset', 'symbols', 'stype_in', 'stype_out', 'start_date'] },
  'batch.submit_job': { method: 'POST', required: ['dataset', 'symbols', 'schema', 'start'] },
  'batch.list_jobs': { method: 'GET', required: [] },
  'batch.get_job_details': { method: 'GET', required: ['job_id'] },
  'batch.list_files': { method: 'GET', required: ['job_id'] },
};

export const DEFAULT_JSON: Record<string, unknown> = {
  'metadata.list_publishers': [
    { publisher_id: 1, dataset: 'GLBX.MDP3', venue: 'GLBX', description: 'CME Globex MDP 3.0' },
    { publisher_id: 2, dataset: 'XNAS.ITCH', venue: 'XNAS', description: 'Nasdaq TotalView-ITCH' },
  ],
  'metadata.list_datasets': ['GLBX.MDP3', 'XNAS.ITCH'],
  'metadata.list_schemas': ['mbo', 'mbp-1', 'mbp-10', 'tbbo', 'trades', 'ohlcv-1s', 'ohlcv-1m', 'ohlcv-1h', 'ohlcv-1d'],
  'metadata.list_fields': [
    { name: 'length', type: 'uint8_t' },
    { name: 'rtype', type: 'uint8_t' },
    { name: 'dataset_id', type: 'uint16_t' },
  ],
  'metadata.list_unit_prices': [
    { mode: 'historical', unit_prices: { mbo: 21.05, 'mbp-1': 82.05, trades: 17.89 } },
    { mode: 'historical-streaming', unit_prices: { mbo: 21.05 } },
    { mode: 'live', unit_prices: { tbbo: 34.22 } },
  ],
  'metadata.get_dataset_condition': [
    { date: '2022-11-07', condition: 'available', last_modified_date: '2023-03-01' },
    { date: '2022-11-10', condition: 'missing', last_modified_date: null },
  ],
  'metadata.get_dataset_range': {
    start: '2017-05-21T00:00:00.000000000Z',
    end: '2022-12-01T00:00:00.000000000Z',
    schema: {
      'ohlcv-1s': { start: '2020-08-02T00:00:00.000000000Z', end: '2023-03-23T00:00:00.000000000Z' },
      'bbo-1m': { start: '2020-08-02T00:00:00.000000000Z', end: '2023-03-23T00:00:00.000000000Z' },
    },
  },
  'metadata.get_record_count': 42,
  'metadata.get_billable_size': 44688,
  'metadata.get_cost': 0.65783,
};

/** The job a `batch.submit_job` request describes, queued. */
export function jobFromParams(id: string, p: Readonly<Record<string, string>>, userId: string): BatchJob {
  return makeJob(
    {
    id,
    dataset: p['dataset']!,
    symbols: p['symbols']!.includes(',') ? p['symbols']!.split(',') : p['symbols']!,
    schema: p['schema']!,
    start: p['start']!,
    end: p['end'] ?? p['start']!,
    stype_in: p['stype_in'] ?? 'raw_symbol',
    stype_out: p['stype_out'] ?? 'instrument_id',
    encoding: p['encoding'] ?? 'dbn',
    compression: p['compression'] === 'none' ? null : (p['compression'] ?? 'zstd'),
    pretty_px: parseBool(p['pretty_px']),
    pretty_ts: parseBool(p['pretty_ts']),
    map_symbols: parseBool(p['map_symbols']),
    split_symbols: parseBool(p['split_symbols']),
    split_duration: p['split_duration'] === 'none' ? null : (p['split_duration'] ?? 'day'),
    split_size: p['split_size'] ? Number(p['split_size']) : null,
    limit: p['limit'] ? Number(p['limit']) : null,
    delivery: p['delivery'] ?? 'download',
    state: 'queued',
    },
    userId,
  );
}

/** The default symbology answer: every symbol resolves over the requested range to a stable made-up value. */
export function defaultResolution(p: Record<string, string>): unknown {
  const symbols = p['symbols']!.split(',');
  const d0 = p['start_date']!;
  const d1 = p['end_date'] ?? new Date(Date.parse(`${d0}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const result: Record<string, ResolvedInterval[]> = {};
  for (const s of symbols) {
    const out = p['stype_out'] === 'instrument_id' ? String(stableId(s)) : `${s}.${p['stype_out']}`;
    result[s] = [{ d0, d1, s: out }];
  }
  return {
    result,
    symbols,
    stype_in: p['stype_in'],
    stype_out: p['stype_out'],
    start_date: d0,
    end_date: d1,
    partial: [],
    not_found: [],
    message: 'OK',
    status: 0,
  };
}

function stableId(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  return (h % 900_000) + 1000;
}

/** A batch job in the API's shape: `job`'s fields over those of a queued trades job. */
export function makeJob(job: Partial<BatchJob> & { id: string }, userId: string): BatchJob {
  const now = tsNow();
  return {
    user_id: userId,
    cost_usd: 0.119089,
    dataset: 'GLBX.MDP3',
    symbols: 'ESZ4',
    stype_in: 'raw_symbol',
    stype_out: 'instrument_id',
    schema: 'trades',
    start: '2024-11-18 00:00:00+00:00',
    end: '2024-11-19 00:00:00+00:00',
    limit: null,
    encoding: 'dbn',
    compression: 'zstd',
    pretty_px: false,
    pretty_ts: false,
    map_symbols: false,
    split_symbols: false,
    split_duration: 'day',
    split_size: null,
    packaging: null,
    delivery: 'download',
    record_count: null,
    billed_size: null,
    actual_size: null,
    package_size: null,
    state: 'queued',
    ts_received: now,
    ts_queued: now,
    ts_process_start: null,
    ts_process_done: null,
    ts_expiration: null,
    progress: null,
    ...job,
    id: job.id,
  };
}

/** `2022-10-31 15:29:43.148303+00:00`, the API's job timestamp form. */
export function tsNow(): string {
  return `${new Date().toISOString().replace('T', ' ').replace('Z', '')}000+00:00`;
}

/** The path a job's file is downloaded from. */
export function downloadPath(userId: string, jobId: string, filename: string): string {
  return `/v0/batch/download/${encodeURIComponent(userId)}/${encodeURIComponent(jobId)}/${encodeURIComponent(filename)}`;
}

/** The API's 422 body for a missing required parameter. */
export function missingParam(param: string, endpoint: string): unknown {
  return {
    detail: {
      case: 'param_missing',
      message: `Missing required parameter '${param}'.`,
      status_code: 422,
      docs: `https://databento.com/docs/api-reference-historical/${endpoint.replace('.', '/')}`,
      payload: { param },
    },
  };
}

function parseBool(v: string | undefined): boolean {
  return v === '1' || v?.toLowerCase() === 'true';
}

/** `since` as ms: UNIX ns digits or an ISO date/time. */
export function parseWhen(v: string): number {
  return /^\d+$/.test(v) ? Number(BigInt(v) / 1_000_000n) : Date.parse(v.length === 10 ? `${v}T00:00:00Z` : v);
}
