#pragma once

// Reads batches of records one ahead of their consumer, on a thread of its
// own: while the consumer works through one batch, the next is read and
// decoded (a synchronous `for...of` over a file then costs the slower of the
// two, not their sum). Two buffers go round: the one the consumer holds and
// the one being filled.

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace databento {

class ReadAhead {
 public:
  // Fills dst[0, capacity) with whole records: returns the bytes written and
  // sets *count; 0 records at the end. May throw.
  using Read = std::function<std::size_t(std::uint8_t* dst, std::size_t capacity, std::size_t* count)>;

  struct Batch {
    const std::uint8_t* data{};
    std::size_t bytes{};
    std::size_t count{};  // 0: the end
  };

  // Starts the thread, which reads the first batch at once.
  ReadAhead(Read read, std::size_t batch_bytes);
  // Stops the thread and waits for it (and for a read in progress).
  ~ReadAhead();
  ReadAhead(const ReadAhead&) = delete;
  ReadAhead& operator=(const ReadAhead&) = delete;

  // The next batch, waiting for it if need be; valid until the next call.
  // A failed read is rethrown here, after every batch before it; after the
  // end or a failure, every call returns the end.
  Batch Next();

 private:
  struct Ready {
    int buffer;
    std::size_t bytes;
    std::size_t count;
  };

  void Run();

  Read read_;
  std::vector<std::uint8_t> buffers_[2];
  std::mutex mu_;
  std::condition_variable changed_;
  int held_{-1};                // the buffer the consumer holds
  std::optional<Ready> ready_;  // read, not yet taken
  bool done_{false};            // the thread read the end, or failed
  std::exception_ptr error_;
  bool stop_{false};
  std::thread thread_;
};

}  // namespace databento
