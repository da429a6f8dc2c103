/**
 * The rows of the reference endpoints, one interface per endpoint, with the
 * API's own column names.
 *
 * - Timestamps (`ts_*`) are `bigint` UNIX nanoseconds, like every timestamp
 *   of databento-node: lossless (the API sends up to nine fractional digits,
 *   a `Date` keeps three), ordered with `<`, converted with `nanosToDate` or
 *   `nanosToIso`.
 * - Dates are `YYYY-MM-DD` strings, in the listing exchange's calendar (no
 *   time zone a `Date` could honestly carry); they sort as strings.
 * - Codes are strings: known ones are listed in their types, unknown ones
 *   arrive as sent.
 * - Integers are `number`s (exact below 2^53; share counts are far below).
 * - `null` is what the API sends for no value.
 * @module
 */
import type {
  ActionCode,
  AdjustmentStatusCode,
  CountryCode,
  CurrencyCode,
  EventCode,
  EventSubtypeCode,
  FractionCode,
  FrequencyCode,
  GlobalStatusCode,
  ListingSourceCode,
  ListingStatusCode,
  MandVoluCode,
  OutturnStyleCode,
  PaymentTypeCode,
  SecurityTypeCode,
  VotingCode,
} from './codes.js';

/** A calendar date, `YYYY-MM-DD`. */
export type DateString = string;

/** Identifier and symbology columns shared by corporate actions and the security master. */
export interface ListingIdentifiers {
  /** Listing id, e.g. `L-1888618`. */
  listing_id: string;
  /** Listing group id (the listings of one security on one exchange group), e.g. `LG-888618`. */
  listing_group_id: string;
  /** Security id, e.g. `S-799713`. */
  security_id: string;
  /** Issuer id, e.g. `I-119138`. */
  issuer_id: string;
  /** Listing status code. */
  listing_status: ListingStatusCode;
  /** Main or secondary listing. */
  listing_source: ListingSourceCode;
  /** First trading date of the listing. */
  listing_date: DateString | null;
  /** Date the listing ended. */
  delisting_date: DateString | null;
  /** Issuer name. */
  issuer_name: string;
  /** Security type code. */
  security_type: SecurityTypeCode | null;
  /** Description of the security, e.g. `Ordinary Shares`. */
  security_description: string;
  /** Primary exchange code, e.g. `USNASD`. */
  primary_exchange: string | null;
  /** Exchange code of this listing, e.g. `USNASD`. */
  exchange: string;
  /** ISO 10383 operating MIC, e.g. `XNAS`. */
  operating_mic: string | null;
  /** The requested symbol this row matched. */
  symbol: string | null;
  /** Nasdaq Integrated symbol. */
  nasdaq_symbol: string | null;
  /** Local exchange code (ticker). */
  local_code: string | null;
  /** ISIN. */
  isin: string | null;
  /** US code (CUSIP). */
  us_code: string | null;
  /** Bloomberg composite global id. */
  bbg_comp_id: string | null;
  /** Bloomberg composite ticker, e.g. `AAPL US`. */
  bbg_comp_ticker: string | null;
  /** FIGI of the listing. */
  figi: string | null;
  /** FIGI ticker, e.g. `AAPL UW`. */
  figi_ticker: string | null;
  /** Country of the listing. */
  listing_country: CountryCode | null;
  /** Country of the share register. */
  register_country: CountryCode | null;
  /** Trading currency. */
  trading_currency: CurrencyCode | null;
  /** Whether the listing trades in more than one currency. */
  multi_currency: boolean;
  /** Market segment name, e.g. `Global Select`. */
  segment_mic_name: string | null;
  /** Market segment MIC, e.g. `XNGS`. */
  segment_mic: string | null;
  /** Board lot size. */
  lot_size: number | null;
  /** Par value. */
  par_value: number | null;
  /** Currency of the par value. */
  par_value_currency: CurrencyCode | null;
}

