/**
 * Applying adjustment factors to prices: what comes after fetching them.
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import { OhlcvMsg } from '../generated/records.js';
import type { AdjustmentFactor, DateString } from './rows.js';

/** The factor columns {@link PriceAdjustment} reads (rows of `adjustmentFactors.getRange` have them all). */
export type FactorRow = Pick<AdjustmentFactor, 'ex_date' | 'factor' | 'status' | 'event_id' | 'option'> &
  Partial<Pick<AdjustmentFactor, 'security_id' | 'exchange' | 'ts_created'>>;

/** A bar as a plain object: a date (or `ts_event`) and prices as numbers. */
export interface PlainBar {
  /** Trading date, `YYYY-MM-DD` (else the day of `ts_event` is used). */
  date?: DateString;
  /** Start of the bar, UNIX ns. */
  ts_event?: bigint;
  /** Open price. */
  open: number;
  /** High price. */
  high: number;
  /** Low price. */
  low: number;
  /** Close price. */
  close: number;
  /** Volume (copied unchanged). */
  volume?: number | bigint;
}

/** A bar to adjust: an OHLCV record, or a {@link PlainBar}. */
export type PriceBar = OhlcvMsg | PlainBar;

/** An adjusted bar. */
export interface AdjustedBar {
  /** Trading date of the bar, `YYYY-MM-DD` in the adjustment's time zone. */
  date: DateString;
  /** Start of the bar (UNIX ns), when the input had one. */
  ts_event?: bigint;
  /** Adjusted open. */
  open: number;
  /** Adjusted high. */
  high: number;
  /** Adjusted low. */
  low: number;
  /** Adjusted close. */
  close: number;
  /** Volume, as given (not adjusted). */
  volume?: number | bigint;
  /** The factor the prices were multiplied by. */
  factor: number;
}

/** Options of {@link PriceAdjustment.fromFactors}. */
export interface PriceAdjustmentOptions {
  /**
   * IANA time zone whose calendar dates a `ts_event` belongs to, matching the
   * listing's `ex_date` calendar (default `'UTC'`, right for daily bars; use
   * e.g. `'America/New_York'` for intraday US bars).
   */
  timeZone?: string;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Back-adjustment of one listing's prices: a price observed on day `d` is
 * multiplied by every factor whose `ex_date` is after `d` (prices on and
 * after an ex-date are already post-event). Of each event (`event_id` and
 * `option`) only the newest row counts, and only if its `status` is `A`
 * (apply): a rescinded (`R`) or pending (`P`) factor is not applied.
 * Volumes are left as they are.
 *
 * ```ts
 * const factors = await ref.adjustmentFactors.getRange({ symbols: ['AAPL'], countries: ['US'], start: '2020' });
 * const adj = PriceAdjustment.fromFactors(factors.filter((f) => f.exchange === 'USNASD'));
 * const bars = adj.adjustBars(store); // OHLCV records of AAPL
 * ```
 */
export class PriceAdjustment {
  /** Ex-dates, ascending, each with the product of its factors. */
  readonly #dates: string[];
  /** suffix[i]: product of the factors of dates[i..]. */
  readonly #suffix: number[];
  readonly #day: (ns: bigint) => string;

