// The single source of truth for DBN record layouts (spec: shared/spec/dbn-format.md §2-§4).
//
// scripts/generate-records.mjs turns this table into the C++ structs and their
// static_asserts, and into the TypeScript record views. Offsets are written out
// explicitly because they are the facts; the generator (and test/records.test.ts)
// checks that every layout is contiguous: each byte belongs to exactly one field
// and the last field ends at `size`.
//
// Field types:
//   u8 i8 u16 i16 u32 i32 u64 i64  plain little-endian integers
//   price    i64 fixed-point, 1 unit = 1e-9; i64::MAX means "undefined"
//   ts       u64 nanoseconds since the UNIX epoch; u64::MAX means "undefined"
//   char     one ASCII byte (`enum` names the char enum it holds, if any)
//   cstr     NUL-padded fixed string of `len` bytes
//   pad      `len` reserved bytes (write zero, ignore on read)
//   header   the 16-byte RecordHeader
//   levels   `count` consecutive level structs of layout `of`
// Integer fields may also name the enum (or flag set) they hold in `enum`.

/** Byte size of each scalar field type. */
export const SCALAR_SIZES = Object.freeze({
  u8: 1, i8: 1, u16: 2, i16: 2, u32: 4, i32: 4, u64: 8, i64: 8,
  price: 8, ts: 8, char: 1,
});

// Field constructors: keep the table below readable. Offsets always come first.
const f = (offset, name, type, doc, extra = {}) => ({ name, type, offset, doc, ...extra });
const hd = () => f(0, 'hd', 'header', 'Common record header.');
const cstr = (offset, name, len, doc) => f(offset, name, 'cstr', doc, { len });
const pad = (offset, name, len) => f(offset, name, 'pad', 'Reserved; zero on write, ignored on read.', { len });
const chr = (offset, name, enumName, doc, extra = {}) => f(offset, name, 'char', doc, { ...(enumName ? { enum: enumName } : {}), ...extra });
// In DBN v1/v2 some char fields are typed enums in the `dbn` crate: text output
// writes their raw byte (no escaping, NUL kept) — text-formats.md §2, kind E.
const RAW_TEXT = { textRaw: true };
const levels = (offset, of, count, doc) => f(offset, 'levels', 'levels', doc, { of, count });

// Fields shared verbatim by the TradeMsg family (bytes 16..47 of trades, MBP-1, MBP-10).
const tradeBody = (sideDoc) => [
  f(16, 'price', 'price', 'Order or trade price.'),
  f(24, 'size', 'u32', 'Order or trade quantity.'),
  chr(28, 'action', 'Action', 'Event action.'),
  chr(29, 'side', 'Side', sideDoc),
  f(30, 'flags', 'u8', 'Bit field of FlagSet bits.', { enum: 'FlagSet' }),
  f(31, 'depth', 'u8', 'Book level that the update applies to.'),
  f(32, 'ts_recv', 'ts', 'Time the capture server received the message.'),
  f(40, 'ts_in_delta', 'i32', 'Nanoseconds from the venue send time to ts_recv.'),
  f(44, 'sequence', 'u32', 'Venue message sequence number.'),
];

// Text (CSV/JSON) field order of the `dbn` crate, where it differs from the
// default (ts_recv, then hd, then the layout order): see
// shared/spec/text-formats.md §3. Level blocks and the header expand in place.
const TRADE_TEXT_ORDER = ['ts_recv', 'hd', 'action', 'side', 'depth', 'price', 'size', 'flags', 'ts_in_delta', 'sequence'];
const DEF_TEXT_HEAD = [
  'ts_recv', 'hd', 'raw_symbol', 'security_update_action', 'instrument_class', 'min_price_increment',
  'display_factor', 'expiration', 'activation', 'high_limit_price', 'low_limit_price', 'max_price_variation',
];
const DEF_TEXT_MID = [
  'inst_attrib_value', 'underlying_id', 'raw_instrument_id', 'market_depth_implied', 'market_depth',
  'market_segment_id', 'max_trade_vol', 'min_lot_size', 'min_lot_size_block', 'min_lot_size_round_lot',
  'min_trade_vol', 'contract_multiplier', 'decay_quantity', 'original_contract_size',
];
const DEF_TEXT_STRINGS = [
  'currency', 'settl_currency', 'secsubtype', 'group', 'exchange', 'asset', 'cfi', 'security_type',
  'unit_of_measure', 'underlying', 'strike_price_currency', 'strike_price', 'match_algorithm',
];
const DEF_TEXT_ORDER_V3 = [
  ...DEF_TEXT_HEAD, 'unit_of_measure_qty', 'min_price_increment_amount', 'price_ratio', ...DEF_TEXT_MID,
  'appl_id', 'maturity_year', 'decay_start_date', 'channel_id', ...DEF_TEXT_STRINGS,
  'main_fraction', 'price_display_format', 'sub_fraction', 'underlying_product', 'maturity_month', 'maturity_day',
  'maturity_week', 'user_defined_instrument', 'contract_multiplier_unit', 'flow_schedule_type', 'tick_rule',
  'leg_count', 'leg_index', 'leg_instrument_id', 'leg_raw_symbol', 'leg_instrument_class', 'leg_side', 'leg_price',
  'leg_delta', 'leg_ratio_price_numerator', 'leg_ratio_price_denominator', 'leg_ratio_qty_numerator',
  'leg_ratio_qty_denominator', 'leg_underlying_id',
];
const DEF_TEXT_ORDER_V1 = [
  ...DEF_TEXT_HEAD, 'trading_reference_price', 'unit_of_measure_qty', 'min_price_increment_amount', 'price_ratio',
  ...DEF_TEXT_MID, 'trading_reference_date', 'appl_id', 'maturity_year', 'decay_start_date', 'channel_id',
  ...DEF_TEXT_STRINGS, 'md_security_trading_status', 'main_fraction', 'price_display_format', 'settl_price_type',
  'sub_fraction', 'underlying_product', 'maturity_month', 'maturity_day', 'maturity_week', 'user_defined_instrument',
  'contract_multiplier_unit', 'flow_schedule_type', 'tick_rule',
];

