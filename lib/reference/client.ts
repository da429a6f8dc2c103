/**
 * The reference-data client: corporate actions, adjustment factors and the
 * security master.
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import { createHttpClient } from '../historical/client.js';
import type { HistoricalOptions } from '../historical/client.js';
import { optionsObject, optionalSignal } from '../historical/params.js';
import type { HttpClient, Params, RequestSpec } from '../historical/http.js';
import { convertTimestamps, rowBatches, type RawRow } from './body.js';
import {
  encodeFilters,
  encodeFlag,
  encodeIndex,
  encodeList,
  encodeRange,
  type AdjustmentFactorsOptions,
  type CorporateActionsOptions,
  type CorporateActionsStreamOptions,
  type ReferenceFilterOptions,
  type SecurityMasterLastOptions,
  type SecurityMasterRangeOptions,
} from './params.js';
import type { AdjustmentFactor, CorporateAction, FlatCorporateAction, SecurityMaster } from './rows.js';
import { flattenRow, mergeVersions, stableSort } from './shape.js';

/** Options of {@link Reference}: the same as `Historical`'s (the same gateway serves both). */
export type ReferenceOptions = HistoricalOptions;

/**
 * Client of Databento's reference data: corporate actions, adjustment
 * factors and the security master.
 *
 * It shares `Historical`'s transport — gateway (`https://hist.databento.com`),
 * Basic auth, retries of 429/5xx/network failures within `retry`, the idle
 * `timeoutMs`, `X-Warning` headers as process warnings, and the same error
 * classes (`BentoClientError`, `BentoServerError`, `RequestError`,
 * `BadResponseError`, `AbortError`), none of which ever contains the key.
 *
 * Each endpoint has `getRange` (every row in an array, post-processed and
 * sorted stably on the index column, as the official clients do) and `stream`
 * (rows in the server's order as the body is decompressed, in bounded memory).
 *
 * ```ts
 * const ref = new Reference(); // key from DATABENTO_API_KEY
 * const splits = await ref.corporateActions.getRange({ symbols: ['AAPL'], start: '2020', events: ['FSPLT'] });
 * for await (const f of ref.adjustmentFactors.stream({ start: '2024-01' })) console.log(f.symbol, f.ex_date, f.factor);
 * ```
 */
export class Reference {
  /** `corporate_actions.get_range`. */
  readonly corporateActions: CorporateActionsApi;
  /** `adjustment_factors.get_range`. */
  readonly adjustmentFactors: AdjustmentFactorsApi;
  /** `security_master.get_range` and `get_last`. */
  readonly securityMaster: SecurityMasterApi;
  /** The gateway base URL in use (no trailing slash). */
  readonly gateway: string;

  constructor(options: ReferenceOptions = {}) {
    const http = createHttpClient(options, 'Reference');
    this.gateway = http.gateway;
    this.corporateActions = new CorporateActionsApi(http);
    this.adjustmentFactors = new AdjustmentFactorsApi(http);
    this.securityMaster = new SecurityMasterApi(http);
  }
}

/** One endpoint: its path and the columns that hold timestamps. */
interface Endpoint {
  where: string;
  timestamps: readonly string[];
}

const CORPORATE_ACTIONS: Endpoint = { where: 'corporate_actions.get_range', timestamps: ['ts_record', 'ts_created'] };
const ADJUSTMENT_FACTORS: Endpoint = { where: 'adjustment_factors.get_range', timestamps: ['ts_created'] };
const SECURITY_MASTER_RANGE: Endpoint = {
  where: 'security_master.get_range',
  timestamps: ['ts_record', 'ts_effective', 'ts_created'],
};
const SECURITY_MASTER_LAST: Endpoint = { ...SECURITY_MASTER_RANGE, where: 'security_master.get_last' };

/** A prepared request: what to send and how each row is converted. */
interface Call {
  endpoint: Endpoint;
  spec: RequestSpec;
  flatten: boolean;
}

function prepare(endpoint: Endpoint, params: Params, signal: unknown, flatten = false): Call {
  const spec: RequestSpec = { method: 'POST', path: `/v0/${endpoint.where}`, params, signal: optionalSignal(signal) };
  return { endpoint, spec, flatten };
}

