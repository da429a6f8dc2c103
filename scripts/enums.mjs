// The single source of truth for DBN enums, constants and the publisher /
// venue / dataset tables (spec: shared/spec/dbn-format.md §6-§8). Values are
// the databento-cpp 0.65 superset; scripts/generate-records.mjs emits the C++
// and TypeScript forms.
//
// Each enum: name, wire type ('u8' | 'u16' | 'char'), doc, and values
// { name, value, str?, aliases?, doc? }. `str` is the canonical string form
// (only enums with string names get name/parse helpers); `aliases` are extra
// strings accepted when parsing. `helper` is the lowerCamel stem of the
// generated TypeScript helpers (e.g. 'stype' -> stypeName / stypeFromName).

const v = (name, value, str, extra = {}) => ({ name, value, ...(str === undefined ? {} : { str }), ...extra });

/** Every enum of spec §7. */
export const ENUMS = [
  {
    name: 'Schema',
    wire: 'u16',
    helper: 'schema',
    doc: 'Data record schema (u16 in the metadata header; 0xFFFF there means mixed/none).',
    values: [
      v('Mbo', 0, 'mbo'), v('Mbp1', 1, 'mbp-1'), v('Mbp10', 2, 'mbp-10'), v('Tbbo', 3, 'tbbo'),
      v('Trades', 4, 'trades'), v('Ohlcv1S', 5, 'ohlcv-1s'), v('Ohlcv1M', 6, 'ohlcv-1m'),
      v('Ohlcv1H', 7, 'ohlcv-1h'), v('Ohlcv1D', 8, 'ohlcv-1d'), v('Definition', 9, 'definition'),
      v('Statistics', 10, 'statistics'), v('Status', 11, 'status'), v('Imbalance', 12, 'imbalance'),
      v('OhlcvEod', 13, 'ohlcv-eod'), v('Cmbp1', 14, 'cmbp-1'), v('Cbbo1S', 15, 'cbbo-1s'),
      v('Cbbo1M', 16, 'cbbo-1m'), v('Tcbbo', 17, 'tcbbo'), v('Bbo1S', 18, 'bbo-1s'), v('Bbo1M', 19, 'bbo-1m'),
    ],
  },
  {
    name: 'Encoding',
    wire: 'u8',
    helper: 'encoding',
    doc: 'Output encoding of historical data.',
    values: [v('Dbn', 0, 'dbn', { aliases: ['dbz'] }), v('Csv', 1, 'csv'), v('Json', 2, 'json')],
  },
  {
    name: 'Compression',
    wire: 'u8',
    helper: 'compression',
    doc: 'Compression of historical data.',
    values: [v('None', 0, 'none'), v('Zstd', 1, 'zstd')],
  },
  {
    name: 'SType',
    wire: 'u8',
    helper: 'stype',
    doc: 'Symbology type (metadata stype_in/stype_out, SymbolMappingMsg; 255 = none/unknown).',
    values: [
      v('InstrumentId', 0, 'instrument_id', { aliases: ['product_id'], doc: 'Numeric instrument id.' }),
      v('RawSymbol', 1, 'raw_symbol', { aliases: ['native'], doc: 'Symbol as used by the publisher.' }),
      v('Smart', 2, 'smart', { doc: 'Deprecated: split into Continuous and Parent.' }),
      v('Continuous', 3, 'continuous', { doc: 'Continuous-contract symbol, e.g. ES.c.0.' }),
      v('Parent', 4, 'parent', { doc: 'Parent symbol grouping all its instruments, e.g. ES.FUT.' }),
      v('NasdaqSymbol', 5, 'nasdaq_symbol', { aliases: ['nasdaq'], doc: 'Nasdaq Integrated symbol.' }),
      v('CmsSymbol', 6, 'cms_symbol', { aliases: ['cms'], doc: 'CMS symbol.' }),
      v('Isin', 7, 'isin', { doc: 'ISIN.' }),
      v('UsCode', 8, 'us_code', { doc: 'US domestic code (CUSIP).' }),
      v('BbgCompId', 9, 'bbg_comp_id', { doc: 'Bloomberg composite global id.' }),
      v('BbgCompTicker', 10, 'bbg_comp_ticker', { doc: 'Bloomberg composite ticker.' }),
      v('Figi', 11, 'figi', { doc: 'FIGI.' }),
      v('FigiTicker', 12, 'figi_ticker', { doc: 'FIGI ticker.' }),
      v('ListingId', 13, 'listing_id', { doc: 'Reference-data listing id.' }),
      v('IssuerId', 14, 'issuer_id', { doc: 'Reference-data issuer id.' }),
      v('SecurityId', 15, 'security_id', { doc: 'Reference-data security id.' }),
    ],
  },
  {
    name: 'RType',
    wire: 'u8',
    helper: 'rtype',
    doc: 'Record type code in every record header.',
    values: [
      v('Mbp0', 0x00, 'mbp-0', { doc: 'Trade (TradeMsg).' }),
      v('Mbp1', 0x01, 'mbp-1', { doc: 'MBP-1 / TBBO (Mbp1Msg).' }),
      v('Mbp10', 0x0a, 'mbp-10', { doc: 'MBP-10 (Mbp10Msg).' }),
      v('OhlcvDeprecated', 0x11, 'ohlcv-deprecated', { doc: 'Legacy OHLCV of any interval (OhlcvMsg).' }),
      v('Status', 0x12, 'status', { doc: 'Trading status (StatusMsg).' }),
      v('InstrumentDef', 0x13, 'instrument-def', { doc: 'Instrument definition (InstrumentDefMsg).' }),
      v('Imbalance', 0x14, 'imbalance', { doc: 'Auction imbalance (ImbalanceMsg).' }),
      v('Error', 0x15, 'error', { doc: 'Gateway error (ErrorMsg).' }),
      v('SymbolMapping', 0x16, 'symbol-mapping', { doc: 'Symbol mapping (SymbolMappingMsg).' }),
      v('System', 0x17, 'system', { doc: 'Gateway system message or heartbeat (SystemMsg).' }),
      v('Statistics', 0x18, 'statistics', { doc: 'Venue statistic (StatMsg).' }),
      v('Ohlcv1S', 0x20, 'ohlcv-1s', { doc: '1-second bar (OhlcvMsg).' }),
      v('Ohlcv1M', 0x21, 'ohlcv-1m', { doc: '1-minute bar (OhlcvMsg).' }),
      v('Ohlcv1H', 0x22, 'ohlcv-1h', { doc: '1-hour bar (OhlcvMsg).' }),
      v('Ohlcv1D', 0x23, 'ohlcv-1d', { doc: '1-day bar (OhlcvMsg).' }),
      v('OhlcvEod', 0x24, 'ohlcv-eod', { doc: 'End-of-day bar (OhlcvMsg).' }),
      v('Mbo', 0xa0, 'mbo', { doc: 'Market by order (MboMsg).' }),
      v('Cmbp1', 0xb1, 'cmbp-1', { doc: 'Consolidated MBP-1 (Cmbp1Msg).' }),
      v('Cbbo1S', 0xc0, 'cbbo-1s', { doc: 'Consolidated BBO, 1-second (CbboMsg).' }),
      v('Cbbo1M', 0xc1, 'cbbo-1m', { doc: 'Consolidated BBO, 1-minute (CbboMsg).' }),
      v('Tcbbo', 0xc2, 'tcbbo', { doc: 'Consolidated BBO on trade (Cmbp1Msg).' }),
      v('Bbo1S', 0xc3, 'bbo-1s', { doc: 'BBO, 1-second (BboMsg).' }),
      v('Bbo1M', 0xc4, 'bbo-1m', { doc: 'BBO, 1-minute (BboMsg).' }),
    ],
  },
  {
    name: 'Action',
    wire: 'char',
    doc: 'Order book event action.',
    values: [
      v('Add', 'A', undefined, { doc: 'New order added to the book.' }),
      v('Cancel', 'C', undefined, { doc: 'Order fully or partly cancelled.' }),
      v('Modify', 'M', undefined, { doc: 'Existing order modified.' }),
      v('Clear', 'R', undefined, { doc: 'Book cleared (reset) for the instrument.' }),
      v('Trade', 'T', undefined, { doc: 'Aggressing order traded.' }),
      v('Fill', 'F', undefined, { doc: 'Resting order filled.' }),
      v('None', 'N', undefined, { doc: 'No action (e.g. a flags-only update).' }),
    ],
  },
  {
    name: 'Side',
    wire: 'char',
    doc: 'Side of an order or trade aggressor.',
    values: [
      v('Ask', 'A', undefined, { doc: 'Sell order or sell aggressor.' }),
      v('Bid', 'B', undefined, { doc: 'Buy order or buy aggressor.' }),
      v('None', 'N', undefined, { doc: 'No side given.' }),
    ],
  },
  {
    name: 'InstrumentClass',
    wire: 'char',
    doc: 'Class of an instrument (a NUL byte means unset).',
    values: [
      v('Bond', 'B', undefined, { doc: 'Bond.' }),
      v('Call', 'C', undefined, { doc: 'Call option.' }),
      v('Future', 'F', undefined, { doc: 'Future.' }),
      v('Index', 'I', undefined, { doc: 'Index.' }),
      v('Stock', 'K', undefined, { doc: 'Stock (equity).' }),
      v('MixedSpread', 'M', undefined, { doc: 'Spread whose legs are of different instrument classes.' }),
      v('Put', 'P', undefined, { doc: 'Put option.' }),
      v('FutureSpread', 'S', undefined, { doc: 'Spread of futures.' }),
      v('OptionSpread', 'T', undefined, { doc: 'Spread of options.' }),
      v('FxSpot', 'X', undefined, { doc: 'Foreign-exchange spot.' }),
      v('CommoditySpot', 'Y', undefined, { doc: 'Commodity spot.' }),
    ],
  },
  {
    name: 'MatchAlgorithm',
    wire: 'char',
    doc: 'Matching algorithm of an instrument.',
    values: [
      v('Undefined', ' ', undefined, { doc: 'No matching algorithm given (the default).' }),
      v('Fifo', 'F', undefined, { doc: 'First in, first out.' }),
      v('Configurable', 'K', undefined, { doc: 'Venue-configurable algorithm.' }),
      v('ProRata', 'C', undefined, { doc: 'Pro rata: fills shared in proportion to resting quantity.' }),
      v('FifoLmm', 'T', undefined, { doc: 'FIFO with lead market maker (LMM) allocations.' }),
      v('ThresholdProRata', 'O', undefined, { doc: 'Threshold pro rata.' }),
      v('FifoTopLmm', 'S', undefined, { doc: 'FIFO with top-order and LMM allocations.' }),
      v('ThresholdProRataLmm', 'Q', undefined, { doc: 'Threshold pro rata with LMM allocations.' }),
      v('EurodollarFutures', 'Y', undefined, { doc: 'Special algorithm for CME Eurodollar futures.' }),
      v('TimeProRata', 'P', undefined, { doc: 'Pro rata weighted by time priority.' }),
      v('InstitutionalPrioritization', 'V', undefined, { doc: 'Two-pass FIFO that first fills orders of the aggressor\'s institutional group.' }),
      v('Allocation', 'A', undefined, { doc: 'Allocation algorithm.' }),
    ],
  },
  {
    name: 'UserDefinedInstrument',
    wire: 'char',
    doc: 'Whether an instrument is user-defined.',
    values: [
      v('No', 'N', undefined, { doc: 'Not user-defined (the default).' }),
      v('Yes', 'Y', undefined, { doc: 'User-defined instrument.' }),
    ],
  },
  {
    name: 'SecurityUpdateAction',
    wire: 'char',
    doc: 'Whether a definition adds, modifies or deletes an instrument.',
    values: [
      v('Add', 'A', undefined, { doc: 'Instrument added (the default).' }),
      v('Modify', 'M', undefined, { doc: 'Instrument definition modified.' }),
      v('Delete', 'D', undefined, { doc: 'Instrument removed.' }),
      v('Invalid', '~', undefined, { doc: 'Deprecated; only in legacy files (not in the C++ client).' }),
    ],
  },
  {
    name: 'StatType',
    wire: 'u16',
    doc: 'Kind of statistic in a StatMsg.',
    values: [
      v('OpeningPrice', 1, undefined, { doc: 'Opening price; `quantity` too when the venue gives it.' }),
      v('IndicativeOpeningPrice', 2, undefined, { doc: 'Indicative opening price (`price`) and quantity.' }),
      v('SettlementPrice', 3, undefined, { doc: 'Settlement price; `ts_ref` is the trading date.' }),
      v('TradingSessionLowPrice', 4, undefined, { doc: 'Lowest trade price of the trading session.' }),
      v('TradingSessionHighPrice', 5, undefined, { doc: 'Highest trade price of the trading session.' }),
      v('ClearedVolume', 6, undefined, { doc: 'Cleared volume (`quantity`); `ts_ref` is the trading date.' }),
      v('LowestOffer', 7, undefined, { doc: 'Lowest offer price of the trading session.' }),
      v('HighestBid', 8, undefined, { doc: 'Highest bid price of the trading session.' }),
      v('OpenInterest', 9, undefined, { doc: 'Open interest (`quantity`); `ts_ref` is the trading date.' }),
      v('FixingPrice', 10, undefined, { doc: 'Fixing price.' }),
      v('ClosePrice', 11, undefined, { doc: 'Closing price; `quantity` too when the venue gives it.' }),
      v('NetChange', 12, undefined, { doc: 'Net change in price.' }),
      v('Vwap', 13, undefined, { doc: 'Volume-weighted average price (`price`) and volume (`quantity`).' }),
      v('Volatility', 14, undefined, { doc: 'Volatility, in `price` on the 1e-9 scale.' }),
      v('Delta', 15, undefined, { doc: 'Option delta, in `price` on the 1e-9 scale.' }),
      v('UncrossingPrice', 16, undefined, { doc: 'Auction uncrossing price; `quantity` too when the venue gives it.' }),
      v('UpperPriceLimit', 17, undefined, { doc: 'Upper price limit.' }),
      v('LowerPriceLimit', 18, undefined, { doc: 'Lower price limit.' }),
      v('BlockVolume', 19, undefined, { doc: 'Block-trade volume (`quantity`); `ts_ref` is the trading date.' }),
      v('IndicativeClosePrice', 20, undefined, { doc: 'Indicative closing price.' }),
      v('MwcbLevel1', 21, undefined, { doc: 'Market-wide circuit breaker level 1 price.' }),
      v('MwcbLevel2', 22, undefined, { doc: 'Market-wide circuit breaker level 2 price.' }),
      v('MwcbLevel3', 23, undefined, { doc: 'Market-wide circuit breaker level 3 price.' }),
      v('AuctionCollarReferencePrice', 24, undefined, { doc: 'Reference price of the auction collar.' }),
      v('AuctionCollarUpperPrice', 25, undefined, { doc: 'Upper price of the auction collar.' }),
      v('AuctionCollarLowerPrice', 26, undefined, { doc: 'Lower price of the auction collar.' }),
      v('VenueSpecificVolume1', 10001, undefined, { doc: 'Venue-specific volume statistic (`quantity`).' }),
      v('VenueSpecificPrice1', 10002, undefined, { doc: 'Venue-specific price statistic (`price`).' }),
    ],
  },
  {
    name: 'StatUpdateAction',
    wire: 'u8',
    doc: 'Whether a statistic is new or deleted.',
    values: [
      v('New', 1, undefined, { doc: 'New statistic (the default).' }),
      v('Delete', 2, undefined, { doc: 'Statistic deleted.' }),
    ],
  },
  {
    name: 'StatusAction',
    wire: 'u16',
    doc: 'Trading status of an instrument in a StatusMsg.',
    values: [
      v('None', 0, undefined, { doc: 'No change.' }),
      v('PreOpen', 1, undefined, { doc: 'Pre-open period.' }),
      v('PreCross', 2, undefined, { doc: 'Pre-cross period.' }),
      v('Quoting', 3, undefined, { doc: 'Quoting but not trading.' }),
      v('Cross', 4, undefined, { doc: 'In a cross or auction.' }),
      v('Rotation', 5, undefined, { doc: 'Opening through a trading rotation.' }),
      v('NewPriceIndication', 6, undefined, { doc: 'A new price indication is available.' }),
      v('Trading', 7, undefined, { doc: 'Trading.' }),
      v('Halt', 8, undefined, { doc: 'Trading halted.' }),
      v('Pause', 9, undefined, { doc: 'Trading paused.' }),
      v('Suspend', 10, undefined, { doc: 'Trading suspended.' }),
      v('PreClose', 11, undefined, { doc: 'Pre-close period.' }),
      v('Close', 12, undefined, { doc: 'Trading closed.' }),
      v('PostClose', 13, undefined, { doc: 'Post-close period.' }),
      v('SsrChange', 14, undefined, { doc: 'Short-sell restriction changed.' }),
      v('NotAvailableForTrading', 15, undefined, { doc: 'Not available for trading.' }),
    ],
  },
  {
    name: 'StatusReason',
    wire: 'u16',
    doc: 'Cause of a status change in a StatusMsg.',
    values: [
      v('None', 0, undefined, { doc: 'No reason given.' }),
      v('Scheduled', 1, undefined, { doc: 'Scheduled change.' }),
      v('SurveillanceIntervention', 2, undefined, { doc: 'Market surveillance intervention.' }),
      v('MarketEvent', 3, undefined, { doc: 'Market activity.' }),
      v('InstrumentActivation', 4, undefined, { doc: 'Instrument began trading.' }),
      v('InstrumentExpiration', 5, undefined, { doc: 'Instrument expired.' }),
      v('RecoveryInProcess', 6, undefined, { doc: 'Recovery in progress.' }),
      v('Regulatory', 10, undefined, { doc: 'Regulatory action.' }),
      v('Administrative', 11, undefined, { doc: 'Administrative action.' }),
      v('NonCompliance', 12, undefined, { doc: 'Issuer not compliant with requirements.' }),
      v('FilingsNotCurrent', 13, undefined, { doc: 'Issuer\'s filings not current.' }),
      v('SecTradingSuspension', 14, undefined, { doc: 'SEC trading suspension.' }),
      v('NewIssue', 15, undefined, { doc: 'New issue.' }),
      v('IssueAvailable', 16, undefined, { doc: 'Issue available.' }),
      v('IssuesReviewed', 17, undefined, { doc: 'Issue(s) reviewed.' }),
      v('FilingReqsSatisfied', 18, undefined, { doc: 'Filing requirements satisfied.' }),
      v('NewsPending', 30, undefined, { doc: 'News pending.' }),
      v('NewsReleased', 31, undefined, { doc: 'News released.' }),
      v('NewsAndResumptionTimes', 32, undefined, { doc: 'News disseminated; resumption times available.' }),
      v('NewsNotForthcoming', 33, undefined, { doc: 'News not forthcoming.' }),
      v('OrderImbalance', 40, undefined, { doc: 'Order imbalance.' }),
      v('LuldPause', 50, undefined, { doc: 'Limit up-limit down pause.' }),
      v('Operational', 60, undefined, { doc: 'Operational issue at the venue.' }),
      v('AdditionalInformationRequested', 70, undefined, { doc: 'Additional information requested.' }),
      v('MergerEffective', 80, undefined, { doc: 'Merger became effective.' }),
      v('Etf', 90, undefined, { doc: 'ETF halt (conditions in its components).' }),
      v('CorporateAction', 100, undefined, { doc: 'Corporate action.' }),
      v('NewSecurityOffering', 110, undefined, { doc: 'New security offering.' }),
      v('MarketWideHaltLevel1', 120, undefined, { doc: 'Market-wide circuit breaker level 1.' }),
      v('MarketWideHaltLevel2', 121, undefined, { doc: 'Market-wide circuit breaker level 2.' }),
      v('MarketWideHaltLevel3', 122, undefined, { doc: 'Market-wide circuit breaker level 3.' }),
      v('MarketWideHaltCarryover', 123, undefined, { doc: 'Market-wide circuit breaker carried over from the previous day.' }),
      v('MarketWideHaltResumption', 124, undefined, { doc: 'Resumption after a market-wide circuit breaker halt.' }),
      v('QuotationNotAvailable', 130, undefined, { doc: 'Quotation requirements not met.' }),
    ],
  },
  {
    name: 'TradingEvent',
    wire: 'u16',
    doc: 'Additional trading-session information in a StatusMsg.',
    values: [
      v('None', 0, undefined, { doc: 'No additional information.' }),
      v('NoCancel', 1, undefined, { doc: 'Order entry and modification not allowed.' }),
      v('ChangeTradingSession', 2, undefined, { doc: 'Trading session changed.' }),
      v('ImpliedMatchingOn', 3, undefined, { doc: 'Implied matching available.' }),
      v('ImpliedMatchingOff', 4, undefined, { doc: 'Implied matching not available.' }),
    ],
  },
  {
    name: 'TriState',
    wire: 'char',
    doc: 'Yes / no / not available.',
    values: [
      v('NotAvailable', '~', undefined, { doc: 'Not available (the default).' }),
      v('No', 'N', undefined, { doc: 'No (false).' }),
      v('Yes', 'Y', undefined, { doc: 'Yes (true).' }),
    ],
  },
  {
    name: 'ErrorCode',
    wire: 'u8',
    helper: 'errorCode',
    doc: 'Category of a live-gateway ErrorMsg.',
    values: [
      v('AuthFailed', 1, 'auth_failed'), v('ApiKeyDeactivated', 2, 'api_key_deactivated'),
      v('ConnectionLimitExceeded', 3, 'connection_limit_exceeded'),
      v('SymbolResolutionFailed', 4, 'symbol_resolution_failed'), v('InvalidSubscription', 5, 'invalid_subscription'),
      v('InternalError', 6, 'internal_error'),
      v('SkippedRecordsAfterSlowReading', 7, 'skipped_records_after_slow_reading'),
      v('ReplayDataAgedOut', 8, 'replay_data_aged_out'),
      v('Unset', 255, 'unset', { doc: 'No code (e.g. upgraded from DBN v1).' }),
    ],
  },
  {
    name: 'SystemCode',
    wire: 'u8',
    helper: 'systemCode',
    doc: 'Category of a live-gateway SystemMsg.',
    values: [
      v('Heartbeat', 0, 'heartbeat'), v('SubscriptionAck', 1, 'subscription_ack'),
      v('SlowReaderWarning', 2, 'slow_reader_warning'), v('ReplayCompleted', 3, 'replay_completed'),
      v('EndOfInterval', 4, 'end_of_interval'),
      v('Unset', 255, 'unset', { doc: 'No code (e.g. upgraded from DBN v1).' }),
    ],
  },
  {
    name: 'SlowReaderBehavior',
    wire: 'u8',
    helper: 'slowReaderBehavior',
    doc: 'What the live gateway does when the client reads too slowly.',
    values: [
      v('Warn', 0, 'warn', { doc: 'Send a SlowReaderWarning system message and keep sending.' }),
      v('Skip', 1, 'skip', { doc: 'Skip records to catch up.' }),
    ],
  },
  {
    name: 'VersionUpgradePolicy',
    wire: 'u8',
    doc: 'How a decoder treats records of older DBN versions (a decoder option, not on the wire).',
    values: [
      v('AsIs', 1, undefined, { doc: 'Decode each version in its own layout.' }),
      v('UpgradeToV2', 2, undefined, { doc: 'Upgrade v1 records to the v2 layouts.' }),
      v('UpgradeToV3', 3, undefined, { doc: 'Upgrade v1/v2 records to the v3 layouts (the default).' }),
    ],
  },
];

