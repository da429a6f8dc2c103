/**
 * The HTTP transport of the historical client: Node's own `fetch` (so the
 * user's proxy and CA settings apply), Basic auth, retries with backoff,
 * idle timeouts, `X-Warning` headers and error bodies — and a guarantee that
 * the API key never leaves in an error or warning.
 * @internal
 * @module
 */
import { DatabentoError } from '../errors.js';
import { elapsed, type ClientLog } from '../log.js';
import { AbortError, BadResponseError, BentoClientError, BentoServerError, HttpError, RequestError } from './errors.js';
import { userAgent } from './version.js';

/** Retry limits of the historical client. */
export interface RetryOptions {
  /** Attempts in all, the first included (default 5). 1 disables retries. */
  maxAttempts?: number;
  /** Delay before the first retry, doubled on each further one (default 500 ms). */
  baseDelayMs?: number;
  /**
   * Upper bound of any wait between attempts (default 10 s), the server's
   * `Retry-After` included: when the server asks for a longer wait (or one
   * longer than `timeoutMs`), the error is thrown at once instead, with the
   * requested delay in its `retryAfterSeconds`.
   */
  maxDelayMs?: number;
}

/**
 * Which failures a request may be repeated after: `'safe'` — 429, 5xx and
 * network failures (the request has no effect when repeated); `'rate-limit'` —
 * only 429, which the server rejected without acting on it; `'never'`.
 */
export type RetryPolicy = 'safe' | 'rate-limit' | 'never';

/** Query or form parameters; `undefined` values are left out. */
export type Params = Record<string, string | undefined>;

/** One request as the endpoints describe it. */
export interface RequestSpec {
  method: 'GET' | 'POST';
  /** Path under the gateway, e.g. `/v0/metadata.list_datasets`. */
  path: string;
  params?: Params | undefined;
  signal?: AbortSignal | undefined;
  headers?: Record<string, string> | undefined;
  /** Binary body: ask for it uncompressed (DBN is zstd already; Range offsets must match the file). */
  binary?: boolean | undefined;
}

/** Resolved options of {@link HttpClient}. */
export interface HttpClientOptions {
  key: string;
  gateway: string;
  timeoutMs: number;
  retry: Required<RetryOptions> | false;
  log: ClientLog;
}

/** Default retry limits. */
export const DEFAULT_RETRY: Required<RetryOptions> = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 10_000 };

const ERROR_BODY_LIMIT = 64 * 1024;
const TIMEOUT = Symbol('timeout');

/** A response with status < 400 whose body is read chunk by chunk. */
export interface OpenResponse {
  status: number;
  headers: Headers;
  body: BodyReader;
}

/** The HTTP side of one `Historical` client. */
export class HttpClient {
  /** Base URL without a trailing slash, e.g. `https://hist.databento.com`. */
  readonly gateway: string;
  readonly timeoutMs: number;
  readonly retry: Required<RetryOptions> | false;
  /** Diagnostics of this client. */
  readonly log: ClientLog;
  readonly #secrets: string[];
  readonly #auth: string;
  readonly #userAgent = userAgent();

  constructor(options: HttpClientOptions) {
    this.gateway = options.gateway;
    this.timeoutMs = options.timeoutMs;
    this.retry = options.retry;
    this.log = options.log;
    const basic = Buffer.from(`${options.key}:`).toString('base64');
    this.#auth = `Basic ${basic}`;
    // Every form the key could be echoed in; longest first so no partial remains.
    this.#secrets = [basic, encodeURIComponent(options.key), options.key, Buffer.from(options.key).toString('base64')]
      .filter((s, i, all) => s.length > 0 && all.indexOf(s) === i)
      .sort((a, b) => b.length - a.length);
  }

