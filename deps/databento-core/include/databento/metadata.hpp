#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace databento {

// One interval of a symbol mapping. Dates are YYYYMMDD integers, as on the
// wire: start inclusive, end exclusive.
struct MappingInterval {
  std::uint32_t start_date{};
  std::uint32_t end_date{};
  std::string symbol;
};

struct SymbolMapping {
  std::string raw_symbol;
  std::vector<MappingInterval> intervals;
};

// The DBN metadata header. Null sentinels are kept as on the wire
// (schema 0xFFFF, stype 0xFF, end UINT64_MAX, limit 0); the JS facade maps
// them to null.
struct Metadata {
  std::uint8_t version{};
  std::string dataset;
  std::uint16_t schema{0xFFFF};
  std::uint64_t start{};
  std::uint64_t end{UINT64_MAX};
  std::uint64_t limit{};
  std::uint8_t stype_in{0xFF};
  std::uint8_t stype_out{0xFF};
  bool ts_out{};
  std::uint16_t symbol_cstr_len{};
  std::vector<std::string> symbols;
  std::vector<std::string> partial;
  std::vector<std::string> not_found;
  std::vector<SymbolMapping> mappings;
};

}  // namespace databento
