/**
 * Options of the live clients and subscriptions, their validation (before
 * any network I/O) and their conversion to what the addon takes.
 * @module
 */
import { release, type } from 'node:os';
import { resolveApiKey } from '../api-key.js';
import { LiveLog, checkLogger, type Logger } from '../log.js';
import { InvalidArgumentError, type LiveError } from '../errors.js';
import { schemaFromName, schemaName, stypeFromName, stypeName } from '../generated/enums.js';
import { upgradePolicyValue, type UpgradePolicy } from '../dbn/options.js';
import { abortError } from './util.js';
import { packageVersion } from '../historical/version.js';
import { toNanos } from '../time.js';
import type { SchemaName, STypeName } from '../historical/types.js';

/**
 * Opt-in automatic reconnection. When a streaming session fails with a
 * connection problem (`CONNECTION_CLOSED`, `HEARTBEAT_TIMEOUT`,
 * `CONNECT_FAILED`, `TIMEOUT`, or a gateway `internal_error`), the client
 * waits, reconnects, resubscribes (without `start`: no replay; snapshots are
 * requested again), starts again and emits `reconnect` with the gap. Without a
 * policy nothing is retried behind your back.
 */
export interface ReconnectPolicy {
  /**
   * Attempts before giving up with the last error (≥ 1; `Infinity` allowed).
   * They count until a session is healthy again (see `healthyAfterMs`): a
   * session that starts and then drops is not a success.
   */
  maxAttempts: number;
  /**
   * A reconnected session counts as healthy, and the attempts start again
   * from 1 at its next failure, once data (records or the gateway's
   * heartbeats) still arrives this many milliseconds after it started.
   * Default 10000.
   */
  healthyAfterMs?: number;
  /**
   * Wait before attempt `n` (1-based): a fixed number of milliseconds, or a
   * function of the attempt and the error. Default: 250 ms doubling per
   * attempt, at most 10 s.
   */
  backoffMs?: number | ((attempt: number, error: LiveError) => number);
}

/** Options shared by {@link LiveThreaded} and {@link LiveBlocking}. */
export interface LiveOptions {
  /** 32-character API key. Default `process.env.DATABENTO_API_KEY`. Never sent, logged or put in errors. */
  key?: string;
  /** Dataset code, e.g. `'GLBX.MDP3'`. One session streams one dataset. */
  dataset: string;
  /**
   * Gateway host. Default: `process.env.DATABENTO_LIVE_GATEWAY` (`host[:port]`,
   * used only when neither `gateway` nor `port` is given), else derived from
   * the dataset (`glbx-mdp3.lsg.databento.com`).
   */
  gateway?: string;
  /** Gateway port. Default 13000 (or the port of `DATABENTO_LIVE_GATEWAY`). */
  port?: number;
  /** Ask the gateway to append its send time (`ts_out`) to every record. Default false. */
  tsOut?: boolean;
  /** Gateway heartbeat interval in seconds, 5 to 1800 (gateway default 30). The client fails with `HEARTBEAT_TIMEOUT` after interval + 5 s without data. */
  heartbeatIntervalS?: number;
  /** `'zstd'` compresses the stream from the gateway. Default `'none'`. */
  compression?: 'none' | 'zstd';
  /** What the gateway does when this client reads too slowly: `'warn'` or `'skip'`. Default: the gateway's. */
  slowReaderBehavior?: 'warn' | 'skip';
  /** Records of older DBN versions: `'upgrade'` to v3 (default) or `'as-is'`. */
  upgradePolicy?: UpgradePolicy;
  /** Automatic reconnection; off by default. */
  reconnect?: ReconnectPolicy;
  /** Closing the client when aborted; pending calls reject with `LiveError('ABORTED')`. */
  signal?: AbortSignal;
  /** Appended to the user agent sent to the gateway, e.g. `'myapp/1.0'`. */
  userAgentExtension?: string;
  /**
   * Where diagnostics go: connection, authentication, subscriptions,
   * reconnections and the gateway's system and error messages (`console`, a
   * pino logger, …; see {@link Logger}). `NODE_DEBUG=databento` prints them
   * on stderr too. The key never appears in them.
   */
  logger?: Logger;
  /** TCP connect timeout in ms. Default 10000. */
  connectTimeoutMs?: number;
  /** Timeout of the whole authentication exchange in ms. Default 30000. */
  authTimeoutMs?: number;
  /**
   * Time `start()` waits for the gateway's metadata header, in ms, however
   * the bytes trickle in; past it `start()` fails with `LiveError('TIMEOUT')`.
   * Default 10000.
   */
  metadataTimeoutMs?: number;
}

