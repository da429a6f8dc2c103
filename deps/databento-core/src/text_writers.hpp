#pragma once

// The per-record writers behind TextEncoder (private to the core).

#include <cstddef>
#include <cstdint>
#include <string>

#include "databento/text_fields.hpp"
#include "text_format.hpp"

namespace databento::text {

struct TextStyle {
  char delimiter{','};
  bool pretty_px{};
  bool pretty_ts{};
  TimestampWriter timestamps;
};

// What follows a record's own fields.
struct Suffix {
  bool has_ts_out{};
  std::uint64_t ts_out{};
  bool has_symbol{};
  const std::string* symbol{};  // null: unmapped
};

// Upper bound of the text of one record, suffix excluded: generous for the
// largest layout with every string escaped at the worst ratio.
inline constexpr std::size_t kRecordTextBound = 16384;

char* WriteCsvHeader(char* p, Layout layout, char delimiter, bool ts_out, bool symbol);
char* WriteCsvRecord(char* p, Layout layout, const std::uint8_t* rec, TextStyle& style,
                     const Suffix& suffix);
char* WriteJsonRecord(char* p, Layout layout, const std::uint8_t* rec, TextStyle& style,
                      const Suffix& suffix);
char* WriteIndentedJsonRecord(char* p, Layout layout, const std::uint8_t* rec,
                              TextStyle& style, const Suffix& suffix);

}  // namespace databento::text
