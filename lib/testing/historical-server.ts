/**
 * A mock of Databento's historical REST API: a real HTTP server on
 * 127.0.0.1 that implements every endpoint the historical client uses, with
 * the API's response shapes (the reference-data endpoints too, see
 * reference-routes), streams DBN data in small chunks, and can be told
 * to misbehave (error statuses, rate limits, cut connections, corrupt files,
 * warnings). It records every request for assertions.
 *
 * Use it to test code built on `Historical` without a Databento account:
 *
 * ```ts
 * import { MockHistoricalServer, MOCK_API_KEY } from 'databento-node/testing';
 * import { Historical } from 'databento-node';
 *
 * const server = await MockHistoricalServer.start({ fixturesDir: './fixtures' });
 * const client = new Historical({ key: MOCK_API_KEY, gateway: server.url });
 * server.setTimeseries(myDbnBytes);
 * server.inject({ kind: 'rate-limit', retryAfter: 0 }, { path: '/v0/timeseries.get_range' });
 * const store = await client.timeseries.getRange({ ... });
 * console.log(server.requests.at(-1)?.params);
 * await server.close();
 * ```
 *
 * It depends on Node built-ins (and the addon's zstd) only, so it runs under any test framework.
 * @module
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { BatchFileDesc, BatchJob } from '../historical/types.js';
import { DEFAULT_JSON, defaultResolution, downloadPath, jobFromParams, JSON_ENDPOINTS, makeJob, missingParam, parseWhen, tsNow } from './historical-answers.js';
import { isReferenceEndpoint, serveReference, type MockReferenceData, type ReferenceEndpoint } from './reference-routes.js';

export * from './historical-types.js';
import type { FaultMatch, MockBatchFile, MockBatchFiles, MockFault, MockHistoricalServerOptions, MockJsonResponse, MockTimeseriesData, RecordedRequest } from './historical-types.js';

interface ActiveFault {
  fault: MockFault;
  match: FaultMatch;
  remaining: number;
}

interface MockJob {
  job: BatchJob;
  files: MockBatchFile[];
}

/**
 * The mock historical server. Start it with {@link MockHistoricalServer.start},
 * point a client at {@link MockHistoricalServer.url}, and {@link close} it
 * when done.
 */
export class MockHistoricalServer {
  /** Every request received, oldest first (cleared by {@link reset}). */
  readonly requests: RecordedRequest[] = [];
  /** Bytes per chunk of streamed bodies. */
  chunkSize: number;
  /** Pause between chunks in ms. */
  chunkDelayMs: number;
  /** Body bytes handed to the network by streamed responses (get_range, downloads) so far. */
  bytesSent = 0;

  readonly #server: Server;
  readonly #options: MockHistoricalServerOptions;
  readonly #faults: ActiveFault[] = [];
  readonly #json = new Map<string, MockJsonResponse>();
  readonly #jobs = new Map<string, MockJob>();
  #timeseries: MockTimeseriesData | undefined;
  #batchFiles: MockBatchFiles | undefined;
  readonly #reference = new Map<ReferenceEndpoint, MockReferenceData>();
  #jobCounter = 0;
  #url = '';

