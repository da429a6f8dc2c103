#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "databento/dbn_decoder.hpp"

namespace databento {

// A DBN file (plain or zstd) read in chunks through a DbnDecoder, so memory
// stays bounded whatever the file's size.
class DbnFileStore {
 public:
  // Opens the file and reads until the metadata header is decoded (for
  // files with metadata). Throws DbnError(Io) when the file cannot be read.
  DbnFileStore(const std::string& path, DbnDecoder::Options options);
  ~DbnFileStore();
  DbnFileStore(const DbnFileStore&) = delete;
  DbnFileStore& operator=(const DbnFileStore&) = delete;

  const std::optional<Metadata>& GetMetadata() const {
    return decoder_.GetMetadata();
  }
  const DbnDecoder& Decoder() const { return decoder_; }

  // Fills dst with whole records, as DbnDecoder::ReadRecords. Returns 0 only
  // at the end of the file; throws if the file ends mid-record.
  std::size_t ReadRecords(std::uint8_t* dst, std::size_t capacity,
                          std::size_t* count);

 private:
  // Reads the next chunk into the decoder; false at end of file.
  bool ReadChunk();

  std::string path_;
  int fd_{-1};
  DbnDecoder decoder_;
  std::vector<std::uint8_t> chunk_;
  bool finished_{false};
  std::exception_ptr pending_error_;
};

}  // namespace databento
