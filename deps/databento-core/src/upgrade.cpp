#include "databento/upgrade.hpp"

#include <cstring>
#include <string_view>

#include "databento/enums.hpp"
#include "databento/records.hpp"

// The v1/v2 -> v3 conversion rules of the DBN specification: same-named
// fields are copied, strings are copied into their wider arrays and
// zero-filled, fields new in the target version get their null values.

namespace databento {
namespace {

constexpr auto kDef = static_cast<std::uint8_t>(RType::InstrumentDef);
constexpr auto kStat = static_cast<std::uint8_t>(RType::Statistics);
constexpr auto kErr = static_cast<std::uint8_t>(RType::Error);
constexpr auto kSys = static_cast<std::uint8_t>(RType::System);
constexpr auto kMap = static_cast<std::uint8_t>(RType::SymbolMapping);

template <typename T>
T LoadAs(const std::uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

template <std::size_t N, std::size_t M>
void CopyStr(std::array<char, N>& to, const std::array<char, M>& from) {
  static_assert(N >= M);
  to.fill(0);
  std::memcpy(to.data(), from.data(), M);
}

std::string_view View(const char* s, std::size_t max) {
  return {s, ::strnlen(s, max)};
}

// Writes `body` then the ts_out suffix, sets hd.length; returns the size.
template <typename T>
std::size_t Emit(T& body, const std::uint8_t* src, std::size_t src_len,
                 bool ts_out, std::uint8_t* dst) {
  const std::size_t size = sizeof(T) + (ts_out ? 8 : 0);
  body.hd.length = static_cast<std::uint8_t>(size / 4);
  std::memcpy(dst, &body, sizeof(T));
  if (ts_out) {
    std::memcpy(dst + sizeof(T), src + src_len - 8, 8);
  }
  return size;
}

template <typename To, typename From>
void CopyDefCommon(To& to, const From& from) {
  to.hd = from.hd;
  to.ts_recv = from.ts_recv;
  to.min_price_increment = from.min_price_increment;
  to.display_factor = from.display_factor;
  to.expiration = from.expiration;
  to.activation = from.activation;
  to.high_limit_price = from.high_limit_price;
  to.low_limit_price = from.low_limit_price;
  to.max_price_variation = from.max_price_variation;
  to.unit_of_measure_qty = from.unit_of_measure_qty;
  to.min_price_increment_amount = from.min_price_increment_amount;
  to.price_ratio = from.price_ratio;
  to.strike_price = from.strike_price;
  to.inst_attrib_value = from.inst_attrib_value;
  to.underlying_id = from.underlying_id;
  to.raw_instrument_id = from.raw_instrument_id;
  to.market_depth_implied = from.market_depth_implied;
  to.market_depth = from.market_depth;
  to.market_segment_id = from.market_segment_id;
  to.max_trade_vol = from.max_trade_vol;
  to.min_lot_size = from.min_lot_size;
  to.min_lot_size_block = from.min_lot_size_block;
  to.min_lot_size_round_lot = from.min_lot_size_round_lot;
  to.min_trade_vol = from.min_trade_vol;
  to.contract_multiplier = from.contract_multiplier;
  to.decay_quantity = from.decay_quantity;
  to.original_contract_size = from.original_contract_size;
  to.appl_id = from.appl_id;
  to.maturity_year = from.maturity_year;
  to.decay_start_date = from.decay_start_date;
  to.channel_id = from.channel_id;
  to.currency = from.currency;
  to.settl_currency = from.settl_currency;
  to.secsubtype = from.secsubtype;
  CopyStr(to.raw_symbol, from.raw_symbol);
  to.group = from.group;
  to.exchange = from.exchange;
  CopyStr(to.asset, from.asset);
  to.cfi = from.cfi;
  to.security_type = from.security_type;
  to.unit_of_measure = from.unit_of_measure;
  to.underlying = from.underlying;
  to.strike_price_currency = from.strike_price_currency;
  to.instrument_class = from.instrument_class;
  to.match_algorithm = from.match_algorithm;
  to.main_fraction = from.main_fraction;
  to.price_display_format = from.price_display_format;
  to.sub_fraction = from.sub_fraction;
  to.underlying_product = from.underlying_product;
  to.security_update_action = from.security_update_action;
  to.maturity_month = from.maturity_month;
  to.maturity_day = from.maturity_day;
  to.maturity_week = from.maturity_week;
  to.user_defined_instrument = from.user_defined_instrument;
  to.contract_multiplier_unit = from.contract_multiplier_unit;
  to.flow_schedule_type = from.flow_schedule_type;
  to.tick_rule = from.tick_rule;
}

v2::InstrumentDefMsg DefV1ToV2(const v1::InstrumentDefMsg& from) {
  v2::InstrumentDefMsg to{};
  CopyDefCommon(to, from);
  to.trading_reference_price = from.trading_reference_price;
  to.trading_reference_date = from.trading_reference_date;
  to.md_security_trading_status = from.md_security_trading_status;
  to.settl_price_type = from.settl_price_type;
  return to;
}

template <typename From>
InstrumentDefMsg DefToV3(const From& from) {
  InstrumentDefMsg to{};
  CopyDefCommon(to, from);
  to.leg_price = kUndefPrice;
  to.leg_delta = kUndefPrice;
  to.leg_instrument_class = 0;
  to.leg_side = 'N';
  return to;
}

StatMsg StatToV3(const v1::StatMsg& from) {
  StatMsg to{};
  to.hd = from.hd;
  to.ts_recv = from.ts_recv;
  to.ts_ref = from.ts_ref;
  to.price = from.price;
  to.quantity = from.quantity == kUndefStatQuantityV1
                    ? kUndefStatQuantity
                    : static_cast<std::int64_t>(from.quantity);
  to.sequence = from.sequence;
  to.ts_in_delta = from.ts_in_delta;
  to.stat_type = from.stat_type;
  to.channel_id = from.channel_id;
  to.update_action = from.update_action;
  to.stat_flags = from.stat_flags;
  return to;
}

ErrorCode ErrorCodeFromText(std::string_view t) {
  if (t == "User or API key deactivated") return ErrorCode::ApiKeyDeactivated;
  if (t == "User has reached their open connection limit") {
    return ErrorCode::ConnectionLimitExceeded;
  }
  if (t.starts_with("Failed to resolve symbol")) {
    return ErrorCode::SymbolResolutionFailed;
  }
  if (t == "Internal error") return ErrorCode::InternalError;
  if (t.starts_with("Slow client detected for ")) {
    return ErrorCode::SkippedRecordsAfterSlowReading;
  }
  return ErrorCode::Unset;
}

SystemCode SystemCodeFromText(std::string_view t) {
  if (t.starts_with("Heartbeat")) return SystemCode::Heartbeat;
  if (t.starts_with("End of interval for ")) return SystemCode::EndOfInterval;
  if (t.starts_with("Subscription request ") && t.ends_with(" succeeded")) {
    return SystemCode::SubscriptionAck;
  }
  if (t.starts_with("Warning: slow reading")) {
    return SystemCode::SlowReaderWarning;
  }
  if (t.starts_with("Finished ") && t.ends_with(" replay")) {
    return SystemCode::ReplayCompleted;
  }
  return SystemCode::Unset;
}

ErrorMsg ErrorToV2(const v1::ErrorMsg& from) {
  ErrorMsg to{};
  to.hd = from.hd;
  CopyStr(to.err, from.err);
  to.code = static_cast<std::uint8_t>(
      ErrorCodeFromText(View(from.err.data(), from.err.size())));
  to.is_last = 255;
  return to;
}

SystemMsg SystemToV2(const v1::SystemMsg& from) {
  SystemMsg to{};
  to.hd = from.hd;
  CopyStr(to.msg, from.msg);
  to.code = static_cast<std::uint8_t>(
      SystemCodeFromText(View(from.msg.data(), from.msg.size())));
  return to;
}

SymbolMappingMsg MappingToV2(const v1::SymbolMappingMsg& from) {
  SymbolMappingMsg to{};
  to.hd = from.hd;
  to.stype_in = 255;
  CopyStr(to.stype_in_symbol, from.stype_in_symbol);
  to.stype_out = 255;
  CopyStr(to.stype_out_symbol, from.stype_out_symbol);
  to.start_ts = from.start_ts;
  to.end_ts = from.end_ts;
  return to;
}

}  // namespace

bool RecordChangesLayout(std::uint8_t rtype, std::uint8_t from,
                         std::uint8_t to) {
  if (from >= to) return false;
  if (rtype == kDef) return true;  // v1 -> v2 and v2 -> v3 both change it
  if (rtype == kStat) return to >= 3;
  if (rtype == kErr || rtype == kSys || rtype == kMap) return from == 1;
  return false;
}

std::size_t VersionedRecordSize(std::uint8_t rtype, std::uint8_t version) {
  switch (rtype) {
    case kDef:
      return version == 1   ? sizeof(v1::InstrumentDefMsg)
             : version == 2 ? sizeof(v2::InstrumentDefMsg)
                            : sizeof(InstrumentDefMsg);
    case kStat:
      return version >= 3 ? sizeof(StatMsg) : sizeof(v1::StatMsg);
    case kErr:
      return version == 1 ? sizeof(v1::ErrorMsg) : sizeof(ErrorMsg);
    case kSys:
      return version == 1 ? sizeof(v1::SystemMsg) : sizeof(SystemMsg);
    case kMap:
      return version == 1 ? sizeof(v1::SymbolMappingMsg)
                          : sizeof(SymbolMappingMsg);
    default:
      return 0;
  }
}

std::size_t UpgradeRecord(const std::uint8_t* src, std::size_t src_len,
                          std::uint8_t from, std::uint8_t to, bool ts_out,
                          std::uint8_t* dst) {
  const std::uint8_t rtype = src[1];
  switch (rtype) {
    case kDef: {
      if (from == 1) {
        const auto v1 = LoadAs<v1::InstrumentDefMsg>(src);
        if (to == 2) {
          auto v2 = DefV1ToV2(v1);
          return Emit(v2, src, src_len, ts_out, dst);
        }
        auto v3 = DefToV3(v1);
        return Emit(v3, src, src_len, ts_out, dst);
      }
      auto v3 = DefToV3(LoadAs<v2::InstrumentDefMsg>(src));
      return Emit(v3, src, src_len, ts_out, dst);
    }
    case kStat: {
      auto v3 = StatToV3(LoadAs<v1::StatMsg>(src));
      return Emit(v3, src, src_len, ts_out, dst);
    }
    case kErr: {
      auto v2 = ErrorToV2(LoadAs<v1::ErrorMsg>(src));
      return Emit(v2, src, src_len, ts_out, dst);
    }
    case kSys: {
      auto v2 = SystemToV2(LoadAs<v1::SystemMsg>(src));
      return Emit(v2, src, src_len, ts_out, dst);
    }
    case kMap: {
      auto v2 = MappingToV2(LoadAs<v1::SymbolMappingMsg>(src));
      return Emit(v2, src, src_len, ts_out, dst);
    }
    default:
      std::memcpy(dst, src, src_len);
      return src_len;
  }
}

}  // namespace databento
