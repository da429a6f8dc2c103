#include "databento/dbn_encoder.hpp"

#include <cstring>
#include <string>

#include "databento/dbn_error.hpp"
#include "databento/enums.hpp"
#include "databento/records.hpp"
#include "databento/zstd.hpp"

namespace databento {
namespace {

class HeaderWriter {
 public:
  explicit HeaderWriter(std::vector<std::uint8_t>& out) : out_{out} {}

  template <typename T>
  void Put(T v) {
    const auto at = out_.size();
    out_.resize(at + sizeof(T));
    std::memcpy(out_.data() + at, &v, sizeof(T));
  }

  void Str(const std::string& s, std::size_t width, const char* what) {
    if (s.size() >= width) {
      throw DbnError{DbnErrorCode::BadArgument,
                     std::string{what} + " \"" + s + "\" is " +
                         std::to_string(s.size()) +
                         " characters; this DBN version holds at most " +
                         std::to_string(width - 1)};
    }
    for (const char c : s) {
      if (static_cast<unsigned char>(c) > 0x7F || c == '\0') {
        throw DbnError{DbnErrorCode::BadArgument,
                       std::string{what} + " \"" + s +
                           "\" is not plain ASCII text"};
      }
    }
    const auto at = out_.size();
    out_.resize(at + width, 0);
    std::memcpy(out_.data() + at, s.data(), s.size());
  }

  void Zeros(std::size_t n) { out_.resize(out_.size() + n, 0); }

  void StrList(const std::vector<std::string>& list, std::size_t width,
               const char* what) {
    Put(static_cast<std::uint32_t>(list.size()));
    for (const auto& s : list) {
      Str(s, width, what);
    }
  }

 private:
  std::vector<std::uint8_t>& out_;
};

}  // namespace

std::vector<std::uint8_t> EncodeMetadata(const Metadata& md) {
  if (md.version < 1 || md.version > kDbnVersion) {
    throw DbnError{DbnErrorCode::BadArgument,
                   "cannot write DBN version " + std::to_string(md.version) +
                       "; choose 1, 2 or 3"};
  }
  const std::size_t width =
      md.version == 1 ? kSymbolCstrLenV1
                      : (md.symbol_cstr_len == 0 ? kSymbolCstrLen
                                                 : md.symbol_cstr_len);
  std::vector<std::uint8_t> out{'D', 'B', 'N', md.version};
  HeaderWriter w{out};
  w.Put<std::uint32_t>(0);  // length, patched below
  w.Str(md.dataset, 16, "dataset");
  w.Put(md.schema);
  w.Put(md.start);
  w.Put(md.end);
  w.Put(md.limit);
  if (md.version == 1) {
    w.Put<std::uint64_t>(UINT64_MAX);  // deprecated record_count
    w.Put(md.stype_in);
    w.Put(md.stype_out);
    w.Put<std::uint8_t>(md.ts_out ? 1 : 0);
    w.Zeros(47);
  } else {
    w.Put(md.stype_in);
    w.Put(md.stype_out);
    w.Put<std::uint8_t>(md.ts_out ? 1 : 0);
    w.Put(static_cast<std::uint16_t>(width));
    w.Zeros(53);
  }
  w.Put<std::uint32_t>(0);  // schema_definition_length
  w.StrList(md.symbols, width, "symbol");
  w.StrList(md.partial, width, "partial symbol");
  w.StrList(md.not_found, width, "not-found symbol");
  w.Put(static_cast<std::uint32_t>(md.mappings.size()));
  for (const auto& m : md.mappings) {
    w.Str(m.raw_symbol, width, "mapping raw_symbol");
    w.Put(static_cast<std::uint32_t>(m.intervals.size()));
    for (const auto& iv : m.intervals) {
      w.Put(iv.start_date);
      w.Put(iv.end_date);
      w.Str(iv.symbol, width, "mapping symbol");
    }
  }
  if (md.version >= 3) {
    out.resize((out.size() + 7) / 8 * 8, 0);  // 8-byte aligned records
  }
  const auto length = static_cast<std::uint32_t>(out.size() - 8);
  std::memcpy(out.data() + 4, &length, 4);
  return out;
}

DbnEncoder::DbnEncoder(const Metadata& metadata, Options options) {
  auto header = EncodeMetadata(metadata);
  if (options.zstd) {
    zstd_ = std::make_unique<ZstdCompressor>(options.zstd_level);
  }
  Put(header.data(), header.size());
}

DbnEncoder::~DbnEncoder() = default;

std::size_t DbnEncoder::MemoryFootprint() const {
  return out_.capacity() + (zstd_ ? kZstdStreamFootprint : 0);
}

void DbnEncoder::Put(const std::uint8_t* data, std::size_t size) {
  if (zstd_) {
    zstd_->Compress(data, size, out_);
  } else {
    out_.Append(data, size);
  }
}

void DbnEncoder::WriteRecords(const std::uint8_t* data, std::size_t size) {
  if (finished_) {
    throw DbnError{DbnErrorCode::BadArgument,
                   "cannot write records after the encoder has finished"};
  }
  for (std::size_t pos = 0; pos < size;) {
    const std::size_t len = static_cast<std::size_t>(data[pos]) * 4;
    if (len < sizeof(RecordHeader)) {
      throw DbnError{DbnErrorCode::BadRecordLength,
                     "record at byte " + std::to_string(pos) +
                         " of the input has length " + std::to_string(len) +
                         " bytes; a record is at least 16"};
    }
    if (pos + len > size) {
      throw DbnError{DbnErrorCode::TruncatedRecord,
                     "the last record of the input needs " +
                         std::to_string(len) + " bytes but only " +
                         std::to_string(size - pos) + " remain"};
    }
    pos += len;
  }
  Put(data, size);
}

void DbnEncoder::Flush() {
  if (zstd_ && !finished_) {
    zstd_->Flush(out_);
  }
}

void DbnEncoder::Finish() {
  if (finished_) return;
  finished_ = true;
  if (zstd_) {
    zstd_->End(out_);
    zstd_.reset();  // its workspace is large; nothing more will be written
  }
}

}  // namespace databento