/** Level structs, embedded in MBP/BBO/CMBP/CBBO records. */
export const LEVELS = [
  {
    name: 'BidAskPair',
    kind: 'level',
    size: 32,
    doc: 'One price level of an order book: best bid and ask at that depth.',
    fields: [
      f(0, 'bid_px', 'price', 'Bid price.'),
      f(8, 'ask_px', 'price', 'Ask price.'),
      f(16, 'bid_sz', 'u32', 'Total bid quantity at the level.'),
      f(20, 'ask_sz', 'u32', 'Total ask quantity at the level.'),
      f(24, 'bid_ct', 'u32', 'Number of bid orders at the level.'),
      f(28, 'ask_ct', 'u32', 'Number of ask orders at the level.'),
    ],
  },
  {
    name: 'ConsolidatedBidAskPair',
    kind: 'level',
    size: 32,
    doc: 'One consolidated price level: best bid and ask across venues, with the venue publishers.',
    fields: [
      f(0, 'bid_px', 'price', 'Bid price.'),
      f(8, 'ask_px', 'price', 'Ask price.'),
      f(16, 'bid_sz', 'u32', 'Total bid quantity at the level.'),
      f(20, 'ask_sz', 'u32', 'Total ask quantity at the level.'),
      f(24, 'bid_pb', 'u16', 'Publisher id of the venue with the best bid.'),
      pad(26, '_reserved1', 2),
      f(28, 'ask_pb', 'u16', 'Publisher id of the venue with the best ask.'),
      pad(30, '_reserved2', 2),
    ],
  },
];

/** The 16-byte header at the start of every record. */
export const HEADER = {
  name: 'RecordHeader',
  kind: 'header',
  size: 16,
  doc: 'Header common to every DBN record.',
  fields: [
    f(0, 'length', 'u8', 'Record length in 4-byte words, header and any ts_out suffix included.'),
    f(1, 'rtype', 'u8', 'Record type code.', { enum: 'RType' }),
    f(2, 'publisher_id', 'u16', 'Databento publisher id (dataset + venue).', { enum: 'Publisher' }),
    f(4, 'instrument_id', 'u32', 'Numeric instrument id.'),
    f(8, 'ts_event', 'ts', 'Matching-engine receive time of the event.'),
  ],
};

