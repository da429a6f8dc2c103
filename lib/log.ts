/**
 * Diagnostics of the clients: what they do on the network (connections,
 * authentication, subscriptions, reconnections, each HTTP request with its
 * status, retries and timing) and the gateway's own system and error
 * messages. Lines go to the `logger` option of a client (any object with
 * `debug`, `info`, `warn` and `error`, such as `console` or a pino logger)
 * and, with `NODE_DEBUG=databento`, to stderr. The API key never appears.
 * @module
 */
import { debuglog } from 'node:util';
import { InvalidArgumentError } from './errors.js';
import { RType } from './generated/enums.js';
import type { AnyRecord, ErrorMsg, ErrorMsgV1, SystemMsg, SystemMsgV1 } from './generated/records.js';

/** Where a client's diagnostics go: `console`, a pino or winston logger, or anything with these four methods. */
export interface Logger {
  /** Protocol detail: each request, subscription line, heartbeat. */
  debug(message: string): void;
  /** Milestones: connected, authenticated, session started, closed. */
  info(message: string): void;
  /** Recoverable trouble: a retry, a reconnection, a gateway warning. */
  warn(message: string): void;
  /** Failures: a gateway error, a session that failed for good. */
  error(message: string): void;
}

/** The level of a log line. */
export type LogLevel = keyof Logger;

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];
const nodeDebug = debuglog('databento');

/** A `logger` option, checked: undefined or an object with the four methods. @internal */
export function checkLogger(value: unknown, where: string): Logger | undefined {
  if (value === undefined) return undefined;
  const ok = typeof value === 'object' && value !== null && LEVELS.every((l) => typeof (value as Record<string, unknown>)[l] === 'function');
  if (!ok) throw new InvalidArgumentError(`${where}: logger must have debug, info, warn and error methods (e.g. console or a pino logger)`);
  return value as Logger;
}

// A CRAM reply echoed by a gateway (`<sha256 hex>-<last 5 characters of the key>`).
const CRAM_REPLY = /\b[0-9a-f]{64}-[\x21-\x7e]{5}\b/g;

/**
 * The log of one client: prefixes its lines with the client's name, removes
 * the key (and a CRAM reply) from any text, and costs a boolean test when
 * nobody listens. @internal
 */
export class ClientLog {
  readonly #logger: Logger | undefined;
  readonly #scope: string;
  readonly #key: string;

  constructor(logger: Logger | undefined, scope: string, key: string) {
    this.#logger = logger;
    this.#scope = scope;
    this.#key = key;
  }

  /** Whether any line would go anywhere: callers skip building costly lines otherwise. */
  get enabled(): boolean {
    return this.#logger !== undefined || nodeDebug.enabled;
  }

  debug(message: string): void {
    this.#write('debug', message);
  }

  info(message: string): void {
    this.#write('info', message);
  }

  warn(message: string): void {
    this.#write('warn', message);
  }

  error(message: string): void {
    this.#write('error', message);
  }

  /** Removes the key and any CRAM reply from text. */
  redact(text: string): string {
    const out = this.#key.length > 0 ? text.split(this.#key).join('<redacted>') : text;
    return out.replace(CRAM_REPLY, '<redacted>');
  }

  #write(level: LogLevel, message: string): void {
    if (!this.enabled) return;
    const line = `${this.#scope}: ${this.redact(message)}`;
    if (nodeDebug.enabled) nodeDebug('%s %s', level, line);
    if (this.#logger === undefined) return;
    try {
      this.#logger[level](line);
    } catch (err) {
      // A throwing logger is the application's bug: surfaced as an uncaught
      // exception, as a throwing event listener would be, not swallowed and
      // not allowed to break the request or session in progress.
      process.nextTick(() => {
        throw err;
      });
    }
  }
}

/** Milliseconds since `t0` (from `performance.now()`), rounded for a log line. @internal */
export function elapsed(t0: number): string {
  const ms = performance.now() - t0;
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

/**
 * Logs the gateway's SystemMsg and ErrorMsg records among `records`:
 * heartbeats at debug, other system messages at info, errors at error.
 * Nothing is read when nobody listens. @internal
 */
export function logGatewayMessages(log: ClientLog, records: Iterable<AnyRecord>): void {
  if (!log.enabled) return;
  for (const rec of records) {
    if (rec.rtype === RType.System) {
      const sys = rec as SystemMsg | SystemMsgV1;
      if ('code' in sys && sys.code === 0) log.debug(`gateway: ${sys.msg}`);
      else log.info(`gateway: ${sys.msg}`);
    } else if (rec.rtype === RType.Error) {
      const err = rec as ErrorMsg | ErrorMsgV1;
      log.error(`gateway error${'code' in err ? ` (code ${err.code})` : ''}: ${err.err}`);
    }
  }
}

/** What a live client logs, one call per event, so that each client needs one line per log point. @internal */
export class LiveLog extends ClientLog {
  connecting(dataset: string, gateway: string, port: number): void {
    const host = gateway || `${dataset.toLowerCase().replace(/\./g, '-')}.lsg.databento.com`;
    this.info(`connecting to ${host}:${port} for ${dataset}`);
  }

  subscribed(id: number, sub: { schema: string; stypeIn: string; symbols: readonly string[]; start?: unknown; snapshot?: boolean }): void {
    if (!this.enabled) return;
    const shown = sub.symbols.length > 10 ? `${sub.symbols.slice(0, 10).join(',')},… (${sub.symbols.length} symbols)` : sub.symbols.join(',');
    const extra = `${sub.start !== undefined ? ` start=${String(sub.start)}` : ''}${sub.snapshot ? ' snapshot' : ''}`;
    this.info(`subscription ${id}: ${sub.schema} ${sub.stypeIn} ${shown}${extra}`);
  }

  started(sessionId: string, start: bigint): void {
    this.info(`authenticated; session ${sessionId || '?'} started (metadata start ${start})`);
  }

  reconnecting(attempt: number, maxAttempts: number, delayMs: number, error: { code: string; message: string }): void {
    this.warn(`connection lost (${error.code}: ${error.message}); reconnecting in ${Math.round(delayMs)} ms, attempt ${attempt} of ${maxAttempts}`);
  }

  failed(error: { code: string; message: string }): void {
    this.error(`session failed: ${error.code}: ${error.message}`);
  }

  closed(): void {
    this.info('closed');
  }
}
