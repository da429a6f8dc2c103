#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "databento/byte_buffer.hpp"
#include "databento/enums.hpp"
#include "databento/metadata.hpp"

namespace databento {

enum class TextFormat : std::uint8_t { Csv, Tsv, Json };

struct TextEncoderOptions {
  TextFormat format{TextFormat::Csv};
  bool pretty_px{false};   // prices as decimals with 9 fraction digits
  bool pretty_ts{false};   // timestamps as RFC 3339 with nanoseconds
  bool map_symbols{false}; // append a `symbol` column/key
  bool write_header{true}; // CSV/TSV: the header row
  bool indent{false};      // JSON: 4-space indentation (the dbn CLI's --pretty)
  bool ts_out{false};      // records carry the gateway's ts_out suffix
  // DBN version of the records, for the header of a known schema (v1/v2
  // definitions have their own columns).
  std::uint8_t version{kDbnVersion};
  // The data's schema: the CSV header is written at once from it. Without
  // one (kNullSchema) the header follows the first record.
  std::uint16_t schema{kNullSchema};
  // Keep only records of `schema`'s record type.
  bool filter_schema{false};
  // CSV: a record of another type than the header's is written with its own
  // columns (no new header), as the dbn CLI does with map_symbols, instead of
  // failing with MixedSchemas.
  bool mixed_layouts{false};
};

// The text symbol of each record for map_symbols: from the metadata's
// date-interval mappings, or, when it has none (live data), from the
// SymbolMappingMsg records seen so far.
class TextSymbolMap {
 public:
  // Throws DbnError(BadArgument) when the mappings cannot be keyed by
  // instrument id (neither stype is instrument_id, or an id is not a number).
  void Load(const Metadata& metadata);
  // Records instrument_id -> stype_out_symbol of a SymbolMappingMsg of
  // `size` bytes (any version); ignored when metadata mappings are loaded.
  void OnSymbolMapping(const std::uint8_t* rec, std::size_t size);
  // The symbol of `instrument_id` on the UTC day of `index_ts`, or null.
  const std::string* Find(std::uint32_t instrument_id, std::uint64_t index_ts);

 private:
  struct Interval {
    std::int64_t start_day;
    std::int64_t end_day;  // exclusive
    std::uint32_t symbol;
  };
  bool from_metadata_{false};
  std::vector<std::string> symbols_;
  std::unordered_map<std::uint32_t, std::vector<Interval>> intervals_;
  std::unordered_map<std::uint32_t, std::string> live_;
  // Recent lookups, direct-mapped by instrument id: the records of a few
  // instruments interleave, and each keeps its symbol for the day.
  struct Recent {
    std::uint32_t id{};
    std::int64_t day{-1};
    const std::string* symbol{};
  };
  void ForgetRecent() { recent_.fill(Recent{}); }
  std::array<Recent, 64> recent_{};
};

// Writes DBN records as CSV, TSV or JSON lines byte for byte as the `dbn`
// crate does (shared/spec/text-formats.md). Records go in as whole records
// (DbnDecoder::ReadRecords output); text accumulates in Output(), which the
// caller drains.
class TextEncoder {
 public:
  // `metadata` (may be null) supplies the symbol mappings for map_symbols.
  // Writes the CSV header now when the schema is known.
  TextEncoder(const TextEncoderOptions& options, const Metadata* metadata);
  ~TextEncoder();
  TextEncoder(const TextEncoder&) = delete;
  TextEncoder& operator=(const TextEncoder&) = delete;

  // Encodes the whole records in data[0, size), at most `limit` of them
  // (after filtering). Returns the number encoded. Throws DbnError:
  // BadRecordLength for a malformed record, UnknownRecord for an rtype
  // without a text layout, MixedSchemas for a CSV record whose columns differ
  // from the header's.
  std::size_t Encode(const std::uint8_t* data, std::size_t size,
                     std::size_t limit = SIZE_MAX);

  // The text written so far and not yet taken.
  ByteBuffer& Output() { return out_; }
  std::uint64_t RecordsWritten() const { return written_; }

 private:
  void WriteHeader(std::uint8_t layout);
  void EncodeOne(std::uint8_t layout, const std::uint8_t* rec, std::size_t body);

  TextEncoderOptions options_;
  TextSymbolMap symbols_;
  ByteBuffer out_;
  struct Writers;
  std::unique_ptr<Writers> writers_;
  std::uint8_t header_layout_;  // text::Layout of the CSV columns, None until known
  int filter_rtype_{-1};
  std::uint64_t written_{};
};

}  // namespace databento