// Record layouts. `name` is the TypeScript class name; `cpp` the C++ namespace
// (relative to `databento`, '' = the current v3 namespace) and struct name.
// `versions` lists the DBN versions whose records use this layout.
/** Every record layout, current (v3) and older. */
export const RECORDS = [
  {
    name: 'MboMsg',
    textOrder: ['ts_recv', 'hd', 'action', 'side', 'price', 'size', 'channel_id', 'order_id', 'flags', 'ts_in_delta', 'sequence'],
    cpp: { ns: '', name: 'MboMsg' },
    rtypes: [0xa0],
    versions: [1, 2, 3],
    size: 56,
    schemas: ['mbo'],
    doc: 'Market-by-order event: one order book action by an individual order.',
    fields: [
      hd(),
      f(16, 'order_id', 'u64', 'Venue order id.'),
      f(24, 'price', 'price', 'Order price.'),
      f(32, 'size', 'u32', 'Order quantity.'),
      f(36, 'flags', 'u8', 'Bit field of FlagSet bits.', { enum: 'FlagSet' }),
      f(37, 'channel_id', 'u8', 'Databento channel id (0-based) the event arrived on.'),
      chr(38, 'action', 'Action', 'Event action.'),
      chr(39, 'side', 'Side', 'Side of the order.'),
      f(40, 'ts_recv', 'ts', 'Time the capture server received the message.'),
      f(48, 'ts_in_delta', 'i32', 'Nanoseconds from the venue send time to ts_recv.'),
      f(52, 'sequence', 'u32', 'Venue message sequence number.'),
    ],
  },
  {
    name: 'TradeMsg',
    textOrder: TRADE_TEXT_ORDER,
    cpp: { ns: '', name: 'TradeMsg' },
    rtypes: [0x00],
    versions: [1, 2, 3],
    size: 48,
    schemas: ['trades'],
    doc: 'A trade event (market by price, depth 0).',
    fields: [hd(), ...tradeBody('Side of the aggressor.')],
  },
  {
    name: 'Mbp1Msg',
    textOrder: [...TRADE_TEXT_ORDER, 'levels'],
    cpp: { ns: '', name: 'Mbp1Msg' },
    aliases: ['TbboMsg'],
    rtypes: [0x01],
    versions: [1, 2, 3],
    size: 80,
    schemas: ['mbp-1', 'tbbo'],
    doc: 'Market-by-price event with the top of book (for tbbo: the book just before the trade).',
    fields: [
      hd(),
      ...tradeBody('Side of the order or aggressor.'),
      levels(48, 'BidAskPair', 1, 'Top of book.'),
    ],
  },
  {
    name: 'Mbp10Msg',
    textOrder: [...TRADE_TEXT_ORDER, 'levels'],
    cpp: { ns: '', name: 'Mbp10Msg' },
    rtypes: [0x0a],
    versions: [1, 2, 3],
    size: 368,
    schemas: ['mbp-10'],
    doc: 'Market-by-price event with the ten best book levels.',
    fields: [
      hd(),
      ...tradeBody('Side of the order or aggressor.'),
      levels(48, 'BidAskPair', 10, 'Ten book levels, best first.'),
    ],
  },
  {
    name: 'BboMsg',
    textOrder: ['ts_recv', 'hd', 'side', 'price', 'size', 'flags', 'sequence', 'levels'],
    cpp: { ns: '', name: 'BboMsg' },
    aliases: ['Bbo1SMsg', 'Bbo1MMsg'],
    rtypes: [0xc3, 0xc4],
    versions: [1, 2, 3],
    size: 80,
    schemas: ['bbo-1s', 'bbo-1m'],
    doc: 'Best bid and offer sampled at the end of each interval, with the last trade.',
    fields: [
      hd(),
      f(16, 'price', 'price', 'Price of the last trade in the session; undefined if none.'),
      f(24, 'size', 'u32', 'Quantity of the last trade.'),
      pad(28, '_reserved1', 1),
      chr(29, 'side', 'Side', 'Side of the last trade\'s aggressor.'),
      f(30, 'flags', 'u8', 'Bit field of FlagSet bits.', { enum: 'FlagSet' }),
      pad(31, '_reserved2', 1),
      f(32, 'ts_recv', 'ts', 'End of the interval, on the capture-server clock.'),
      pad(40, '_reserved3', 4),
      f(44, 'sequence', 'u32', 'Sequence number of the last update.'),
      levels(48, 'BidAskPair', 1, 'Best bid and offer at the end of the interval.'),
    ],
  },
  {
    name: 'CbboMsg',
    textOrder: ['ts_recv', 'hd', 'side', 'price', 'size', 'flags', 'levels'],
    cpp: { ns: '', name: 'CbboMsg' },
    aliases: ['Cbbo1SMsg', 'Cbbo1MMsg'],
    rtypes: [0xc0, 0xc1],
    versions: [1, 2, 3],
    size: 80,
    schemas: ['cbbo-1s', 'cbbo-1m'],
    doc: 'Consolidated best bid and offer sampled at the end of each interval, with the last trade.',
    fields: [
      hd(),
      f(16, 'price', 'price', 'Price of the last trade in the session; undefined if none.'),
      f(24, 'size', 'u32', 'Quantity of the last trade.'),
      pad(28, '_reserved1', 1),
      chr(29, 'side', 'Side', 'Side of the last trade\'s aggressor.'),
      f(30, 'flags', 'u8', 'Bit field of FlagSet bits.', { enum: 'FlagSet' }),
      pad(31, '_reserved2', 1),
      f(32, 'ts_recv', 'ts', 'End of the interval, on the capture-server clock.'),
      pad(40, '_reserved3', 8),
      levels(48, 'ConsolidatedBidAskPair', 1, 'Consolidated best bid and offer at the end of the interval.'),
    ],
  },
  {
    name: 'Cmbp1Msg',
    textOrder: ['ts_recv', 'hd', 'action', 'side', 'price', 'size', 'flags', 'ts_in_delta', 'levels'],
    cpp: { ns: '', name: 'Cmbp1Msg' },
    aliases: ['TcbboMsg'],
    rtypes: [0xb1, 0xc2],
    versions: [1, 2, 3],
    size: 80,
    schemas: ['cmbp-1', 'tcbbo'],
    doc: 'Consolidated market-by-price event with the consolidated top of book.',
    fields: [
      hd(),
      f(16, 'price', 'price', 'Order or trade price.'),
      f(24, 'size', 'u32', 'Order or trade quantity.'),
      chr(28, 'action', 'Action', 'Event action.'),
      chr(29, 'side', 'Side', 'Side of the order or aggressor.'),
      f(30, 'flags', 'u8', 'Bit field of FlagSet bits.', { enum: 'FlagSet' }),
      pad(31, '_reserved1', 1),
      f(32, 'ts_recv', 'ts', 'Time the capture server received the message.'),
      f(40, 'ts_in_delta', 'i32', 'Nanoseconds from the venue send time to ts_recv.'),
      pad(44, '_reserved2', 4),
      levels(48, 'ConsolidatedBidAskPair', 1, 'Consolidated top of book.'),
    ],
  },
  {
    name: 'OhlcvMsg',
    cpp: { ns: '', name: 'OhlcvMsg' },
    rtypes: [0x11, 0x20, 0x21, 0x22, 0x23, 0x24],
    versions: [1, 2, 3],
    size: 56,
    schemas: ['ohlcv-1s', 'ohlcv-1m', 'ohlcv-1h', 'ohlcv-1d', 'ohlcv-eod'],
    doc: 'Open, high, low, close and volume of one bar; hd.ts_event is the start of the bar interval.',
    fields: [
      hd(),
      f(16, 'open', 'price', 'Opening price of the bar.'),
      f(24, 'high', 'price', 'Highest price of the bar.'),
      f(32, 'low', 'price', 'Lowest price of the bar.'),
      f(40, 'close', 'price', 'Closing price of the bar.'),
      f(48, 'volume', 'u64', 'Total traded volume of the bar.'),
    ],
  },
  {
    name: 'StatusMsg',
    cpp: { ns: '', name: 'StatusMsg' },
    rtypes: [0x12],
    versions: [1, 2, 3],
    size: 40,
    schemas: ['status'],
    doc: 'Trading status change of an instrument.',
    fields: [
      hd(),
      f(16, 'ts_recv', 'ts', 'Time the capture server received the message.'),
      f(24, 'action', 'u16', 'New status (StatusAction).', { enum: 'StatusAction' }),
      f(26, 'reason', 'u16', 'Why the status changed (StatusReason).', { enum: 'StatusReason' }),
      f(28, 'trading_event', 'u16', 'Additional trading-session information (TradingEvent).', { enum: 'TradingEvent' }),
      chr(30, 'is_trading', 'TriState', 'Whether the instrument is trading.'),
      chr(31, 'is_quoting', 'TriState', 'Whether the instrument is quoting.'),
      chr(32, 'is_short_sell_restricted', 'TriState', 'Whether short selling is restricted.'),
      pad(33, '_reserved', 7),
    ],
  },
  {
    name: 'InstrumentDefMsg',
    textOrder: DEF_TEXT_ORDER_V3,
    cpp: { ns: '', name: 'InstrumentDefMsg' },
    rtypes: [0x13],
    versions: [3],
    size: 520,
    schemas: ['definition'],
    doc: 'Instrument definition (DBN v3 layout).',
    fields: [
      hd(),
      f(16, 'ts_recv', 'ts', 'Time the capture server received the message.'),
      f(24, 'min_price_increment', 'price', 'Minimum price tick.'),
      f(32, 'display_factor', 'price', 'Multiplier that turns the price into the display price.'),
      f(40, 'expiration', 'ts', 'Last eligible trade time; undefined if none.'),
      f(48, 'activation', 'ts', 'Time the instrument becomes active; undefined if none.'),
      f(56, 'high_limit_price', 'price', 'Daily upper price limit.'),
      f(64, 'low_limit_price', 'price', 'Daily lower price limit.'),
      f(72, 'max_price_variation', 'price', 'Width of the allowed price band.'),
      f(80, 'unit_of_measure_qty', 'price', 'Contract size in units of unit_of_measure.'),
      f(88, 'min_price_increment_amount', 'price', 'Venue-defined value of one minimum tick.'),
      f(96, 'price_ratio', 'price', 'Price ratio between the legs of a spread.'),
      f(104, 'strike_price', 'price', 'Option strike price.'),
      f(112, 'raw_instrument_id', 'u64', 'Instrument id as assigned by the publisher.'),
      f(120, 'leg_price', 'price', 'Tied price of the leg.'),
      f(128, 'leg_delta', 'price', 'Delta of the leg.'),
      f(136, 'inst_attrib_value', 'i32', 'Bitmap of eligibility attributes.'),
      f(140, 'underlying_id', 'u32', 'instrument_id of the underlying.'),
      f(144, 'market_depth_implied', 'i32', 'Depth of the implied book.'),
      f(148, 'market_depth', 'i32', 'Depth of the outright book.'),
      f(152, 'market_segment_id', 'u32', 'Market segment of the instrument.'),
      f(156, 'max_trade_vol', 'u32', 'Largest allowed order quantity.'),
      f(160, 'min_lot_size', 'i32', 'Smallest order quantity.'),
      f(164, 'min_lot_size_block', 'i32', 'Smallest block-trade quantity.'),
      f(168, 'min_lot_size_round_lot', 'i32', 'Round-lot quantity.'),
      f(172, 'min_trade_vol', 'u32', 'Smallest trade quantity.'),
      f(176, 'contract_multiplier', 'i32', 'Deliverable units per instrument.'),
      f(180, 'decay_quantity', 'i32', 'Quantity that decays daily after decay_start_date.'),
      f(184, 'original_contract_size', 'i32', 'Fixed contract value.'),
      f(188, 'leg_instrument_id', 'u32', 'instrument_id of the leg.'),
      f(192, 'leg_ratio_price_numerator', 'i32', 'Numerator of the leg price ratio.'),
      f(196, 'leg_ratio_price_denominator', 'i32', 'Denominator of the leg price ratio.'),
      f(200, 'leg_ratio_qty_numerator', 'i32', 'Numerator of the leg quantity ratio.'),
      f(204, 'leg_ratio_qty_denominator', 'i32', 'Denominator of the leg quantity ratio.'),
      f(208, 'leg_underlying_id', 'u32', 'instrument_id of the leg\'s underlying.'),
      f(212, 'appl_id', 'i16', 'Venue channel id.'),
      f(214, 'maturity_year', 'u16', 'Maturity year from the symbol.'),
      f(216, 'decay_start_date', 'u16', 'Date decay starts (venue day count).'),
      f(218, 'channel_id', 'u16', 'Databento channel id (0-based).'),
      f(220, 'leg_count', 'u16', 'Number of legs; 0 for an outright.'),
      f(222, 'leg_index', 'u16', '0-based index of this leg.'),
      cstr(224, 'currency', 4, 'Currency of the prices.'),
      cstr(228, 'settl_currency', 4, 'Settlement currency.'),
      cstr(232, 'secsubtype', 6, 'Strategy type of a spread.'),
      cstr(238, 'raw_symbol', 71, 'Symbol as used by the publisher.'),
      cstr(309, 'group', 21, 'Security group code.'),
      cstr(330, 'exchange', 5, 'Exchange code.'),
      cstr(335, 'asset', 11, 'Product or asset code.'),
      cstr(346, 'cfi', 7, 'ISO 10962 CFI code.'),
      cstr(353, 'security_type', 7, 'Security type, e.g. FUT.'),
      cstr(360, 'unit_of_measure', 31, 'Unit of measure of the contract size.'),
      cstr(391, 'underlying', 21, 'Symbol of the underlying.'),
      cstr(412, 'strike_price_currency', 4, 'Currency of the strike price.'),
      cstr(416, 'leg_raw_symbol', 71, 'Publisher symbol of the leg.'),
      chr(487, 'instrument_class', 'InstrumentClass', 'Class of the instrument.'),
      chr(488, 'match_algorithm', 'MatchAlgorithm', 'Matching algorithm.'),
      f(489, 'main_fraction', 'u8', 'Denominator of the main price fraction.'),
      f(490, 'price_display_format', 'u8', 'Number of digits shown after the fraction point.'),
      f(491, 'sub_fraction', 'u8', 'Denominator of the sub price fraction.'),
      f(492, 'underlying_product', 'u8', 'Product complex of the underlying.'),
      chr(493, 'security_update_action', 'SecurityUpdateAction', 'Whether the definition was added, modified or deleted.'),
      f(494, 'maturity_month', 'u8', 'Maturity month from the symbol.'),
      f(495, 'maturity_day', 'u8', 'Maturity day from the symbol, or 0.'),
      f(496, 'maturity_week', 'u8', 'Maturity week from the symbol, or 0.'),
      chr(497, 'user_defined_instrument', 'UserDefinedInstrument', 'Whether the instrument is user-defined.'),
      f(498, 'contract_multiplier_unit', 'i8', 'Unit of contract_multiplier: 1 = hours, 2 = days.'),
      f(499, 'flow_schedule_type', 'i8', 'Delivery schedule of an electricity contract.'),
      f(500, 'tick_rule', 'u8', 'Tick rule of a spread.'),
      chr(501, 'leg_instrument_class', 'InstrumentClass', 'Class of the leg instrument.'),
      chr(502, 'leg_side', 'Side', 'Side of the leg.'),
      pad(503, '_reserved', 17),
    ],
  },
  {
    name: 'ImbalanceMsg',
    cpp: { ns: '', name: 'ImbalanceMsg' },
    rtypes: [0x14],
    versions: [1, 2, 3],
    size: 112,
    schemas: ['imbalance'],
    doc: 'Auction imbalance information.',
    fields: [
      hd(),
      f(16, 'ts_recv', 'ts', 'Time the capture server received the message.'),
      f(24, 'ref_price', 'price', 'Reference price of the imbalance.'),
      f(32, 'auction_time', 'ts', 'Expected time of the auction.'),
      f(40, 'cont_book_clr_price', 'price', 'Clearing price including the continuous book.'),
      f(48, 'auct_interest_clr_price', 'price', 'Clearing price of the auction orders alone.'),
      f(56, 'ssr_filling_price', 'price', 'Filling price under short-sale restriction.'),
      f(64, 'ind_match_price', 'price', 'Indicative match price.'),
      f(72, 'upper_collar', 'price', 'Upper auction collar.'),
      f(80, 'lower_collar', 'price', 'Lower auction collar.'),
      f(88, 'paired_qty', 'u32', 'Quantity paired at the reference price.'),
      f(92, 'total_imbalance_qty', 'u32', 'Quantity left unpaired at the reference price.'),
      f(96, 'market_imbalance_qty', 'u32', 'Market-order imbalance at the reference price.'),
      f(100, 'unpaired_qty', 'u32', 'Closing-auction quantity unpaired at or through the reference price.'),
      chr(104, 'auction_type', undefined, 'Venue code for the auction type.'),
      chr(105, 'side', 'Side', 'Side of the imbalance.'),
      f(106, 'auction_status', 'u8', 'Venue auction status code.'),
      f(107, 'freeze_status', 'u8', 'Venue freeze status code.'),
      f(108, 'num_extensions', 'u8', 'Number of auction extensions.'),
      chr(109, 'unpaired_side', 'Side', 'Side of unpaired_qty.'),
      chr(110, 'significant_imbalance', undefined, 'Venue code for a significant imbalance.'),
      pad(111, '_reserved', 1),
    ],
  },
  {
    name: 'StatMsg',
    cpp: { ns: '', name: 'StatMsg' },
    rtypes: [0x18],
    versions: [3],
    size: 80,
    schemas: ['statistics'],
    doc: 'A statistic published by the venue (DBN v3 layout).',
    fields: [
      hd(),
      f(16, 'ts_recv', 'ts', 'Time the capture server received the message.'),
      f(24, 'ts_ref', 'ts', 'Reference time of the statistic (e.g. its trading date).'),
      f(32, 'price', 'price', 'Value of a price statistic; undefined if not a price.'),
      f(40, 'quantity', 'i64', 'Value of a quantity statistic; i64::MAX if not a quantity.'),
      f(48, 'sequence', 'u32', 'Venue message sequence number.'),
      f(52, 'ts_in_delta', 'i32', 'Nanoseconds from the venue send time to ts_recv.'),
      f(56, 'stat_type', 'u16', 'Which statistic this is (StatType).', { enum: 'StatType' }),
      f(58, 'channel_id', 'u16', 'Databento channel id (0-based).'),
      f(60, 'update_action', 'u8', 'New or deleted statistic (StatUpdateAction).', { enum: 'StatUpdateAction' }),
      f(61, 'stat_flags', 'u8', 'Flags whose meaning depends on the statistic.'),
      pad(62, '_reserved', 18),
    ],
  },
  {
    name: 'ErrorMsg',
    cpp: { ns: '', name: 'ErrorMsg' },
    rtypes: [0x15],
    versions: [2, 3],
    size: 320,
    schemas: [],
    doc: 'Error message from the live gateway.',
    fields: [
      hd(),
      cstr(16, 'err', 302, 'Error text.'),
      f(318, 'code', 'u8', 'Error category (ErrorCode).', { enum: 'ErrorCode' }),
      f(319, 'is_last', 'u8', 'Nonzero on the last error of a group.'),
    ],
  },
  {
    name: 'SymbolMappingMsg',
    cpp: { ns: '', name: 'SymbolMappingMsg' },
    rtypes: [0x16],
    versions: [2, 3],
    size: 176,
    schemas: [],
    doc: 'Mapping of an input symbol to an instrument, sent by the live gateway.',
    fields: [
      hd(),
      f(16, 'stype_in', 'u8', 'Symbology type of stype_in_symbol (SType).', { enum: 'SType' }),
      cstr(17, 'stype_in_symbol', 71, 'Symbol as subscribed.'),
      f(88, 'stype_out', 'u8', 'Symbology type of stype_out_symbol (SType).', { enum: 'SType' }),
      cstr(89, 'stype_out_symbol', 71, 'Symbol it resolves to.'),
      f(160, 'start_ts', 'ts', 'Start of the mapping\'s validity.'),
      f(168, 'end_ts', 'ts', 'End of the mapping\'s validity.'),
    ],
  },
  {
    name: 'SystemMsg',
    cpp: { ns: '', name: 'SystemMsg' },
    rtypes: [0x17],
    versions: [2, 3],
    size: 320,
    schemas: [],
    doc: 'Non-error message from the live gateway, including heartbeats.',
    fields: [
      hd(),
      cstr(16, 'msg', 303, 'Message text.'),
      f(319, 'code', 'u8', 'Message category (SystemCode).', { enum: 'SystemCode' }),
    ],
  },

  // ---- older layouts (DBN v1 / v2) ----
  {
    name: 'InstrumentDefMsgV1',
    textOrder: DEF_TEXT_ORDER_V1,
    cpp: { ns: 'v1', name: 'InstrumentDefMsg' },
    rtypes: [0x13],
    versions: [1],
    size: 360,
    schemas: ['definition'],
    doc: 'Instrument definition (DBN v1 layout).',
    fields: [
      hd(),
      f(16, 'ts_recv', 'ts', 'Time the capture server received the message.'),
      f(24, 'min_price_increment', 'price', 'Minimum price tick.'),
      f(32, 'display_factor', 'price', 'Multiplier that turns the price into the display price.'),
      f(40, 'expiration', 'ts', 'Last eligible trade time; undefined if none.'),
      f(48, 'activation', 'ts', 'Time the instrument becomes active; undefined if none.'),
      f(56, 'high_limit_price', 'price', 'Daily upper price limit.'),
      f(64, 'low_limit_price', 'price', 'Daily lower price limit.'),
      f(72, 'max_price_variation', 'price', 'Width of the allowed price band.'),
      f(80, 'trading_reference_price', 'price', 'Trading reference price.'),
      f(88, 'unit_of_measure_qty', 'price', 'Contract size in units of unit_of_measure.'),
      f(96, 'min_price_increment_amount', 'price', 'Venue-defined value of one minimum tick.'),
      f(104, 'price_ratio', 'price', 'Price ratio between the legs of a spread.'),
      f(112, 'inst_attrib_value', 'i32', 'Bitmap of eligibility attributes.'),
      f(116, 'underlying_id', 'u32', 'instrument_id of the underlying.'),
      f(120, 'raw_instrument_id', 'u32', 'Instrument id as assigned by the publisher.'),
      f(124, 'market_depth_implied', 'i32', 'Depth of the implied book.'),
      f(128, 'market_depth', 'i32', 'Depth of the outright book.'),
      f(132, 'market_segment_id', 'u32', 'Market segment of the instrument.'),
      f(136, 'max_trade_vol', 'u32', 'Largest allowed order quantity.'),
      f(140, 'min_lot_size', 'i32', 'Smallest order quantity.'),
      f(144, 'min_lot_size_block', 'i32', 'Smallest block-trade quantity.'),
      f(148, 'min_lot_size_round_lot', 'i32', 'Round-lot quantity.'),
      f(152, 'min_trade_vol', 'u32', 'Smallest trade quantity.'),
      pad(156, '_reserved2', 4),
      f(160, 'contract_multiplier', 'i32', 'Deliverable units per instrument.'),
      f(164, 'decay_quantity', 'i32', 'Quantity that decays daily after decay_start_date.'),
      f(168, 'original_contract_size', 'i32', 'Fixed contract value.'),
      pad(172, '_reserved3', 4),
      f(176, 'trading_reference_date', 'u16', 'Date of trading_reference_price (venue day count).'),
      f(178, 'appl_id', 'i16', 'Venue channel id.'),
      f(180, 'maturity_year', 'u16', 'Maturity year from the symbol.'),
      f(182, 'decay_start_date', 'u16', 'Date decay starts (venue day count).'),
      f(184, 'channel_id', 'u16', 'Databento channel id (0-based).'),
      cstr(186, 'currency', 4, 'Currency of the prices.'),
      cstr(190, 'settl_currency', 4, 'Settlement currency.'),
      cstr(194, 'secsubtype', 6, 'Strategy type of a spread.'),
      cstr(200, 'raw_symbol', 22, 'Symbol as used by the publisher.'),
      cstr(222, 'group', 21, 'Security group code.'),
      cstr(243, 'exchange', 5, 'Exchange code.'),
      cstr(248, 'asset', 7, 'Product or asset code.'),
      cstr(255, 'cfi', 7, 'ISO 10962 CFI code.'),
      cstr(262, 'security_type', 7, 'Security type, e.g. FUT.'),
      cstr(269, 'unit_of_measure', 31, 'Unit of measure of the contract size.'),
      cstr(300, 'underlying', 21, 'Symbol of the underlying.'),
      cstr(321, 'strike_price_currency', 4, 'Currency of the strike price.'),
      chr(325, 'instrument_class', 'InstrumentClass', 'Class of the instrument.'),
      pad(326, '_reserved4', 2),
      f(328, 'strike_price', 'price', 'Option strike price.'),
      pad(336, '_reserved5', 6),
      chr(342, 'match_algorithm', 'MatchAlgorithm', 'Matching algorithm.'),
      f(343, 'md_security_trading_status', 'u8', 'Raw venue trading status.'),
      f(344, 'main_fraction', 'u8', 'Denominator of the main price fraction.'),
      f(345, 'price_display_format', 'u8', 'Number of digits shown after the fraction point.'),
      f(346, 'settl_price_type', 'u8', 'Bits describing the settlement price type.'),
      f(347, 'sub_fraction', 'u8', 'Denominator of the sub price fraction.'),
      f(348, 'underlying_product', 'u8', 'Product complex of the underlying.'),
      chr(349, 'security_update_action', 'SecurityUpdateAction', 'Whether the definition was added, modified or deleted.', RAW_TEXT),
      f(350, 'maturity_month', 'u8', 'Maturity month from the symbol.'),
      f(351, 'maturity_day', 'u8', 'Maturity day from the symbol, or 0.'),
      f(352, 'maturity_week', 'u8', 'Maturity week from the symbol, or 0.'),
      chr(353, 'user_defined_instrument', 'UserDefinedInstrument', 'Whether the instrument is user-defined.', RAW_TEXT),
      f(354, 'contract_multiplier_unit', 'i8', 'Unit of contract_multiplier: 1 = hours, 2 = days.'),
      f(355, 'flow_schedule_type', 'i8', 'Delivery schedule of an electricity contract.'),
      f(356, 'tick_rule', 'u8', 'Tick rule of a spread.'),
      pad(357, '_dummy', 3),
    ],
  },
  {
    name: 'InstrumentDefMsgV2',
    textOrder: DEF_TEXT_ORDER_V1,
    cpp: { ns: 'v2', name: 'InstrumentDefMsg' },
    rtypes: [0x13],
    versions: [2],
    size: 400,
    schemas: ['definition'],
    doc: 'Instrument definition (DBN v2 layout).',
    fields: [
      hd(),
      f(16, 'ts_recv', 'ts', 'Time the capture server received the message.'),
      f(24, 'min_price_increment', 'price', 'Minimum price tick.'),
      f(32, 'display_factor', 'price', 'Multiplier that turns the price into the display price.'),
      f(40, 'expiration', 'ts', 'Last eligible trade time; undefined if none.'),
      f(48, 'activation', 'ts', 'Time the instrument becomes active; undefined if none.'),
      f(56, 'high_limit_price', 'price', 'Daily upper price limit.'),
      f(64, 'low_limit_price', 'price', 'Daily lower price limit.'),
      f(72, 'max_price_variation', 'price', 'Width of the allowed price band.'),
      f(80, 'trading_reference_price', 'price', 'Trading reference price.'),
      f(88, 'unit_of_measure_qty', 'price', 'Contract size in units of unit_of_measure.'),
      f(96, 'min_price_increment_amount', 'price', 'Venue-defined value of one minimum tick.'),
      f(104, 'price_ratio', 'price', 'Price ratio between the legs of a spread.'),
      f(112, 'strike_price', 'price', 'Option strike price.'),
      f(120, 'inst_attrib_value', 'i32', 'Bitmap of eligibility attributes.'),
      f(124, 'underlying_id', 'u32', 'instrument_id of the underlying.'),
      f(128, 'raw_instrument_id', 'u32', 'Instrument id as assigned by the publisher.'),
      f(132, 'market_depth_implied', 'i32', 'Depth of the implied book.'),
      f(136, 'market_depth', 'i32', 'Depth of the outright book.'),
      f(140, 'market_segment_id', 'u32', 'Market segment of the instrument.'),
      f(144, 'max_trade_vol', 'u32', 'Largest allowed order quantity.'),
      f(148, 'min_lot_size', 'i32', 'Smallest order quantity.'),
      f(152, 'min_lot_size_block', 'i32', 'Smallest block-trade quantity.'),
      f(156, 'min_lot_size_round_lot', 'i32', 'Round-lot quantity.'),
      f(160, 'min_trade_vol', 'u32', 'Smallest trade quantity.'),
      f(164, 'contract_multiplier', 'i32', 'Deliverable units per instrument.'),
      f(168, 'decay_quantity', 'i32', 'Quantity that decays daily after decay_start_date.'),
      f(172, 'original_contract_size', 'i32', 'Fixed contract value.'),
      f(176, 'trading_reference_date', 'u16', 'Date of trading_reference_price (venue day count).'),
      f(178, 'appl_id', 'i16', 'Venue channel id.'),
      f(180, 'maturity_year', 'u16', 'Maturity year from the symbol.'),
      f(182, 'decay_start_date', 'u16', 'Date decay starts (venue day count).'),
      f(184, 'channel_id', 'u16', 'Databento channel id (0-based).'),
      cstr(186, 'currency', 4, 'Currency of the prices.'),
      cstr(190, 'settl_currency', 4, 'Settlement currency.'),
      cstr(194, 'secsubtype', 6, 'Strategy type of a spread.'),
      cstr(200, 'raw_symbol', 71, 'Symbol as used by the publisher.'),
      cstr(271, 'group', 21, 'Security group code.'),
      cstr(292, 'exchange', 5, 'Exchange code.'),
      cstr(297, 'asset', 7, 'Product or asset code.'),
      cstr(304, 'cfi', 7, 'ISO 10962 CFI code.'),
      cstr(311, 'security_type', 7, 'Security type, e.g. FUT.'),
      cstr(318, 'unit_of_measure', 31, 'Unit of measure of the contract size.'),
      cstr(349, 'underlying', 21, 'Symbol of the underlying.'),
      cstr(370, 'strike_price_currency', 4, 'Currency of the strike price.'),
      chr(374, 'instrument_class', 'InstrumentClass', 'Class of the instrument.'),
      chr(375, 'match_algorithm', 'MatchAlgorithm', 'Matching algorithm.'),
      f(376, 'md_security_trading_status', 'u8', 'Raw venue trading status.'),
      f(377, 'main_fraction', 'u8', 'Denominator of the main price fraction.'),
      f(378, 'price_display_format', 'u8', 'Number of digits shown after the fraction point.'),
      f(379, 'settl_price_type', 'u8', 'Bits describing the settlement price type.'),
      f(380, 'sub_fraction', 'u8', 'Denominator of the sub price fraction.'),
      f(381, 'underlying_product', 'u8', 'Product complex of the underlying.'),
      chr(382, 'security_update_action', 'SecurityUpdateAction', 'Whether the definition was added, modified or deleted.'),
      f(383, 'maturity_month', 'u8', 'Maturity month from the symbol.'),
      f(384, 'maturity_day', 'u8', 'Maturity day from the symbol, or 0.'),
      f(385, 'maturity_week', 'u8', 'Maturity week from the symbol, or 0.'),
      chr(386, 'user_defined_instrument', 'UserDefinedInstrument', 'Whether the instrument is user-defined.', RAW_TEXT),
      f(387, 'contract_multiplier_unit', 'i8', 'Unit of contract_multiplier: 1 = hours, 2 = days.'),
      f(388, 'flow_schedule_type', 'i8', 'Delivery schedule of an electricity contract.'),
      f(389, 'tick_rule', 'u8', 'Tick rule of a spread.'),
      pad(390, '_reserved', 10),
    ],
  },
  {
    name: 'StatMsgV1',
    cpp: { ns: 'v1', name: 'StatMsg' },
    rtypes: [0x18],
    versions: [1, 2],
    size: 64,
    schemas: ['statistics'],
    doc: 'A statistic published by the venue (DBN v1 and v2 layout).',
    fields: [
      hd(),
      f(16, 'ts_recv', 'ts', 'Time the capture server received the message.'),
      f(24, 'ts_ref', 'ts', 'Reference time of the statistic (e.g. its trading date).'),
      f(32, 'price', 'price', 'Value of a price statistic; undefined if not a price.'),
      f(40, 'quantity', 'i32', 'Value of a quantity statistic; i32::MAX if not a quantity.'),
      f(44, 'sequence', 'u32', 'Venue message sequence number.'),
      f(48, 'ts_in_delta', 'i32', 'Nanoseconds from the venue send time to ts_recv.'),
      f(52, 'stat_type', 'u16', 'Which statistic this is (StatType).', { enum: 'StatType' }),
      f(54, 'channel_id', 'u16', 'Databento channel id (0-based).'),
      f(56, 'update_action', 'u8', 'New or deleted statistic (StatUpdateAction).', { enum: 'StatUpdateAction' }),
      f(57, 'stat_flags', 'u8', 'Flags whose meaning depends on the statistic.'),
      pad(58, '_reserved', 6),
    ],
  },
  {
    name: 'ErrorMsgV1',
    cpp: { ns: 'v1', name: 'ErrorMsg' },
    rtypes: [0x15],
    versions: [1],
    size: 80,
    schemas: [],
    doc: 'Error message from the live gateway (DBN v1 layout).',
    fields: [hd(), cstr(16, 'err', 64, 'Error text.')],
  },
  {
    name: 'SymbolMappingMsgV1',
    cpp: { ns: 'v1', name: 'SymbolMappingMsg' },
    rtypes: [0x16],
    versions: [1],
    size: 80,
    schemas: [],
    doc: 'Mapping of an input symbol to an instrument, sent by the live gateway (DBN v1 layout).',
    fields: [
      hd(),
      cstr(16, 'stype_in_symbol', 22, 'Symbol as subscribed.'),
      cstr(38, 'stype_out_symbol', 22, 'Symbol it resolves to.'),
      pad(60, '_dummy', 4),
      f(64, 'start_ts', 'ts', 'Start of the mapping\'s validity.'),
      f(72, 'end_ts', 'ts', 'End of the mapping\'s validity.'),
    ],
  },
  {
    name: 'SystemMsgV1',
    cpp: { ns: 'v1', name: 'SystemMsg' },
    rtypes: [0x17],
    versions: [1],
    size: 80,
    schemas: [],
    doc: 'Non-error message from the live gateway, including heartbeats (DBN v1 layout).',
    fields: [hd(), cstr(16, 'msg', 64, 'Message text.')],
  },
];