  /** Removes the API key (and its Basic-auth form) from any text. */
  scrub(text: string): string {
    let out = text;
    for (const s of this.#secrets) out = out.split(s).join('***');
    return out;
  }

  /** Full URL of a path under the gateway, with query parameters. */
  url(path: string, params?: Params): string {
    const query = params ? encodeParams(params) : '';
    return `${this.gateway}${path}${query ? `?${query}` : ''}`;
  }

  /**
   * Sends one request (no retries) and waits for the response headers.
   * Status ≥ 400 throws an {@link HttpError} built from the body.
   */
  async open(spec: RequestSpec): Promise<OpenResponse> {
    throwIfAborted(spec.signal);
    const controller = new AbortController();
    const signal = spec.signal ? AbortSignal.any([controller.signal, spec.signal]) : controller.signal;
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': this.#userAgent,
      authorization: this.#auth,
      ...spec.headers,
    };
    if (spec.binary) headers['accept-encoding'] = 'identity';
    let url = `${this.gateway}${spec.path}`;
    let body: string | undefined;
    if (spec.method === 'POST') {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = encodeParams(spec.params ?? {});
    } else if (spec.params) {
      url = this.url(spec.path, spec.params);
    }
    const timer = this.startTimer(controller);
    const t0 = performance.now();
    this.log.debug(`${spec.method} ${spec.path}`);
    let response: Response;
    try {
      response = await fetch(url, { method: spec.method, headers, body, signal, redirect: 'follow' });
    } catch (err) {
      const failure = this.failure(err, controller, spec);
      this.log.debug(`${spec.method} ${spec.path} failed after ${elapsed(t0)}: ${failure.code} ${failure.message}`);
      throw failure;
    } finally {
      clearTimeout(timer);
    }
    this.log.debug(`${spec.method} ${spec.path} -> ${response.status} in ${elapsed(t0)}`);
    this.emitWarnings(response.headers);
    const reader = new BodyReader(this, response, controller, spec);
    if (response.status >= 400) throw await this.#httpError(response, reader, spec);
    return { status: response.status, headers: response.headers, body: reader };
  }

