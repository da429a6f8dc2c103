/**
 * The historical client.
 * @module
 */
import { resolveApiKey } from '../api-key.js';
import { ClientLog, checkLogger, type Logger } from '../log.js';
import { InvalidArgumentError } from '../errors.js';
import { BatchApi } from './batch.js';
import { DEFAULT_RETRY, HttpClient, type RetryOptions } from './http.js';
import { MetadataApi } from './metadata.js';
import { SymbologyApi } from './symbology.js';
import { TimeseriesApi } from './timeseries.js';

/** The default historical gateway. */
export const DEFAULT_GATEWAY = 'https://hist.databento.com';

/** Options of {@link Historical}. */
export interface HistoricalOptions {
  /** API key; default `process.env.DATABENTO_API_KEY`. */
  key?: string;
  /**
   * Gateway URL, default `process.env.DATABENTO_HIST_GATEWAY`, else
   * `https://hist.databento.com`. A full URL such as
   * `http://127.0.0.1:8080` (tests, the mock server) or a bare host name (HTTPS).
   */
  gateway?: string;
  /**
   * Idle timeout in ms (default 100 000): how long to wait for response headers
   * or for the next chunk of a body while reading it. 0 disables it.
   */
  timeoutMs?: number;
  /**
   * Retry limits for requests safe to repeat (429, 5xx, network failures), or
   * `false` for none. Default `{ maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 10000 }`.
   */
  retry?: RetryOptions | false;
  /**
   * Where diagnostics go: each request with its status, timing and retries
   * (`console`, a pino logger, …; see {@link Logger}). `NODE_DEBUG=databento`
   * prints them on stderr too. The key never appears in them.
   */
  logger?: Logger;
}

/**
 * Client of Databento's historical REST API, over Node's own `fetch` (so
 * `HTTPS_PROXY`-style dispatchers, `NODE_EXTRA_CA_CERTS` and the like apply).
 *
 * - {@link Historical.metadata}: publishers, datasets, schemas, fields, prices, conditions, ranges, counts, sizes, costs
 * - {@link Historical.timeseries}: `getRange`, streamed and decoded natively
 * - {@link Historical.symbology}: `resolve`, and symbol maps from it
 * - {@link Historical.batch}: submit, list and download batch jobs
 *
 * Requests authenticate with HTTP Basic auth (the key as user name, empty
 * password). Errors are {@link DatabentoError}s — `BentoClientError` (4xx),
 * `BentoServerError` (5xx), `RequestError` (no answer), `AbortError`… — and
 * never contain the key. `X-Warning` headers from the server become
 * `process.emitWarning` calls of type `DatabentoWarning` or
 * `DatabentoDeprecationWarning`.
 *
 * ```ts
 * const client = new Historical(); // key from DATABENTO_API_KEY
 * const cost = await client.metadata.getCost({ dataset: 'GLBX.MDP3', symbols: ['ESZ4'],
 *   schema: 'trades', start: '2024-11-18' });
 * ```
 */
export class Historical {
  /** Metadata endpoints. */
  readonly metadata: MetadataApi;
  /** Streaming historical data. */
  readonly timeseries: TimeseriesApi;
  /** Symbology resolution. */
  readonly symbology: SymbologyApi;
  /** Batch jobs and downloads. */
  readonly batch: BatchApi;
  /** The gateway base URL in use (no trailing slash). */
  readonly gateway: string;

  constructor(options: HistoricalOptions = {}) {
    const http = createHttpClient(options, 'Historical');
    this.gateway = http.gateway;
    this.metadata = new MetadataApi(http);
    this.timeseries = new TimeseriesApi(http, this.metadata);
    this.symbology = new SymbologyApi(http);
    this.batch = new BatchApi(http, this.metadata);
  }
}

/**
 * The transport of a client from its options (key, gateway, timeout, retry),
 * checked the same way for every client that shares it.
 * @internal
 */
export function createHttpClient(options: HistoricalOptions, name: string): HttpClient {
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError(`${name} options must be an object`);
  const key = resolveApiKey(options.key);
  const gateway = normalizeGateway(options.gateway ?? (process.env['DATABENTO_HIST_GATEWAY'] || DEFAULT_GATEWAY));
  const timeoutMs = options.timeoutMs ?? 100_000;
  if (typeof timeoutMs !== 'number' || !(timeoutMs >= 0)) {
    throw new InvalidArgumentError('timeoutMs must be a non-negative number of milliseconds');
  }
  const log = new ClientLog(checkLogger(options.logger, name), name.toLowerCase(), key);
  return new HttpClient({ key, gateway, timeoutMs, retry: normalizeRetry(options.retry), log });
}

function normalizeGateway(gateway: string): string {
  if (typeof gateway !== 'string' || gateway === '') throw new InvalidArgumentError('gateway must be a non-empty string');
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(gateway) ? gateway : `https://${gateway}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidArgumentError(`gateway '${gateway}' is not a valid URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InvalidArgumentError(`gateway must be an http or https URL, not ${url.protocol}`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new InvalidArgumentError('gateway must not carry a query, fragment or credentials');
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function normalizeRetry(retry: RetryOptions | false | undefined): Required<RetryOptions> | false {
  if (retry === false) return false;
  if (retry === undefined) return { ...DEFAULT_RETRY };
  if (retry === null || typeof retry !== 'object') throw new InvalidArgumentError('retry must be an object or false');
  const out = { ...DEFAULT_RETRY, ...Object.fromEntries(Object.entries(retry).filter(([, v]) => v !== undefined)) };
  if (!Number.isInteger(out.maxAttempts) || out.maxAttempts < 1) {
    throw new InvalidArgumentError('retry.maxAttempts must be an integer ≥ 1');
  }
  for (const k of ['baseDelayMs', 'maxDelayMs'] as const) {
    if (typeof out[k] !== 'number' || !(out[k] >= 0) || out[k] === Infinity) {
      throw new InvalidArgumentError(`retry.${k} must be a non-negative number`);
    }
  }
  return out;
}