function convert(call: Call, row: RawRow): void {
  convertTimestamps(row, call.endpoint.timestamps, call.endpoint.where);
  if (call.flatten) flattenRow(row);
}

/**
 * Every row of a response. Nothing is handed out before the body is complete,
 * so a failure anywhere (429, 5xx, a connection cut mid-body) may be retried.
 */
async function fetchAll(http: HttpClient, call: Call): Promise<RawRow[]> {
  return http.retrying('safe', call.spec.signal, async () => {
    const res = await http.open(call.spec);
    const rows: RawRow[] = [];
    for await (const batch of rowBatches(res.body, call.endpoint.where)) {
      for (const row of batch) {
        convert(call, row);
        rows.push(row);
      }
    }
    return rows;
  });
}

/** The rows of a response as they arrive; retried only until the response headers. */
async function* streamRows(http: HttpClient, call: Call): AsyncGenerator<RawRow, void, undefined> {
  const res = await http.retrying('safe', call.spec.signal, () => http.open(call.spec));
  for await (const batch of rowBatches(res.body, call.endpoint.where)) {
    for (const row of batch) {
      convert(call, row);
      yield row;
    }
  }
}

/** Corporate actions (`/v0/corporate_actions.get_range`). */
export class CorporateActionsApi {
  readonly #http: HttpClient;

  /** @internal */
  constructor(http: HttpClient) {
    this.#http = http;
  }

  /**
   * Corporate actions (dividends, splits, mergers, listings, name changes…)
   * whose `index` column (default `event_date`) lies in [`start`, `end`).
   *
   * As databento-python: `flatten` (default true) merges `date_info`,
   * `rate_info` and `event_info` into the row; `pit: false` (default) merges
   * the versions of each `event_unique_id` into one row (newest non-null
   * values win), `pit: true` keeps every version. Rows are sorted stably on
   * the `index` column (nulls first); ties keep `event_unique_id` order after
   * merging, else the server's order.
   */
  getRange(options: CorporateActionsOptions & { flatten: false }): Promise<CorporateAction[]>;
  getRange(options: CorporateActionsOptions): Promise<FlatCorporateAction[]>;
  async getRange(options: CorporateActionsOptions): Promise<CorporateAction[] | FlatCorporateAction[]> {
    const o = optionsObject(options, 'corporateActions.getRange', true);
    const { call, index } = this.#prepare(o, 'corporateActions.getRange');
    const pit = encodeFlag(o.pit, 'corporateActions.getRange: pit', false);
    const rows = await fetchAll(this.#http, call);
    return stableSort(pit ? rows : mergeVersions(rows), index) as unknown as CorporateAction[] | FlatCorporateAction[];
  }

  /**
   * Streams the same rows as {@link getRange} in the server's order, each
   * version of an event on its own (no `pit` merge, no sort: both need every
   * row at once), decompressed and parsed as the body arrives. Memory stays
   * bounded whatever the size; `break` releases the connection.
   */
  stream(options: CorporateActionsStreamOptions & { flatten: false }): AsyncGenerator<CorporateAction, void, undefined>;
  stream(options: CorporateActionsStreamOptions): AsyncGenerator<FlatCorporateAction, void, undefined>;
  stream(options: CorporateActionsStreamOptions): AsyncGenerator<CorporateAction | FlatCorporateAction, void, undefined> {
    const o = optionsObject(options, 'corporateActions.stream', true);
    if ((o as CorporateActionsOptions).pit !== undefined) {
      throw new InvalidArgumentError('corporateActions.stream: pit needs every version of an event at once: use getRange');
    }
    const { call } = this.#prepare(o, 'corporateActions.stream');
    return streamRows(this.#http, call) as AsyncGenerator<CorporateAction | FlatCorporateAction, void, undefined>;
  }

  #prepare(o: CorporateActionsStreamOptions, where: string): { call: Call; index: string } {
    const index = encodeIndex(o.index, ['event_date', 'ex_date', 'ts_record'] as const, `${where}: index`);
    const params: Params = {
      ...encodeRange(o, where),
      index,
      ...encodeFilters(o, where),
      events: encodeList(o.events, `${where}: events`),
      exchanges: encodeList(o.exchanges, `${where}: exchanges`),
    };
    const flatten = encodeFlag(o.flatten, `${where}: flatten`, true);
    return { call: prepare(CORPORATE_ACTIONS, params, o.signal, flatten), index };
  }
}

/** Adjustment factors (`/v0/adjustment_factors.get_range`); see also `adjustPrices`. */
export class AdjustmentFactorsApi {
  readonly #http: HttpClient;