/** The columns of a corporate action other than its three event-specific objects. */
export interface CorporateActionColumns extends ListingIdentifiers {
  /** When the record last changed (UNIX ns). */
  ts_record: bigint;
  /** Unique id of the event at this listing (the key `pit` groups versions by), e.g. `U-40179043276-1888618`. */
  event_unique_id: string;
  /** Event id, e.g. `E-9043276-RSPLT` (adjustment factors link to it). */
  event_id: string;
  /** What happened to the record. */
  event_action: ActionCode;
  /** Event type. */
  event: EventCode;
  /** Event subtype. */
  event_subtype: EventSubtypeCode | null;
  /** Name of the date column used as `event_date`, e.g. `ex_date`. */
  event_date_label: string;
  /** The event's primary date (see `event_date_label`). */
  event_date: DateString | null;
  /** Date the event was created. */
  event_created_date: DateString;
  /** Effective date. */
  effective_date: DateString | null;
  /** Ex-date. */
  ex_date: DateString | null;
  /** Record date. */
  record_date: DateString | null;
  /** Record date id. */
  record_date_id: string | null;
  /** Type of a related event. */
  related_event: EventCode | null;
  /** Id of a related event. */
  related_event_id: string | null;
  /** Status of the issuer. */
  global_status: GlobalStatusCode;
  /** Mandatory or voluntary event. */
  mand_volu_flag: MandVoluCode;
  /** Priority among events sharing a record date. */
  rd_priority: number | null;
  /** Payment date. */
  payment_date: DateString | null;
  /** Due-bill redemption date. */
  duebills_redemption_date: DateString | null;
  /** Start of a period. */
  from_date: DateString | null;
  /** End of a period. */
  to_date: DateString | null;
  /** Registration date. */
  registration_date: DateString | null;
  /** Start date. */
  start_date: DateString | null;
  /** End date. */
  end_date: DateString | null;
  /** Opening date of an offer. */
  open_date: DateString | null;
  /** Closing date of an offer. */
  close_date: DateString | null;
  /** Start of the subscription period. */
  start_subscription_date: DateString | null;
  /** End of the subscription period. */
  end_subscription_date: DateString | null;
  /** Option election date. */
  option_election_date: DateString | null;
  /** Start of withdrawal rights. */
  withdrawal_rights_from_date: DateString | null;
  /** End of withdrawal rights. */
  withdrawal_rights_to_date: DateString | null;
  /** Notification date. */
  notification_date: DateString | null;
  /** Financial year end. */
  financial_year_end_date: DateString | null;
  /** Expected completion date. */
  exp_completion_date: DateString | null;
  /** Payment type. */
  payment_type: PaymentTypeCode | null;
  /** Option number of the event, e.g. `"1"`. */
  option_id: string | null;
  /** Serial number within the option. */
  serial_id: string | null;
  /** Whether this is the default option. */
  default_option_flag: boolean | null;
  /** Currency of the rates. */
  rate_currency: CurrencyCode | null;
  /** Old side of the ratio (e.g. 12 in a 12-for-1 reverse split). */
  ratio_old: number | null;
  /** New side of the ratio. */
  ratio_new: number | null;
  /** How fractions are settled. */
  fraction: FractionCode | null;
  /** Outturn style. */
  outturn_style: OutturnStyleCode | null;
  /** Security type of the outturn security. */
  outturn_security_type: SecurityTypeCode | null;
  /** Security id of the outturn security. */
  outturn_security_id: string | null;
  /** ISIN of the outturn security. */
  outturn_isin: string | null;
  /** US code of the outturn security. */
  outturn_us_code: string | null;
  /** Local code of the outturn security. */
  outturn_local_code: string | null;
  /** Bloomberg composite id of the outturn security. */
  outturn_bbg_comp_id: string | null;
  /** Bloomberg composite ticker of the outturn security. */
  outturn_bbg_comp_ticker: string | null;
  /** FIGI of the outturn security. */
  outturn_figi: string | null;
  /** FIGI ticker of the outturn security. */
  outturn_figi_ticker: string | null;
  /** Minimum offer quantity. */
  min_offer_qty: number | null;
  /** Maximum offer quantity. */
  max_offer_qty: number | null;
  /** Minimum qualifying quantity. */
  min_qualify_qty: number | null;
  /** Maximum qualifying quantity. */
  max_qualify_qty: number | null;
  /** Minimum accepted quantity. */
  min_accept_qty: number | null;
  /** Maximum accepted quantity. */
  max_accept_qty: number | null;
  /** Tender strike price. */
  tender_strike_price: number | null;
  /** Tender price step. */
  tender_price_step: number | null;
  /** Option expiry time (local time text). */
  option_expiry_time: string | null;
  /** Time zone of `option_expiry_time`. */
  option_expiry_tz: string | null;
  /** Whether withdrawal rights exist. */
  withdrawal_rights_flag: boolean | null;
  /** Expiry time of withdrawal rights (local time text). */
  withdrawal_rights_expiry_time: string | null;
  /** Time zone of `withdrawal_rights_expiry_time`. */
  withdrawal_rights_expiry_tz: string | null;
  /** Expiry time (local time text). */
  expiry_time: string | null;
  /** Time zone of `expiry_time`. */
  expiry_tz: string | null;
  /** When Databento created the record (UNIX ns). */
  ts_created: bigint;
}

