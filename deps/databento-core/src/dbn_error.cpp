#include "databento/dbn_error.hpp"

namespace databento {

const char* ToString(DbnErrorCode code) {
  switch (code) {
    case DbnErrorCode::BadMagic: return "BAD_MAGIC";
    case DbnErrorCode::UnsupportedVersion: return "UNSUPPORTED_VERSION";
    case DbnErrorCode::TruncatedHeader: return "TRUNCATED_HEADER";
    case DbnErrorCode::BadHeader: return "BAD_HEADER";
    case DbnErrorCode::TruncatedRecord: return "TRUNCATED_RECORD";
    case DbnErrorCode::BadRecordLength: return "BAD_RECORD_LENGTH";
    case DbnErrorCode::ZstdCorrupt: return "ZSTD_CORRUPT";
    case DbnErrorCode::ZstdUnavailable: return "ZSTD_UNAVAILABLE";
    case DbnErrorCode::LegacyDbz: return "LEGACY_DBZ";
    case DbnErrorCode::BadArgument: return "BAD_ARGUMENT";
    case DbnErrorCode::Io: return "IO_ERROR";
    case DbnErrorCode::MetadataTooLarge: return "METADATA_TOO_LARGE";
  }
  return "UNKNOWN";
}

}  // namespace databento
