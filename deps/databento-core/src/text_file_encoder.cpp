#include "databento/text_file_encoder.hpp"

#include <utility>

namespace databento {
namespace {

// Records are read from the file this many bytes at a time.
constexpr std::size_t kReadBytes = 256 * 1024;

TextEncoderOptions ForFile(TextEncoderOptions text, const DbnFileStore& file) {
  text.version = file.Decoder().OutputVersion();
  text.ts_out = file.Decoder().TsOut();
  return text;
}

}  // namespace

TextFileEncoder::TextFileEncoder(const std::string& path, const Options& options,
                                 const Metadata* metadata)
    : file_{path, options.decoder},
      encoder_{ForFile(options.text, file_), metadata},
      zstd_{options.zstd ? std::make_unique<ZstdCompressor>() : nullptr},
      limit_{options.limit},
      chunk_bytes_{options.chunk_bytes},
      max_chunks_{options.max_chunks < 1 ? 1 : options.max_chunks},
      thread_{[this] { Run(); }} {}

TextFileEncoder::~TextFileEncoder() { Close(); }

void TextFileEncoder::Close() {
  Stop();
  std::lock_guard lock{join_mu_};
  if (thread_.joinable()) thread_.join();
}

void TextFileEncoder::Stop() {
  {
    std::lock_guard lock{mu_};
    stopped_ = true;
  }
  room_.notify_all();
  ready_.notify_all();
}

bool TextFileEncoder::Next(ByteBuffer& out) {
  std::unique_lock lock{mu_};
  ready_.wait(lock, [&] { return !chunks_.empty() || ended_ || stopped_; });
  return Take(lock, out) == Taken::Chunk;
}

TextFileEncoder::Taken TextFileEncoder::TryNext(ByteBuffer& out) {
  std::unique_lock lock{mu_};
  if (chunks_.empty() && !ended_ && !stopped_) return Taken::NotYet;
  return Take(lock, out);
}

TextFileEncoder::Taken TextFileEncoder::Take(std::unique_lock<std::mutex>& lock, ByteBuffer& out) {
  if (out.capacity() != 0 && spare_.size() < max_chunks_) {
    out.Clear();
    spare_.push_back(std::move(out));
  }
  out.Clear();
  if (stopped_) return Taken::End;
  if (!chunks_.empty()) {
    out = std::move(chunks_.front());
    chunks_.pop_front();
    lock.unlock();
    room_.notify_one();
    return Taken::Chunk;
  }
  if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
  return Taken::End;
}

bool TextFileEncoder::Publish(ByteBuffer& ready) {
  std::unique_lock lock{mu_};
  room_.wait(lock, [&] { return chunks_.size() < max_chunks_ || stopped_; });
  if (stopped_) return false;
  chunks_.push_back(std::move(ready));
  if (!spare_.empty()) {
    ready = std::move(spare_.back());
    spare_.pop_back();
  }
  lock.unlock();
  ready_.notify_one();
  return true;
}

void TextFileEncoder::Run() {
  std::exception_ptr error;
  try {
    std::vector<std::uint8_t> records(kReadBytes);
    ByteBuffer compressed;
    ByteBuffer& ready = zstd_ ? compressed : encoder_.Output();
    for (bool end = false; !end;) {
      {
        // Checked per read: with a schema filter, chunks may fill slowly.
        std::lock_guard lock{mu_};
        if (stopped_) return;
      }
      std::size_t count = 0;
      const std::size_t bytes = file_.ReadRecords(records.data(), records.size(), &count);
      const std::uint64_t done = encoder_.RecordsWritten();
      if (bytes != 0 && done < limit_) encoder_.Encode(records.data(), bytes, limit_ - done);
      written_.store(encoder_.RecordsWritten(), std::memory_order_relaxed);
      end = bytes == 0 || encoder_.RecordsWritten() >= limit_;
      if (zstd_) {
        ByteBuffer& text = encoder_.Output();
        zstd_->Compress(text.data(), text.size(), compressed);
        text.Clear();
        if (end) zstd_->End(compressed);
      }
      if ((ready.size() >= chunk_bytes_ || (end && !ready.empty())) && !Publish(ready)) return;
    }
  } catch (...) {
    error = std::current_exception();
  }
  {
    std::lock_guard lock{mu_};
    error_ = error;
    ended_ = true;
  }
  ready_.notify_all();
}

}  // namespace databento
