/**
 * `client.symbology`: resolve symbols from one symbology to another over a
 * date range.
 * @module
 */
import { SymbologyResolution, type ResolvedInterval } from '../symbology/resolution.js';
import * as check from './check.js';
import type { HttpClient } from './http.js';
import type { CallOptions } from './metadata.js';
import {
  encodeDate,
  encodeSType,
  encodeSymbols,
  encodeDateRange,
  optionalSignal,
  optionsObject,
  requireString,
} from './params.js';
import type { DateOnlyLike, STypeName, Symbols } from './types.js';

/** Options of {@link SymbologyApi.resolve}. */
export interface ResolveOptions extends CallOptions {
  /** Dataset code, e.g. `'GLBX.MDP3'`. */
  dataset: string;
  /** Symbols to resolve (in `stypeIn`). */
  symbols: Symbols;
  /** Default `'raw_symbol'`. */
  stypeIn?: STypeName;
  /** Default `'instrument_id'`. */
  stypeOut?: STypeName;
  /** First day (inclusive). */
  startDate: DateOnlyLike;
  /** Day after the last (exclusive); omitted, the server picks the end. */
  endDate?: DateOnlyLike;
}

/** The symbology endpoint (`/v0/symbology.resolve`). */
export class SymbologyApi {
  readonly #http: HttpClient;

  /** @internal */
  constructor(http: HttpClient) {
    this.#http = http;
  }

  /**
   * Resolves symbols over a date range. Partially resolved symbols are listed
   * in `partial`, unresolved ones in `not_found` (HTTP 206 counts as success).
   * Retried on 429, 5xx and network failures.
   *
   * ```ts
   * const res = await client.symbology.resolve({ dataset: 'GLBX.MDP3', symbols: ['ES.c.0'],
   *   stypeIn: 'continuous', startDate: '2024-11-18', endDate: '2024-11-20' });
   * const map = res.toTsSymbolMap();
   * ```
   */
  async resolve(options: ResolveOptions): Promise<SymbologyResolution> {
    const where = 'symbology.resolve';
    const o = optionsObject(options, where, true);
    const dates = encodeDateRange(encodeDate(o.startDate, `${where}: startDate`), o.endDate, where);
    const params = {
      dataset: requireString(o.dataset, `${where}: dataset`),
      symbols: encodeSymbols(o.symbols, `${where}: symbols`),
      stype_in: encodeSType(o.stypeIn ?? 'raw_symbol', `${where}: stypeIn`),
      stype_out: encodeSType(o.stypeOut ?? 'instrument_id', `${where}: stypeOut`),
      start_date: dates.start!,
      end_date: dates.end,
    };
    const signal = optionalSignal(o.signal);
    const json = await this.#http.json({ method: 'POST', path: `/v0/${where}`, params, signal }, 'safe');
    return parseResolution(json, params, where);
  }
}

function parseResolution(
  json: unknown,
  params: { symbols: string; stype_in: string; stype_out: string; start_date: string; end_date: string | undefined },
  where: string,
): SymbologyResolution {
  const body = check.object(json, where);
  const resultJson = check.object(body['result'], `${where} (result)`);
  const result: Record<string, ResolvedInterval[]> = {};
  for (const [symbol, intervals] of Object.entries(resultJson)) {
    result[symbol] = check.array(intervals, where).map((iv) => {
      const o = check.fields(check.object(iv, where), where, { d0: 'string', d1: 'string', s: 'string' });
      return { d0: o['d0'] as string, d1: o['d1'] as string, s: o['s'] as string };
    });
  }
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  return new SymbologyResolution({
    result,
    symbols: Array.isArray(body['symbols']) ? check.strings(body['symbols'], where) : params.symbols.split(','),
    stype_in: params.stype_in,
    stype_out: params.stype_out,
    start_date: str(body['start_date']) ?? params.start_date,
    end_date: str(body['end_date']) ?? params.end_date ?? null,
    partial: check.strings(body['partial'], `${where} (partial)`),
    not_found: check.strings(body['not_found'], `${where} (not_found)`),
    message: str(body['message']),
    status: typeof body['status'] === 'number' ? body['status'] : undefined,
  });
}