/** Bits of the `flags` field of MBO/trades/MBP/BBO/CMBP/CBBO records. */
export const FLAGS = {
  name: 'FlagSet',
  doc: 'Bits of the `flags` field of market-data records.',
  values: [
    { name: 'LAST', cpp: 'kLast', value: 0x80, doc: 'Last record of the venue event for this instrument.' },
    { name: 'TOB', cpp: 'kTob', value: 0x40, doc: 'Top-of-book message, not an individual order.' },
    { name: 'SNAPSHOT', cpp: 'kSnapshot', value: 0x20, doc: 'Comes from a replay or snapshot.' },
    { name: 'MBP', cpp: 'kMbp', value: 0x10, doc: 'Aggregated price-level message, not an individual order.' },
    { name: 'BAD_TS_RECV', cpp: 'kBadTsRecv', value: 0x08, doc: 'ts_recv is unreliable (clock issue or reordering).' },
    { name: 'MAYBE_BAD_BOOK', cpp: 'kMaybeBadBook', value: 0x04, doc: 'An unrecoverable gap was seen on the channel.' },
    { name: 'PUBLISHER_SPECIFIC', cpp: 'kPublisherSpecific', value: 0x02, doc: 'Meaning defined by the publisher.' },
  ],
};

const I64_MAX = 9223372036854775807n;
const U64_MAX = 18446744073709551615n;

