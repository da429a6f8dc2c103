#include "databento/dbn_decoder.hpp"

#include <algorithm>
#include <cstring>
#include <string>

#include "databento/dbn_error.hpp"
#include "databento/records.hpp"
#include "databento/upgrade.hpp"
#include "databento/zstd.hpp"

namespace databento {
namespace {

constexpr std::size_t kPreludeLen = 8;       // "DBN", version, u32 length
constexpr std::size_t kFixedLen = 100;       // bytes 8..107 in every version
constexpr std::size_t kVarStart = 112;       // after schema_definition_length
constexpr std::uint32_t kZstdMagic = 0xFD2FB528;
constexpr std::uint32_t kSkippableMask = 0xFFFFFFF0;
constexpr std::uint32_t kSkippableMagic = 0x184D2A50;

template <typename T>
T Load(const std::uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));  // little-endian host (Linux x64/arm64)
  return v;
}

std::string FixedString(const std::uint8_t* p, std::size_t len) {
  const auto* c = reinterpret_cast<const char*>(p);
  return std::string{c, ::strnlen(c, len)};
}

std::string Hex(unsigned v) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  return std::string{"0x"} + kDigits[(v >> 4) & 0xF] + kDigits[v & 0xF];
}

// Walks the variable part of the header with bounds checks.
class HeaderReader {
 public:
  HeaderReader(const std::uint8_t* data, std::size_t size, std::size_t pos)
      : data_{data}, size_{size}, pos_{pos} {}

  std::uint32_t U32(const char* what) {
    Need(4, what);
    const auto v = Load<std::uint32_t>(data_ + pos_);
    pos_ += 4;
    return v;
  }

  std::string Str(std::size_t len, const char* what) {
    Need(len, what);
    auto s = FixedString(data_ + pos_, len);
    pos_ += len;
    return s;
  }

  std::vector<std::string> StrList(std::size_t len, const char* what) {
    const std::uint32_t n = U32(what);
    Need(static_cast<std::uint64_t>(n) * len, what);
    std::vector<std::string> out;
    out.reserve(n);
    for (std::uint32_t i = 0; i < n; ++i) {
      out.push_back(Str(len, what));
    }
    return out;
  }

 private:
  void Need(std::uint64_t n, const char* what) const {
    if (pos_ + n > size_) {
      throw DbnError{DbnErrorCode::BadHeader,
                     std::string{"DBN metadata header is inconsistent: its "} +
                         what + " run past the header length of " +
                         std::to_string(size_) + " bytes"};
    }
  }

  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_;
};

}  // namespace

