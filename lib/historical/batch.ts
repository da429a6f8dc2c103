/**
 * `client.batch`: submit batch jobs, follow them, and download their files
 * (resumed, verified, several at a time).
 * @module
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { InvalidArgumentError } from '../errors.js';
import * as check from './check.js';
import { BadResponseError, ChecksumError, CostLimitError, RequestError } from './errors.js';
import type { HttpClient } from './http.js';
import type { CallOptions, MetadataApi } from './metadata.js';
import {
  encodeBool,
  encodeChoice,
  encodeCompression,
  encodeDateTime,
  encodeEncoding,
  encodePositive,
  encodeSchema,
  encodeSType,
  encodeSymbols,
  encodeTimeRange,
  optionalCostLimit,
  optionalDateTime,
  optionalFunction,
  optionalSignal,
  optionsObject,
  requireString,
} from './params.js';
import type {
  BatchFileDesc,
  BatchJob,
  CompressionName,
  DateTimeLike,
  Delivery,
  EncodingName,
  JobState,
  SchemaName,
  SplitDuration,
  STypeName,
  Symbols,
} from './types.js';

/** Options of {@link BatchApi.submitJob}: every parameter of `batch.submit_job`. */
export interface SubmitJobOptions extends CallOptions {
  /** Dataset code, e.g. `'GLBX.MDP3'`. */
  dataset: string;
  /** Symbols; `'ALL_SYMBOLS'` for every instrument. */
  symbols: Symbols;
  /** Schema of the data, e.g. `'trades'`. */
  schema: SchemaName;
  /** Inclusive start. */
  start: DateTimeLike;
  /** Exclusive end. */
  end?: DateTimeLike;
  /** Default `'dbn'`. */
  encoding?: EncodingName;
  /** Default `'zstd'`. */
  compression?: CompressionName;
  /** CSV/JSON: prices as decimals (default false). */
  prettyPx?: boolean;
  /** CSV/JSON: timestamps as ISO 8601 (default false). */
  prettyTs?: boolean;
  /** CSV/JSON: add a symbol column (default true for CSV/JSON, false for DBN). */
  mapSymbols?: boolean;
  /** One file per symbol (default false). */
  splitSymbols?: boolean;
  /** Default `'day'`. */
  splitDuration?: SplitDuration;
  /** Split files larger than this many bytes. */
  splitSize?: number | bigint;
  /** Default `'download'`. */
  delivery?: Delivery;
  /** Default `'raw_symbol'`. */
  stypeIn?: STypeName;
  /** Default `'instrument_id'`. */
  stypeOut?: STypeName;
  /** Maximum number of records. */
  limit?: number | bigint;
  /** Cost guard: check `metadata.getCost` first; throw {@link CostLimitError} above this many USD. */
  maxCostUsd?: number;
}

/** Options of {@link BatchApi.listJobs}. */
export interface ListJobsOptions extends CallOptions {
  /** Default `['queued', 'processing', 'done']`. */
  states?: JobState[];
  /** Only jobs received at or after this time. */
  since?: DateTimeLike;
}

/** Options naming one job. */
export interface JobOptions extends CallOptions {
  /** Job id, e.g. `'GLBX-20221031-L3RVE95CV5'`. */
  jobId: string;
}

/** Progress of one file of {@link BatchApi.download}. */
export interface DownloadProgress {
  /** Name of the file, as in {@link BatchFileDesc.filename}. */
  filename: string;
  /** Bytes of the file on disk so far (a resumed download starts above 0). */
  bytes: number;
  /** Size of the complete file. */
  totalBytes: number;
}

/** Options of {@link BatchApi.download}. */
export interface DownloadOptions extends JobOptions {
  /** Files go to `<outputDir>/<jobId>/`. */
  outputDir: string;
  /** Only this file (or these files) of the job; default all. */
  filename?: string | string[];
  /** Files downloaded at the same time (default 4). */
  concurrency?: number;
  /** Called as bytes arrive, per file. */
  onProgress?: (progress: DownloadProgress) => void;
}

const JOB_FIELDS = {
  id: 'string',
  dataset: 'string',
  schema: 'string',
  state: 'string',
};

