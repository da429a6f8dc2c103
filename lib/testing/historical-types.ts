/**
 * The public types of {@link MockHistoricalServer}: its options, the requests
 * it records, and the faults it can be told to inject.
 * @module
 */
import type { IncomingHttpHeaders } from 'node:http';
/** Options of {@link MockHistoricalServer.start}. */
export interface MockHistoricalServerOptions {
  /** Accept only this API key (others get 401); default any non-empty key. */
  key?: string;
  /**
   * A directory of DBN files named like the Databento test data
   * (`test_data.<schema>.v3.dbn.zst`, else `test_data.<schema>.dbn`):
   * `timeseries.get_range` serves the one of the requested schema when no
   * data was set with {@link MockHistoricalServer.setTimeseries}.
   */
  fixturesDir?: string;
  /** Bytes per chunk of streamed bodies (default 16 KiB). */
  chunkSize?: number;
  /** Pause between chunks in ms (default 0: just yield to the event loop). */
  chunkDelayMs?: number;
  /** Interface to listen on (default `127.0.0.1`). */
  host?: string;
  /** Port (default 0: any free port). */
  port?: number;
  /**
   * Origin written into `urls.https` of `batch.list_files` (default
   * `https://api.databento.com`, a foreign host as in production: clients must
   * use only the path). The files are served under that path by this server.
   */
  downloadOrigin?: string;
  /** User id in job objects and download paths (default `TEST_USER`). */
  userId?: string;
}

/** A request as the mock received it. */
export interface RecordedRequest {
  /** HTTP method, e.g. `'GET'` or `'POST'`. */
  method: string;
  /** Path without the query string, e.g. `/v0/metadata.list_datasets`. */
  path: string;
  /** Decoded query-string parameters. */
  query: Record<string, string>;
  /** Decoded `application/x-www-form-urlencoded` body parameters. */
  form: Record<string, string>;
  /** `query` and `form` merged (form wins). */
  params: Record<string, string>;
  /** Request headers (lower-case names). */
  headers: IncomingHttpHeaders;
  /** The raw request body. */
  body: string;
}

/** The rich form of an API error body's `detail`. */
export interface MockErrorDetail {
  /** Machine-readable error case, e.g. `'data_start_before_available_start'`. */
  case?: string;
  /** Human-readable error message. */
  message: string;
  /** HTTP status code repeated in the body. */
  status_code?: number;
  /** URL of the relevant API documentation. */
  docs?: string;
  /** Extra details, e.g. `{ dataset: 'GLBX.MDP3' }`. */
  payload?: unknown;
}

/**
 * Misbehaviour the mock can be told to show, once or several times:
 *
 * - `error`: answer with `status` and the API's error JSON (`detail` a string
 *   or the rich object form), or a raw `body` (e.g. an HTML 502 page).
 * - `rate-limit`: 429 with a `Retry-After` header (seconds, default 1).
 * - `truncate`: send the normal response but close the connection after
 *   `afterBytes` bytes of body.
 * - `reset`: close the connection without answering.
 * - `stall`: wait `ms` before answering normally (timeouts).
 * - `warning`: answer normally with an `X-Warning` header (a JSON array).
 * - `corrupt`: answer normally but with one byte of the body flipped (checksums).
 * - `ignore-range`: answer a Range request with 200 and the whole file.
 */
export type MockFault =
  | {
      /** Answer with an error status. */
      kind: 'error';
      /** HTTP status to answer with. */
      status: number;
      /** `detail` of the error JSON (default `mock error <status>`). */
      detail?: string | MockErrorDetail;
      /** Raw body sent as text/html instead of the error JSON. */
      body?: string;
      /** Extra response headers. */
      headers?: Record<string, string>;
    }
  | {
      /** Answer 429. */
      kind: 'rate-limit';
      /** `Retry-After` header value (default 1). */
      retryAfter?: number | string;
      /** `detail` of the error JSON (default `Too many requests.`). */
      detail?: string;
    }
  | {
      /** Cut the response body short. */
      kind: 'truncate';
      /** Body bytes sent before the connection is closed. */
      afterBytes: number;
    }
  | {
      /** Close the connection without answering. */
      kind: 'reset';
    }
  | {
      /** Delay the answer. */
      kind: 'stall';
      /** Milliseconds to wait before answering. */
      ms: number;
    }
  | {
      /** Add an `X-Warning` header. */
      kind: 'warning';
      /** The warning(s) to send. */
      warnings: string[] | string;
    }
  | {
      /** Flip one byte of the body. */
      kind: 'corrupt';
    }
  | {
      /** Answer a Range request with the whole file. */
      kind: 'ignore-range';
    };

/** Which requests a fault applies to, and how many times. */
export interface FaultMatch {
  /** Exact path (e.g. `/v0/timeseries.get_range`) or a pattern; default every path. */
  path?: string | RegExp;
  /** HTTP method; default any. */
  method?: string;
  /** Number of requests to affect (default 1; `Infinity` for all). */
  times?: number;
}

/** A file of a mock batch job. */
export interface MockBatchFile {
  /** File name, as listed by `batch.list_files`. */
  filename: string;
  /** File contents. */
  data: Uint8Array;
  /** Hash to list instead of the true `sha256:<hex>` (to test mismatches). */
  hash?: string;
}

/** What a JSON endpoint answers: a value, or a function of the request. */
export type MockJsonResponse = unknown | ((request: RecordedRequest) => unknown);

/**
 * The files a submitted batch job produces, from the parameters of its
 * `batch.submit_job` request; undefined leaves the job `queued`.
 */
export type MockBatchFiles = (params: Readonly<Record<string, string>>) => MockBatchFile[] | undefined | Promise<MockBatchFile[] | undefined>;

/** What `timeseries.get_range` serves: DBN bytes, or a function of the request parameters. */
export type MockTimeseriesData = Uint8Array | ((params: Record<string, string>) => Uint8Array | undefined);