/** A value of a flattened event-specific object. */
export type EventInfoValue = string | number | null;

/**
 * A corporate action with its event-specific objects kept nested
 * (`flatten: false`). Which keys appear depends on the event.
 */
export interface CorporateAction extends CorporateActionColumns {
  /** Event-specific dates, as the API sends them (strings). */
  date_info: Record<string, string | null>;
  /** Event-specific rates, e.g. `{ par_value_old: 0.01, par_value_new: 0.01 }`. */
  rate_info: Record<string, number | null>;
  /** Event-specific text fields. */
  event_info: Record<string, string | null>;
}

/**
 * A corporate action with the keys of `date_info`, `rate_info` and
 * `event_info` merged into the row (`flatten: true`, the default), in that
 * order. A key that would overwrite a column is kept as `<object>.<key>`,
 * e.g. `rate_info.par_value`. Values are as sent (no date conversion).
 */
export interface FlatCorporateAction extends CorporateActionColumns {
  /** The merged event-specific keys. */
  [key: string]: EventInfoValue | bigint | boolean | undefined;
}

/** One adjustment factor: a capital event's price factor at one listing (`adjustment_factors.get_range`). */
export interface AdjustmentFactor {
  /** Security id, e.g. `S-1318698`. */
  security_id: string;
  /** Id of the corporate action event, e.g. `E-3287361-DIV`. */
  event_id: string;
  /** Event type, e.g. `DIV`, `FSPLT`. */
  event: EventCode;
  /** Issuer name. */
  issuer_name: string;
  /** Security type code. */
  security_type: SecurityTypeCode;
  /** Primary exchange code. */
  primary_exchange: string | null;
  /** Exchange code of the listing. */
  exchange: string | null;
  /** ISO 10383 operating MIC. */
  operating_mic: string;
  /** The requested symbol this row matched. */
  symbol: string | null;
  /** Nasdaq Integrated symbol. */
  nasdaq_symbol: string | null;
  /** Local code before the event. */
  local_code: string | null;
  /** Local code after the event. */
  local_code_resulting: string | null;
  /** ISIN before the event. */
  isin: string | null;
  /** ISIN after the event. */
  isin_resulting: string | null;
  /** US code (CUSIP). */
  us_code: string | null;
  /** `A` apply, `R` rescind (undo an earlier factor), `P` pending. */
  status: AdjustmentStatusCode;
  /** Ex-date: prices before this date are multiplied by `factor`. */
  ex_date: DateString;
  /** The factor to multiply earlier prices by. */
  factor: number;
  /** Close price on the ex-date. */
  close: number | null;
  /** Currency of `close`. */
  currency: string | null;
  /** Previous close over the ex-date's open. */
  sentiment: number;
  /** Reason (type) code of the adjustment. */
  reason: number;
  /** Gross dividend amount. */
  gross_dividend: number | null;
  /** Currency of the dividend. */
  dividend_currency: CurrencyCode | null;
  /** Dividend frequency. */
  frequency: FrequencyCode | null;
  /** Option number of the event. */
  option: number;
  /** Description, e.g. `INT Dividend (cash) of USD0.2133/ETF`. */
  detail: string;
  /** When Databento created the record (UNIX ns). */
  ts_created: bigint;
}

/** One version of a listing's reference attributes (`security_master.get_range` and `get_last`). */
export interface SecurityMaster extends ListingIdentifiers {
  /** When the record last changed (UNIX ns). */
  ts_record: bigint;
  /** When these attributes took effect (UNIX ns). */
  ts_effective: bigint;
  /** Date the listing was created in the database. */
  listing_created_date: DateString;
  /** Financial instrument short name (ISO 18774). */
  fisn: string | null;
  /** Legal entity identifier of the issuer. */
  lei: string | null;
  /** Standard industrial classification code. */
  sic: string | null;
  /** SEC central index key. */
  cik: string | null;
  /** GICS code. */
  gics: string | null;
  /** NAICS code. */
  naics: string | null;
  /** Complementary identification code. */
  cic: string | null;
  /** CFI code (ISO 10962). */
  cfi: string | null;
  /** Country of incorporation. */
  incorporation_country: CountryCode;
  /** Structure of the security. */
  structure: string | null;
  /** Voting rights. */
  voting: VotingCode | null;
  /** Votes per security. */
  vote_per_sec: number | null;
  /** Shares outstanding. */
  shares_outstanding: number | null;
  /** Date of `shares_outstanding`. */
  shares_outstanding_date: DateString | null;
  /** When Databento created the record (UNIX ns). */
  ts_created: bigint;
}
