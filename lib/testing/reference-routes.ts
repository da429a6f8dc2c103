/**
 * The reference endpoints of {@link MockHistoricalServer}: corporate actions,
 * adjustment factors and the security master, answered as the API does —
 * zstd-compressed JSON lines without a `Content-Encoding` — filtered by the
 * request's symbols, codes and range, from the official clients' test
 * vectors or from rows set with `setReferenceData` (generated lazily if need
 * be, for bodies of millions of rows).
 * @module
 */
import type { ServerResponse } from 'node:http';
import { ZstdCompressStream } from '../zstd.js';
import type { MockFault, RecordedRequest } from './historical-server.js';
import { ADJUSTMENT_FACTORS_LINES, CORPORATE_ACTIONS_LINES, SECURITY_MASTER_LINES } from './reference-vectors.js';

/** The reference endpoints, named without `/v0/`. */
export const REFERENCE_ENDPOINTS = [
  'corporate_actions.get_range',
  'adjustment_factors.get_range',
  'security_master.get_range',
  'security_master.get_last',
] as const;

/** One of {@link REFERENCE_ENDPOINTS}. */
export type ReferenceEndpoint = (typeof REFERENCE_ENDPOINTS)[number];

/** Rows: objects, or JSON lines as text; iterables may be generated lazily. */
export type MockReferenceRows = Iterable<object | string> | AsyncIterable<object | string>;

/**
 * What a reference endpoint serves: rows (filtered by the request when given
 * as an array), the raw body bytes (sent as they are, e.g. to test corrupt or
 * cut zstd), or a function of the request returning either (not filtered).
 */
export type MockReferenceData = readonly (object | string)[] | Uint8Array | ((request: RecordedRequest) => MockReferenceRows | Uint8Array);

/** How the server writes bodies, shared with its other streamed endpoints. */
export interface BodyWriterOptions {
  /** Bytes per chunk of raw bodies. */
  chunkSize: number;
  /** Pause between chunks in ms (0: just yield to the event loop). */
  chunkDelayMs: number;
  /** Told how many body bytes went out. */
  sent: (bytes: number) => void;
}

interface EndpointRules {
  required: string[];
  /** Allowed `index` values, the default first; the index column when there is no choice. */
  index: readonly string[];
  lines: readonly string[];
}

const RULES: Record<ReferenceEndpoint, EndpointRules> = {
  'corporate_actions.get_range': {
    required: ['start', 'symbols'],
    index: ['event_date', 'ex_date', 'ts_record'],
    lines: CORPORATE_ACTIONS_LINES,
  },
  'adjustment_factors.get_range': { required: ['start', 'symbols'], index: ['ex_date'], lines: ADJUSTMENT_FACTORS_LINES },
  'security_master.get_range': {
    required: ['start', 'symbols'],
    index: ['ts_effective', 'ts_record'],
    lines: SECURITY_MASTER_LINES,
  },
  'security_master.get_last': { required: ['symbols'], index: ['ts_effective'], lines: SECURITY_MASTER_LINES },
};

/** Whether a path names a reference endpoint. */
export function isReferenceEndpoint(endpoint: string): endpoint is ReferenceEndpoint {
  return (REFERENCE_ENDPOINTS as readonly string[]).includes(endpoint);
}