/** Options of {@link LiveThreaded}: {@link LiveOptions} plus delivery tuning. */
export interface LiveThreadedOptions extends LiveOptions {
  /** Bytes per batch handed to JS under load, 1 KiB to 16 MiB. Default 64 KiB. */
  batchBytes?: number;
  /**
   * Batches the native thread may queue (while JS holds two) before it stops
   * reading the socket: it decodes into `queueBatches + 2` buffers of
   * `batchBytes` lent by the client. Default 16.
   */
  queueBatches?: number;
}

/** What {@link LiveThreaded.subscribe} and {@link LiveBlocking.subscribe} take. */
export interface SubscriptionRequest {
  /** Schema name, e.g. `'mbo'`, `'trades'`, `'definition'`. */
  schema: SchemaName;
  /** Symbols (or instrument ids); `'ALL_SYMBOLS'` for the whole dataset. Lists longer than 500 are sent in chunks. */
  symbols: string | number | readonly (string | number)[];
  /** Symbology of `symbols`. Default `'raw_symbol'`. */
  stypeIn?: STypeName;
  /**
   * Intraday replay start: UNIX nanoseconds (bigint or number), a Date, or a
   * string passed to the gateway verbatim (e.g. `'2024-11-20T14:00:00'`).
   * `0n` replays everything available. Omit for live data only.
   */
  start?: bigint | number | Date | string;
  /** Request an MBO book snapshot first (MBO only; not with `start`). Default false. */
  snapshot?: boolean;
}

/** A subscription as the session keeps it (see {@link LiveThreaded.subscriptions}). */
export interface Subscription {
  /** Subscription id (1, 2, …), echoed by the gateway's acknowledgement. */
  id: number;
  /** Schema name, e.g. `'mbo'`. */
  schema: SchemaName;
  /** Symbology of `symbols`, e.g. `'raw_symbol'`. */
  stypeIn: STypeName;
  /** The subscribed symbols (or instrument ids as strings). */
  symbols: string[];
  /** UNIX ns, or the verbatim string; absent when live-only. */
  start?: bigint | string;
  /** Whether an MBO book snapshot was requested. */
  snapshot: boolean;
}

/** The gap a reconnection left, as the `reconnect` event reports it. */
export interface ReconnectEvent {
  /** Attempt that succeeded (1-based). */
  attempt: number;
  /** The error that caused the reconnection. */
  error: LiveError;
  /** ts_event of the last market-data record before the failure; null if none was received. */
  lastTs: bigint | null;
  /** Start of the new session (its metadata `start`): data between `lastTs` and this was missed. */
  firstTs: bigint;
  /** The new session id. */
  sessionId: string;
}

/** @internal Options as the addon takes them. */
export interface NativeLiveOptions {
  key: string;
  dataset: string;
  gateway: string;
  port: number;
  tsOut: boolean;
  compression: number;
  heartbeatIntervalS?: number;
  slowReaderBehavior?: number;
  upgradePolicy: number;
  userAgent: string;
  connectTimeoutMs: number;
  authTimeoutMs: number;
  metadataTimeoutMs: number;
  batchBytes?: number;
  queueBatches?: number;
}

/** @internal A subscription as the addon takes it. */
export interface NativeSubscription {
  schema: number;
  stypeIn: number;
  symbols: string[];
  start?: bigint | string;
  snapshot: boolean;
}

/** @internal A subscription as the addon reports it. */
export interface NativeSubscriptionOut extends NativeSubscription {
  id: number;
}