// Constants of spec §6. `type` picks the C++ type and whether TS uses a
// bigint ('i64'/'u64') or a number. `cpp: null` = TypeScript only (the C++
// decoder keeps its container-detection constants private).
/** Constants of spec §6. */
export const CONSTANTS = [
  { ts: 'DBN_VERSION', cpp: 'kDbnVersion', type: 'u8', value: 3, doc: 'Current DBN version.' },
  { ts: 'FIXED_PRICE_SCALE', cpp: 'kFixedPriceScale', type: 'i64', value: 1000000000n, doc: 'Fixed-point price units per 1.0 (prices are integers of 1e-9).' },
  { ts: 'UNDEF_PRICE', cpp: 'kUndefPrice', type: 'i64', value: I64_MAX, doc: 'Null price (i64::MAX).' },
  { ts: 'UNDEF_ORDER_SIZE', cpp: 'kUndefOrderSize', type: 'u32', value: 4294967295, doc: 'Null order size or quantity (u32::MAX).' },
  { ts: 'UNDEF_STAT_QUANTITY', cpp: 'kUndefStatQuantity', type: 'i64', value: I64_MAX, doc: 'Null StatMsg.quantity in DBN v3 (i64::MAX).' },
  { ts: 'UNDEF_STAT_QUANTITY_V1', cpp: 'kUndefStatQuantityV1', type: 'i32', value: 2147483647, doc: 'Null StatMsg.quantity in DBN v1/v2 (i32::MAX).' },
  { ts: 'UNDEF_TIMESTAMP', cpp: 'kUndefTimestamp', type: 'u64', value: U64_MAX, doc: 'Null timestamp (u64::MAX).' },
  { ts: 'SYMBOL_CSTR_LEN', cpp: 'kSymbolCstrLen', type: 'usize', value: 71, doc: 'Bytes of a fixed symbol string in DBN v2/v3, NUL included.' },
  { ts: 'SYMBOL_CSTR_LEN_V1', cpp: 'kSymbolCstrLenV1', type: 'usize', value: 22, doc: 'Bytes of a fixed symbol string in DBN v1, NUL included.' },
  { ts: 'SYMBOL_CSTR_LEN_V2', cpp: 'kSymbolCstrLenV2', type: 'usize', value: 71, doc: 'Bytes of a fixed symbol string in DBN v2, NUL included.' },
  { ts: 'ASSET_CSTR_LEN', cpp: 'kAssetCstrLen', type: 'usize', value: 11, doc: 'Bytes of InstrumentDefMsg.asset in DBN v3.' },
  { ts: 'ASSET_CSTR_LEN_V1', cpp: 'kAssetCstrLenV1', type: 'usize', value: 7, doc: 'Bytes of InstrumentDefMsg.asset in DBN v1.' },
  { ts: 'ASSET_CSTR_LEN_V2', cpp: 'kAssetCstrLenV2', type: 'usize', value: 7, doc: 'Bytes of InstrumentDefMsg.asset in DBN v2.' },
  { ts: 'METADATA_PRELUDE_LEN', cpp: 'kMetadataPreludeLen', type: 'usize', value: 8, doc: 'Magic, version and length bytes before the fixed metadata.' },
  { ts: 'METADATA_FIXED_LEN', cpp: 'kMetadataFixedLen', type: 'usize', value: 100, doc: 'Bytes of fixed metadata (absolute offsets 8..107), every version.' },
  { ts: 'METADATA_DATASET_CSTR_LEN', cpp: 'kMetadataDatasetCstrLen', type: 'usize', value: 16, doc: 'Bytes of the metadata dataset string.' },
  { ts: 'METADATA_RESERVED_LEN', cpp: 'kMetadataReservedLen', type: 'usize', value: 53, doc: 'Reserved bytes in the DBN v2/v3 fixed metadata.' },
  { ts: 'METADATA_RESERVED_LEN_V1', cpp: 'kMetadataReservedLenV1', type: 'usize', value: 47, doc: 'Reserved bytes in the DBN v1 fixed metadata.' },
  { ts: 'RECORD_HEADER_LENGTH_MULTIPLIER', cpp: 'kRecordHeaderLengthMultiplier', type: 'usize', value: 4, doc: 'Bytes per unit of RecordHeader.length.' },
  { ts: 'RECORD_HEADER_SIZE', cpp: 'kRecordHeaderSize', type: 'usize', value: 16, doc: 'Bytes of the record header.' },
  { ts: 'MAX_RECORD_LEN', cpp: 'kMaxRecordLen', type: 'usize', value: 528, doc: 'Largest record in bytes: v3 InstrumentDefMsg (520) plus ts_out (8).' },
  { ts: 'NULL_SCHEMA', cpp: 'kNullSchema', type: 'u16', value: 0xffff, doc: 'Metadata schema value for "no single schema".' },
  { ts: 'NULL_STYPE', cpp: 'kNullStype', type: 'u8', value: 0xff, doc: 'Metadata stype value for "no single stype".' },
  { ts: 'NULL_LIMIT', cpp: 'kNullLimit', type: 'u64', value: 0n, doc: 'Metadata limit value for "no limit".' },
  { ts: 'NULL_END', cpp: 'kNullEnd', type: 'u64', value: U64_MAX, doc: 'Metadata end value for "no end".' },
  { ts: 'NULL_RECORD_COUNT', cpp: 'kNullRecordCount', type: 'u64', value: U64_MAX, doc: 'Value written to the deprecated DBN v1 metadata record_count.' },
  { ts: 'ZSTD_MAGIC', cpp: null, type: 'u32', value: 0xfd2fb528, doc: 'Little-endian u32 that starts a Zstandard frame.' },
  { ts: 'ZSTD_SKIPPABLE_MAGIC_FIRST', cpp: null, type: 'u32', value: 0x184d2a50, doc: 'Lowest magic of a Zstandard skippable frame (legacy DBZ).' },
  { ts: 'ZSTD_SKIPPABLE_MAGIC_LAST', cpp: null, type: 'u32', value: 0x184d2a5f, doc: 'Highest magic of a Zstandard skippable frame (legacy DBZ).' },
];

