/**
 * `client.metadata`: publishers, datasets, schemas, fields, prices, dataset
 * conditions and ranges, and the size and cost of a query.
 * @module
 */
import * as check from './check.js';
import type { HttpClient, Params } from './http.js';
import {
  encodeDateRange,
  encodeEncoding,
  encodePositive,
  encodeSchema,
  encodeSType,
  encodeSymbols,
  encodeTimeRange,
  optionalSignal,
  optionsObject,
  requireString,
} from './params.js';
import type {
  DatasetConditionDetail,
  DatasetRange,
  DateOnlyLike,
  DateTimeLike,
  EncodingName,
  FieldDetail,
  PublisherDetail,
  SchemaName,
  STypeName,
  Symbols,
  UnitPricesForMode,
} from './types.js';

/** Options every call accepts. */
export interface CallOptions {
  /** Cancels the call; it then rejects with an `AbortError` (code `'ABORTED'`). */
  signal?: AbortSignal;
}

/** Options of {@link MetadataApi.listDatasets}. */
export interface ListDatasetsOptions extends CallOptions {
  /** Only datasets with data on or after this day. */
  startDate?: DateOnlyLike;
  /** Only datasets with data before this day (exclusive). */
  endDate?: DateOnlyLike;
}

/** Options naming one dataset. */
export interface DatasetOptions extends CallOptions {
  /** Dataset code, e.g. `'GLBX.MDP3'`. */
  dataset: string;
}

/** Options of {@link MetadataApi.listFields}. */
export interface ListFieldsOptions extends CallOptions {
  /** Schema whose fields to list, e.g. `'trades'`. */
  schema: SchemaName;
  /** Default `'dbn'`. */
  encoding?: EncodingName;
}

/** Options of {@link MetadataApi.getDatasetCondition}. */
export interface DatasetConditionOptions extends DatasetOptions {
  /** First day (inclusive). */
  startDate?: DateOnlyLike;
  /** Last day (inclusive). */
  endDate?: DateOnlyLike;
}

/** A query over a time range, as getRecordCount, getBillableSize and getCost take it. */
export interface QueryOptions extends CallOptions {
  /** Dataset code, e.g. `'GLBX.MDP3'`. */
  dataset: string;
  /** Symbols; `'ALL_SYMBOLS'` for every instrument. */
  symbols: Symbols;
  /** Schema of the data, e.g. `'trades'`. */
  schema: SchemaName;
  /** Inclusive start. */
  start: DateTimeLike;
  /** Exclusive end; omitted, the server fills it forward from `start`. */
  end?: DateTimeLike;
  /** Default `'raw_symbol'`. */
  stypeIn?: STypeName;
  /** Sent only when given. */
  stypeOut?: STypeName;
  /** Maximum number of records; 0 or omitted for none. */
  limit?: number | bigint;
}

/** The form parameters of a {@link QueryOptions}. */
export function queryParams(o: QueryOptions, where: string): Params {
  const range = encodeTimeRange(o.start, o.end, where);
  return {
    dataset: requireString(o.dataset, `${where}: dataset`),
    symbols: encodeSymbols(o.symbols, `${where}: symbols`),
    schema: encodeSchema(o.schema, `${where}: schema`),
    start: range.start,
    end: range.end,
    stype_in: encodeSType(o.stypeIn ?? 'raw_symbol', `${where}: stypeIn`),
    stype_out: o.stypeOut === undefined ? undefined : encodeSType(o.stypeOut, `${where}: stypeOut`),
    limit: encodePositive(o.limit, `${where}: limit`),
  };
}

/**
 * The metadata endpoints (`/v0/metadata.*`). Results keep the API's JSON field
 * names. All calls are retried on 429, 5xx and network failures.
 */
export class MetadataApi {
  readonly #http: HttpClient;

  /** @internal */
  constructor(http: HttpClient) {
    this.#http = http;
  }

  /** Every publisher (dataset × venue) with its numeric id. */
  async listPublishers(options: CallOptions = {}): Promise<PublisherDetail[]> {
    const where = 'metadata.list_publishers';
    const o = optionsObject(options, where);
    const json = await this.#get(where, {}, optionalSignal(o.signal));
    return check.array(json, where).map((p) =>
      check.fields(check.object(p, where), where, {
        publisher_id: 'number',
        dataset: 'string',
        venue: 'string',
        description: 'string|null',
      }),
    ) as unknown as PublisherDetail[];
  }