/** @internal Resolved reconnect policy. */
export interface ResolvedReconnect {
  maxAttempts: number;
  healthyAfterMs: number;
  delay(attempt: number, error: LiveError): number;
}

const U64_MAX = (1n << 64n) - 1n;
const SEPARATORS = /[|\n\r]/;

function isInt(x: unknown, min: number, max: number): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= min && x <= max;
}

function bad(message: string): never {
  throw new InvalidArgumentError(message);
}

/** `Databento/<ver> databento-node/<ver> Node.js/<ver> Linux/<release>[ <ext>]`. @internal */
export function liveUserAgent(extension?: string): string {
  const v = packageVersion();
  const base = `Databento/${v} databento-node/${v} Node.js/${process.versions.node} ${type()}/${release()}`;
  return extension ? `${base} ${extension}` : base;
}

/** What a live client takes from its options once they are valid. @internal */
export interface ClientSetup {
  native: NativeLiveOptions;
  reconnect: ResolvedReconnect | undefined;
  signal: AbortSignal | undefined;
  log: LiveLog;
}

/**
 * Validates client options (throws InvalidArgumentError before any I/O, or
 * the abort error if the signal has already fired). @internal
 */
export function liveClientSetup(opts: LiveThreadedOptions): ClientSetup {
  const native = nativeLiveOptions(opts);
  const reconnect = opts.reconnect === undefined ? undefined : resolveReconnect(opts.reconnect);
  const log = new LiveLog(checkLogger(opts.logger, 'live options'), `live ${native.dataset}`, native.key);
  if (opts.signal?.aborted) throw abortError(opts.signal);
  return { native, reconnect, signal: opts.signal, log };
}

/** Validates the options the native session takes; throws InvalidArgumentError. @internal */
export function nativeLiveOptions(opts: LiveThreadedOptions): NativeLiveOptions {
  if (opts === null || typeof opts !== 'object') bad('options must be an object');
  const key = resolveApiKey(opts.key);
  if (typeof opts.dataset !== 'string' || opts.dataset === '' || SEPARATORS.test(opts.dataset)) {
    bad('dataset must be a dataset code such as "GLBX.MDP3"');
  }
  if (opts.gateway !== undefined && (typeof opts.gateway !== 'string' || opts.gateway === '' || SEPARATORS.test(opts.gateway))) {
    bad('gateway must be a host name or address');
  }
  if (opts.port !== undefined && !isInt(opts.port, 1, 65535)) bad(`port must be an integer 1..65535, not ${opts.port}`);
  if (opts.tsOut !== undefined && typeof opts.tsOut !== 'boolean') bad('tsOut must be a boolean');
  if (opts.heartbeatIntervalS !== undefined && !isInt(opts.heartbeatIntervalS, 5, 1800)) {
    bad(`heartbeatIntervalS must be an integer from 5 to 1800, not ${opts.heartbeatIntervalS}`);
  }
  const compression = opts.compression ?? 'none';
  if (compression !== 'none' && compression !== 'zstd') bad(`compression must be 'none' or 'zstd', not ${JSON.stringify(compression)}`);
  const srb = opts.slowReaderBehavior;
  if (srb !== undefined && srb !== 'warn' && srb !== 'skip') bad(`slowReaderBehavior must be 'warn' or 'skip', not ${JSON.stringify(srb)}`);
  const upgradePolicy = upgradePolicyValue(opts.upgradePolicy);
  const ext = opts.userAgentExtension;
  if (ext !== undefined && (typeof ext !== 'string' || SEPARATORS.test(ext))) bad('userAgentExtension may not contain | or newlines');
  const connectTimeoutMs = opts.connectTimeoutMs ?? 10_000;
  const authTimeoutMs = opts.authTimeoutMs ?? 30_000;
  if (!isInt(connectTimeoutMs, 1, 3_600_000)) bad('connectTimeoutMs must be a positive integer of milliseconds');
  if (!isInt(authTimeoutMs, 1, 3_600_000)) bad('authTimeoutMs must be a positive integer of milliseconds');
  const metadataTimeoutMs = opts.metadataTimeoutMs ?? 10_000;
  if (!isInt(metadataTimeoutMs, 1, 3_600_000)) bad('metadataTimeoutMs must be a positive integer of milliseconds');
  if (opts.batchBytes !== undefined && !isInt(opts.batchBytes, 1024, 16 * 1024 * 1024)) bad('batchBytes must be an integer from 1024 to 16 MiB');
  if (opts.queueBatches !== undefined && !isInt(opts.queueBatches, 1, 1024)) bad('queueBatches must be an integer from 1 to 1024');
  if (opts.signal !== undefined && !(opts.signal instanceof AbortSignal)) bad('signal must be an AbortSignal');
  const fromEnv = opts.gateway === undefined && opts.port === undefined ? liveGatewayFromEnv() : undefined;
  const out: NativeLiveOptions = {
    key,
    dataset: opts.dataset,
    gateway: opts.gateway ?? fromEnv?.host ?? '',
    port: opts.port ?? fromEnv?.port ?? 13000,
    tsOut: opts.tsOut ?? false,
    compression: compression === 'zstd' ? 1 : 0,
    upgradePolicy,
    userAgent: liveUserAgent(ext),
    connectTimeoutMs,
    authTimeoutMs,
    metadataTimeoutMs,
  };
  if (opts.heartbeatIntervalS !== undefined) out.heartbeatIntervalS = opts.heartbeatIntervalS;
  if (srb !== undefined) out.slowReaderBehavior = srb === 'skip' ? 1 : 0;
  if (opts.batchBytes !== undefined) out.batchBytes = opts.batchBytes;
  if (opts.queueBatches !== undefined) out.queueBatches = opts.queueBatches;
  return out;
}