/** Schema -> rtype of the records it produces (spec §2.1). */
export const SCHEMA_RTYPE = [
  ['Mbo', 0xa0], ['Mbp1', 0x01], ['Mbp10', 0x0a], ['Tbbo', 0x01], ['Trades', 0x00],
  ['Ohlcv1S', 0x20], ['Ohlcv1M', 0x21], ['Ohlcv1H', 0x22], ['Ohlcv1D', 0x23], ['OhlcvEod', 0x24],
  ['Definition', 0x13], ['Statistics', 0x18], ['Status', 0x12], ['Imbalance', 0x14],
  ['Cmbp1', 0xb1], ['Cbbo1S', 0xc0], ['Cbbo1M', 0xc1], ['Tcbbo', 0xc2], ['Bbo1S', 0xc3], ['Bbo1M', 0xc4],
];

/** Venues: [id, code]. */
export const VENUES = [
  [1, 'GLBX'], [2, 'XNAS'], [3, 'XBOS'], [4, 'XPSX'], [5, 'BATS'], [6, 'BATY'], [7, 'EDGA'], [8, 'EDGX'],
  [9, 'XNYS'], [10, 'XCIS'], [11, 'XASE'], [12, 'ARCX'], [13, 'XCHI'], [14, 'IEXG'], [15, 'FINN'],
  [16, 'FINC'], [17, 'FINY'], [18, 'MEMX'], [19, 'EPRL'], [20, 'AMXO'], [21, 'XBOX'], [22, 'XCBO'],
  [23, 'EMLD'], [24, 'EDGO'], [25, 'GMNI'], [26, 'XISX'], [27, 'MCRY'], [28, 'XMIO'], [29, 'ARCO'],
  [30, 'OPRA'], [31, 'MPRL'], [32, 'XNDQ'], [33, 'XBXO'], [34, 'C2OX'], [35, 'XPHL'], [36, 'BATO'],
  [37, 'MXOP'], [38, 'IFEU'], [39, 'NDEX'], [40, 'DBEQ'], [41, 'SPHR'], [42, 'LTSE'], [43, 'XOFF'],
  [44, 'ASPN'], [45, 'ASMT'], [46, 'ASPI'], [47, 'EQUS'], [48, 'IFUS'], [49, 'IFLL'], [50, 'XEUR'],
  [51, 'XEEE'], [52, 'XCBF'], [53, 'OCEA'], [54, 'MXTO'], [55, 'IEXO'], [56, 'MAIN'], [57, 'TXSE'],
  [58, '24EQ'], [59, 'CTA'], [60, 'UTP'], [61, 'XADF'], [62, 'MSCI'], [63, 'FTSE'], [64, 'INAV'],
  [65, 'MSTAR'], [66, 'CCCY'], [67, 'CGI'], [68, 'DEF'], [69, 'XTKS'], [70, 'XTKT'], [71, 'XOSE'],
];