  /** Codes of the datasets available to the key, optionally only those with data in a date range. */
  async listDatasets(options: ListDatasetsOptions = {}): Promise<string[]> {
    const where = 'metadata.list_datasets';
    const o = optionsObject(options, where);
    const dates = encodeDateRange(o.startDate, o.endDate, where);
    const params = { start_date: dates.start, end_date: dates.end };
    return check.strings(await this.#get(where, params, optionalSignal(o.signal)), where);
  }

  /** Schemas available for a dataset. */
  async listSchemas(options: DatasetOptions): Promise<SchemaName[]> {
    const where = 'metadata.list_schemas';
    const o = optionsObject(options, where, true);
    const params = { dataset: requireString(o.dataset, `${where}: dataset`) };
    return check.strings(await this.#get(where, params, optionalSignal(o.signal)), where) as SchemaName[];
  }

  /** Fields (name and C type) of a schema in an encoding. */
  async listFields(options: ListFieldsOptions): Promise<FieldDetail[]> {
    const where = 'metadata.list_fields';
    const o = optionsObject(options, where, true);
    const params = {
      schema: encodeSchema(o.schema, `${where}: schema`),
      encoding: encodeEncoding(o.encoding ?? 'dbn', `${where}: encoding`),
    };
    const json = await this.#get(where, params, optionalSignal(o.signal));
    return check
      .array(json, where)
      .map((f) => check.fields(check.object(f, where), where, { name: 'string', type: 'string' })) as unknown as FieldDetail[];
  }

  /** Unit prices (USD per GB) of a dataset's schemas, per feed mode. */
  async listUnitPrices(options: DatasetOptions): Promise<UnitPricesForMode[]> {
    const where = 'metadata.list_unit_prices';
    const o = optionsObject(options, where, true);
    const params = { dataset: requireString(o.dataset, `${where}: dataset`) };
    const json = await this.#get(where, params, optionalSignal(o.signal));
    return check.array(json, where).map((m) =>
      check.fields(check.object(m, where), where, {
        mode: 'string',
        unit_prices: (v) =>
          v !== null && typeof v === 'object' && Object.values(v as object).every((p) => typeof p === 'number'),
      }),
    ) as unknown as UnitPricesForMode[];
  }

  /** Data quality per day of a dataset (`endDate` inclusive). */
  async getDatasetCondition(options: DatasetConditionOptions): Promise<DatasetConditionDetail[]> {
    const where = 'metadata.get_dataset_condition';
    const o = optionsObject(options, where, true);
    const dates = encodeDateRange(o.startDate, o.endDate, where);
    const params = { dataset: requireString(o.dataset, `${where}: dataset`), start_date: dates.start, end_date: dates.end };
    const json = await this.#get(where, params, optionalSignal(o.signal));
    return check.array(json, where).map((d) =>
      check.fields(check.object(d, where), where, {
        date: 'string',
        condition: 'string',
        last_modified_date: 'string|null',
      }),
    ) as unknown as DatasetConditionDetail[];
  }

  /** The available range of a dataset, overall and per schema. */
  async getDatasetRange(options: DatasetOptions): Promise<DatasetRange> {
    const where = 'metadata.get_dataset_range';
    const o = optionsObject(options, where, true);
    const params = { dataset: requireString(o.dataset, `${where}: dataset`) };
    const json = await this.#get(where, params, optionalSignal(o.signal));
    return check.fields(check.object(json, where), where, {
      start: 'string',
      end: 'string',
      schema: (v) => v !== null && typeof v === 'object' && !Array.isArray(v),
    }) as unknown as DatasetRange;
  }

  /** Number of records a query would return. */
  async getRecordCount(options: QueryOptions): Promise<number> {
    const where = 'metadata.get_record_count';
    return check.unsigned(await this.#post(where, options), where);
  }

  /** Billable size of a query in bytes (uncompressed DBN). */
  async getBillableSize(options: QueryOptions): Promise<number> {
    const where = 'metadata.get_billable_size';
    return check.unsigned(await this.#post(where, options), where);
  }

  /** Cost of a query in US dollars. */
  async getCost(options: QueryOptions): Promise<number> {
    const where = 'metadata.get_cost';
    return check.number(await this.#post(where, options), where);
  }

  #get(where: string, params: Params, signal: AbortSignal | undefined): Promise<unknown> {
    return this.#http.json({ method: 'GET', path: `/v0/${where}`, params, signal }, 'safe');
  }

  #post(where: string, options: QueryOptions): Promise<unknown> {
    const o = optionsObject(options, where, true);
    const params = queryParams(o, where);
    const signal = optionalSignal(o.signal);
    return this.#http.json({ method: 'POST', path: `/v0/${where}`, params, signal }, 'safe');
  }
}