  /** @internal */
  constructor(http: HttpClient) {
    this.#http = http;
  }

  /** Adjustment factors whose `ex_date` lies in [`start`, `end`), sorted stably by `ex_date`. */
  async getRange(options: AdjustmentFactorsOptions): Promise<AdjustmentFactor[]> {
    const call = this.#prepare(options, 'adjustmentFactors.getRange');
    return stableSort(await fetchAll(this.#http, call), 'ex_date') as unknown as AdjustmentFactor[];
  }

  /** The same rows in the server's order, as the body arrives, in bounded memory. */
  stream(options: AdjustmentFactorsOptions): AsyncGenerator<AdjustmentFactor, void, undefined> {
    const call = this.#prepare(options, 'adjustmentFactors.stream');
    return streamRows(this.#http, call) as unknown as AsyncGenerator<AdjustmentFactor, void, undefined>;
  }

  #prepare(options: AdjustmentFactorsOptions, where: string): Call {
    const o = optionsObject(options, where, true);
    return prepare(ADJUSTMENT_FACTORS, { ...encodeRange(o, where), ...encodeFilters(o, where) }, o.signal);
  }
}

/** The security master (`/v0/security_master.get_range` and `get_last`). */
export class SecurityMasterApi {
  readonly #http: HttpClient;

  /** @internal */
  constructor(http: HttpClient) {
    this.#http = http;
  }

  /**
   * Point-in-time history of listing attributes whose `index` column (default
   * `ts_effective`) lies in [`start`, `end`), sorted stably on it.
   */
  async getRange(options: SecurityMasterRangeOptions): Promise<SecurityMaster[]> {
    const { call, index } = this.#prepareRange(options, 'securityMaster.getRange');
    return stableSort(await fetchAll(this.#http, call), index) as unknown as SecurityMaster[];
  }

  /** {@link getRange}'s rows in the server's order, as the body arrives, in bounded memory. */
  stream(options: SecurityMasterRangeOptions): AsyncGenerator<SecurityMaster, void, undefined> {
    const { call } = this.#prepareRange(options, 'securityMaster.stream');
    return streamRows(this.#http, call) as unknown as AsyncGenerator<SecurityMaster, void, undefined>;
  }

  /** The latest attributes of each listing, sorted stably by `ts_effective`. */
  async getLast(options: SecurityMasterLastOptions = {}): Promise<SecurityMaster[]> {
    const call = this.#prepareLast(options, 'securityMaster.getLast');
    return stableSort(await fetchAll(this.#http, call), 'ts_effective') as unknown as SecurityMaster[];
  }

  /** {@link getLast}'s rows in the server's order, as the body arrives. */
  streamLast(options: SecurityMasterLastOptions = {}): AsyncGenerator<SecurityMaster, void, undefined> {
    const call = this.#prepareLast(options, 'securityMaster.streamLast');
    return streamRows(this.#http, call) as unknown as AsyncGenerator<SecurityMaster, void, undefined>;
  }

  #prepareRange(options: SecurityMasterRangeOptions, where: string): { call: Call; index: string } {
    const o = optionsObject(options, where, true);
    const index = encodeIndex(o.index, ['ts_effective', 'ts_record'] as const, `${where}: index`);
    const params = { ...encodeRange(o, where), index, ...encodeFilters(o, where) };
    return { call: prepare(SECURITY_MASTER_RANGE, params, o.signal), index };
  }

  #prepareLast(options: ReferenceFilterOptions, where: string): Call {
    const o = optionsObject(options, where);
    return prepare(SECURITY_MASTER_LAST, encodeFilters(o, where), o.signal);
  }
}