/** Datasets: [id, code]. */
export const DATASETS = [
  [1, 'GLBX.MDP3'], [2, 'XNAS.ITCH'], [3, 'XBOS.ITCH'], [4, 'XPSX.ITCH'], [5, 'BATS.PITCH'],
  [6, 'BATY.PITCH'], [7, 'EDGA.PITCH'], [8, 'EDGX.PITCH'], [9, 'XNYS.PILLAR'], [10, 'XCIS.PILLAR'],
  [11, 'XASE.PILLAR'], [12, 'XCHI.PILLAR'], [13, 'XCIS.BBO'], [14, 'XCIS.TRADES'], [15, 'MEMX.MEMOIR'],
  [16, 'EPRL.DOM'], [17, 'FINN.NLS'], [18, 'FINY.TRADES'], [19, 'OPRA.PILLAR'], [20, 'DBEQ.BASIC'],
  [21, 'ARCX.PILLAR'], [22, 'IEXG.TOPS'], [23, 'EQUS.PLUS'], [24, 'XNYS.BBO'], [25, 'XNYS.TRADES'],
  [26, 'XNAS.QBBO'], [27, 'XNAS.NLS'], [28, 'IFEU.IMPACT'], [29, 'NDEX.IMPACT'], [30, 'EQUS.ALL'],
  [31, 'XNAS.BASIC'], [32, 'EQUS.SUMMARY'], [33, 'XCIS.TRADESBBO'], [34, 'XNYS.TRADESBBO'],
  [35, 'EQUS.MINI'], [36, 'IFUS.IMPACT'], [37, 'IFLL.IMPACT'], [38, 'XEUR.EOBI'], [39, 'XEEE.EOBI'],
  [40, 'XCBF.PITCH'], [41, 'OCEA.MEMOIR'], [42, 'MAIN.CGIF'], [43, 'EQUS.SIP'], [44, 'MSCI.CGIF'],
  [45, 'FTSE.CGIF'], [46, 'INAV.CGIF'], [47, 'MSTAR.CGIF'], [48, 'CCCY.CGIF'], [49, 'CGI.CGIF'],
  [50, 'XTKS.FLEX'], [51, 'XTKT.ITCH'], [52, 'XOSE.ITCH'],
];