  /** Sends a request (retrying per `policy`) and parses its JSON body. */
  async json(spec: RequestSpec, policy: RetryPolicy): Promise<unknown> {
    return this.retrying(policy, spec.signal, async () => {
      const res = await this.open(spec);
      const text = await res.body.text();
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new BadResponseError(
          `${spec.method} ${spec.path} returned a body that is not JSON: ${this.scrub(text.slice(0, 200))}`,
        );
      }
    });
  }

  /**
   * Runs `attempt` until it succeeds, its error is not retryable under
   * `policy`, or the attempts run out. Waits between attempts: `Retry-After`
   * when the server sent one, else exponential backoff with jitter.
   * `canRetry` may veto a retry (e.g. once part of a body was handed out).
   */
  async retrying<T>(
    policy: RetryPolicy,
    signal: AbortSignal | undefined,
    attempt: (n: number) => Promise<T>,
    canRetry: (err: unknown) => boolean = () => true,
  ): Promise<T> {
    for (let n = 1; ; n++) {
      try {
        return await attempt(n);
      } catch (err) {
        const delay = canRetry(err) ? this.retryDelay(err, policy, n) : undefined;
        if (delay === undefined) throw err;
        const max = this.retry ? this.retry.maxAttempts : 1;
        this.log.warn(`retrying in ${Math.round(delay)} ms (attempt ${n + 1} of ${max}) after: ${(err as Error).message}`);
        await sleep(delay, signal);
      }
    }
  }

  /** Milliseconds to wait before attempt `n + 1` after `err`, or undefined if it must not be retried. */
  retryDelay(err: unknown, policy: RetryPolicy, n: number): number | undefined {
    const retry = this.retry;
    if (!retry || policy === 'never' || n >= retry.maxAttempts) return undefined;
    const backoff = (): number => {
      const full = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (n - 1));
      return full / 2 + Math.random() * (full / 2); // "equal jitter": spread, yet never near zero
    };
    if (err instanceof HttpError) {
      const retryable = err.status === 429 || (policy === 'safe' && err.status >= 500);
      if (!retryable) return undefined;
      if (err.retryAfterSeconds === undefined) return backoff();
      // Honour the server's wait, but only within the limits of this request:
      // retrying earlier than asked would just be refused again.
      const wait = err.retryAfterSeconds * 1000;
      return wait <= this.#longestWait() ? wait : undefined;
    }
    if (err instanceof RequestError && policy === 'safe') return backoff();
    return undefined;
  }

  /** The longest wait between attempts: `maxDelayMs`, and never more than the idle timeout. */
  #longestWait(): number {
    const limit = this.retry ? this.retry.maxDelayMs : 0;
    return this.timeoutMs > 0 ? Math.min(limit, this.timeoutMs) : limit;
  }

  /** Turns an `X-Warning` header into `process.emitWarning` calls. */
  emitWarnings(headers: Headers): void {
    const raw = headers.get('x-warning');
    if (!raw) return;
    let entries: string[];
    try {
      const parsed = JSON.parse(raw) as unknown;
      entries = Array.isArray(parsed) ? parsed.map((e) => String(e)) : [String(parsed)];
    } catch {
      entries = [raw];
    }
    for (const entry of entries) {
      // Entries read "<Category>: <message>", e.g. "DeprecationWarning: the mode parameter is deprecated".
      const m = /^(\w+): ([\s\S]*)$/.exec(entry);
      const category = m?.[1] ?? '';
      const message = m ? m[2]! : entry;
      const type = category === 'DeprecationWarning' ? 'DatabentoDeprecationWarning' : 'DatabentoWarning';
      process.emitWarning(this.scrub(message), { type });
    }
  }

  /** Starts the idle timer of a request: aborts it after `timeoutMs` without progress. */
  startTimer(controller: AbortController): ReturnType<typeof setTimeout> | undefined {
    if (!(this.timeoutMs > 0) || this.timeoutMs === Infinity) return undefined;
    return setTimeout(() => controller.abort(TIMEOUT), this.timeoutMs);
  }

  /** Maps a fetch/body failure to AbortError, RequestError('TIMEOUT') or RequestError('NETWORK_ERROR'). */
  failure(err: unknown, controller: AbortController, spec: RequestSpec): DatabentoError {
    if (err instanceof DatabentoError) return err;
    if (spec.signal?.aborted) return abortError(spec.signal);
    const where = `${spec.method} ${spec.path}`;
    if (controller.signal.aborted && controller.signal.reason === TIMEOUT) {
      return new RequestError(`${where} timed out: no data for ${this.timeoutMs} ms`, 'TIMEOUT', spec.method, spec.path);
    }
    const cause = this.#scrubbedError(err);
    const detail = describeNetworkError(cause);
    return new RequestError(`${where} failed: ${detail}`, 'NETWORK_ERROR', spec.method, spec.path, { cause });
  }

  /** A copy of an error (and its causes) with the key removed from every message. */
  #scrubbedError(err: unknown, depth = 0): Error {
    const src = err instanceof Error ? err : new Error(String(err));
    const copy = new Error(this.scrub(src.message));
    copy.name = src.name;
    const code = (src as { code?: unknown }).code;
    if (typeof code === 'string') (copy as Error & { code?: string }).code = code;
    if (src.cause !== undefined && depth < 4) copy.cause = this.#scrubbedError(src.cause, depth + 1);
    copy.stack = `${copy.name}: ${copy.message}`;
    return copy;
  }

  async #httpError(response: Response, reader: BodyReader, spec: RequestSpec): Promise<HttpError> {
    let text = '';
    try {
      text = this.scrub(await reader.text(ERROR_BODY_LIMIT));
    } catch {
      // the error body itself failed: report the status alone
    }
    let message: string | undefined;
    let errorCase: string | undefined;
    let docsUrl: string | undefined;
    try {
      const detail = (JSON.parse(text) as { detail?: unknown }).detail;
      if (typeof detail === 'string') message = detail;
      else if (detail && typeof detail === 'object') {
        const d = detail as { message?: unknown; case?: unknown; docs?: unknown };
        message = typeof d.message === 'string' ? d.message : JSON.stringify(detail);
        if (typeof d.case === 'string') errorCase = d.case;
        if (typeof d.docs === 'string') docsUrl = d.docs;
      }
    } catch {
      // not JSON (e.g. an HTML page from a proxy)
    }
    const status = response.status;
    if (message === undefined) {
      if (status === 408) message = 'The request transmission timed out.';
      else if (status === 504) message = 'The remote gateway timed out.';
      else {
        const snippet = text.trim().slice(0, 200);
        message = `HTTP ${status}${response.statusText ? ` ${response.statusText}` : ''} from ${spec.method} ${spec.path}${snippet ? `: ${snippet}` : ''}`;
      }
    }
    const init = {
      status,
      message,
      method: spec.method,
      requestPath: spec.path,
      case: errorCase,
      docsUrl,
      requestId: response.headers.get('request-id') ?? response.headers.get('x-request-id') ?? undefined,
      body: text,
      retryAfterSeconds: parseRetryAfter(response.headers.get('retry-after')),
    };
    return status >= 500 ? new BentoServerError(init) : new BentoClientError(init);
  }
}