/** `DATABENTO_LIVE_GATEWAY` as `host[:port]` (`[v6 address]:port` too), or undefined when unset. @internal */
export function liveGatewayFromEnv(): { host: string; port?: number } | undefined {
  const text = process.env['DATABENTO_LIVE_GATEWAY']?.trim();
  if (!text) return undefined;
  const m = /^(?:\[([^\]]+)\]|([^:[\]|\s]+))(?::(\d+))?$/.exec(text);
  const port = m?.[3] === undefined ? undefined : Number(m[3]);
  if (!m || (port !== undefined && !isInt(port, 1, 65535))) {
    bad(`DATABENTO_LIVE_GATEWAY must be host or host:port, not ${JSON.stringify(text)}`);
  }
  return port === undefined ? { host: (m[1] ?? m[2])! } : { host: (m[1] ?? m[2])!, port };
}

/** @internal */
export function resolveReconnect(policy: ReconnectPolicy): ResolvedReconnect {
  if (policy === null || typeof policy !== 'object') bad('reconnect must be an object');
  const { maxAttempts, backoffMs } = policy;
  if (!(maxAttempts === Infinity || isInt(maxAttempts, 1, Number.MAX_SAFE_INTEGER))) {
    bad('reconnect.maxAttempts must be a positive integer or Infinity');
  }
  if (backoffMs !== undefined && typeof backoffMs !== 'function' && !(typeof backoffMs === 'number' && backoffMs >= 0 && Number.isFinite(backoffMs))) {
    bad('reconnect.backoffMs must be a non-negative number or a function');
  }
  const { healthyAfterMs = 10_000 } = policy;
  if (!(typeof healthyAfterMs === 'number' && healthyAfterMs >= 0 && Number.isFinite(healthyAfterMs))) {
    bad('reconnect.healthyAfterMs must be a non-negative number of milliseconds');
  }
  return {
    maxAttempts,
    healthyAfterMs,
    delay(attempt, error) {
      const ms =
        typeof backoffMs === 'function'
          ? backoffMs(attempt, error)
          : (backoffMs ?? Math.min(250 * 2 ** (attempt - 1), 10_000));
      return Number.isFinite(ms) && ms > 0 ? Math.min(ms, 2 ** 31 - 1) : 0;
    },
  };
}