Metadata DecodeMetadata(const std::uint8_t* data, std::size_t size) {
  if (size < kPreludeLen || std::memcmp(data, "DBN", 3) != 0) {
    throw DbnError{DbnErrorCode::BadMagic, "input does not start with DBN"};
  }
  Metadata md;
  md.version = data[3];
  if (md.version == 0 || md.version > kDbnVersion) {
    throw DbnError{DbnErrorCode::UnsupportedVersion,
                   "DBN version " + std::to_string(md.version) +
                       " is not supported: this library reads versions 1 to " +
                       std::to_string(kDbnVersion) +
                       (md.version > kDbnVersion
                            ? "; upgrade databento-node to read newer files"
                            : "")};
  }
  const std::uint32_t length = Load<std::uint32_t>(data + 4);
  if (length < kFixedLen + 4) {
    throw DbnError{DbnErrorCode::BadHeader,
                   "DBN metadata length " + std::to_string(length) +
                       " is shorter than the fixed header (104 bytes)"};
  }
  const std::size_t end = kPreludeLen + length;
  if (size < end) {
    throw DbnError{DbnErrorCode::TruncatedHeader,
                   "DBN metadata header is " + std::to_string(end) +
                       " bytes but only " + std::to_string(size) +
                       " are present"};
  }
  md.dataset = FixedString(data + 8, 16);
  md.schema = Load<std::uint16_t>(data + 24);
  md.start = Load<std::uint64_t>(data + 26);
  md.end = Load<std::uint64_t>(data + 34);
  md.limit = Load<std::uint64_t>(data + 42);
  if (md.version == 1) {
    // v1 has a deprecated record_count at 50 that readers skip.
    md.stype_in = data[58];
    md.stype_out = data[59];
    md.ts_out = data[60] != 0;
    md.symbol_cstr_len = kSymbolCstrLenV1;
  } else {
    md.stype_in = data[50];
    md.stype_out = data[51];
    md.ts_out = data[52] != 0;
    md.symbol_cstr_len = Load<std::uint16_t>(data + 53);
    if (md.symbol_cstr_len == 0) {
      throw DbnError{DbnErrorCode::BadHeader,
                     "DBN metadata has symbol_cstr_len 0"};
    }
  }
  const std::uint32_t schema_def_len = Load<std::uint32_t>(data + 108);
  if (schema_def_len != 0) {
    throw DbnError{DbnErrorCode::BadHeader,
                   "DBN metadata has a schema definition (" +
                       std::to_string(schema_def_len) +
                       " bytes), which no DBN version defines"};
  }
  const std::size_t len = md.symbol_cstr_len;
  HeaderReader r{data, end, kVarStart};
  md.symbols = r.StrList(len, "symbols");
  md.partial = r.StrList(len, "partial symbols");
  md.not_found = r.StrList(len, "not-found symbols");
  const std::uint32_t n_mappings = r.U32("mappings");
  md.mappings.reserve(std::min<std::uint32_t>(n_mappings, 4096));
  for (std::uint32_t i = 0; i < n_mappings; ++i) {
    SymbolMapping m;
    m.raw_symbol = r.Str(len, "mappings");
    const std::uint32_t n_intervals = r.U32("mapping intervals");
    m.intervals.reserve(std::min<std::uint32_t>(n_intervals, 4096));
    for (std::uint32_t j = 0; j < n_intervals; ++j) {
      MappingInterval iv;
      iv.start_date = r.U32("mapping intervals");
      iv.end_date = r.U32("mapping intervals");
      iv.symbol = r.Str(len, "mapping intervals");
      m.intervals.push_back(std::move(iv));
    }
    md.mappings.push_back(std::move(m));
  }
  return md;
}

DbnDecoder::DbnDecoder(Options options) : options_{options} {
  const auto policy = static_cast<std::uint8_t>(options_.upgrade_policy);
  if (policy < 1 || policy > 3) {
    throw DbnError{DbnErrorCode::BadArgument,
                   "unknown version upgrade policy " + std::to_string(policy)};
  }
  if (!options_.has_metadata) {
    if (options_.fragment_version < 1 ||
        options_.fragment_version > kDbnVersion) {
      throw DbnError{DbnErrorCode::BadArgument,
                     "fragment version must be 1, 2 or 3, not " +
                         std::to_string(options_.fragment_version)};
    }
    SetVersions(options_.fragment_version, options_.fragment_ts_out);
  }
}

DbnDecoder::~DbnDecoder() = default;

std::size_t DbnDecoder::MemoryFootprint() const {
  return buf_.capacity() + input_.capacity() + detect_.capacity() +
         (zstd_ ? kZstdStreamFootprint : 0);
}

void DbnDecoder::SetVersions(std::uint8_t input_version, bool ts_out) {
  input_version_ = input_version;
  ts_out_ = ts_out;
  switch (options_.upgrade_policy) {
    case VersionUpgradePolicy::AsIs:
      output_version_ = input_version;
      break;
    case VersionUpgradePolicy::UpgradeToV2:
      output_version_ = std::max<std::uint8_t>(input_version, 2);
      break;
    case VersionUpgradePolicy::UpgradeToV3:
      output_version_ = kDbnVersion;
      break;
  }
  upgrades_ = output_version_ != input_version_;
  for (unsigned rtype = 0; rtype < min_length_.size(); ++rtype) {
    min_length_[rtype] = static_cast<std::uint16_t>(
        RecordLayoutSize(static_cast<std::uint8_t>(rtype), input_version_));
  }
}