/**
 * Reads a response body chunk by chunk, pulling from the network only when
 * asked (backpressure), with the idle timeout armed while a read waits.
 */
export class BodyReader {
  /** Bytes read so far. */
  bytesRead = 0;
  readonly #client: HttpClient;
  readonly #reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  readonly #controller: AbortController;
  readonly #spec: RequestSpec;
  readonly #t0 = performance.now();
  #done = false;

  constructor(client: HttpClient, response: Response, controller: AbortController, spec: RequestSpec) {
    this.#client = client;
    this.#reader = response.body?.getReader();
    this.#controller = controller;
    this.#spec = spec;
    if (!this.#reader) this.#done = true;
  }

  /** The next chunk, or null at the end of the body. */
  async read(): Promise<Uint8Array | null> {
    if (this.#done) return null;
    throwIfAborted(this.#spec.signal);
    const timer = this.#client.startTimer(this.#controller);
    try {
      const { done, value } = await this.#reader!.read();
      if (done) {
        this.#done = true;
        this.#client.log.debug(`${this.#spec.method} ${this.#spec.path}: body of ${this.bytesRead} bytes read in ${elapsed(this.#t0)}`);
        return null;
      }
      this.bytesRead += value.length;
      return value;
    } catch (err) {
      this.#done = true;
      throw this.#client.failure(err, this.#controller, this.#spec);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The whole body (or its first `limit` bytes) as UTF-8 text. */
  async text(limit = Infinity): Promise<string> {
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (let c = await this.read(); c !== null; c = await this.read()) {
      chunks.push(c);
      size += c.length;
      if (size >= limit) {
        await this.cancel();
        break;
      }
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  /** Stops reading and releases the connection. */
  async cancel(): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    try {
      await this.#reader?.cancel();
    } catch {
      // already errored: nothing to release
    }
  }
}

/** `application/x-www-form-urlencoded` of the defined parameters, sorted by key (as the C++ client sends). */
export function encodeParams(params: Params): string {
  const search = new URLSearchParams();
  for (const key of Object.keys(params).sort()) {
    const value = params[key];
    if (value !== undefined) search.append(key, value);
  }
  return search.toString();
}

/**
 * Seconds from a `Retry-After` header: delay-seconds (digits) or an HTTP date
 * (a past date is 0). Anything else — negative numbers, garbage — is ignored.
 * Huge values stay huge (up to `Infinity`): callers compare, never schedule them.
 */
export function parseRetryAfter(value: string | null): number | undefined {
  const text = value?.trim() ?? '';
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  if (!/^[A-Za-z]{3}/.test(text)) return undefined; // HTTP dates start with the day name
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, (at - Date.now()) / 1000);
}

/** An {@link AbortError} carrying the signal's reason. */
export function abortError(signal: AbortSignal): AbortError {
  return new AbortError('The operation was aborted', { cause: signal.reason });
}

/** Throws an {@link AbortError} if the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError(signal);
}

/** The longest delay `setTimeout` takes; longer ones fire after 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Waits `ms`, or rejects with {@link AbortError} as soon as `signal` fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError(signal!));
    };
    const due = Date.now() + ms;
    // Waits beyond setTimeout's range are done in steps rather than overflowing.
    const step = (): void => {
      const left = due - Date.now();
      if (left > 0) {
        timer = setTimeout(step, Math.min(left, MAX_TIMER_MS));
        return;
      }
      signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    let timer = setTimeout(step, Math.min(Math.max(0, ms), MAX_TIMER_MS));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function describeNetworkError(err: Error): string {
  // undici wraps the socket error: "fetch failed" ← "connect ECONNREFUSED 127.0.0.1:1".
  const parts: string[] = [];
  for (let e: unknown = err; e instanceof Error && parts.length < 4; e = e.cause) {
    if (e.message === 'fetch failed' && e.cause) continue;
    parts.push(e.message === 'terminated' ? 'the connection closed before the response was complete' : e.message);
  }
  return parts.join(': ') || 'network error';
}
