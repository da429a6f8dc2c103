#pragma once

// A DBN file as text (CSV, TSV or JSON lines, optionally zstd-compressed),
// produced on a thread of its own: it reads, decodes and encodes ahead of
// the consumer into a few chunks of text, so that consuming one chunk (in the
// addon, copying it into JS and writing it out) overlaps with encoding the
// next. Memory stays bounded: the thread waits while `max_chunks` chunks are
// ready and not yet taken.

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "databento/byte_buffer.hpp"
#include "databento/dbn_file_store.hpp"
#include "databento/text_encoder.hpp"
#include "databento/zstd.hpp"

namespace databento {

class TextFileEncoder {
 public:
  struct Options {
    DbnDecoder::Options decoder;
    // The records' version and ts_out are the file's, whatever these say.
    TextEncoderOptions text;
    bool zstd{false};
    std::size_t limit{SIZE_MAX};  // records to encode at most
    std::size_t chunk_bytes{256 * 1024};
    std::size_t max_chunks{4};
  };

  // Opens the file, reads its metadata and starts the thread. `metadata`
  // (may be null) supplies the symbol mappings. Throws DbnError as
  // DbnFileStore and TextEncoder do.
  TextFileEncoder(const std::string& path, const Options& options, const Metadata* metadata);
  // Closes.
  ~TextFileEncoder();
  TextFileEncoder(const TextFileEncoder&) = delete;
  TextFileEncoder& operator=(const TextFileEncoder&) = delete;

  // Waits for the next chunk of text and moves it into `out` (whose own
  // buffer is kept for reuse). Returns false at the end of the text, or once
  // stopped. Rethrows the thread's failure, after the text of the records
  // before it.
  bool Next(ByteBuffer& out);
  // As Next(), without waiting: NotYet while no chunk is ready and the
  // text has not ended.
  enum class Taken { Chunk, End, NotYet };
  Taken TryNext(ByteBuffer& out);
  // Ends the thread at its next step and makes Next() return false; any
  // thread, idempotent.
  void Stop();
  // Stops and joins the thread; idempotent. Next() still answers (false).
  void Close();
  std::uint64_t RecordsWritten() const { return written_.load(std::memory_order_relaxed); }

 private:
  void Run();
  // The next chunk (or the end, or the thread's failure) into `out`, once
  // one is there; `lock` holds mu_.
  Taken Take(std::unique_lock<std::mutex>& lock, ByteBuffer& out);
  // Hands `ready` over, waiting for room; leaves a spare buffer in it.
  // Returns false once stopped.
  bool Publish(ByteBuffer& ready);

  DbnFileStore file_;
  TextEncoder encoder_;
  std::unique_ptr<ZstdCompressor> zstd_;
  const std::size_t limit_;
  const std::size_t chunk_bytes_;
  const std::size_t max_chunks_;
  std::atomic<std::uint64_t> written_{0};

  std::mutex mu_;
  std::condition_variable room_;   // the thread waits for a chunk to be taken
  std::condition_variable ready_;  // the consumer waits for a chunk
  std::deque<ByteBuffer> chunks_;
  std::vector<ByteBuffer> spare_;
  std::exception_ptr error_;
  bool ended_{false};
  bool stopped_{false};
  std::mutex join_mu_;  // Close() may come from two threads
  std::thread thread_;  // last: starts once everything above is built
};

}  // namespace databento
