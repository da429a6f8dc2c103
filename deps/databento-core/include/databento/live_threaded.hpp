#pragma once

// A live session whose records are read on its own thread and pushed to
// callbacks in batches. Mirrors the official client's LiveThreaded, with
// batches instead of single records: the callbacks run on the session
// thread and may block it (that is how a slow consumer pushes back: the
// thread stops reading and TCP flow control slows the gateway).

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "databento/batch_queue.hpp"
#include "databento/live_blocking.hpp"

namespace databento {

class LiveThreaded {
 public:
  enum class KeepGoing : std::uint8_t {
    Continue,
    Stop,
    // The consumer reads the socket from now on (ReadAsConsumer); the thread
    // waits in `await_reading` until it has reading back.
    ConsumerReads,
  };
  enum class ExceptionAction : std::uint8_t {
    Restart,  // start again (the callback may have called Reconnect + Resubscribe)
    Stop,     // end the thread
  };

  struct Callbacks {
    // After start_session: the session's metadata header.
    std::function<void(Metadata)> metadata;
    // Where the next batch is decoded: a free slot of at least
    // DbnDecoder::kMaxRecordBytes, blocking until there is one; nullopt ends
    // the thread. Unset: the thread decodes into a buffer of its own.
    std::function<std::optional<BatchSlot>()> acquire;
    // A batch of whole records in slot.data[0, info.bytes); the slot is the
    // callback's from now on.
    std::function<KeepGoing(const BatchSlot& slot, const RecordBatchInfo& info)> batch;
    // A slot from `acquire` that was not filled (stopped or failed).
    std::function<void(const BatchSlot& slot)> unused;
    // A failure of the session (never called for errors caused by Stop()).
    std::function<ExceptionAction(const LiveError& error)> exception;
    // Last thing the thread does, whatever the reason it ends.
    std::function<void()> exit;
    // After ConsumerReads: waits until reading is the thread's again (true;
    // also when stopping) or the deadline passes (false).
    std::function<bool(std::chrono::steady_clock::time_point deadline)> await_reading;
    // Makes reading the thread's again (the consumer's reads have been
    // silent for the heartbeat timeout: the thread applies the rule).
    std::function<void()> return_reading;
  };

  // What a consumer's read did.
  struct ConsumerRead {
    bool read{false};       // it was the consumer's turn and it read
    RecordBatchInfo info;   // records written into the slot (none: nothing ready)
    // Reading should go back to the thread: the slot filled (the feed is
    // busy), or the read failed (the thread reports the error).
    bool give_back{false};
    // When the connection changed since `known_connection`: a duplicate of
    // its socket descriptor to wait on (the caller closes it), and its number.
    int socket{-1};
    std::uint64_t connection{};
  };

  // What the thread does after a batch callback pushed its batch to a
  // BatchQueue: go on, stop (the queue was stopped), or park while the
  // consumer reads.
  static KeepGoing AfterPush(BatchQueue::Pushed pushed) {
    switch (pushed) {
      case BatchQueue::Pushed::ReadingHandedOver:
        return KeepGoing::ConsumerReads;
      case BatchQueue::Pushed::Dropped:
        return KeepGoing::Stop;
      case BatchQueue::Pushed::Queued:
        break;
    }
    return KeepGoing::Continue;
  }

  // 64 KiB batches: big enough that per-batch costs vanish under load.
  static constexpr std::size_t kDefaultBatchBytes = 64 * 1024;

  explicit LiveThreaded(LiveOptions options, std::size_t batch_bytes = kDefaultBatchBytes);
  // Stops and joins the thread.
  ~LiveThreaded();
  LiveThreaded(const LiveThreaded&) = delete;
  LiveThreaded& operator=(const LiveThreaded&) = delete;

  std::uint32_t Subscribe(LiveSubscription sub) { return blocking_->Subscribe(std::move(sub)); }

  // Starts the thread: it connects (unless connected), sends start_session,
  // reports the metadata and then batches until stopped or failed.
  // Throws LiveError(InvalidState) while an earlier thread is still running.
  void Start(Callbacks callbacks);
  // As Start, but the thread first reconnects (new connection, new
  // authentication) and resubscribes without start times: for a session
  // whose thread ended with an error.
  void Restart(Callbacks callbacks);

  // A read of the socket by the consumer, with a zero timeout, into `slot`,
  // while the thread is parked after ConsumerReads. It reads only if the
  // session's reader lock is free and `may_read` (called with it held)
  // agrees. Never blocks, never throws: a failure is kept for the thread.
  ConsumerRead ReadAsConsumer(const BatchSlot& slot, const std::function<bool()>& may_read,
                              std::uint64_t known_connection);

  // Asks the thread to end; returns at once. Thread-safe, idempotent, final.
  void Stop() { blocking_->Stop(); }
  // Waits for the thread to end. Never call it from a callback.
  void Join();
  // Whether a thread was started and not yet joined.
  bool Joinable() const;

  LiveBlocking& Blocking() { return *blocking_; }
  const LiveBlocking& Blocking() const { return *blocking_; }

 private:
  void Launch(Callbacks callbacks, bool reconnect_first);
  void Run(const Callbacks& callbacks, bool reconnect_first);
  // While the consumer reads: parked (the reader lock released), watching
  // the heartbeat. Returns with the lock held again; throws the consumer's
  // read failure.
  void AwaitReading(const Callbacks& callbacks, std::unique_lock<std::mutex>& reader);

  std::unique_ptr<LiveBlocking> blocking_;
  // Held by whoever reads the session: the thread, or the consumer for one read.
  std::mutex reader_mu_;
  std::optional<LiveError> consumer_error_;  // under reader_mu_
  // When the consumer last received data (steady clock ticks).
  std::atomic<std::int64_t> consumer_data_at_{};
  const std::size_t batch_bytes_;
  mutable std::mutex thread_mu_;
  std::thread thread_;
};

}  // namespace databento