/** Publishers: [id, code, dataset id, venue id]. The code is always `DATASET.VENUE`. */
export const PUBLISHERS = [
  [1, 'GLBX.MDP3.GLBX', 1, 1], [2, 'XNAS.ITCH.XNAS', 2, 2], [3, 'XBOS.ITCH.XBOS', 3, 3],
  [4, 'XPSX.ITCH.XPSX', 4, 4], [5, 'BATS.PITCH.BATS', 5, 5], [6, 'BATY.PITCH.BATY', 6, 6],
  [7, 'EDGA.PITCH.EDGA', 7, 7], [8, 'EDGX.PITCH.EDGX', 8, 8], [9, 'XNYS.PILLAR.XNYS', 9, 9],
  [10, 'XCIS.PILLAR.XCIS', 10, 10], [11, 'XASE.PILLAR.XASE', 11, 11], [12, 'XCHI.PILLAR.XCHI', 12, 13],
  [13, 'XCIS.BBO.XCIS', 13, 10], [14, 'XCIS.TRADES.XCIS', 14, 10], [15, 'MEMX.MEMOIR.MEMX', 15, 18],
  [16, 'EPRL.DOM.EPRL', 16, 19], [17, 'XNAS.NLS.FINN', 27, 15], [18, 'XNAS.NLS.FINC', 27, 16],
  [19, 'XNYS.TRADES.FINY', 25, 17], [20, 'OPRA.PILLAR.AMXO', 19, 20], [21, 'OPRA.PILLAR.XBOX', 19, 21],
  [22, 'OPRA.PILLAR.XCBO', 19, 22], [23, 'OPRA.PILLAR.EMLD', 19, 23], [24, 'OPRA.PILLAR.EDGO', 19, 24],
  [25, 'OPRA.PILLAR.GMNI', 19, 25], [26, 'OPRA.PILLAR.XISX', 19, 26], [27, 'OPRA.PILLAR.MCRY', 19, 27],
  [28, 'OPRA.PILLAR.XMIO', 19, 28], [29, 'OPRA.PILLAR.ARCO', 19, 29], [30, 'OPRA.PILLAR.OPRA', 19, 30],
  [31, 'OPRA.PILLAR.MPRL', 19, 31], [32, 'OPRA.PILLAR.XNDQ', 19, 32], [33, 'OPRA.PILLAR.XBXO', 19, 33],
  [34, 'OPRA.PILLAR.C2OX', 19, 34], [35, 'OPRA.PILLAR.XPHL', 19, 35], [36, 'OPRA.PILLAR.BATO', 19, 36],
  [37, 'OPRA.PILLAR.MXOP', 19, 37], [38, 'IEXG.TOPS.IEXG', 22, 14], [39, 'DBEQ.BASIC.XCHI', 20, 13],
  [40, 'DBEQ.BASIC.XCIS', 20, 10], [41, 'DBEQ.BASIC.IEXG', 20, 14], [42, 'DBEQ.BASIC.EPRL', 20, 19],
  [43, 'ARCX.PILLAR.ARCX', 21, 12], [44, 'XNYS.BBO.XNYS', 24, 9], [45, 'XNYS.TRADES.XNYS', 25, 9],
  [46, 'XNAS.QBBO.XNAS', 26, 2], [47, 'XNAS.NLS.XNAS', 27, 2], [48, 'EQUS.PLUS.XCHI', 23, 13],
  [49, 'EQUS.PLUS.XCIS', 23, 10], [50, 'EQUS.PLUS.IEXG', 23, 14], [51, 'EQUS.PLUS.EPRL', 23, 19],
  [52, 'EQUS.PLUS.XNAS', 23, 2], [53, 'EQUS.PLUS.XNYS', 23, 9], [54, 'EQUS.PLUS.FINN', 23, 15],
  [55, 'EQUS.PLUS.FINY', 23, 17], [56, 'EQUS.PLUS.FINC', 23, 16], [57, 'IFEU.IMPACT.IFEU', 28, 38],
  [58, 'NDEX.IMPACT.NDEX', 29, 39], [59, 'DBEQ.BASIC.DBEQ', 20, 40], [60, 'EQUS.PLUS.EQUS', 23, 47],
  [61, 'OPRA.PILLAR.SPHR', 19, 41], [62, 'EQUS.ALL.XCHI', 30, 13], [63, 'EQUS.ALL.XCIS', 30, 10],
  [64, 'EQUS.ALL.IEXG', 30, 14], [65, 'EQUS.ALL.EPRL', 30, 19], [66, 'EQUS.ALL.XNAS', 30, 2],
  [67, 'EQUS.ALL.XNYS', 30, 9], [68, 'EQUS.ALL.FINN', 30, 15], [69, 'EQUS.ALL.FINY', 30, 17],
  [70, 'EQUS.ALL.FINC', 30, 16], [71, 'EQUS.ALL.BATS', 30, 5], [72, 'EQUS.ALL.BATY', 30, 6],
  [73, 'EQUS.ALL.EDGA', 30, 7], [74, 'EQUS.ALL.EDGX', 30, 8], [75, 'EQUS.ALL.XBOS', 30, 3],
  [76, 'EQUS.ALL.XPSX', 30, 4], [77, 'EQUS.ALL.MEMX', 30, 18], [78, 'EQUS.ALL.XASE', 30, 11],
  [79, 'EQUS.ALL.ARCX', 30, 12], [80, 'EQUS.ALL.LTSE', 30, 42], [81, 'XNAS.BASIC.XNAS', 31, 2],
  [82, 'XNAS.BASIC.FINN', 31, 15], [83, 'XNAS.BASIC.FINC', 31, 16], [84, 'IFEU.IMPACT.XOFF', 28, 43],
  [85, 'NDEX.IMPACT.XOFF', 29, 43], [86, 'XNAS.NLS.XBOS', 27, 3], [87, 'XNAS.NLS.XPSX', 27, 4],
  [88, 'XNAS.BASIC.XBOS', 31, 3], [89, 'XNAS.BASIC.XPSX', 31, 4], [90, 'EQUS.SUMMARY.EQUS', 32, 47],
  [91, 'XCIS.TRADESBBO.XCIS', 33, 10], [92, 'XNYS.TRADESBBO.XNYS', 34, 9], [93, 'XNAS.BASIC.EQUS', 31, 47],
  [94, 'EQUS.ALL.EQUS', 30, 47], [95, 'EQUS.MINI.EQUS', 35, 47], [96, 'XNYS.TRADES.EQUS', 25, 47],
  [97, 'IFUS.IMPACT.IFUS', 36, 48], [98, 'IFUS.IMPACT.XOFF', 36, 43], [99, 'IFLL.IMPACT.IFLL', 37, 49],
  [100, 'IFLL.IMPACT.XOFF', 37, 43], [101, 'XEUR.EOBI.XEUR', 38, 50], [102, 'XEEE.EOBI.XEEE', 39, 51],
  [103, 'XEUR.EOBI.XOFF', 38, 43], [104, 'XEEE.EOBI.XOFF', 39, 43], [105, 'XCBF.PITCH.XCBF', 40, 52],
  [106, 'XCBF.PITCH.XOFF', 40, 43], [107, 'OCEA.MEMOIR.OCEA', 41, 53], [108, 'OPRA.PILLAR.MXTO', 19, 54],
  [109, 'OPRA.PILLAR.IEXO', 19, 55], [110, 'MAIN.CGIF.MAIN', 42, 56], [111, 'EQUS.SIP.XASE', 43, 11],
  [112, 'EQUS.SIP.XBOS', 43, 3], [113, 'EQUS.SIP.XCIS', 43, 10], [114, 'EQUS.SIP.TXSE', 43, 57],
  [115, 'EQUS.SIP.24EQ', 43, 58], [116, 'EQUS.SIP.EPRL', 43, 19], [117, 'EQUS.SIP.XISX', 43, 26],
  [118, 'EQUS.SIP.EDGA', 43, 7], [119, 'EQUS.SIP.EDGX', 43, 8], [120, 'EQUS.SIP.LTSE', 43, 42],
  [121, 'EQUS.SIP.XCHI', 43, 13], [122, 'EQUS.SIP.XNYS', 43, 9], [123, 'EQUS.SIP.ARCX', 43, 12],
  [124, 'EQUS.SIP.XNAS', 43, 2], [125, 'EQUS.SIP.MEMX', 43, 18], [126, 'EQUS.SIP.IEXG', 43, 14],
  [127, 'EQUS.SIP.XPSX', 43, 4], [128, 'EQUS.SIP.BATY', 43, 6], [129, 'EQUS.SIP.BATS', 43, 5],
  [130, 'EQUS.SIP.FINN', 43, 15], [131, 'EQUS.SIP.FINY', 43, 17], [132, 'EQUS.SIP.FINC', 43, 16],
  [133, 'EQUS.SIP.XADF', 43, 61], [134, 'EQUS.SIP.CTA', 43, 59], [135, 'EQUS.SIP.UTP', 43, 60],
  [136, 'MSCI.CGIF.MSCI', 44, 62], [137, 'FTSE.CGIF.FTSE', 45, 63], [138, 'INAV.CGIF.INAV', 46, 64],
  [139, 'MSTAR.CGIF.MSTAR', 47, 65], [140, 'CCCY.CGIF.CCCY', 48, 66], [141, 'CGI.CGIF.CGI', 49, 67],
  [142, 'MAIN.CGIF.DEF', 42, 68], [143, 'XTKS.FLEX.XTKS', 50, 69], [144, 'XTKT.ITCH.XTKT', 51, 70],
  [145, 'XOSE.ITCH.XOSE', 52, 71],
];

