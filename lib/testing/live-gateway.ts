/**
 * A mock of Databento's live subscription gateway: a real TCP server on
 * 127.0.0.1 that speaks the gateway protocol exactly — greeting, CRAM
 * challenge (verified against the configured keys), authentication and
 * subscription lines in any token order, `start_session`, a DBN metadata
 * header, symbol mappings, subscription acknowledgements, records,
 * heartbeats, error records, zstd when negotiated and `ts_out` suffixes.
 * It records every line it receives, and can be told to misbehave: refuse
 * authentication, close mid-record, go silent, send garbage, or stream
 * records as fast as the socket takes them.
 *
 * ```ts
 * import { MockLiveGateway, MOCK_API_KEY } from 'databento-node/testing';
 * import { LiveThreaded } from 'databento-node';
 *
 * const gateway = await MockLiveGateway.start({ records: './trades.dbn' });
 * const client = new LiveThreaded({ key: MOCK_API_KEY, dataset: 'GLBX.MDP3', gateway: '127.0.0.1', port: gateway.port });
 * client.subscribe({ schema: 'trades', symbols: ['ESZ4'] });
 * await client.start();
 * console.log(gateway.sessions[0].lines);
 * await client.close();
 * await gateway.close();
 * ```
 *
 * Only Node built-ins and this package's own code are used, so it runs under
 * any test framework.
 * @module
 */
import { EventEmitter } from 'node:events';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { MockLiveSession, withTimeout } from './live-session.js';

/** A 32-character API key the mock accepts by default. */
export const MOCK_API_KEY = 'db-MockLiveGatewayKey0123456789A';

/** What the mock does wrong, per connection. Everything is off by default. */
export interface MockLiveBehavior {
  /** Close the connection as soon as it is accepted. */
  closeOnConnect?: boolean;
  /** Accept, then send nothing at all (the client's authentication timeout fires). */
  silentOnConnect?: boolean;
  /** Send this instead of the `cram=<challenge>` line (e.g. garbage). */
  challengeLine?: string;
  /** Refuse authentication with this text (`true`: `Authentication failed.`), then close. */
  refuseAuth?: boolean | string;
  /** Send this line (without newline) as the authentication response instead of the normal one. */
  authResponse?: string;
  /**
   * After `start_session`:
   * - `'stream'` (default): metadata, mappings, acks, records, heartbeats when idle;
   * - `'silent'`: metadata, then nothing (not even heartbeats);
   * - `'close'`: metadata and records, then close;
   * - `'close-mid-record'`: metadata and records, half a record, then close;
   * - `'garbage'`: metadata, then bytes that are not DBN records.
   */
  afterStart?: 'stream' | 'silent' | 'close' | 'close-mid-record' | 'garbage';
  /** After the records, send this ErrorMsg (e.g. code 6 `internal_error`) and close if `close` (default true). */
  errorAfterRecords?: {
    /** ErrorMsg code, e.g. 6 (`internal_error`). */
    code: number;
    /** ErrorMsg text. */
    text: string;
    /** Close the connection after the error (default true). */
    close?: boolean;
  };
  /** Close once the records are sent. */
  closeAfterRecords?: boolean;
  /** Send heartbeat SystemMsgs after heartbeat_interval_s of silence (default true). */
  heartbeats?: boolean;
}

/** Records to serve after `start_session`. */
export type MockRecordSource =
  | Uint8Array
  | string
  | ((session: MockLiveSession) => Iterable<Uint8Array> | AsyncIterable<Uint8Array>);

/** Options of {@link MockLiveGateway.start}. */
export interface MockLiveGatewayOptions {
  /** API keys accepted (default `[MOCK_API_KEY]`). */
  keys?: string[];
  /** Interface to listen on (default `127.0.0.1`). */
  host?: string;
  /** Port (default 0: any free port). */
  port?: number;
  /** Value of the greeting's `lsg_version` (default `0.7.2`). */
  lsgVersion?: string;
  /** DBN version of the metadata header, 2 or 3 (default 3). Records are sent as given. */
  dbnVersion?: 2 | 3;
  /** Metadata `start` of each session, UNIX ns (default: the time of `start_session`). */
  sessionStart?: bigint;
  /**
   * Records sent after the mappings and acks: raw DBN records (already in
   * the metadata's version), a DBN file path (decoded and upgraded to v3), or
   * a function returning chunks of records for a session.
   */
  records?: MockRecordSource;
  /** Instrument id of a subscribed symbol (default: a stable hash; numeric symbols map to themselves). */
  instrumentId?: (symbol: string, stypeIn: string) => number;
  /** Send a SymbolMappingMsg per subscribed symbol (default true). */
  symbolMappings?: boolean;
  /** Send a subscription-acknowledgement SystemMsg per subscription (default true). */
  acks?: boolean;
  /** Misbehaviour, for every connection or per connection index (0-based). */
  behavior?: MockLiveBehavior | ((sessionIndex: number) => MockLiveBehavior);
}