void DbnDecoder::Write(const std::uint8_t* data, std::size_t size) {
  if (failure_) {
    throw *failure_;
  }
  try {
    WriteImpl(data, size);
  } catch (const DbnError& e) {
    // The stream cannot go on: keep the decoded records for ReadRecords, but
    // free the zstd stream now rather than when the decoder is destroyed.
    failure_ = e;
    zstd_.reset();
    input_.Release();
    zstd_full_ = false;
    if (state_ != State::Records) buf_.Release();  // no record to keep
    throw;
  }
}

void DbnDecoder::WriteImpl(const std::uint8_t* data, std::size_t size) {
  if (state_ == State::Detect) {
    detect_.insert(detect_.end(), data, data + size);
    if (detect_.size() < 4) {
      return;
    }
    Detect();
    std::vector<std::uint8_t> first;
    first.swap(detect_);
    Append(first.data(), first.size());
  } else {
    Append(data, size);
  }
  if (state_ == State::Header) {
    ParseHeader();
  }
  if (zstd_ && state_ == State::Records) {
    Inflate(kDecodeAheadBytes);
  }
}

void DbnDecoder::Detect() {
  const auto magic = Load<std::uint32_t>(detect_.data());
  if (magic == kZstdMagic) {
    zstd_ = std::make_unique<ZstdDecompressor>();
  } else if ((magic & kSkippableMask) == kSkippableMagic) {
    throw DbnError{DbnErrorCode::LegacyDbz,
                   "this is a legacy DBZ file, which databento-node does not "
                   "read; convert it to DBN with Databento's dbn CLI "
                   "(dbn input.dbz --dbn -o output.dbn)"};
  } else if (options_.has_metadata && std::memcmp(detect_.data(), "DBN", 3) != 0) {
    throw DbnError{DbnErrorCode::BadMagic,
                   "input is not DBN: it starts with neither \"DBN\" nor the "
                   "zstd magic bytes"};
  }
  state_ = options_.has_metadata ? State::Header : State::Records;
}

void DbnDecoder::Append(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return;
  if (zstd_) {
    // Kept compressed: Inflate decides how much of it to expand.
    if (input_pos_ != 0) {
      input_.ConsumeFront(input_pos_);
      input_pos_ = 0;
    }
    input_.Append(data, size);
  } else {
    Compact();
    buf_.Append(data, size);
  }
}

bool DbnDecoder::InputPending() const {
  return zstd_ && (input_pos_ < input_.size() || zstd_full_);
}

void DbnDecoder::Inflate(std::size_t target) {
  while (buf_.size() - pos_ < target && InputPending()) {
    Compact();
    const std::size_t step = zstd_->OutputStep();
    const auto r = zstd_->DecompressInto(input_.data() + input_pos_, input_.size() - input_pos_,
                                         buf_.Prepare(step), step);
    buf_.Commit(r.produced);
    input_pos_ += r.consumed;
    zstd_full_ = r.produced == step;
    if (input_pos_ == input_.size()) {
      input_.Clear();
      input_pos_ = 0;
    }
  }
}

void DbnDecoder::Refill(std::size_t capacity) {
  if (!InputPending() || failure_) {
    return;
  }
  try {
    Inflate(std::min(capacity, kDecodeAheadBytes));
  } catch (const DbnError& e) {
    failure_ = e;
    failure_due_ = true;
    zstd_.reset();
    input_.Release();
    zstd_full_ = false;
  }
}

void DbnDecoder::Compact() {
  // Drop handed-out bytes once they dominate the buffer, so memory stays
  // bounded by the unread part and the move cost stays amortised.
  if (pos_ > 0 && pos_ >= buf_.size() / 2) {
    buf_.ConsumeFront(pos_);
    consumed_ += pos_;
    pos_ = 0;
  }
}

