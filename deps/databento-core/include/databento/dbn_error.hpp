#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace databento {

// Why a DBN stream could not be read or written. The names cross into JS as
// the `code` of a DbnError, so they are part of the public API.
enum class DbnErrorCode : std::uint8_t {
  BadMagic,            // input is neither DBN, zstd-compressed DBN nor DBZ
  UnsupportedVersion,  // DBN version newer than this library knows
  TruncatedHeader,     // input ended inside the metadata header
  BadHeader,           // metadata header fields are inconsistent
  TruncatedRecord,     // input ended inside a record
  BadRecordLength,     // hd.length of 0..3 words
  ZstdCorrupt,         // the zstd decompressor rejected the input
  ZstdUnavailable,     // libzstd.so.1 could not be loaded
  LegacyDbz,           // DBZ container where it is not accepted
  BadArgument,         // invalid option or value passed by the caller
  Io,                  // the operating system refused a read or write
  MetadataTooLarge,    // metadata header longer than the decoder's cap
};

// The stable string form of a code, e.g. "TRUNCATED_RECORD".
const char* ToString(DbnErrorCode code);

class DbnError : public std::runtime_error {
 public:
  DbnError(DbnErrorCode code, const std::string& message)
      : std::runtime_error{message}, code_{code} {}

  DbnErrorCode Code() const { return code_; }

 private:
  DbnErrorCode code_;
};

}  // namespace databento
