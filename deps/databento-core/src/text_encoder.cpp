#include "databento/text_encoder.hpp"

#include <charconv>
#include <cstring>

#include "databento/dbn_error.hpp"
#include "record_length.hpp"
#include "databento/records.hpp"
#include "text_writers.hpp"

namespace databento {
namespace {

using text::Layout;

constexpr std::uint8_t kSymbolMappingRType = static_cast<std::uint8_t>(RType::SymbolMapping);
constexpr auto kNoLayout = static_cast<std::uint8_t>(Layout::None);

// YYYYMMDD -> days since the UNIX epoch.
std::int64_t DayOf(std::uint32_t yyyymmdd) {
  return text::DaysFromCivil(static_cast<int>(yyyymmdd / 10000), yyyymmdd / 100 % 100,
                             yyyymmdd % 100);
}

std::uint32_t ParseInstrumentId(const std::string& s, const std::string& raw_symbol) {
  std::uint32_t id{};
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
  if (ec != std::errc{} || end != s.data() + s.size() || s.empty()) {
    throw DbnError{DbnErrorCode::BadArgument,
                   "cannot map symbols: the mapping of '" + raw_symbol + "' names '" + s +
                       "', which is not a numeric instrument id"};
  }
  return id;
}

}  // namespace

namespace text {

bool IsUtf8(const char* s, std::size_t n) {
  std::size_t i = 0;
  while (i < n) {
    const auto c = static_cast<std::uint8_t>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t extra;
    std::uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      extra = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= n) return false;
    for (std::size_t k = 1; k <= extra; ++k) {
      const auto cc = static_cast<std::uint8_t>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    static constexpr std::uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += extra + 1;
  }
  return true;
}

}  // namespace text

// ---- TextSymbolMap ----

void TextSymbolMap::Load(const Metadata& metadata) {
  if (metadata.mappings.empty()) return;
  const auto instrument_id = static_cast<std::uint8_t>(SType::InstrumentId);
  const bool forward = metadata.stype_out == instrument_id;
  if (!forward && metadata.stype_in != instrument_id) {
    throw DbnError{DbnErrorCode::BadArgument,
                   "cannot map symbols: symbol maps need metadata whose stype_out or stype_in "
                   "is instrument_id"};
  }
  from_metadata_ = true;
  for (const auto& mapping : metadata.mappings) {
    for (const auto& interval : mapping.intervals) {
      if (interval.symbol.empty()) continue;
      const std::uint32_t id = forward ? ParseInstrumentId(interval.symbol, mapping.raw_symbol)
                                       : ParseInstrumentId(mapping.raw_symbol, mapping.raw_symbol);
      symbols_.push_back(forward ? mapping.raw_symbol : interval.symbol);
      intervals_[id].push_back({DayOf(interval.start_date), DayOf(interval.end_date),
                                static_cast<std::uint32_t>(symbols_.size() - 1)});
    }
  }
  ForgetRecent();
}

void TextSymbolMap::OnSymbolMapping(const std::uint8_t* rec, std::size_t size) {
  if (from_metadata_) return;
  const Layout layout = text::LayoutOf(kSymbolMappingRType, size);
  std::uint32_t id;
  std::string symbol;
  if (layout == Layout::SymbolMappingMsg) {
    const auto& m = *reinterpret_cast<const SymbolMappingMsg*>(rec);
    id = m.hd.instrument_id;
    symbol.assign(m.stype_out_symbol.data(), ::strnlen(m.stype_out_symbol.data(), m.stype_out_symbol.size()));
  } else if (layout == Layout::SymbolMappingMsgV1) {
    const auto& m = *reinterpret_cast<const v1::SymbolMappingMsg*>(rec);
    id = m.hd.instrument_id;
    symbol.assign(m.stype_out_symbol.data(), ::strnlen(m.stype_out_symbol.data(), m.stype_out_symbol.size()));
  } else {
    return;
  }
  live_[id] = std::move(symbol);
  ForgetRecent();  // a lookup may have found this instrument unmapped
}

const std::string* TextSymbolMap::Find(std::uint32_t instrument_id, std::uint64_t index_ts) {
  if (index_ts == kUndefTimestamp) return nullptr;
  const auto day = static_cast<std::int64_t>(index_ts / text::kNanosPerDay);
  Recent& recent = recent_[instrument_id % recent_.size()];
  if (recent.day == day && recent.id == instrument_id) return recent.symbol;
  const std::string* found = nullptr;
  if (from_metadata_) {
    const auto it = intervals_.find(instrument_id);
    if (it != intervals_.end()) {
      // A later mapping of the same day overrides an earlier one.
      for (auto iv = it->second.rbegin(); iv != it->second.rend(); ++iv) {
        if (day >= iv->start_day && day < iv->end_day) {
          found = &symbols_[iv->symbol];
          break;
        }
      }
    }
  } else {
    const auto it = live_.find(instrument_id);
    if (it != live_.end()) found = &it->second;
  }
  recent = {instrument_id, day, found};
  return found;
}

// ---- TextEncoder ----

struct TextEncoder::Writers {
  text::TextStyle style;
  // Records are read through their structs, so unaligned input is copied here.
  alignas(8) std::uint8_t aligned[255 * 4];
};

TextEncoder::TextEncoder(const TextEncoderOptions& options, const Metadata* metadata)
    : options_{options}, writers_{std::make_unique<Writers>()}, header_layout_{kNoLayout} {
  auto& style = writers_->style;
  style.delimiter = options.format == TextFormat::Tsv ? '\t' : ',';
  style.pretty_px = options.pretty_px;
  style.pretty_ts = options.pretty_ts;
  if (options.map_symbols && metadata != nullptr) symbols_.Load(*metadata);
  if (options.schema != kNullSchema) {
    const auto schema = static_cast<Schema>(options.schema);
    if (ToString(schema).empty()) {
      throw DbnError{DbnErrorCode::BadArgument,
                     "unknown schema value " + std::to_string(options.schema)};
    }
    if (options.filter_schema) filter_rtype_ = text::SchemaRType(schema);
    if (options.format != TextFormat::Json) {
      const Layout layout = text::SchemaLayout(schema, options.version);
      if (layout != Layout::None) WriteHeader(static_cast<std::uint8_t>(layout));
    }
  }
}

TextEncoder::~TextEncoder() = default;

void TextEncoder::WriteHeader(std::uint8_t layout) {
  header_layout_ = layout;
  if (!options_.write_header) return;
  char* p = reinterpret_cast<char*>(out_.Prepare(text::kRecordTextBound));
  char* end = text::WriteCsvHeader(p, static_cast<Layout>(layout), writers_->style.delimiter,
                                   options_.ts_out, options_.map_symbols);
  out_.Commit(static_cast<std::size_t>(end - p));
}

std::size_t TextEncoder::Encode(const std::uint8_t* data, std::size_t size, std::size_t limit) {
  const std::size_t suffix = options_.ts_out ? 8 : 0;
  std::size_t encoded = 0;
  std::size_t off = 0;
  // Runs of one record type are the rule: remember the last dispatch.
  std::uint8_t last_rtype = 0;
  std::size_t last_len = 0;
  Layout layout = Layout::None;
  while (off < size && encoded < limit) {
    const std::uint8_t* rec = data + off;
    const std::size_t len = CheckedRecordLength(data, size, off, suffix, "to encode");
    off += len;
    const std::uint8_t rtype = rec[1];
    if (rtype == kSymbolMappingRType && options_.map_symbols) {
      symbols_.OnSymbolMapping(rec, len - suffix);
    }
    if (filter_rtype_ >= 0 && rtype != filter_rtype_) continue;
    if (rtype != last_rtype || len != last_len || layout == Layout::None) {
      layout = text::LayoutOf(rtype, len - suffix);
      if (layout == Layout::None) {
        throw DbnError{DbnErrorCode::UnknownRecord,
                       "cannot encode a record of rtype " + std::to_string(rtype) + " and " +
                           std::to_string(len) + " bytes as text: no known layout"};
      }
      last_rtype = rtype;
      last_len = len;
    }
    if (reinterpret_cast<std::uintptr_t>(rec) % 8 != 0) {
      std::memcpy(writers_->aligned, rec, len);
      rec = writers_->aligned;
    }
    EncodeOne(static_cast<std::uint8_t>(layout), rec, len - suffix);
    ++encoded;
  }
  written_ += encoded;
  return encoded;
}

void TextEncoder::EncodeOne(std::uint8_t layout_id, const std::uint8_t* rec, std::size_t body) {
  const auto layout = static_cast<Layout>(layout_id);
  const bool csv = options_.format != TextFormat::Json;
  if (csv && layout_id != header_layout_ && !(options_.mixed_layouts && header_layout_ != kNoLayout)) {
    if (header_layout_ != kNoLayout) {
      throw DbnError{DbnErrorCode::MixedSchemas,
                     "cannot encode records of several schemas as one CSV: found rtype " +
                         std::to_string(rec[1]) + " after records of another type; choose a schema "
                         "to keep only its records"};
    }
    WriteHeader(layout_id);
  }
  text::Suffix suffix;
  if (options_.ts_out) {
    suffix.has_ts_out = true;
    std::memcpy(&suffix.ts_out, rec + body, 8);
  }
  std::size_t symbol_bound = 0;
  if (options_.map_symbols) {
    suffix.has_symbol = true;
    std::uint64_t index_ts;
    std::memcpy(&index_ts, rec + text::IndexTsOffset(layout), 8);
    std::uint32_t instrument_id;
    std::memcpy(&instrument_id, rec + 4, 4);
    suffix.symbol = symbols_.Find(instrument_id, index_ts);
    if (suffix.symbol != nullptr) symbol_bound = text::EscapedBound(suffix.symbol->size());
  }
  char* p = reinterpret_cast<char*>(out_.Prepare(text::kRecordTextBound + symbol_bound));
  char* end;
  auto& style = writers_->style;
  if (csv) {
    end = text::WriteCsvRecord(p, layout, rec, style, suffix);
  } else if (options_.indent) {
    end = text::WriteIndentedJsonRecord(p, layout, rec, style, suffix);
  } else {
    end = text::WriteJsonRecord(p, layout, rec, style, suffix);
  }
  out_.Commit(static_cast<std::size_t>(end - p));
}

}  // namespace databento