void DbnDecoder::ParseHeader() {
  std::size_t need = kPreludeLen;
  while (true) {
    if (zstd_) {
      Inflate(need);
    }
    const std::size_t avail = buf_.size() - pos_;
    if (avail < need) {
      return;  // wait for more input
    }
    const std::uint8_t* p = buf_.data() + pos_;
    if (need == kPreludeLen) {
      if (std::memcmp(p, "DBN", 3) != 0) {
        throw DbnError{DbnErrorCode::BadMagic,
                       "decompressed input is not DBN: it does not start with "
                       "\"DBN\""};
      }
      if (p[3] == 0 || p[3] > kDbnVersion) {
        DecodeMetadata(p, avail);  // throws UnsupportedVersion with the details
      }
      const std::uint32_t length = Load<std::uint32_t>(p + 4);
      if (length > options_.max_metadata_bytes) {
        throw DbnError{DbnErrorCode::MetadataTooLarge,
                       "DBN metadata header declares " + std::to_string(length) +
                           " bytes, more than the limit of " +
                           std::to_string(options_.max_metadata_bytes) +
                           " (the maxMetadataBytes option): the data is corrupt, or "
                           "raise the limit for a file with that many symbols"};
      }
      if (length < kFixedLen + 4) {
        DecodeMetadata(p, avail);  // throws BadHeader with the details
      }
      need = kPreludeLen + length;
      continue;
    }
    Metadata md = DecodeMetadata(p, need);
    pos_ += need;
    SetVersions(md.version, md.ts_out);
    if (md.version == 1 && output_version_ > 1) {
      md.symbol_cstr_len = kSymbolCstrLen;
    }
    md.version = output_version_;
    metadata_ = std::move(md);
    state_ = State::Records;
    return;
  }
}

template <bool kCopy>
std::size_t DbnDecoder::Walk(std::uint8_t* dst, std::size_t capacity,
                             std::size_t* count, std::size_t* end_pos,
                             std::string* error) const {
  const std::uint8_t* const base = buf_.data();
  const std::size_t size = buf_.size();
  std::size_t pos = pos_;
  std::size_t written = 0;
  std::size_t n = 0;
  // Records that keep their layout are copied in runs with one memcpy.
  std::size_t run_start = pos;
  auto flush_run = [&] {
    if constexpr (kCopy) {
      if (pos != run_start) std::memcpy(dst + written, base + run_start, pos - run_start);
    }
    written += pos - run_start;
  };
  while (pos < size) {
    const std::size_t len = static_cast<std::size_t>(base[pos]) * 4;
    if (len < sizeof(RecordHeader)) {
      *error = "has length " + std::to_string(len) + " bytes (a record is at least 16)";
      break;
    }
    if (pos + len > size) {
      break;  // incomplete record: wait for more input
    }
    const std::uint8_t rtype = base[pos + 1];
    if (len < min_length_[rtype]) {
      *error = "(rtype " + Hex(rtype) + ") has " + std::to_string(len) +
               " bytes but its DBN v" + std::to_string(input_version_) +
               " layout needs " + std::to_string(min_length_[rtype]);
      break;
    }
    if (upgrades_ && RecordChangesLayout(rtype, input_version_, output_version_)) {
      const std::size_t extra = ts_out_ ? 8 : 0;
      const std::size_t need = VersionedRecordSize(rtype, input_version_) + extra;
      if (len < need) {
        *error = "(rtype " + Hex(rtype) + ") has " + std::to_string(len) +
                 " bytes but its DBN v" + std::to_string(input_version_) +
                 " layout needs " + std::to_string(need);
        break;
      }
      const std::size_t out_len = VersionedRecordSize(rtype, output_version_) + extra;
      if (written + (pos - run_start) + out_len > capacity) {
        break;
      }
      flush_run();
      if constexpr (kCopy) {
        UpgradeRecord(base + pos, len, input_version_, output_version_, ts_out_, dst + written);
      }
      written += out_len;
      pos += len;
      run_start = pos;
    } else {
      if (written + (pos - run_start) + len > capacity) {
        break;
      }
      pos += len;
    }
    ++n;
  }
  flush_run();
  *count = n;
  *end_pos = pos;
  return written;
}

