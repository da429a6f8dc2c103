#pragma once

// Zstandard, loaded at run time from the system's libzstd.so.1 so that
// building from source needs no zstd headers and a machine without libzstd
// can still read and write uncompressed DBN.

#include <cstddef>
#include <cstdint>

#include "databento/byte_buffer.hpp"

namespace databento {

struct ZstdApi;

// The loaded library, shared by every stream in the process. Loading happens
// once, on first use, and the table is immutable afterwards. Throws
// DbnError(ZstdUnavailable) when libzstd.so.1 (or the library named by the
// DATABENTO_ZSTD_LIBRARY environment variable) cannot be loaded.
const ZstdApi& LoadZstd();

// Rough native memory of one zstd stream, for callers that report memory to
// a garbage collector.
constexpr std::size_t kZstdStreamFootprint = 1 << 20;

// Streaming decompressor. Handles several concatenated frames and skippable
// frames. Output is produced a bounded step at a time, so a caller can stop
// when it has enough, whatever the input expands to.
class ZstdDecompressor {
 public:
  ZstdDecompressor();
  ~ZstdDecompressor();
  ZstdDecompressor(const ZstdDecompressor&) = delete;
  ZstdDecompressor& operator=(const ZstdDecompressor&) = delete;

  // Decompresses from data[0..size) into out[0..out_size), stopping when the
  // output is full: memory stays bounded whatever a frame expands to.
  // `produced == out_size` means more output may be pending: call again with
  // the input not yet consumed (possibly none).
  struct Progress {
    std::size_t consumed;
    std::size_t produced;
  };
  Progress DecompressInto(const std::uint8_t* data, std::size_t size,
                          std::uint8_t* out, std::size_t out_size);
  // An output size that lets one call make full progress.
  std::size_t OutputStep() const { return out_step_; }
  // True when the input so far ends exactly at the end of a frame.
  bool AtFrameBoundary() const { return at_frame_boundary_; }

 private:
  const ZstdApi& api_;
  void* stream_;
  std::size_t out_step_;
  bool at_frame_boundary_{true};
};

// Streaming compressor producing one zstd frame.
class ZstdCompressor {
 public:
  explicit ZstdCompressor(int level = 3);
  ~ZstdCompressor();
  ZstdCompressor(const ZstdCompressor&) = delete;
  ZstdCompressor& operator=(const ZstdCompressor&) = delete;

  void Compress(const std::uint8_t* data, std::size_t size,
                ByteBuffer& out);
  // Makes everything compressed so far decodable without ending the frame.
  void Flush(ByteBuffer& out);
  // Ends the frame; the compressor may not be used afterwards.
  void End(ByteBuffer& out);

 private:
  void Drive(const std::uint8_t* data, std::size_t size, int directive,
             ByteBuffer& out);

  const ZstdApi& api_;
  void* stream_;
};

}  // namespace databento
