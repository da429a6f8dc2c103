/**
 * Errors of the historical client. All extend {@link DatabentoError}; none
 * ever contains the API key (messages, bodies and causes are scrubbed).
 * @module
 */
import { DatabentoError } from '../errors.js';

/** Codes of {@link HttpError}: `'AUTH_FAILED'` for 401, `'RATE_LIMITED'` for 429, else `'HTTP_ERROR'`. */
export type HttpErrorCode = 'HTTP_ERROR' | 'AUTH_FAILED' | 'RATE_LIMITED';

/** What {@link HttpError}'s constructor takes. */
export interface HttpErrorInit {
  /** HTTP status code. */
  status: number;
  /** The API's detail message (or a description of a non-JSON body). */
  message: string;
  /** HTTP method of the request. */
  method: string;
  /** Path of the request, e.g. `/v0/timeseries.get_range` (no query string). */
  requestPath: string;
  /** The API's error case, e.g. `'data_start_before_available_start'`. */
  case?: string | undefined;
  /** Link to the API documentation about the error. */
  docsUrl?: string | undefined;
  /** Value of the `request-id` response header. */
  requestId?: string | undefined;
  /** The raw response body (scrubbed), for diagnostics. */
  body?: string | undefined;
  /** Seconds the server asked to wait (`Retry-After`), on 429 and 503. */
  retryAfterSeconds?: number | undefined;
}

/**
 * The API answered with an error status (≥ 400). `message` is the API's own
 * detail message; {@link BentoClientError} (4xx) and {@link BentoServerError}
 * (5xx) tell client from server faults.
 */
export class HttpError extends DatabentoError {
  declare readonly code: HttpErrorCode;
  /** HTTP status code. */
  readonly status: number;
  /** The API's error case (rich error bodies only), e.g. `'data_start_before_available_start'`. */
  readonly case: string | undefined;
  /** Documentation link from the error body, if any. */
  readonly docsUrl: string | undefined;
  /** Path of the failed request, e.g. `/v0/metadata.get_cost`. */
  readonly requestPath: string;
  /** HTTP method of the failed request. */
  readonly method: string;
  /** The `request-id` response header, to quote to Databento support. */
  readonly requestId: string | undefined;
  /** The raw error body, for diagnostics. */
  readonly body: string | undefined;
  /** The `Retry-After` delay in seconds, when the server sent one. */
  readonly retryAfterSeconds: number | undefined;

  constructor(init: HttpErrorInit, options?: ErrorOptions) {
    const code: HttpErrorCode = init.status === 401 ? 'AUTH_FAILED' : init.status === 429 ? 'RATE_LIMITED' : 'HTTP_ERROR';
    super(init.message, code, options);
    this.status = init.status;
    this.case = init.case;
    this.docsUrl = init.docsUrl;
    this.requestPath = init.requestPath;
    this.method = init.method;
    this.requestId = init.requestId;
    this.body = init.body;
    this.retryAfterSeconds = init.retryAfterSeconds;
  }
}

/** The request was rejected (HTTP 4xx): bad parameters, authentication, permissions, rate limits. */
export class BentoClientError extends HttpError {}

/** The server failed (HTTP 5xx). Safe requests are retried before this is thrown. */
export class BentoServerError extends HttpError {}

/** Codes of {@link RequestError}. */
export type RequestErrorCode = 'NETWORK_ERROR' | 'TIMEOUT';

/**
 * A request got no HTTP answer: connection refused or reset, DNS failure, TLS
 * failure, or no data for `timeoutMs` (code `'TIMEOUT'`).
 */
export class RequestError extends DatabentoError {
  declare readonly code: RequestErrorCode;
  /** HTTP method of the request. */
  readonly method: string;
  /** Path of the request. */
  readonly requestPath: string;

  constructor(message: string, code: RequestErrorCode, method: string, requestPath: string, options?: ErrorOptions) {
    super(message, code, options);
    this.method = method;
    this.requestPath = requestPath;
  }
}

/** The API answered with a body that is not what the endpoint returns (code `'BAD_RESPONSE'`). */
export class BadResponseError extends DatabentoError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, 'BAD_RESPONSE', options);
  }
}

/**
 * The operation was cancelled through its `AbortSignal` (code `'ABORTED'`).
 * Its `name` is `'AbortError'`, like the DOM's, so generic abort handling
 * recognises it; `cause` is the signal's reason.
 */
export class AbortError extends DatabentoError {
  constructor(message = 'The operation was aborted', options?: ErrorOptions) {
    super(message, 'ABORTED', options);
    this.name = 'AbortError';
  }
}

/**
 * The cost guard tripped: `getCost` for the request exceeds `maxCostUsd`.
 * Thrown before any data is requested (code `'COST_LIMIT'`).
 */
export class CostLimitError extends DatabentoError {
  /** The quoted cost of the request in US dollars. */
  readonly costUsd: number;
  /** The limit that was set. */
  readonly maxCostUsd: number;

  constructor(costUsd: number, maxCostUsd: number) {
    super(`the request would cost $${costUsd}, above maxCostUsd $${maxCostUsd}`, 'COST_LIMIT');
    this.costUsd = costUsd;
    this.maxCostUsd = maxCostUsd;
  }
}

/**
 * A downloaded batch file did not match its listed hash, even after one full
 * re-download (code `'CHECKSUM_MISMATCH'`). The bad file is deleted.
 */
export class ChecksumError extends DatabentoError {
  /** Name of the file in the job. */
  readonly filename: string;
  /** Local path the file was downloaded to (now deleted). */
  readonly path: string;
  /** Expected hash, `<algorithm>:<hex>` as listed by the API. */
  readonly expected: string;
  /** Hash of the downloaded bytes, same form. */
  readonly actual: string;

  constructor(filename: string, path: string, expected: string, actual: string) {
    super(`checksum mismatch for ${filename}: expected ${expected}, got ${actual}`, 'CHECKSUM_MISMATCH');
    this.filename = filename;
    this.path = path;
    this.expected = expected;
    this.actual = actual;
  }
}
