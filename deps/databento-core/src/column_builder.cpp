// ColumnBuilder: DBN records of one rtype to one buffer per column. Records
// are gathered a batch at a time and each column is filled in its own loop,
// so every loop reads one field at a fixed offset and writes contiguously.

#include "databento/column_builder.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "databento/dbn_error.hpp"
#include "record_length.hpp"
#include "databento/enums.hpp"

namespace databento {
namespace {

constexpr std::uint8_t kSymbolMappingRType = static_cast<std::uint8_t>(RType::SymbolMapping);

std::uint16_t KindWidth(columns::Kind kind) {
  switch (kind) {
    case columns::Kind::U8:
    case columns::Kind::I8:
    case columns::Kind::Char:
      return 1;
    case columns::Kind::U16:
    case columns::Kind::I16:
      return 2;
    case columns::Kind::U32:
    case columns::Kind::I32:
      return 4;
    default:
      return 8;
  }
}

// Copies a `W`-byte field at `offset` of every record to `out`, row after row.
template <std::size_t W>
void Gather(const std::vector<const std::uint8_t*>& recs, std::size_t offset, std::uint8_t* out) {
  for (const std::uint8_t* rec : recs) {
    std::memcpy(out, rec + offset, W);
    out += W;
  }
}

void GatherBytes(const std::vector<const std::uint8_t*>& recs, std::size_t offset, std::size_t width,
                 std::uint8_t* out) {
  for (const std::uint8_t* rec : recs) {
    std::memcpy(out, rec + offset, width);
    out += width;
  }
}

void GatherPrices(const std::vector<const std::uint8_t*>& recs, std::size_t offset, std::uint8_t* out) {
  for (const std::uint8_t* rec : recs) {
    std::int64_t px;
    std::memcpy(&px, rec + offset, 8);
    const double value = px == kUndefPrice ? std::numeric_limits<double>::quiet_NaN()
                                           : static_cast<double>(px) / 1e9;
    std::memcpy(out, &value, 8);
    out += 8;
  }
}

}  // namespace

ColumnBuilder::ColumnBuilder(const ColumnBuilderOptions& options, const Metadata* metadata)
    : options_{options} {
  if (options.map_symbols && metadata != nullptr) symbol_map_.Load(*metadata);
}

void ColumnBuilder::SetLayout(text::Layout layout) {
  if (layout == layout_) return;
  if (layout_ != text::Layout::None) {
    throw DbnError{DbnErrorCode::MixedSchemas, "records of rtype " + std::to_string(options_.rtype) +
                                                   " come in two layouts; columns need one"};
  }
  layout_ = layout;
  for (const auto& f : columns::FieldsOf(layout)) {
    const bool as_float = f.kind == columns::Kind::Price && options_.pretty_px;
    columns_.push_back({f.name, f.kind, as_float ? ColumnOut::PriceFloat : ColumnOut::Copy, f.offset,
                        f.kind == columns::Kind::Str ? f.size : KindWidth(f.kind)});
  }
  if (options_.ts_out) {
    columns_.push_back({"ts_out", columns::Kind::Ts, ColumnOut::Copy,
                        static_cast<std::uint16_t>(text::LayoutSize(layout)), 8});
  }
  if (options_.map_symbols) columns_.push_back({"symbol", columns::Kind::Str, ColumnOut::SymbolCode, 0, 4});
  if (!options_.fields.empty()) {
    std::erase_if(columns_, [&](const ColumnInfo& c) {
      return std::find(options_.fields.begin(), options_.fields.end(), c.name) == options_.fields.end();
    });
  }
  data_.resize(columns_.size());
  Reserve(reserve_rows_);
}

void ColumnBuilder::Reserve(std::size_t rows) {
  reserve_rows_ = rows;
  for (std::size_t i = 0; i < columns_.size(); ++i) data_[i].Prepare((rows > rows_ ? rows - rows_ : 0) * columns_[i].width);
}

std::size_t ColumnBuilder::Append(const std::uint8_t* data, std::size_t size) {
  const std::size_t suffix = options_.ts_out ? 8 : 0;
  scratch_.clear();
  std::size_t last_len = 0;
  for (std::size_t off = 0; off < size;) {
    const std::uint8_t* rec = data + off;
    const std::size_t len = CheckedRecordLength(data, size, off, suffix, "to convert");
    off += len;
    const std::uint8_t rtype = rec[1];
    if (rtype == kSymbolMappingRType && options_.map_symbols) symbol_map_.OnSymbolMapping(rec, len - suffix);
    if (rtype != options_.rtype) {
      ++skipped_;
      continue;
    }
    if (len != last_len) {
      const text::Layout layout = text::LayoutOf(rtype, len - suffix);
      if (layout == text::Layout::None) {
        throw DbnError{DbnErrorCode::BadRecordLength,
                       "record at byte " + std::to_string(off - len) + " (rtype " + std::to_string(rtype) +
                           ") has " + std::to_string(len) + " bytes, fewer than its layout needs"};
      }
      SetLayout(layout);
      last_len = len;
    }
    scratch_.push_back(rec);
  }
  if (!scratch_.empty()) Fill(scratch_);
  return scratch_.size();
}

void ColumnBuilder::Fill(const std::vector<const std::uint8_t*>& recs) {
  const std::size_t n = recs.size();
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    const ColumnInfo& c = columns_[i];
    std::uint8_t* out = data_[i].Prepare(n * c.width);
    switch (c.out) {
      case ColumnOut::PriceFloat:
        GatherPrices(recs, c.offset, out);
        break;
      case ColumnOut::SymbolCode:
        for (const std::uint8_t* rec : recs) {
          const std::int32_t code = SymbolCode(rec);
          std::memcpy(out, &code, 4);
          out += 4;
        }
        break;
      case ColumnOut::Copy:
        switch (c.width) {
          case 1: Gather<1>(recs, c.offset, out); break;
          case 2: Gather<2>(recs, c.offset, out); break;
          case 4: Gather<4>(recs, c.offset, out); break;
          case 8: Gather<8>(recs, c.offset, out); break;
          default: GatherBytes(recs, c.offset, c.width, out); break;
        }
        break;
    }
    data_[i].Commit(n * c.width);
  }
  rows_ += n;
}

std::int32_t ColumnBuilder::SymbolCode(const std::uint8_t* rec) {
  std::uint32_t instrument_id;
  std::uint64_t index_ts;
  std::memcpy(&instrument_id, rec + 4, 4);
  std::memcpy(&index_ts, rec + text::IndexTsOffset(layout_), 8);
  const std::string* symbol = symbol_map_.Find(instrument_id, index_ts);
  if (symbol == nullptr) return -1;
  if (last_code_ >= 0 && *symbol == last_symbol_) return last_code_;
  auto [it, added] = symbol_codes_.try_emplace(*symbol, static_cast<std::int32_t>(symbol_list_.size()));
  if (added) symbol_list_.push_back(*symbol);
  last_symbol_ = *symbol;
  last_code_ = it->second;
  return last_code_;
}

void ColumnBuilder::Clear() {
  for (auto& d : data_) d.Clear();
  rows_ = 0;
}

}  // namespace databento