std::size_t DbnDecoder::ReadRecords(std::uint8_t* dst, std::size_t capacity,
                                    std::size_t* count) {
  *count = 0;
  if (state_ != State::Records) {
    return 0;
  }
  Refill(capacity);
  std::string error;
  std::size_t end_pos = 0;
  const std::size_t written = Walk<true>(dst, capacity, count, &end_pos, &error);
  pos_ = end_pos;
  if (written == 0 && error.empty() && failure_due_) {
    throw *failure_;  // met while decompressing for a read: now due
  }
  if (written == 0 && !error.empty()) {
    // Only once every valid record before it has been handed out.
    throw DbnError{DbnErrorCode::BadRecordLength,
                   "record at byte " + std::to_string(Position()) +
                       " of the decoded DBN stream " + error +
                       ": the data is corrupt or not DBN"};
  }
  return written;
}

std::size_t DbnDecoder::MeasureRecords(std::size_t capacity,
                                       std::size_t* count) {
  *count = 0;
  if (state_ != State::Records) {
    return 0;
  }
  Refill(capacity);
  std::string error;
  std::size_t end_pos = 0;
  return Walk<false>(nullptr, capacity, count, &end_pos, &error);
}

void DbnDecoder::Finish() {
  if (failure_) {
    throw *failure_;
  }
  if (state_ == State::Detect) {
    if (!detect_.empty() || options_.has_metadata) {
      throw DbnError{DbnErrorCode::TruncatedHeader,
                     "input ended after " + std::to_string(detect_.size()) +
                         " bytes, before a complete DBN metadata header"};
    }
    return;
  }
  if (state_ == State::Header) {
    throw DbnError{DbnErrorCode::TruncatedHeader,
                   "input ended inside the DBN metadata header (" +
                       std::to_string(buf_.size() - pos_) +
                       " bytes of it present)"};
  }
  const std::size_t left = buf_.size() - pos_;
  if (left != 0) {
    // An invalid record next in line explains the end better than "unread"
    // or "truncated" do.
    std::string error;
    std::size_t count = 0;
    std::size_t end_pos = 0;
    Walk<false>(nullptr, static_cast<std::size_t>(-1), &count, &end_pos, &error);
    if (count == 0 && !error.empty()) {
      throw DbnError{DbnErrorCode::BadRecordLength,
                     "record at byte " + std::to_string(Position()) +
                         " of the decoded DBN stream " + error +
                         ": the data is corrupt or not DBN"};
    }
  }
  if (InputPending() ||
      (left != 0 && left >= static_cast<std::size_t>(buf_[pos_]) * 4 &&
       buf_[pos_] * 4u >= sizeof(RecordHeader))) {
    throw DbnError{DbnErrorCode::BadArgument,
                   "the input was ended with records still unread: read every "
                   "record before ending the stream"};
  }
  if (left != 0) {
    const std::size_t len = static_cast<std::size_t>(buf_[pos_]) * 4;
    throw DbnError{DbnErrorCode::TruncatedRecord,
                   "input ended inside a record: " + std::to_string(left) +
                       " of its " + std::to_string(len) +
                       " bytes are present (truncated file or stream?)"};
  }
  if (zstd_ && !zstd_->AtFrameBoundary()) {
    throw DbnError{DbnErrorCode::TruncatedRecord,
                   "compressed input ended inside a zstd frame (truncated "
                   "file or stream?)"};
  }
}

}  // namespace databento