/**
 * Identifier for a venue/dataset/publisher code: each dot-separated part
 * capitalised ('GLBX.MDP3' -> 'GlbxMdp3'); a leading digit gets an
 * underscore so the name is a valid identifier ('24EQ' -> '_24Eq').
 */
export function codeIdent(code) {
  const ident = code
    .split('.')
    .map((part) => part.toLowerCase().replace(/[a-z]/, (c) => c.toUpperCase()))
    .join('');
  return /^[0-9]/.test(ident) ? `_${ident}` : ident;
}

// Error codes: the C++ enums of the core and the TypeScript unions of the
// facade's error classes are generated from these. Each value: the C++
// enumerator `name`, the JS `code`, a `doc`; `bindingOnly` codes are produced
// by the N-API layer (never by the core) and appear in TypeScript only.
const ec = (name, code, doc, extra = {}) => ({ name, code, doc, ...extra });

export const ERROR_CODES = [
  {
    name: 'DbnErrorCode',
    doc: 'Why a DBN stream could not be read or written.',
    values: [
      ec('BadMagic', 'BAD_MAGIC', 'input is neither DBN, zstd-compressed DBN nor DBZ'),
      ec('UnsupportedVersion', 'UNSUPPORTED_VERSION', 'DBN version newer than this library knows'),
      ec('TruncatedHeader', 'TRUNCATED_HEADER', 'input ended inside the metadata header'),
      ec('BadHeader', 'BAD_HEADER', 'metadata header fields are inconsistent'),
      ec('TruncatedRecord', 'TRUNCATED_RECORD', 'input ended inside a record'),
      ec('BadRecordLength', 'BAD_RECORD_LENGTH', 'hd.length of 0..3 words'),
      ec('ZstdCorrupt', 'ZSTD_CORRUPT', 'the zstd decompressor rejected the input'),
      ec('ZstdUnavailable', 'ZSTD_UNAVAILABLE', 'libzstd.so.1 could not be loaded'),
      ec('LegacyDbz', 'LEGACY_DBZ', 'DBZ container where it is not accepted'),
      ec('BadArgument', 'BAD_ARGUMENT', 'invalid option or value passed by the caller'),
      ec('Io', 'IO_ERROR', 'the operating system refused a read or write'),
      ec('MetadataTooLarge', 'METADATA_TOO_LARGE', "metadata header longer than the decoder's cap"),
      ec('UnknownRecord', 'UNKNOWN_RECORD', 'an rtype without a known layout where one is needed (text output)'),
      ec('MixedSchemas', 'MIXED_SCHEMAS', 'records of several schemas where one is required (CSV)'),
      ec('Busy', 'BUSY', 'a call while an earlier one on the same object is still running', { bindingOnly: true }),
      ec('Closed', 'CLOSED', 'a call on a decoder or store that has ended', { bindingOnly: true }),
      ec('OutOfMemory', 'OUT_OF_MEMORY', 'a native allocation failed', { bindingOnly: true }),
      ec('Internal', 'INTERNAL', 'an unexpected native failure', { bindingOnly: true }),
    ],
  },
  {
    name: 'LiveErrorCode',
    doc: 'Why a live session failed.',
    values: [
      ec('AuthFailed', 'AUTH_FAILED', 'the gateway refused the authentication request'),
      ec('ConnectFailed', 'CONNECT_FAILED', 'DNS resolution or the TCP connection failed'),
      ec('ConnectionClosed', 'CONNECTION_CLOSED', 'the gateway closed the connection'),
      ec('HeartbeatTimeout', 'HEARTBEAT_TIMEOUT', 'no bytes for heartbeat_interval_s + 5 s'),
      ec('GatewayError', 'GATEWAY_ERROR', 'the gateway sent a fatal ErrorMsg'),
      ec('DecodeError', 'DECODE_ERROR', 'the binary stream is not valid DBN'),
      ec('ProtocolError', 'PROTOCOL_ERROR', 'the gateway broke the text protocol'),
      ec('Timeout', 'TIMEOUT', 'the connect, authentication or metadata deadline passed'),
      ec('InvalidArgument', 'INVALID_ARGUMENT', 'an option or subscription the protocol cannot carry'),
      ec('InvalidState', 'INVALID_STATE', "a call the session's state does not allow"),
      ec('Aborted', 'ABORTED', 'the session was stopped while the call was waiting'),
      ec('Internal', 'INTERNAL', 'an operating-system or library failure'),
      ec('OutOfMemory', 'OUT_OF_MEMORY', 'a native allocation failed', { bindingOnly: true }),
    ],
  },
];

/** Kinds of the items a live session thread queues for its consumer (BatchQueue). */
export const LIVE_EVENT_KINDS = [
  { name: 'Metadata', value: 0, doc: "the session's metadata header and record layout" },
  { name: 'Batch', value: 1, doc: 'a batch of whole records' },
  { name: 'Error', value: 2, doc: "the session's failure" },
  { name: 'End', value: 3, doc: 'the session thread has ended' },
];
