#pragma once

// The bounded hand-off between a live session thread (the producer) and the
// thread that consumes its records (the consumer: in the addon, the JS
// thread).
//
// The consumer lends the buffers the producer decodes into ("slots": a
// pointer, a capacity and the consumer's id for it). The producer takes a
// free slot, fills it and pushes it; the consumer pops it and, once done
// with it, lends it again (or keeps it and lends another). So a batch is
// written once, where the consumer reads it, and the number of lent slots is
// the bound: with none free the producer blocks before reading more, TCP
// pushes back on the gateway and memory stays bounded however slow the
// consumer is.
//
// The consumer pulls at its own pace. It is woken only when it asked to be:
// a Pop() that finds nothing arms the wake-up, the next push fires it (once).
// So a consumer that is behind is never woken again and again; it comes back
// when it is ready.
//
// Who reads the socket. Passing each record through the producer costs two
// thread wake-ups in a row (the producer's, then the consumer's) where the
// consumer alone would need one. So when the feed is quiet (a small batch
// for a consumer that was waiting) and the consumer said it can (it has an
// event loop that can wait for the socket), reading passes to the consumer
// with that batch. The producer parks; the consumer reads whenever the
// socket is readable and the queue is empty, and gives reading back when a
// read fills its slot (the feed got busy) or fails. The producer holds the
// session's reader lock while it reads; the consumer reads only holding it
// and only while the queue is empty: so records stay in order.

#include <chrono>
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

// A buffer lent by the consumer: the producer writes data[0, capacity) while
// it holds the slot, never after pushing it.
struct BatchSlot {
  std::uint8_t* data{};
  std::size_t capacity{};
  std::uint32_t id{};
};

class BatchQueue {
 public:
  // What an item carries (generated: the numbers cross into JS).
  using Kind = LiveEventKind;

  struct Item {
    Kind kind{Kind::End};
    // Batch: whole records in slot.data[0, info.bytes).
    BatchSlot slot;
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

  enum class Pushed : std::uint8_t {
    Queued,
    ReadingHandedOver,  // queued, and reading is the consumer's from now on
    Dropped,            // stopped: the slot went back to the free list
  };

  BatchQueue() = default;
  BatchQueue(const BatchQueue&) = delete;
  BatchQueue& operator=(const BatchQueue&) = delete;

  // -- producer ----------------------------------------------------------
  // A free slot to fill, blocking while there is none; nullopt once Stop()
  // was called. The most recently freed slot comes first (warm in cache).
  std::optional<BatchSlot> Acquire();
  // Hands a filled slot over (its first info.bytes). Never blocks. Once
  // Stop() was called the slot goes back to the free list (Dropped). Passes
  // reading to the consumer (see above) when it may read, it was waiting
  // and the batch fills at most a quarter of its slot.
  Pushed PushBatch(const BatchSlot& slot, const RecordBatchInfo& info);
  // Metadata, Error and End items.
  void Push(Item item);
  // After ReadingHandedOver: waits until reading is the producer's again
  // (true; also once stopped) or the deadline passes (false).
  bool AwaitReading(std::chrono::steady_clock::time_point deadline);

  // -- consumer ----------------------------------------------------------
  // Adds a free slot: a new one, or a popped batch's slot given back.
  void Lend(const BatchSlot& slot);
  // The next item, or nullopt (and the wake-up armed) when there is none.
  // After Stop(), batches (their slots go back to the free list) and
  // metadata are dropped: only errors and the end come through.
  std::optional<Item> Pop();
  // Forgets every free slot (their memory is about to go away). Only when
  // no producer runs.
  void DropFreeSlots();
  // A free slot for a read of the consumer's own, without waiting.
  std::optional<BatchSlot> TryAcquire();
  // Whether the consumer may read the socket now: reading is its own and
  // the queue is empty.
  bool ConsumerMayRead() const;

  // -- either side --------------------------------------------------------
  // Unblocks the producer for good and makes Pop() skip data. Idempotent.
  void Stop();
  bool Stopped() const;
  // Empties the queue for a new run of the producer (after it ended): the
  // slots of queued batches become free. Installs the run's wake-up
  // (nullptr: none). The stop state is kept.
  void Reset(Wake wake);
  // Removes the wake-up (the consumer is going away).
  void ClearWake();
  // Whether reading may pass to the consumer (off by default).
  void AllowConsumerReads(bool allow);
  // Reading is the producer's (again); wakes a parked producer.
  void ReturnReading();
  std::size_t QueuedBatches() const;
  std::size_t FreeSlots() const;

 private:
  void WakeLocked();

  enum class Reader : std::uint8_t { Producer, Consumer };

  mutable std::mutex mu_;
  std::condition_variable slot_freed_;
  std::condition_variable reading_returned_;
  std::deque<Item> items_;
  std::size_t batches_{};
  std::vector<BatchSlot> free_;
  Wake wake_;
  bool armed_{true};
  bool stopped_{false};
  bool consumer_reads_allowed_{false};
  Reader reader_{Reader::Producer};
};

}  // namespace databento