  private constructor(options: MockHistoricalServerOptions) {
    this.#options = options;
    this.chunkSize = options.chunkSize ?? 16 * 1024;
    this.chunkDelayMs = options.chunkDelayMs ?? 0;
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { detail: `mock server error: ${String(err)}` });
        else res.destroy();
      });
    });
  }

  /** Starts a server listening on 127.0.0.1 (by default on a free port). */
  static async start(options: MockHistoricalServerOptions = {}): Promise<MockHistoricalServer> {
    const mock = new MockHistoricalServer(options);
    await new Promise<void>((resolve, reject) => {
      mock.#server.once('error', reject);
      mock.#server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
    });
    const addr = mock.#server.address() as AddressInfo;
    const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
    mock.#url = `http://${host}:${addr.port}`;
    return mock;
  }

  /** Base URL to pass as the client's `gateway`, e.g. `http://127.0.0.1:41234`. */
  get url(): string {
    return this.#url;
  }

  /** The port listened on. */
  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  /** Stops listening and closes every open connection. */
  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** Forgets recorded requests and pending faults (data, responses and jobs stay). */
  reset(): this {
    this.requests.length = 0;
    this.#faults.length = 0;
    return this;
  }

  /** The recorded requests to one path (e.g. `'/v0/metadata.get_cost'`). */
  requestsTo(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  /**
   * Sets what `timeseries.get_range` serves: DBN bytes (plain or zstd, sent as
   * is), or a function of the request's parameters (returning undefined gives
   * a 422 "no data"). Overrides `fixturesDir`.
   */
  setTimeseries(data: MockTimeseriesData | undefined): this {
    this.#timeseries = data;
    return this;
  }

  /**
   * Makes submitted batch jobs produce files: each job is `processing` until
   * `files` settles, then `done` with them (see {@link sampleBatchFiles}).
   * Without it (or when `files` gives undefined or fails) a submitted job
   * stays `queued` until {@link completeJob}.
   */
  setBatchFiles(files: MockBatchFiles | undefined): this {
    this.#batchFiles = files;
    return this;
  }

  /**
   * Sets the JSON answer of an endpoint, named without `/v0/` (e.g.
   * `'metadata.get_cost'`, `'symbology.resolve'`): a value, or a function of
   * the request. `undefined` restores the default.
   */
  setResponse(endpoint: string, response: (request: RecordedRequest) => unknown): this;
  /** Sets the JSON answer of an endpoint to a fixed value (`undefined` restores the default). */
  setResponse(endpoint: string, response: unknown): this;
  setResponse(endpoint: string, response: MockJsonResponse): this {
    if (!(endpoint in JSON_ENDPOINTS)) throw new Error(`unknown endpoint '${endpoint}'`);
    if (response === undefined) this.#json.delete(endpoint);
    else this.#json.set(endpoint, response);
    return this;
  }

  /**
   * Sets what a reference endpoint (e.g. `'corporate_actions.get_range'`)
   * serves instead of the official clients' test vectors; `undefined`
   * restores them. See {@link MockReferenceData}.
   */
  setReferenceData(endpoint: ReferenceEndpoint, data: MockReferenceData | undefined): this {
    if (!isReferenceEndpoint(endpoint)) throw new Error(`unknown reference endpoint '${String(endpoint)}'`);
    if (data === undefined) this.#reference.delete(endpoint);
    else this.#reference.set(endpoint, data);
    return this;
  }

  /**
   * Queues a fault for the next matching request(s). Faults apply in the order
   * queued; each request takes at most one.
   */
  inject(fault: MockFault, match: FaultMatch = {}): this {
    this.#faults.push({ fault, match, remaining: match.times ?? 1 });
    return this;
  }

  /** Number of queued faults not yet used up. */
  get pendingFaults(): number {
    return this.#faults.filter((f) => f.remaining > 0).length;
  }

  /**
   * Adds a batch job. With files it is `done` (unless `state` says otherwise)
   * and `batch.list_files` lists them; they are served under their `urls.https`
   * path, honouring `Range`. Returns the full job object.
   */
  addJob(job: Partial<BatchJob> = {}, files: MockBatchFile[] = []): BatchJob {
    const id = job.id ?? this.#nextJobId(job.dataset ?? 'GLBX.MDP3');
    const full = makeJob({ state: files.length > 0 ? 'done' : 'queued', ...job, id }, this.#userId);
    this.#jobs.set(id, { job: full, files: [...files] });
    return full;
  }

  /** Marks a job done with these files. */
  completeJob(jobId: string, files: MockBatchFile[]): BatchJob {
    const entry = this.#jobs.get(jobId);
    if (!entry) throw new Error(`no job '${jobId}'`);
    entry.files = [...files];
    entry.job = { ...entry.job, state: 'done', progress: 100, ts_process_done: tsNow() };
    return entry.job;
  }

  /** The jobs known to the mock. */
  get jobs(): BatchJob[] {
    return [...this.#jobs.values()].map((j) => j.job);
  }

  /** The `batch.list_files` entries of a job, as the API lists them. */
  fileDescs(jobId: string): BatchFileDesc[] {
    const entry = this.#jobs.get(jobId);
    if (!entry) return [];
    const origin = this.#options.downloadOrigin ?? 'https://api.databento.com';
    return entry.files.map((f) => ({
      filename: f.filename,
      size: f.data.length,
      hash: f.hash ?? `sha256:${createHash('sha256').update(f.data).digest('hex')}`,
      urls: {
        https: `${origin}${downloadPath(this.#userId, jobId, f.filename)}`,
        ftp: `ftp://ftp.databento.com/${this.#userId}/${jobId}/${f.filename}`,
      },
    }));
  }

  get #userId(): string {
    return this.#options.userId ?? 'TEST_USER';
  }

  /** Runs a submitted job: `processing` until its files are made, then `done`. */
  #produce(jobId: string, make: MockBatchFiles, params: Readonly<Record<string, string>>): void {
    const entry = this.#jobs.get(jobId)!;
    entry.job = { ...entry.job, state: 'processing' };
    void (async () => {
      try {
        const files = await make(params);
        if (files) return void this.completeJob(jobId, files);
      } catch {
        // A job the mock cannot make stays queued, as one the gateway has not started.
      }
      entry.job = { ...entry.job, state: 'queued' };
    })();
  }

  #nextJobId(dataset: string): string {
    const prefix = dataset.split('.')[0]!.toUpperCase();
    const date = new Date().toISOString().slice(0, 10).replace(/-/g, '');
    this.#jobCounter++;
    return `${prefix}-${date}-${String(this.#jobCounter).padStart(10, '0')}`;
  }

  #takeFault(method: string, path: string): MockFault | undefined {
    for (const f of this.#faults) {
      if (f.remaining <= 0) continue;
      const m = f.match;
      if (m.method && m.method.toUpperCase() !== method) continue;
      if (m.path !== undefined && (typeof m.path === 'string' ? m.path !== path : !m.path.test(path))) continue;
      f.remaining--;
      return f.fault;
    }
    return undefined;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://mock');
    const query = Object.fromEntries(url.searchParams);
    const isForm = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
    const form = isForm ? Object.fromEntries(new URLSearchParams(body)) : {};
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query,
      form,
      params: { ...query, ...form },
      headers: req.headers,
      body,
    };
    this.requests.push(record);
    res.setHeader('request-id', randomUUID());
    req.socket.setNoDelay(true);

    const fault = this.#takeFault(record.method, record.path);
    if (fault?.kind === 'stall') await sleep(fault.ms);
    if (fault?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'warning') {
      res.setHeader('X-Warning', JSON.stringify(Array.isArray(fault.warnings) ? fault.warnings : [fault.warnings]));
    }
    if (fault?.kind === 'error') {
      for (const [k, v] of Object.entries(fault.headers ?? {})) res.setHeader(k, v);
      if (fault.body !== undefined) {
        res.writeHead(fault.status, { 'content-type': 'text/html' }).end(fault.body);
      } else {
        sendJson(res, fault.status, { detail: fault.detail ?? `mock error ${fault.status}` });
      }
      return;
    }
    if (fault?.kind === 'rate-limit') {
      res.setHeader('Retry-After', String(fault.retryAfter ?? 1));
      sendJson(res, 429, { detail: fault.detail ?? 'Too many requests.' });
      return;
    }

    // Authentication, as the API: Basic with the key as user name.
    const key = basicUser(req.headers.authorization);
    if (key === undefined) {
      sendJson(res, 401, { detail: 'Authorization failed: missing or malformed Basic credentials.' });
      return;
    }
    if (this.#options.key !== undefined && key !== this.#options.key) {
      sendJson(res, 401, { detail: 'Authorization failed: illegal chars in username.' });
      return;
    }

    const download = /^\/v0\/batch\/download\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(record.path);
    if (download) {
      await this.#download(req, res, record, decodeURIComponent(download[2]!), decodeURIComponent(download[3]!), fault);
      return;
    }
    const endpoint = record.path.startsWith('/v0/') ? record.path.slice(4) : '';
    if (endpoint === 'timeseries.get_range') {
      await this.#getRange(res, record, fault);
      return;
    }
    if (isReferenceEndpoint(endpoint)) {
      const writer = { chunkSize: this.chunkSize, chunkDelayMs: this.chunkDelayMs, sent: (n: number) => (this.bytesSent += n) };
      await serveReference(endpoint, record, res, this.#reference.get(endpoint), fault, writer);
      return;
    }
    const spec = JSON_ENDPOINTS[endpoint];
    if (!spec) {
      sendJson(res, 404, { detail: 'Not Found' });
      return;
    }
    // Both methods are accepted (the API's own docs disagree on some endpoints).
    if (record.method !== 'GET' && record.method !== 'POST') {
      sendJson(res, 405, { detail: 'Method Not Allowed' });
      return;
    }
    const missing = spec.required.find((p) => !record.params[p]);
    if (missing) {
      sendJson(res, 422, missingParam(missing, endpoint));
      return;
    }
    const custom = this.#json.get(endpoint);
    let answer: unknown;
    if (custom !== undefined) answer = typeof custom === 'function' ? (custom as (r: RecordedRequest) => unknown)(record) : custom;
    else answer = this.#defaultJson(endpoint, record);
    if (answer instanceof MockReply) {
      sendJson(res, answer.status, answer.body);
      return;
    }
    sendJson(res, 200, answer);
  }

  #defaultJson(endpoint: string, r: RecordedRequest): unknown {
    const p = r.params;
    switch (endpoint) {
      case 'symbology.resolve':
        return defaultResolution(p);
      case 'batch.submit_job': {
        const id = this.#nextJobId(p['dataset']!);
        const job = jobFromParams(id, p, this.#userId);
        this.#jobs.set(id, { job, files: [] });
        if (this.#batchFiles) this.#produce(id, this.#batchFiles, p);
        return this.#jobs.get(id)!.job;
      }
      case 'batch.list_jobs': {
        const states = (p['states'] ?? 'queued,processing,done').split(',');
        const since = p['since'] ? parseWhen(p['since']) : -Infinity;
        return this.jobs
          .filter((j) => states.includes(j.state))
          .filter((j) => (j.ts_received ? Date.parse(j.ts_received.replace(' ', 'T')) >= since : true));
      }
      case 'batch.get_job_details': {
        const entry = this.#jobs.get(p['job_id']!);
        return entry ? entry.job : new MockReply(404, { detail: `Job ${p['job_id']} not found.` });
      }
      case 'batch.list_files': {
        const entry = this.#jobs.get(p['job_id']!);
        if (!entry) return new MockReply(404, { detail: `Job ${p['job_id']} not found.` });
        return this.fileDescs(p['job_id']!);
      }
      default:
        return DEFAULT_JSON[endpoint];
    }
  }

  async #getRange(res: ServerResponse, r: RecordedRequest, fault: MockFault | undefined): Promise<void> {
    const missing = ['dataset', 'symbols', 'schema', 'start'].find((p) => !r.params[p]);
    if (missing) {
      sendJson(res, 422, missingParam(missing, 'timeseries.get_range'));
      return;
    }
    const data = this.#rangeData(r.params);
    if (!data) {
      sendJson(res, 422, {
        detail: {
          case: 'data_schema_not_fully_available',
          message: `The mock has no data for schema '${r.params['schema']}'.`,
          status_code: 422,
          docs: 'https://databento.com/docs/api-reference-historical/timeseries/timeseries-get-range',
          payload: { schema: r.params['schema'] },
        },
      });
      return;
    }
    // As the API: zstd DBN with no Content-Encoding (clients decompress it themselves).
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-disposition': `attachment; filename=${r.params['dataset']!.toLowerCase().replace('.', '-')}.${r.params['schema']}.dbn.zst`,
    });
    await this.#stream(res, fault?.kind === 'corrupt' ? corrupt(data) : data, fault);
  }

  #rangeData(params: Record<string, string>): Uint8Array | undefined {
    const ts = this.#timeseries;
    if (ts !== undefined) return typeof ts === 'function' ? ts(params) : ts;
    const dir = this.#options.fixturesDir;
    if (dir === undefined) return undefined;
    for (const name of [`test_data.${params['schema']}.v3.dbn.zst`, `test_data.${params['schema']}.dbn`]) {
      const file = join(dir, name);
      if (existsSync(file)) return readFileSync(file);
    }
    return undefined;
  }

  async #download(
    req: IncomingMessage,
    res: ServerResponse,
    r: RecordedRequest,
    jobId: string,
    filename: string,
    fault: MockFault | undefined,
  ): Promise<void> {
    const file = this.#jobs.get(jobId)?.files.find((f) => f.filename === filename);
    if (!file || r.method !== 'GET') {
      sendJson(res, 404, { detail: 'File not found.' });
      return;
    }
    let data = fault?.kind === 'corrupt' ? corrupt(file.data) : file.data;
    const size = data.length;
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    if (range && fault?.kind !== 'ignore-range') {
      const start = Number(range[1]);
      const end = range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
      if (start >= size || end < start) {
        res.writeHead(416, { 'content-range': `bytes */${size}`, 'content-type': 'application/json' });
        res.end(JSON.stringify({ detail: 'Requested range not satisfiable.' }));
        return;
      }
      data = data.subarray(start, end + 1);
      res.writeHead(206, {
        'content-type': 'application/octet-stream',
        'content-length': String(data.length),
        'content-range': `bytes ${start}-${end}/${size}`,
        'accept-ranges': 'bytes',
      });
    } else {
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': String(size),
        'accept-ranges': 'bytes',
      });
    }
    await this.#stream(res, data, fault);
  }

  /** Writes a body in chunks, respecting backpressure; stops if the client goes away. */
  async #stream(res: ServerResponse, data: Uint8Array, fault: MockFault | undefined): Promise<void> {
    const cutAt = fault?.kind === 'truncate' ? fault.afterBytes : Infinity;
    let closed = false;
    res.once('close', () => {
      closed = true;
    });
    const size = Math.max(1, this.chunkSize);
    for (let at = 0; at < data.length && !closed; at += size) {
      const end = Math.min(at + size, data.length, cutAt);
      if (end > at) this.bytesSent += end - at;
      if (end > at && !res.write(data.subarray(at, end))) {
        await new Promise<void>((resolve) => {
          const done = (): void => {
            res.off('drain', done);
            res.off('close', done);
            resolve();
          };
          res.on('drain', done);
          res.on('close', done);
        });
      }
      if (end >= cutAt) {
        // Let the bytes go out, then drop the connection mid-body.
        await sleep(10);
        res.socket?.destroy();
        return;
      }
      if (this.chunkDelayMs > 0) await sleep(this.chunkDelayMs);
      else await new Promise((resolve) => setImmediate(resolve));
    }
    if (!closed) res.end();
  }
}

/** A JSON answer with a status other than 200, for {@link MockHistoricalServer.setResponse} functions. */
export class MockReply {
  constructor(
    /** HTTP status. */
    readonly status: number,
    /** JSON body. */
    readonly body: unknown,
  ) {}
}

function basicUser(header: string | undefined): string | undefined {
  const m = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header ?? '');
  if (!m) return undefined;
  const text = Buffer.from(m[1]!, 'base64').toString('utf8');
  const sep = text.indexOf(':');
  const user = sep < 0 ? text : text.slice(0, sep);
  return user === '' ? undefined : user;
}

function corrupt(data: Uint8Array): Uint8Array {
  const copy = Uint8Array.from(data);
  if (copy.length > 0) copy[copy.length >> 1]! ^= 0xff;
  return copy;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
