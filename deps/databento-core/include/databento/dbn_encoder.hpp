#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "databento/byte_buffer.hpp"
#include "databento/metadata.hpp"

namespace databento {

class ZstdCompressor;

// Encodes a metadata header in `metadata.version`'s layout (1, 2 or 3).
// Throws DbnError(BadArgument) for values the format cannot hold (strings
// longer than their fixed width, non-ASCII text, version 0).
std::vector<std::uint8_t> EncodeMetadata(const Metadata& metadata);

// Writes a DBN stream: the metadata header, then records, optionally as one
// zstd frame. Output accumulates in Output() for the caller to drain, so the
// encoder does no I/O of its own.
class DbnEncoder {
 public:
  struct Options {
    bool zstd{false};
    int zstd_level{3};
  };

  DbnEncoder(const Metadata& metadata, Options options);
  ~DbnEncoder();
  DbnEncoder(const DbnEncoder&) = delete;
  DbnEncoder& operator=(const DbnEncoder&) = delete;

  // Appends whole records (each with its header, hd.length words long).
  // Throws BadRecordLength for a length under 16 bytes, and TruncatedRecord
  // when the last record does not fit in `size`; nothing is written then.
  void WriteRecords(const std::uint8_t* data, std::size_t size);
  // Makes everything written so far decodable (a zstd flush).
  void Flush();
  // Ends the stream (closes the zstd frame).
  void Finish();

  ByteBuffer& Output() { return out_; }

  // Native memory held (output buffer and the zstd stream), approximately.
  std::size_t MemoryFootprint() const;

 private:
  void Put(const std::uint8_t* data, std::size_t size);

  std::unique_ptr<ZstdCompressor> zstd_;
  ByteBuffer out_;
  bool finished_{false};
};

}  // namespace databento
