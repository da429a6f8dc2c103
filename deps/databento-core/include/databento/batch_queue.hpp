#pragma once

// The bounded hand-off between a live session thread (the producer) and the
// thread that consumes its records (the consumer: in the addon, the JS
// thread). Only batches count against the bound: when it is reached the
// producer blocks before reading more, so TCP pushes back on the gateway and
// memory stays bounded however slow the consumer is.
//
// The consumer pulls at its own pace. It is woken only when it asked to be:
// a Pop() that finds nothing arms the wake-up, the next push fires it (once).
// So a consumer that is behind is never woken again and again; it comes back
// when it is ready.

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "databento/error_codes.hpp"
#include "databento/live_blocking.hpp"
#include "databento/live_error.hpp"
#include "databento/metadata.hpp"

namespace databento {

class BatchQueue {
 public:
  // What an item carries (generated: the numbers cross into JS).
  using Kind = LiveEventKind;

  struct Item {
    Kind kind{Kind::End};
    // Batch: whole records in data[0, info.bytes).
    std::vector<std::uint8_t> data;
    RecordBatchInfo info;
    // Metadata: the header and the layout of the records that follow.
    std::optional<Metadata> metadata;
    std::uint8_t version{};
    bool ts_out{};
    // Error: the session's failure.
    std::optional<LiveError> error;
  };

  // Called (with the queue's lock held, so it must not call back into the
  // queue) when an item arrives for a consumer that asked to be woken.
  // Returns false if the wake-up could not be sent: the queue stays armed.
  using Wake = std::function<bool()>;

  explicit BatchQueue(std::size_t max_batches);
  BatchQueue(const BatchQueue&) = delete;
  BatchQueue& operator=(const BatchQueue&) = delete;

  // -- producer ----------------------------------------------------------
  // Hands `buf` (its first info.bytes) over, blocking while the queue holds
  // max_batches batches. `buf` is left holding a recycled buffer (or
  // empty). Returns false, keeping `buf`, once Stop() was called.
  bool PushBatch(std::vector<std::uint8_t>& buf, const RecordBatchInfo& info);
  // Metadata, Error and End items: never block, never dropped by the bound.
  void Push(Item item);

  // -- consumer ----------------------------------------------------------
  // The next item, or nullopt (and the wake-up armed) when there is none.
  // After Stop(), batches and metadata are dropped: only errors and the end
  // come through.
  std::optional<Item> Pop();
  // Gives a consumed batch's buffer back for the producer to fill again.
  void Recycle(std::vector<std::uint8_t> buf);

  // -- either side --------------------------------------------------------
  // Unblocks the producer for good and makes Pop() skip data. Idempotent.
  void Stop();
  bool Stopped() const;
  // Empties the queue for a new run of the producer (after it ended) and
  // installs its wake-up (nullptr: none). The stop state is kept.
  void Reset(Wake wake);
  // Removes the wake-up (the consumer is going away).
  void ClearWake();
  std::size_t QueuedBatches() const;
  std::size_t MaxBatches() const { return max_batches_; }

  // Recycled buffers kept at most: a few, so a burst does not pin memory.
  static constexpr std::size_t kMaxSpare = 4;

 private:
  void WakeLocked();

  const std::size_t max_batches_;
  mutable std::mutex mu_;
  std::condition_variable room_;
  std::deque<Item> items_;
  std::size_t batches_{};
  std::vector<std::vector<std::uint8_t>> spare_;
  Wake wake_;
  bool armed_{true};
  bool stopped_{false};
};

}  // namespace databento
