#include "databento/read_ahead.hpp"

#include <utility>

namespace databento {

ReadAhead::ReadAhead(Read read, std::size_t batch_bytes) : read_{std::move(read)} {
  for (auto& b : buffers_) b.resize(batch_bytes);
  thread_ = std::thread{[this] { Run(); }};
}

ReadAhead::~ReadAhead() {
  {
    std::lock_guard lock{mu_};
    stop_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void ReadAhead::Run() {
  for (;;) {
    int buffer;
    {
      std::unique_lock lock{mu_};
      // One batch ahead at most: wait until the last one read was taken.
      changed_.wait(lock, [&] { return stop_ || !ready_; });
      if (stop_) return;
      buffer = held_ == 0 ? 1 : 0;
    }
    Ready ready{buffer, 0, 0};
    std::exception_ptr error;
    try {
      auto& b = buffers_[buffer];
      ready.bytes = read_(b.data(), b.size(), &ready.count);
    } catch (...) {
      error = std::current_exception();
    }
    {
      std::lock_guard lock{mu_};
      if (error) {
        error_ = std::move(error);
      } else {
        ready_ = ready;
      }
      done_ = error_ || ready.count == 0;
    }
    changed_.notify_all();
    if (done_) return;  // written by this thread only
  }
}

ReadAhead::Batch ReadAhead::Next() {
  std::unique_lock lock{mu_};
  changed_.wait(lock, [&] { return ready_ || done_; });
  if (ready_) {
    const Ready r = *ready_;
    ready_.reset();
    held_ = r.buffer;
    lock.unlock();
    changed_.notify_all();  // the other buffer is free to fill
    return {buffers_[r.buffer].data(), r.bytes, r.count};
  }
  held_ = -1;
  if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
  return {};
}

}  // namespace databento