/** Answers one reference request (authentication and faults other than body faults are already handled). */
export async function serveReference(
  endpoint: ReferenceEndpoint,
  r: RecordedRequest,
  res: ServerResponse,
  data: MockReferenceData | undefined,
  fault: MockFault | undefined,
  writer: BodyWriterOptions,
): Promise<void> {
  const rules = RULES[endpoint];
  const problem = checkRequest(rules, r);
  if (problem) {
    const text = JSON.stringify({ detail: problem.detail });
    res.writeHead(problem.status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
    res.end(text);
    return;
  }
  let answer: MockReferenceRows | Uint8Array;
  if (typeof data === 'function') answer = data(r);
  else if (data instanceof Uint8Array) answer = data;
  else answer = select(endpoint, data ?? rules.lines, r.params);
  res.writeHead(200, { 'content-type': 'application/octet-stream' });
  if (answer instanceof Uint8Array) await writeRaw(res, answer, fault, writer);
  else await writeRows(res, answer, fault, writer);
}

/** What the API would refuse in a request, as a status and a detail message. */
function checkRequest(rules: EndpointRules, r: RecordedRequest): { status: number; detail: string } | undefined {
  const p = r.params;
  if (r.method !== 'POST') return { status: 405, detail: 'Method Not Allowed' };
  const missing = rules.required.find((k) => !p[k]);
  if (missing !== undefined) return { status: 422, detail: `Missing required parameter '${missing}'.` };
  if (p['index'] !== undefined && !rules.index.includes(p['index'])) {
    return { status: 422, detail: `Invalid index '${p['index']}': expected one of ${rules.index.join(', ')}.` };
  }
  if (p['compression'] !== 'zstd') return { status: 422, detail: "The mock serves compression 'zstd' only." };
  return undefined;
}

/** The rows an array answers with: filtered as the API filters, `get_last` keeping each listing's newest version. */
function select(endpoint: ReferenceEndpoint, lines: readonly (object | string)[], p: Record<string, string>): object[] {
  const rows = lines.map((l) => (typeof l === 'string' ? (JSON.parse(l) as Record<string, unknown>) : (l as Record<string, unknown>)));
  const list = (k: string): Set<string> | undefined => (p[k] ? new Set(p[k]!.split(',')) : undefined);
  const symbols = p['symbols'] === 'ALL_SYMBOLS' ? undefined : list('symbols');
  const symbolColumn = !p['stype_in'] || p['stype_in'] === 'raw_symbol' ? 'symbol' : p['stype_in'];
  const filters: [string, Set<string> | undefined][] = [
    [symbolColumn, symbols],
    ['listing_country', list('countries')],
    ['security_type', list('security_types')],
    ['event', list('events')],
    ['exchange', list('exchanges')],
  ];
  const indexColumn = p['index'] ?? RULES[endpoint].index[0]!;
  const start = p['start'] === undefined ? -Infinity : timeMs(p['start']);
  const end = p['end'] === undefined ? Infinity : timeMs(p['end']);
  let out = rows.filter((row) => {
    for (const [column, allowed] of filters) {
      if (allowed && column in row && !allowed.has(String(row[column]).toUpperCase())) return false;
    }
    if (endpoint === 'security_master.get_last') return true;
    const at = typeof row[indexColumn] === 'string' ? timeMs(row[indexColumn]) : NaN;
    return at >= start && at < end; // rows whose index is null are left out, as the API does
  });
  if (endpoint === 'security_master.get_last') {
    const newest = new Map<unknown, Record<string, unknown>>();
    for (const row of out) {
      const seen = newest.get(row['listing_id']);
      if (!seen || timeMs(row['ts_effective']) >= timeMs(seen['ts_effective'])) newest.set(row['listing_id'], row);
    }
    out = [...newest.values()];
  }
  return out;
}

/** Milliseconds of an API time: UNIX ns digits, or ISO 8601 (`YYYY`, `YYYY-MM`, dates and date-times; UTC). */
function timeMs(value: unknown): number {
  if (typeof value !== 'string') return NaN;
  if (/^\d{5,}$/.test(value)) return Number(BigInt(value) / 1_000_000n);
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
  return Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(iso) || iso.length <= 7 ? iso : `${iso}Z`);
}

/** Rows as zstd JSON lines, compressed as they are produced, written with backpressure. */
async function writeRows(res: ServerResponse, rows: MockReferenceRows, fault: MockFault | undefined, writer: BodyWriterOptions): Promise<void> {
  const zstd = new ZstdCompressStream();
  const out = new BodyOut(res, fault, writer);
  let text = '';
  for await (const row of rows as AsyncIterable<object | string>) {
    text += (typeof row === 'string' ? row : JSON.stringify(row)) + '\n';
    if (text.length >= 64 * 1024) {
      if (!(await out.write(zstd.write(Buffer.from(text))))) return;
      text = '';
    }
  }
  if (!(await out.write(zstd.write(Buffer.from(text))))) return;
  if (await out.write(zstd.end())) out.end();
}

async function writeRaw(res: ServerResponse, data: Uint8Array, fault: MockFault | undefined, writer: BodyWriterOptions): Promise<void> {
  const out = new BodyOut(res, fault, writer);
  const size = Math.max(1, writer.chunkSize);
  for (let at = 0; at < data.length; at += size) if (!(await out.write(data.subarray(at, at + size)))) return;
  out.end();
}

/** The body on its way out, applying the body faults: `truncate` (cut after N bytes) and `corrupt` (one byte flipped). */
class BodyOut {
  #sent = 0;
  #closed = false;
  #corrupt: boolean;
  readonly #cutAt: number;

  constructor(
    readonly res: ServerResponse,
    fault: MockFault | undefined,
    readonly writer: BodyWriterOptions,
  ) {
    this.#cutAt = fault?.kind === 'truncate' ? fault.afterBytes : Infinity;
    this.#corrupt = fault?.kind === 'corrupt';
    res.once('close', () => (this.#closed = true));
  }

  /** Writes bytes; false once the body is over (client gone or cut). */
  async write(bytes: Uint8Array): Promise<boolean> {
    if (this.#closed) return false;
    let chunk = bytes.subarray(0, Math.max(0, this.#cutAt - this.#sent));
    if (this.#corrupt && chunk.length > 0) {
      chunk = Uint8Array.from(chunk);
      chunk[chunk.length >> 1]! ^= 0xff;
      this.#corrupt = false;
    }
    this.#sent += chunk.length;
    this.writer.sent(chunk.length);
    if (chunk.length > 0 && !this.res.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.res.off('drain', done);
          this.res.off('close', done);
          resolve();
        };
        this.res.on('drain', done);
        this.res.on('close', done);
      });
    }
    if (this.#sent >= this.#cutAt) {
      await new Promise((resolve) => setTimeout(resolve, 10)); // let the bytes out, then drop the connection
      this.res.socket?.destroy();
      return false;
    }
    if (this.writer.chunkDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.writer.chunkDelayMs));
    else await new Promise((resolve) => setImmediate(resolve));
    return !this.#closed;
  }

  end(): void {
    if (!this.#closed) this.res.end();
  }
}