/** DBN versions whose record layouts this table covers. */
export const VERSIONS = [1, 2, 3];

const LEVEL_BY_NAME = new Map(LEVELS.map((l) => [l.name, l]));

/** Level struct layout by name ('BidAskPair' / 'ConsolidatedBidAskPair'). */
export function levelLayout(name) {
  const l = LEVEL_BY_NAME.get(name);
  if (!l) throw new Error(`unknown level struct ${name}`);
  return l;
}

/** Size in bytes of one field. */
export function fieldSize(field) {
  switch (field.type) {
    case 'header': return HEADER.size;
    case 'cstr':
    case 'pad': return field.len;
    case 'levels': return field.count * levelLayout(field.of).size;
    default: {
      const s = SCALAR_SIZES[field.type];
      if (s === undefined) throw new Error(`unknown field type ${field.type} (${field.name})`);
      return s;
    }
  }
}

/** Natural C/C++ alignment of one field (what a compiler would give it). */
export function fieldAlign(field) {
  switch (field.type) {
    case 'header': return 8;
    case 'levels': return 8;
    case 'cstr':
    case 'pad': return 1;
    default: return SCALAR_SIZES[field.type];
  }
}

/**
 * Problems with a layout: gaps, overlaps, a wrong total, duplicate names.
 * Returns an empty array when every byte is accounted for exactly once.
 */