/** One subscription line as the mock parsed it. */
export interface MockSubscriptionLine {
  /** The `schema` field, e.g. `'mbo'` ('' if missing). */
  schema: string;
  /** The `stype_in` field, e.g. `'raw_symbol'` ('' if missing). */
  stypeIn: string;
  /** The `symbols` field, split at commas. */
  symbols: string[];
  /** As sent: decimal nanoseconds or the verbatim string. */
  start?: string;
  /** Whether `snapshot=1` was sent. */
  snapshot: boolean;
  /** The `id` field, if sent. */
  id?: number;
  /** Whether this is the subscription's last line (`is_last=1`, or no `is_last`). */
  isLast: boolean;
  /** Every key/value of the line. */
  fields: Record<string, string>;
}

/** A subscription assembled from its chunk lines (up to `is_last=1`). */
export interface MockSubscription extends Omit<MockSubscriptionLine, 'isLast' | 'fields'> {
  /** Number of lines it arrived in. */
  lines: number;
}

export * from './gateway-records.js';
export { MockLiveSession } from './live-session.js';

/** The mock gateway's default instrument id of a symbol: the id itself for numeric `instrument_id` symbols, else a stable hash. */
export function defaultInstrumentId(symbol: string, stypeIn: string): number {
  if (stypeIn === 'instrument_id' && /^\d+$/.test(symbol)) return Number(symbol);
  // FNV-1a: stable across runs, spread over 1..2^31.
  let h = 0x811c9dc5;
  for (let i = 0; i < symbol.length; i++) h = Math.imul(h ^ symbol.charCodeAt(i), 0x01000193) >>> 0;
  return (h % 0x7fffffff) + 1;
}

/**
 * The mock gateway: listens on 127.0.0.1, one {@link MockLiveSession} per
 * connection (reconnections open new sessions).
 */
export class MockLiveGateway extends EventEmitter {
  /** Every connection so far, in order. */
  readonly sessions: MockLiveSession[] = [];
  /** Accepted API keys. */
  readonly keys: string[];
  /** Greeting version. */
  readonly lsgVersion: string;
  /** DBN version of the metadata header. */
  readonly dbnVersion: 2 | 3;
  /** Metadata start; undefined: the time of each start_session. */
  sessionStart: bigint | undefined;
  /** Records served after start (may be replaced between sessions). */
  records: MockRecordSource | undefined;
  /** Send SymbolMappingMsgs for subscriptions. */
  symbolMappings: boolean;
  /** Send subscription acknowledgements. */
  acks: boolean;
  /** Misbehaviour of the next connections (may be replaced between sessions). */
  behavior: MockLiveBehavior | ((sessionIndex: number) => MockLiveBehavior);
  /** Instrument id of a subscribed symbol. */
  readonly instrumentId: (symbol: string, stypeIn: string) => number;

  readonly #server: Server;
  #port = 0;

  private constructor(options: MockLiveGatewayOptions) {
    super();
    this.keys = options.keys ?? [MOCK_API_KEY];
    this.lsgVersion = options.lsgVersion ?? '0.7.2';
    this.dbnVersion = options.dbnVersion ?? 3;
    this.sessionStart = options.sessionStart;
    this.records = options.records;
    this.symbolMappings = options.symbolMappings ?? true;
    this.acks = options.acks ?? true;
    this.behavior = options.behavior ?? {};
    this.instrumentId = options.instrumentId ?? defaultInstrumentId;
    this.#server = createServer((socket) => {
      const index = this.sessions.length;
      const behavior = typeof this.behavior === 'function' ? this.behavior(index) : this.behavior;
      const session = new MockLiveSession(this, socket, index, behavior);
      this.sessions.push(session);
      this.emit('session', session);
    });
  }

  /** Starts a gateway listening on `host:port` (default 127.0.0.1, any free port). */
  static async start(options: MockLiveGatewayOptions = {}): Promise<MockLiveGateway> {
    const gw = new MockLiveGateway(options);
    await new Promise<void>((resolve, reject) => {
      gw.#server.once('error', reject);
      gw.#server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
    });
    gw.#port = (gw.#server.address() as AddressInfo).port;
    return gw;
  }

  /** The port listened on. */
  get port(): number {
    return this.#port;
  }

  /** Resolves with connection `index` (default: the next one) once accepted. */
  waitForSession(index = this.sessions.length, timeoutMs = 5000): Promise<MockLiveSession> {
    const have = this.sessions[index];
    if (have) return Promise.resolve(have);
    return withTimeout(
      new Promise<MockLiveSession>((resolve) => {
        const check = (s: MockLiveSession): void => {
          if (s.index === index) {
            this.off('session', check);
            resolve(s);
          }
        };
        this.on('session', check);
      }),
      timeoutMs,
      `connection #${index}`,
    );
  }

  /** Stops listening and resets every open connection. */
  async close(): Promise<void> {
    for (const s of this.sessions) s.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
