#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "databento/byte_buffer.hpp"
#include "databento/column_fields.hpp"
#include "databento/metadata.hpp"
#include "databento/text_encoder.hpp"

namespace databento {

struct ColumnBuilderOptions {
  std::uint8_t rtype{};     // take the records of this rtype, skip the rest
  bool pretty_px{false};    // price columns as float64 (÷1e9, UNDEF_PRICE → NaN)
  bool map_symbols{false};  // append a `symbol` column: int32 codes into Symbols()
  bool ts_out{false};       // records carry the gateway's ts_out suffix: a `ts_out` column
  // Build only these columns (by name; empty: all), so unwanted ones cost nothing.
  std::vector<std::string> fields;
};

// How one output column is filled.
enum class ColumnOut : std::uint8_t {
  Copy,        // the field's bytes as they are (little-endian), `width` per row
  PriceFloat,  // float64 from a fixed-point price
  SymbolCode,  // int32 index into Symbols(), -1 when unmapped
};

struct ColumnInfo {
  std::string name;
  columns::Kind kind;  // the field's kind in the record (Str for symbol codes)
  ColumnOut out;
  std::uint16_t offset;  // in the record
  std::uint16_t width;   // bytes per row of the output (a Str field's length)
};

// Turns DBN records of one rtype into column buffers: one contiguous buffer
// per field, in the order of columns::FieldsOf (levels flattened), rows in
// record order. Records go in as whole records (DbnDecoder::ReadRecords
// output); the layout is the first record's (v1/v2 layouts as they are).
class ColumnBuilder {
 public:
  // `metadata` (may be null) supplies the symbol mappings for map_symbols;
  // without mappings, SymbolMappingMsg records seen in the data are used.
  ColumnBuilder(const ColumnBuilderOptions& options, const Metadata* metadata);

  // Sets the layout before any record (e.g. from the schema) so Columns()
  // are known for empty data. Throws MixedSchemas when rows of another
  // layout are already in.
  void SetLayout(text::Layout layout);

  // Room for `rows` rows in every column (now, or once the layout is
  // known), so the buffers need not grow while appending.
  void Reserve(std::size_t rows);

  // Appends the records of the rtype among the whole records of
  // data[0, size). Returns the number taken. Throws DbnError:
  // BadRecordLength for a malformed record or one too short for its rtype,
  // MixedSchemas for a record whose layout differs from the first's.
  std::size_t Append(const std::uint8_t* data, std::size_t size);

  text::Layout Layout() const { return layout_; }
  const std::vector<ColumnInfo>& Columns() const { return columns_; }
  std::size_t Rows() const { return rows_; }
  std::uint64_t Skipped() const { return skipped_; }
  // Bytes of column `i`: Rows() × Columns()[i].width.
  const std::uint8_t* Data(std::size_t i) const { return data_[i].data(); }
  // The symbol dictionary so far (codes stay valid across Clear()).
  const std::vector<std::string>& Symbols() const { return symbol_list_; }
  // Drops the rows (the layout, columns and symbol dictionary stay).
  void Clear();

 private:
  void Fill(const std::vector<const std::uint8_t*>& recs);
  std::int32_t SymbolCode(const std::uint8_t* rec);

  ColumnBuilderOptions options_;
  text::Layout layout_{text::Layout::None};
  std::vector<ColumnInfo> columns_;
  std::vector<ByteBuffer> data_;
  std::size_t rows_{};
  std::size_t reserve_rows_{};
  std::uint64_t skipped_{};
  TextSymbolMap symbol_map_;
  std::vector<std::string> symbol_list_;
  std::unordered_map<std::string, std::int32_t> symbol_codes_;
  // The last lookup: records of one instrument come in runs.
  std::string last_symbol_;
  std::int32_t last_code_{-1};
  std::vector<const std::uint8_t*> scratch_;
};

}  // namespace databento