export function layoutProblems(layout) {
  const problems = [];
  const names = new Set();
  let next = 0;
  for (const field of layout.fields) {
    if (names.has(field.name)) problems.push(`${layout.name}.${field.name}: duplicate field name`);
    names.add(field.name);
    if (!Number.isInteger(field.offset)) {
      problems.push(`${layout.name}.${field.name}: offset missing`);
      continue;
    }
    if (field.offset > next) problems.push(`${layout.name}.${field.name}: gap of ${field.offset - next} bytes before offset ${field.offset}`);
    if (field.offset < next) problems.push(`${layout.name}.${field.name}: overlaps the previous field (starts at ${field.offset}, previous ends at ${next})`);
    next = field.offset + fieldSize(field);
  }
  if (next !== layout.size) problems.push(`${layout.name}: fields end at ${next} but size is ${layout.size}`);
  return problems;
}

/** The record layout used for `rtype` in DBN `version`, or undefined. */
export function layoutFor(rtype, version) {
  return RECORDS.find((r) => r.rtypes.includes(rtype) && r.versions.includes(version));
}

/**
 * Field names of a record in the `dbn` crate's CSV/JSON order: the layout's
 * `textOrder` when it has one, else ts_recv (if any), the header, then the
 * remaining fields in layout order. Reserved fields never appear.
 */
export function textOrder(layout) {
  if (layout.textOrder) return layout.textOrder;
  const names = layout.fields.filter((f) => f.type !== 'pad').map((f) => f.name);
  const lead = names.filter((n) => n === 'ts_recv' || n === 'hd');
  return [...lead.sort((a) => (a === 'ts_recv' ? -1 : 1)), ...names.filter((n) => !lead.includes(n))];
}