/** The batch endpoints (`/v0/batch.*`) and file downloads. */
export class BatchApi {
  readonly #http: HttpClient;
  readonly #metadata: MetadataApi;

  /** @internal */
  constructor(http: HttpClient, metadata: MetadataApi) {
    this.#http = http;
    this.#metadata = metadata;
  }

  /**
   * Submits a batch job. Not retried on 5xx or network failures (a repeat
   * could submit — and bill — the job twice); a 429 rejection is retried after
   * `Retry-After`, since the server did not act on it.
   */
  async submitJob(options: SubmitJobOptions): Promise<BatchJob> {
    const where = 'batch.submit_job';
    const o = optionsObject(options, where, true);
    const encoding = encodeEncoding(o.encoding ?? 'dbn', `${where}: encoding`);
    const range = encodeTimeRange(o.start, o.end, where);
    const params = {
      dataset: requireString(o.dataset, `${where}: dataset`),
      symbols: encodeSymbols(o.symbols, `${where}: symbols`),
      schema: encodeSchema(o.schema, `${where}: schema`),
      start: range.start,
      end: range.end,
      encoding,
      compression: encodeCompression(o.compression ?? 'zstd', `${where}: compression`),
      pretty_px: encodeBool(o.prettyPx, `${where}: prettyPx`, false),
      pretty_ts: encodeBool(o.prettyTs, `${where}: prettyTs`, false),
      map_symbols: encodeBool(o.mapSymbols, `${where}: mapSymbols`, encoding !== 'dbn'),
      split_symbols: encodeBool(o.splitSymbols, `${where}: splitSymbols`, false),
      split_duration: encodeChoice(o.splitDuration ?? 'day', ['day', 'week', 'month', 'year', 'none'], `${where}: splitDuration`),
      split_size: encodePositive(o.splitSize, `${where}: splitSize`),
      delivery: encodeChoice(o.delivery ?? 'download', ['download'], `${where}: delivery`),
      stype_in: encodeSType(o.stypeIn ?? 'raw_symbol', `${where}: stypeIn`),
      stype_out: encodeSType(o.stypeOut ?? 'instrument_id', `${where}: stypeOut`),
      limit: encodePositive(o.limit, `${where}: limit`),
    };
    const signal = optionalSignal(o.signal);
    const maxCostUsd = optionalCostLimit(o.maxCostUsd);
    if (maxCostUsd !== undefined) {
      const cost = await this.#metadata.getCost({
        dataset: o.dataset,
        symbols: o.symbols,
        schema: o.schema,
        start: o.start,
        ...(o.end !== undefined && { end: o.end }),
        ...(o.stypeIn !== undefined && { stypeIn: o.stypeIn }),
        ...(o.limit !== undefined && { limit: o.limit }),
        ...(signal && { signal }),
      });
      if (cost > maxCostUsd) throw new CostLimitError(cost, maxCostUsd);
    }
    const json = await this.#http.json({ method: 'POST', path: `/v0/${where}`, params, signal }, 'rate-limit');
    return parseJob(json, where);
  }

  /** Batch jobs of the account, oldest first. */
  async listJobs(options: ListJobsOptions = {}): Promise<BatchJob[]> {
    const where = 'batch.list_jobs';
    const o = optionsObject(options, where);
    const states = o.states ?? ['queued', 'processing', 'done'];
    if (!Array.isArray(states) || states.length === 0) throw new InvalidArgumentError(`${where}: states must be a non-empty array`);
    const params = {
      states: states.map((s) => encodeChoice(s, ['queued', 'processing', 'done', 'expired'], `${where}: states`)).join(','),
      since: optionalDateTime(o.since, `${where}: since`),
    };
    const json = await this.#http.json({ method: 'GET', path: `/v0/${where}`, params, signal: optionalSignal(o.signal) }, 'safe');
    return check.array(json, where).map((j) => parseJob(j, where));
  }

  /** One batch job. */
  async getJobDetails(options: JobOptions): Promise<BatchJob> {
    const where = 'batch.get_job_details';
    const o = optionsObject(options, where, true);
    const params = { job_id: requireString(o.jobId, `${where}: jobId`) };
    const json = await this.#http.json({ method: 'GET', path: `/v0/${where}`, params, signal: optionalSignal(o.signal) }, 'safe');
    return parseJob(json, where);
  }

  /** The files of a finished job, with sizes, hashes and URLs. */
  async listFiles(options: JobOptions): Promise<BatchFileDesc[]> {
    const where = 'batch.list_files';
    const o = optionsObject(options, where, true);
    const params = { job_id: requireString(o.jobId, `${where}: jobId`) };
    const json = await this.#http.json({ method: 'GET', path: `/v0/${where}`, params, signal: optionalSignal(o.signal) }, 'safe');
    return check.array(json, where).map((f) => {
      const file = check.fields(check.object(f, where), where, {
        filename: 'string',
        size: (v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0,
        hash: 'string',
        urls: 'object',
      });
      check.fields(check.object(file['urls'], where), where, { https: 'string', ftp: 'string' });
      return file as unknown as BatchFileDesc;
    });
  }

  /**
   * Downloads a job's files (or the named ones) to `<outputDir>/<jobId>/`,
   * several at a time, and resolves to their paths in the listed order.
   *
   * - Each file is fetched from the path of its `urls.https` on the
   *   configured gateway (as the C++ and Rust clients do), with the client's auth.
   * - A file already complete on disk is verified, not fetched again; a
   *   partial one is resumed with `Range: bytes=N-` (a 206 answer is appended,
   *   a 200 restarts the file). Interrupted transfers are retried, resuming.
   * - `sha256:` hashes are checked. On a mismatch the file is deleted and
   *   downloaded once more from scratch; a second mismatch deletes it and
   *   throws {@link ChecksumError} (code `'CHECKSUM_MISMATCH'`). The official
   *   clients only log a warning; we refuse to leave bad data behind. Other
   *   algorithms are skipped with a `DatabentoWarning`.
   * - The first failing file aborts the others and rejects; partial files stay
   *   on disk so a later call resumes them.
   */
  async download(options: DownloadOptions): Promise<string[]> {
    const where = 'batch.download';
    const o = optionsObject(options, where, true);
    const jobId = pathComponent(o.jobId, `${where}: jobId`);
    const outputDir = requireString(o.outputDir, `${where}: outputDir`);
    const concurrency = o.concurrency ?? 4;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new InvalidArgumentError(`${where}: concurrency must be a positive integer`);
    }
    const onProgress = optionalFunction<(p: DownloadProgress) => void>(o.onProgress, `${where}: onProgress`);
    const wanted = o.filename === undefined ? undefined : Array.isArray(o.filename) ? o.filename : [o.filename];
    if (wanted && wanted.length === 0) throw new InvalidArgumentError(`${where}: filename must not be an empty list`);
    wanted?.forEach((f) => requireString(f, `${where}: filename`));
    const userSignal = optionalSignal(o.signal);

    const listed = await this.listFiles({ jobId, ...(userSignal && { signal: userSignal }) });
    let files = listed;
    if (wanted) {
      files = wanted.map((name) => {
        const found = listed.find((f) => f.filename === name);
        if (!found) throw new InvalidArgumentError(`${where}: job ${jobId} has no file named '${name}'`);
        return found;
      });
    }
    const dir = join(outputDir, jobId);
    await mkdir(dir, { recursive: true });

    // One failure stops the rest: they share an internal abort.
    const internal = new AbortController();
    const signal = userSignal ? AbortSignal.any([userSignal, internal.signal]) : internal.signal;
    const paths: string[] = new Array(files.length);
    let nextIndex = 0;
    let failure: { error: unknown } | undefined;
    const worker = async (): Promise<void> => {
      while (!failure && nextIndex < files.length) {
        const i = nextIndex++;
        try {
          paths[i] = await this.#downloadFile(files[i]!, dir, signal, onProgress);
        } catch (error) {
          if (!failure) {
            failure = { error };
            internal.abort(error);
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, worker));
    if (failure) throw failure.error;
    return paths;
  }

  async #downloadFile(
    desc: BatchFileDesc,
    dir: string,
    signal: AbortSignal,
    onProgress: ((p: DownloadProgress) => void) | undefined,
  ): Promise<string> {
    const filename = pathComponent(desc.filename, 'batch.list_files: filename');
    const target = join(dir, filename);
    const sep = desc.hash.indexOf(':');
    if (sep < 0) throw new BadResponseError(`batch.list_files: hash of ${filename} has no algorithm prefix: '${desc.hash}'`);
    const algorithm = desc.hash.slice(0, sep).toLowerCase();
    const expected = desc.hash.slice(sep + 1).toLowerCase();
    if (algorithm !== 'sha256') {
      process.emitWarning(`Skipping checksum of ${filename}: unsupported algorithm '${algorithm}'`, { type: 'DatabentoWarning' });
    }
    for (let pass = 1; ; pass++) {
      const actual = await this.#fetchFile(desc, target, signal, onProgress);
      if (algorithm !== 'sha256' || actual === expected) return target;
      await rm(target, { force: true });
      if (pass === 2) throw new ChecksumError(filename, target, desc.hash, `sha256:${actual}`);
      process.emitWarning(`Checksum mismatch for ${filename}; downloading it again`, { type: 'DatabentoWarning' });
    }
  }

  /** Brings `target` to the listed size (resuming what is on disk) and returns its sha256 hex. */
  async #fetchFile(
    desc: BatchFileDesc,
    target: string,
    signal: AbortSignal,
    onProgress: ((p: DownloadProgress) => void) | undefined,
  ): Promise<string> {
    const total = desc.size;
    let have = await fileSize(target);
    if (have > total) {
      // Bigger than the listed file: not a prefix of it, start over.
      await rm(target, { force: true });
      have = 0;
    }
    let hash = createHash('sha256');
    if (have > 0) await hashFile(target, hash);
    const report = (): void => onProgress?.({ filename: desc.filename, bytes: have, totalBytes: total });
    if (have === total) {
      if (total === 0) await (await open(target, 'a')).close(); // an empty file still has to exist
      report();
      return hash.digest('hex');
    }
    const path = downloadPath(desc.urls.https);
    await this.#http.retrying('safe', signal, async () => {
      const headers: Record<string, string> = have > 0 ? { range: `bytes=${have}-` } : {};
      const res = await this.#http.open({ method: 'GET', path, headers, signal, binary: true });
      if (have > 0 && res.status !== 206) {
        // The server sent the whole file (Range ignored): restart it from scratch.
        hash = createHash('sha256');
        have = 0;
      } else if (res.status === 206) {
        const start = /^bytes (\d+)-/.exec(res.headers.get('content-range') ?? '')?.[1];
        if (start !== undefined && Number(start) !== have) {
          await res.body.cancel();
          throw new BadResponseError(`download of ${desc.filename}: asked for bytes from ${have}, got from ${start}`);
        }
      }
      report();
      const file = await open(target, have > 0 ? 'a' : 'w');
      try {
        for (let chunk = await res.body.read(); chunk !== null; chunk = await res.body.read()) {
          await file.write(chunk);
          hash.update(chunk);
          have += chunk.length;
          report();
        }
      } catch (err) {
        await res.body.cancel();
        throw err;
      } finally {
        await file.close();
      }
      if (have !== total) {
        // A clean end short of the size is an interrupted transfer too: retry, resuming.
        throw new RequestError(
          `download of ${desc.filename} ended at ${have} of ${total} bytes`,
          'NETWORK_ERROR',
          'GET',
          path,
        );
      }
    });
    return hash.digest('hex');
  }
}

function parseJob(json: unknown, where: string): BatchJob {
  return check.fields(check.object(json, where), where, JOB_FIELDS) as unknown as BatchJob;
}

/** A file or job name that is safe to join onto a directory. */
function pathComponent(value: unknown, what: string): string {
  const name = requireString(value, what);
  if (name === '.' || name === '..' || basename(name) !== name || name.includes('\\') || name.includes('\0')) {
    throw new InvalidArgumentError(`${what} '${name}' is not a plain file name`);
  }
  return name;
}

/** The path (and query) of a download URL; scheme and host are replaced by the configured gateway. */
function downloadPath(url: string): string {
  if (url.startsWith('/')) return url;
  try {
    const u = new URL(url);
    return `${u.pathname}${u.search}`;
  } catch {
    throw new BadResponseError(`batch.list_files: invalid download URL '${url}'`);
  }
}

async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
}

async function hashFile(path: string, hash: Hash): Promise<void> {
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
}
