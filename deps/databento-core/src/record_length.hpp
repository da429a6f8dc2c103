#pragma once

// The length of the record at `off` in a batch of whole records, checked
// against the bytes left: shared by the converters that walk batches record by
// record (text and columns), so both reject a malformed batch the same way.

#include <cstddef>
#include <cstdint>
#include <string>

#include "databento/dbn_error.hpp"

namespace databento {

// `suffix` is the ts_out bytes each record carries after its layout; `what`
// names the batch in the error ("to encode", "to convert").
inline std::size_t CheckedRecordLength(const std::uint8_t* data, std::size_t size, std::size_t off,
                                       std::size_t suffix, const char* what) {
  const std::size_t len = size - off < 16 ? 0 : std::size_t{data[off]} * 4;
  if (len < 16 + suffix || len > size - off) {
    throw DbnError{DbnErrorCode::BadRecordLength,
                   "malformed record at byte " + std::to_string(off) + " of the batch " + what};
  }
  return len;
}

}  // namespace databento