/** Converts and validates a subscription request. @internal */
export function nativeSubscription(req: SubscriptionRequest): NativeSubscription {
  if (req === null || typeof req !== 'object') bad('subscription must be an object');
  if (typeof req.schema !== 'string') bad('subscription.schema must be a schema name such as "mbo"');
  const schema = schemaFromName(req.schema);
  if (schema === undefined) bad(`unknown schema "${req.schema}"`);
  const stypeName_ = req.stypeIn ?? 'raw_symbol';
  const stypeIn = typeof stypeName_ === 'string' ? stypeFromName(stypeName_) : undefined;
  if (stypeIn === undefined) bad(`unknown stypeIn "${String(stypeName_)}"`);
  const raw = req.symbols;
  const list = typeof raw === 'string' || typeof raw === 'number' ? [raw] : raw;
  if (!Array.isArray(list)) bad('subscription.symbols must be a symbol or an array of symbols');
  if (list.length === 0) bad('subscription.symbols may not be empty');
  const symbols = list.map((s) => {
    if (typeof s === 'number') {
      if (!isInt(s, 0, 0xffffffff)) bad(`instrument id ${s} is not a u32`);
      return String(s);
    }
    if (typeof s !== 'string' || s === '' || /[|,\n\r]/.test(s)) {
      bad(`invalid symbol ${JSON.stringify(s)}: symbols may not be empty or contain , | or newlines`);
    }
    return s;
  });
  const snapshot = req.snapshot ?? false;
  if (typeof snapshot !== 'boolean') bad('subscription.snapshot must be a boolean');
  const out: NativeSubscription = { schema, stypeIn, symbols, snapshot };
  if (req.start !== undefined) {
    if (snapshot) bad('a subscription cannot have both start and snapshot');
    out.start = startValue(req.start);
  }
  return out;
}

function startValue(start: bigint | number | Date | string): bigint | string {
  if (typeof start === 'bigint') {
    if (start < 0n || start > U64_MAX) bad(`start ${start} is outside 0..2^64-1`);
    return start;
  }
  if (typeof start === 'number') {
    if (!Number.isSafeInteger(start) || start < 0) bad('start must be a non-negative integer of nanoseconds (use a bigint for large values)');
    return BigInt(start);
  }
  if (start instanceof Date) {
    const ms = start.getTime();
    if (Number.isNaN(ms) || ms < 0) bad('start is an invalid Date');
    return BigInt(ms) * 1_000_000n;
  }
  if (typeof start === 'string') {
    if (start === '' || SEPARATORS.test(start)) bad('start may not be empty or contain | or newlines');
    // ISO 8601 or decimal nanoseconds: anything else ('yesterday', '2024-02-30') would only fail at the gateway.
    if (!/^\d+$/.test(start)) toNanos(start, 'subscription.start');
    return start;
  }
  bad('start must be a bigint of nanoseconds, a number, a Date or a string');
}

/** @internal */
export function subscriptionFromNative(s: NativeSubscriptionOut): Subscription {
  const out: Subscription = {
    id: s.id,
    // The addon reports back what this module validated on the way in.
    schema: (schemaName(s.schema) ?? String(s.schema)) as SchemaName,
    stypeIn: (stypeName(s.stypeIn) ?? String(s.stypeIn)) as STypeName,
    symbols: s.symbols,
    snapshot: s.snapshot,
  };
  if (s.start !== undefined) out.start = s.start;
  return out;
}

/** Error codes the reconnect policy retries. @internal */
export function isRetriable(error: LiveError): boolean {
  switch (error.code) {
    case 'CONNECTION_CLOSED':
    case 'HEARTBEAT_TIMEOUT':
    case 'CONNECT_FAILED':
    case 'TIMEOUT':
      return true;
    case 'GATEWAY_ERROR':
      // Only the gateway's internal_error (6) is worth retrying.
      return (error as LiveError & { gatewayCode?: number }).gatewayCode === 6;
    default:
      return false;
  }
}
