/**
 * One connection of the mock live gateway ({@link MockLiveGateway}): the
 * gateway protocol as the server side speaks it, what the client sent, and
 * the `send*` methods that let a test drive the stream by hand.
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { DbnEncoder } from '../dbn/encoder.js';
import { DbnStore } from '../dbn/store.js';
import { schemaFromName, stypeFromName } from '../generated/enums.js';
import { encodeErrorMsg, encodeSymbolMappingMsg, encodeSystemMsg, encodeTradeMsg, nowNanos, type SymbolMappingInit } from './gateway-records.js';
import type { MockLiveBehavior, MockLiveGateway, MockSubscription, MockSubscriptionLine } from './live-gateway.js';

function parseLine(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const token of line.split('|')) {
    const eq = token.indexOf('=');
    if (eq < 0) out[token] = '';
    else out[token.slice(0, eq)] = token.slice(eq + 1);
  }
  return out;
}

/** A promise that rejects after `ms` unless `promise` settles first. @internal */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`mock live gateway: timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * One client connection. Everything the client sent is in {@link lines};
 * tests can also drive the stream by hand with the `send*` methods.
 */
export class MockLiveSession extends EventEmitter {
  /** 0-based index of the connection on its gateway. */
  readonly index: number;
  /** Every line received, without its newline, in order. */
  readonly lines: string[] = [];
  /** Session id sent in the authentication response. */
  readonly sessionId: string;
  /** The challenge sent. */
  readonly challenge: string;
  /** The authentication request's fields, once received. */
  auth: Record<string, string> | undefined;
  /** Whether the CRAM reply matched a configured key. */
  authenticated = false;
  /** Subscription lines in order of arrival. */
  readonly subscriptionLines: MockSubscriptionLine[] = [];
  /** Subscriptions assembled from their chunks. */
  readonly subscriptions: MockSubscription[] = [];
  /** Whether `start_session` was received. */
  started = false;
  /** Whether the connection has closed. */
  closed = false;
  /** Records (not metadata) and raw bytes written after start, in bytes before compression. */
  bytesSent = 0;

  readonly #gateway: MockLiveGateway;
  readonly #socket: Socket;
  readonly #behavior: MockLiveBehavior;
  #buffer = '';
  #encoder: DbnEncoder | undefined;
  #zstd = false;
  #tsOut = false;
  #heartbeat: NodeJS.Timeout | undefined;
  #silent = false;
  #pending: MockSubscriptionLine[] = [];

  /** @internal */
  constructor(gateway: MockLiveGateway, socket: Socket, index: number, behavior: MockLiveBehavior) {
    super();
    this.#gateway = gateway;
    this.#socket = socket;
    this.index = index;
    this.#behavior = behavior;
    this.sessionId = String(1_732_098_765 + index);
    this.challenge = randomBytes(24).toString('base64').replace(/[^A-Za-z]/g, '').padEnd(32, 'x').slice(0, 32);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      this.closed = true;
      clearTimeout(this.#heartbeat);
      this.emit('close');
    });
    this.#greet();
  }

  /** The heartbeat interval the client asked for (default 30). */
  get heartbeatIntervalS(): number {
    const v = Number(this.auth?.heartbeat_interval_s);
    return Number.isInteger(v) && v > 0 ? v : 30;
  }

  /** Whether the session negotiated zstd. */
  get compressed(): boolean {
    return this.#zstd;
  }

  /** Whether the session negotiated ts_out. */
  get tsOut(): boolean {
    return this.#tsOut;
  }

  /** Resolves once `start_session` arrived. */
  waitForStart(timeoutMs = 5000): Promise<void> {
    if (this.started) return Promise.resolve();
    return withTimeout(new Promise<void>((resolve) => this.once('start', () => resolve())), timeoutMs, 'start_session');
  }

  /** Resolves once at least `count` lines arrived. */
  waitForLines(count: number, timeoutMs = 5000): Promise<string[]> {
    if (this.lines.length >= count) return Promise.resolve(this.lines);
    return withTimeout(
      new Promise<string[]>((resolve) => {
        const check = (): void => {
          if (this.lines.length >= count) {
            this.off('line', check);
            resolve(this.lines);
          }
        };
        this.on('line', check);
      }),
      timeoutMs,
      `${count} lines`,
    );
  }

  /** Resolves once the connection has closed. */
  waitForClose(timeoutMs = 5000): Promise<void> {
    if (this.closed) return Promise.resolve();
    return withTimeout(new Promise<void>((resolve) => this.once('close', () => resolve())), timeoutMs, 'the connection to close');
  }

  /**
   * Sends whole records (in the session's DBN version), adding ts_out
   * suffixes and zstd as negotiated. Returns false when the socket buffer is
   * full (wait for {@link drained}).
   */
  send(records: Uint8Array): boolean {
    if (this.#gone || !this.started) return false;
    const body = this.#tsOut ? appendTsOut(records) : records;
    this.bytesSent += body.length;
    this.#armHeartbeat();
    if (this.#zstd) {
      const enc = this.#encoder!;
      const out = enc.write(body);
      const flushed = enc.flush();
      this.#socket.write(out);
      return this.#socket.write(flushed);
    }
    return this.#socket.write(body);
  }

  /** Sends bytes exactly as given (no ts_out, no compression): for garbage. */
  sendRaw(bytes: Uint8Array | string): boolean {
    if (this.#gone) return false;
    this.#armHeartbeat();
    return this.#socket.write(bytes);
  }

  /** Sends a SystemMsg. */
  sendSystem(msg: string, code: number): boolean {
    return this.send(encodeSystemMsg(msg, code));
  }

  /** Sends an ErrorMsg. */
  sendError(err: string, code: number, isLast = 1): boolean {
    return this.send(encodeErrorMsg(err, code, isLast));
  }

  /** Sends a SymbolMappingMsg. */
  sendSymbolMapping(m: SymbolMappingInit): boolean {
    return this.send(encodeSymbolMappingMsg(m));
  }

  /** Resolves when the socket can take more data. */
  drained(): Promise<void> {
    if (this.#gone || !this.#socket.writableNeedDrain) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.#socket.off('drain', done);
        this.#socket.off('close', done);
        resolve();
      };
      this.#socket.once('drain', done);
      this.#socket.once('close', done);
    });
  }

  /**
   * Streams `records` `repeat` times (default once) as fast as the socket
   * takes them, in chunks of `chunkBytes` (default 4 MiB, cut at record
   * boundaries by the caller's sizing: pass whole records). Uncompressed,
   * without ts_out: the bytes go out as they are. Resolves when written or
   * when the connection closed.
   */
  async stream(records: Uint8Array, options: { repeat?: number; chunkBytes?: number } = {}): Promise<void> {
    const repeat = options.repeat ?? 1;
    const chunk = options.chunkBytes ?? 4 * 1024 * 1024;
    for (let r = 0; r < repeat && !this.#gone; r++) {
      for (let at = 0; at < records.length && !this.#gone; at += chunk) {
        const part = records.subarray(at, Math.min(records.length, at + chunk));
        this.bytesSent += part.length;
        this.#armHeartbeat();
        const ok = this.#zstd || this.#tsOut ? this.send(part) : this.#socket.write(part);
        if (!ok) await this.drained();
      }
    }
  }

  /**
   * Whether the connection can carry no more data: closed, or destroyed and
   * about to close. A write that fails at once (the client reset the
   * connection) destroys the socket before `close` is emitted, and a record
   * loop that only checked `closed` would spin on it without ever yielding.
   */
  get #gone(): boolean {
    return this.closed || this.#socket.destroyed;
  }

  /** Stops heartbeats: from now on the mock sends nothing unless told to. */
  goSilent(): void {
    this.#silent = true;
    clearTimeout(this.#heartbeat);
  }

  /**
   * Closes the connection gracefully (FIN after pending writes); resets it if
   * the client has not closed its side within `timeoutMs` (default 2000).
   */
  close(timeoutMs = 2000): Promise<void> {
    if (this.closed) return Promise.resolve();
    const closed = this.waitForClose(timeoutMs).catch(() => this.destroy());
    clearTimeout(this.#heartbeat);
    if (this.#zstd && this.#encoder) {
      try {
        this.#socket.write(this.#encoder.end());
      } catch {
        // ended already
      }
    }
    this.#socket.end();
    return closed;
  }

  /** Resets the connection at once. */
  destroy(): void {
    clearTimeout(this.#heartbeat);
    this.#socket.destroy();
  }

  // -- protocol ---------------------------------------------------------------

  #greet(): void {
    const b = this.#behavior;
    if (b.closeOnConnect) {
      this.#socket.destroy();
      return;
    }
    if (b.silentOnConnect) return;
    this.#socket.write(`lsg_version=${this.#gateway.lsgVersion}\n`);
    // The challenge goes out separately, as the real gateway may split them.
    setTimeout(() => {
      if (!this.closed) this.#socket.write(`${b.challengeLine ?? `cram=${this.challenge}`}\n`);
    }, 2);
  }

  #onData(chunk: Buffer): void {
    this.#buffer += chunk.toString('latin1');
    for (let nl = this.#buffer.indexOf('\n'); nl >= 0; nl = this.#buffer.indexOf('\n')) {
      const line = this.#buffer.slice(0, nl);
      this.#buffer = this.#buffer.slice(nl + 1);
      this.lines.push(line);
      this.#onLine(line);
      this.emit('line', line);
    }
  }

  #onLine(line: string): void {
    if (!this.auth) {
      this.#onAuth(line);
      return;
    }
    if (!this.authenticated) return;
    const fields = parseLine(line);
    if ('start_session' in fields) {
      if (!this.started) {
        this.#start().catch(() => {
          // A record source that failed: end the session like a broken gateway.
          this.destroy();
        });
      }
      return;
    }
    if ('schema' in fields) this.#onSubscription(fields);
  }

  #onAuth(line: string): void {
    const fields = parseLine(line);
    this.auth = fields;
    const b = this.#behavior;
    const fail = (text: string): void => {
      this.#socket.end(`success=0|error=${text}\n`);
    };
    const [hash, bucket] = (fields.auth ?? '').split('-');
    const key = this.#gateway.keys.find((k) => k.endsWith(bucket ?? '\0') && bucket?.length === 5);
    const expected = key && createHash('sha256').update(`${this.challenge}|${key}`).digest('hex');
    this.authenticated = Boolean(expected && expected === hash);
    if (b.authResponse !== undefined) {
      this.#socket.write(`${b.authResponse}\n`);
      return;
    }
    if (b.refuseAuth) {
      this.authenticated = false;
      fail(typeof b.refuseAuth === 'string' ? b.refuseAuth : 'Authentication failed.');
      return;
    }
    if (!this.authenticated) return fail('Authentication failed.');
    if (!fields.dataset || fields.dataset.length > 15) return fail(`Unknown dataset ${fields.dataset ?? ''}`);
    if (fields.encoding !== 'dbn') return fail(`Unsupported encoding ${fields.encoding}`);
    const hb = fields.heartbeat_interval_s;
    if (hb !== undefined && !(/^\d+$/.test(hb) && Number(hb) >= 5 && Number(hb) <= 1800)) {
      this.authenticated = false;
      return fail('heartbeat_interval_s must be between 5 and 1800');
    }
    this.#zstd = fields.compression === 'zstd';
    this.#tsOut = fields.ts_out === '1';
    this.#socket.write(`success=1|session_id=${this.sessionId}\n`);
  }

  #onSubscription(fields: Record<string, string>): void {
    const sub: MockSubscriptionLine = {
      schema: fields.schema ?? '',
      stypeIn: fields.stype_in ?? '',
      symbols: fields.symbols ? fields.symbols.split(',') : [],
      snapshot: fields.snapshot === '1',
      isLast: fields.is_last === undefined ? true : fields.is_last === '1',
      fields,
    };
    if (fields.start !== undefined) sub.start = fields.start;
    if (fields.id !== undefined) sub.id = Number(fields.id);
    this.subscriptionLines.push(sub);
    this.#pending.push(sub);
    if (!sub.isLast) return;
    const parts = this.#pending;
    this.#pending = [];
    const whole: MockSubscription = {
      schema: sub.schema,
      stypeIn: sub.stypeIn,
      symbols: parts.flatMap((p) => p.symbols),
      snapshot: sub.snapshot,
      lines: parts.length,
    };
    if (sub.start !== undefined) whole.start = sub.start;
    if (sub.id !== undefined) whole.id = sub.id;
    this.subscriptions.push(whole);
    this.emit('subscription', whole);
    // Subscriptions after start are answered at once.
    if (this.started && (this.#behavior.afterStart ?? 'stream') === 'stream') this.send(this.#greeting(whole));
  }

  /** Mappings and acknowledgement of a subscription. */
  #greeting(sub: MockSubscription): Uint8Array {
    const parts: Uint8Array[] = [];
    const gw = this.#gateway;
    const valid = schemaFromName(sub.schema) !== undefined && stypeFromName(sub.stypeIn) !== undefined;
    if (!valid) {
      parts.push(encodeErrorMsg(`Invalid subscription: schema ${sub.schema}, stype_in ${sub.stypeIn}`, 5));
      return concat(parts);
    }
    if (gw.symbolMappings) {
      const stypeIn = stypeFromName(sub.stypeIn) ?? 1;
      for (const symbol of sub.symbols) {
        if (symbol === 'ALL_SYMBOLS') continue;
        parts.push(
          encodeSymbolMappingMsg({
            instrumentId: gw.instrumentId(symbol, sub.stypeIn),
            stypeIn,
            stypeInSymbol: symbol,
            stypeOut: 1,
            stypeOutSymbol: symbol,
            startTs: gw.sessionStart ?? nowNanos(),
          }),
        );
      }
    }
    if (gw.acks) parts.push(encodeSystemMsg(`Subscription request ${sub.id ?? 0} for ${sub.schema} data succeeded`, 1));
    return concat(parts);
  }

  async #start(): Promise<void> {
    this.started = true;
    const b = this.#behavior;
    const gw = this.#gateway;
    const start = gw.sessionStart ?? nowNanos();
    this.#encoder = new DbnEncoder(
      {
        version: gw.dbnVersion,
        dataset: this.auth?.dataset ?? '',
        schema: null,
        start,
        stype_in: null,
        stype_out: 'instrument_id',
        ts_out: this.#tsOut,
      },
      { compression: this.#zstd ? 'zstd' : 'none' },
    );
    const head = this.#encoder.write(new Uint8Array(0));
    this.#socket.write(head);
    if (this.#zstd) this.#socket.write(this.#encoder.flush());
    this.emit('start');
    const mode = b.afterStart ?? 'stream';
    if (mode === 'silent') {
      this.goSilent();
      return;
    }
    if (mode === 'garbage') {
      // Plain: a zero-length record header, which no DBN reader can go past.
      // zstd: a block header of a reserved type, which no zstd reader accepts
      // (zeros would be valid empty blocks there).
      this.#socket.write(Buffer.alloc(64, this.#zstd ? 0xff : 0));
      return;
    }
    this.#armHeartbeat();
    for (const sub of this.subscriptions) this.send(this.#greeting(sub));
    await this.#sendRecords();
    if (this.#gone) return;
    if (b.errorAfterRecords) {
      const { code, text, close = true } = b.errorAfterRecords;
      this.sendError(text, code);
      if (close) await this.close();
      return;
    }
    if (mode === 'close-mid-record') {
      // With zstd the frame is left unfinished instead.
      if (!this.#zstd) this.#socket.write(encodeTradeMsg({ instrumentId: 1, tsEvent: nowNanos(), price: 1n, size: 1 }).subarray(0, 20));
      clearTimeout(this.#heartbeat);
      this.#socket.end();
      return;
    }
    if (mode === 'close' || b.closeAfterRecords) await this.close();
  }

  async #sendRecords(): Promise<void> {
    const source = this.#gateway.records;
    if (source === undefined) return;
    if (source instanceof Uint8Array) {
      if (!this.send(source)) await this.drained();
      return;
    }
    if (typeof source === 'string') {
      for (const batch of DbnStore.fromFile(source).batchesSync()) {
        if (this.#gone) return;
        if (!this.send(batch.bytes())) await this.drained();
      }
      return;
    }
    for await (const chunk of source(this)) {
      if (this.#gone) return;
      if (!this.send(chunk)) await this.drained();
    }
  }

  #armHeartbeat(): void {
    clearTimeout(this.#heartbeat);
    if (this.#silent || this.closed || !this.started || this.#behavior.heartbeats === false) return;
    this.#heartbeat = setTimeout(() => {
      this.#heartbeat = undefined;
      if (!this.closed && !this.#silent) this.sendSystem('Heartbeat', 0);
    }, this.heartbeatIntervalS * 1000);
    this.#heartbeat.unref();
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

/** Appends an 8-byte ts_out (now) to each record and grows hd.length by 2 words. */
function appendTsOut(records: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  const ts = nowNanos();
  for (let at = 0; at + 16 <= records.length; ) {
    const len = records[at]! * 4;
    if (len < 16 || at + len > records.length) break;
    const rec = new Uint8Array(len + 8);
    rec.set(records.subarray(at, at + len));
    rec[0] = (len + 8) / 4;
    new DataView(rec.buffer).setBigUint64(len, ts, true);
    parts.push(rec);
    at += len;
  }
  return Buffer.concat(parts);
}