  private constructor(byDate: Map<string, number>, timeZone: string) {
    this.#dates = [...byDate.keys()].sort();
    this.#suffix = new Array<number>(this.#dates.length + 1).fill(1);
    for (let i = this.#dates.length - 1; i >= 0; i--) this.#suffix[i] = this.#suffix[i + 1]! * byDate.get(this.#dates[i]!)!;
    this.#day = dayOf(timeZone);
  }

  /**
   * The adjustment of one listing. Throws `INVALID_ARGUMENT` if the factors
   * belong to more than one `security_id` or `exchange` (filter them first).
   */
  static fromFactors(factors: Iterable<FactorRow>, options: PriceAdjustmentOptions = {}): PriceAdjustment {
    const newest = new Map<string, FactorRow>();
    const listings = new Set<string>();
    for (const f of factors) {
      if (!DATE_RE.test(f.ex_date) || typeof f.factor !== 'number' || !Number.isFinite(f.factor)) {
        throw new InvalidArgumentError(`adjustment factor of ${f.event_id} has ex_date ${JSON.stringify(f.ex_date)} and factor ${String(f.factor)}`);
      }
      listings.add(`${f.security_id ?? ''} ${f.exchange ?? ''}`);
      const key = `${f.event_id}#${f.option}`;
      const seen = newest.get(key);
      if (!seen || (f.ts_created ?? 0n) >= (seen.ts_created ?? 0n)) newest.set(key, f);
    }
    if (listings.size > 1) {
      throw new InvalidArgumentError(
        `adjustment factors of ${listings.size} listings (security_id exchange: ${[...listings].slice(0, 4).join(', ')}): ` +
          'a price series is one listing, so filter the factors by security_id and exchange first',
      );
    }
    const byDate = new Map<string, number>();
    for (const f of newest.values()) {
      if (f.status === 'A') byDate.set(f.ex_date, (byDate.get(f.ex_date) ?? 1) * f.factor);
    }
    return new PriceAdjustment(byDate, options.timeZone ?? 'UTC');
  }

  /** The factor for a price observed on `date` (a `YYYY-MM-DD` day, a `Date` or UNIX ns). */
  factorOn(date: DateString | Date | bigint): number {
    const day = this.#toDay(date);
    // First ex-date after `day`: binary search over the sorted dates.
    let lo = 0;
    let hi = this.#dates.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#dates[mid]! <= day) lo = mid + 1;
      else hi = mid;
    }
    return this.#suffix[lo]!;
  }

  /** `price` observed on `date`, adjusted. */
  adjust(price: number, date: DateString | Date | bigint): number {
    return price * this.factorOn(date);
  }

  /** Adjusted copies of OHLCV bars (records or plain objects), in the same order. */
  adjustBars(bars: Iterable<PriceBar>): AdjustedBar[] {
    const out: AdjustedBar[] = [];
    for (const bar of bars) {
      let date: string | undefined;
      let prices: [number, number, number, number];
      if (bar instanceof OhlcvMsg) {
        date = this.#day(bar.ts_event);
        prices = [bar.pretty_open, bar.pretty_high, bar.pretty_low, bar.pretty_close];
      } else {
        date = bar.date ?? (bar.ts_event === undefined ? undefined : this.#day(bar.ts_event));
        prices = [bar.open, bar.high, bar.low, bar.close];
      }
      if (date === undefined) throw new InvalidArgumentError('a bar needs a date or a ts_event');
      const factor = this.factorOn(date);
      const [o, h, l, c] = prices;
      const adjusted: AdjustedBar = { date, open: o * factor, high: h * factor, low: l * factor, close: c * factor, factor };
      if (bar.ts_event !== undefined) adjusted.ts_event = bar.ts_event;
      if (bar.volume !== undefined) adjusted.volume = bar.volume;
      out.push(adjusted);
    }
    return out;
  }

  #toDay(date: DateString | Date | bigint): string {
    if (typeof date === 'bigint') return this.#day(date);
    if (date instanceof Date) {
      if (Number.isNaN(date.getTime())) throw new InvalidArgumentError('date is an invalid Date');
      return this.#day(BigInt(date.getTime()) * 1_000_000n);
    }
    if (typeof date !== 'string' || !DATE_RE.test(date)) {
      throw new InvalidArgumentError(`date must be YYYY-MM-DD, a Date or UNIX ns, got ${JSON.stringify(date)}`);
    }
    return date;
  }
}

/** The calendar day of a UNIX ns time in a time zone. */
function dayOf(timeZone: string): (ns: bigint) => string {
  if (timeZone === 'UTC') return (ns) => new Date(Number(ns / 1_000_000n)).toISOString().slice(0, 10);
  let format: Intl.DateTimeFormat;
  try {
    // en-CA formats dates as YYYY-MM-DD.
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  } catch {
    throw new InvalidArgumentError(`timeZone ${JSON.stringify(timeZone)} is not an IANA time zone`);
  }
  return (ns) => format.format(new Date(Number(ns / 1_000_000n)));
}
