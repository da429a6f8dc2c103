#include "databento/dbn_file_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "databento/dbn_error.hpp"

namespace databento {
namespace {

constexpr std::size_t kChunkSize = 1 << 20;

DbnError IoError(const std::string& what, const std::string& path) {
  return DbnError{DbnErrorCode::Io,
                  what + " " + path + ": " + std::strerror(errno)};
}

}  // namespace

DbnFileStore::DbnFileStore(const std::string& path,
                           DbnDecoder::Options options)
    : path_{path}, decoder_{options}, chunk_(kChunkSize) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) {
    throw IoError("cannot open", path);
  }
  try {
    while (options.has_metadata && !decoder_.HeaderDone()) {
      if (!ReadChunk()) {
        decoder_.Finish();  // throws the truncation error
      }
    }
  } catch (...) {
    ::close(fd_);
    throw;
  }
}

DbnFileStore::~DbnFileStore() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
}

bool DbnFileStore::ReadChunk() {
  ssize_t n;
  do {
    n = ::read(fd_, chunk_.data(), chunk_.size());
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    throw IoError("cannot read", path_);
  }
  if (n == 0) {
    return false;
  }
  decoder_.Write(chunk_.data(), static_cast<std::size_t>(n));
  return true;
}

std::size_t DbnFileStore::ReadRecords(std::uint8_t* dst, std::size_t capacity,
                                      std::size_t* count) {
  *count = 0;
  if (pending_error_) {
    std::rethrow_exception(std::exchange(pending_error_, nullptr));
  }
  std::size_t written = 0;
  try {
    // Fill the batch across chunk boundaries: a full batch costs JS one call.
    while (!finished_ && capacity - written >= DbnDecoder::kMaxRecordBytes) {
      std::size_t n = 0;
      written += decoder_.ReadRecords(dst + written, capacity - written, &n);
      *count += n;
      if (n == 0 && !ReadChunk()) {
        finished_ = true;
        decoder_.Finish();
      }
    }
  } catch (...) {
    if (written == 0) throw;
    // Hand out the good records first; the error follows on the next call.
    pending_error_ = std::current_exception();
  }
  return written;
}

}  // namespace databento
