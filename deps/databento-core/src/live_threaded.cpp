#include "databento/live_threaded.hpp"

#include <exception>
#include <utility>

namespace databento {

LiveThreaded::LiveThreaded(LiveOptions options, std::size_t batch_bytes)
    : blocking_{std::make_unique<LiveBlocking>(std::move(options))},
      batch_bytes_{batch_bytes < DbnDecoder::kMaxRecordBytes ? DbnDecoder::kMaxRecordBytes
                                                             : batch_bytes} {}

LiveThreaded::~LiveThreaded() {
  Stop();
  Join();
}

void LiveThreaded::Start(Callbacks callbacks) { Launch(std::move(callbacks), false); }

void LiveThreaded::Restart(Callbacks callbacks) { Launch(std::move(callbacks), true); }

void LiveThreaded::Launch(Callbacks callbacks, bool reconnect_first) {
  std::lock_guard lock{thread_mu_};
  if (thread_.joinable()) {
    throw LiveError{LiveErrorCode::InvalidState, "The session thread is already running"};
  }
  if (blocking_->IsStopped()) {
    throw LiveError{LiveErrorCode::InvalidState, "The session was stopped"};
  }
  thread_ = std::thread{[this, cb = std::move(callbacks), reconnect_first] {
    Run(cb, reconnect_first);
  }};
}

void LiveThreaded::Join() {
  std::thread t;
  {
    std::lock_guard lock{thread_mu_};
    t = std::move(thread_);
  }
  if (t.joinable()) t.join();
}

bool LiveThreaded::Joinable() const {
  std::lock_guard lock{thread_mu_};
  return thread_.joinable();
}

namespace {

// Gives an acquired slot back unless it was handed over with a batch.
class SlotGuard {
 public:
  SlotGuard(const LiveThreaded::Callbacks& cb, const BatchSlot& slot) : cb_{cb}, slot_{slot} {}
  SlotGuard(const SlotGuard&) = delete;
  SlotGuard& operator=(const SlotGuard&) = delete;
  ~SlotGuard() {
    if (held_ && cb_.unused) cb_.unused(slot_);
  }
  void HandedOver() { held_ = false; }

 private:
  const LiveThreaded::Callbacks& cb_;
  BatchSlot slot_;
  bool held_{true};
};

}  // namespace

LiveThreaded::ConsumerRead LiveThreaded::ReadAsConsumer(const BatchSlot& slot,
                                                       const std::function<bool()>& may_read,
                                                       std::uint64_t known_connection) {
  ConsumerRead out;
  std::unique_lock reader{reader_mu_, std::try_to_lock};
  if (!reader.owns_lock() || !may_read()) return out;
  out.read = true;
  try {
    if (slot.capacity < DbnDecoder::kMaxRecordBytes) {
      throw LiveError{LiveErrorCode::Internal, "A batch buffer is smaller than the largest record"};
    }
    out.info = blocking_->NextRecords(slot.data, slot.capacity, std::chrono::milliseconds{0});
  } catch (const LiveError& e) {
    consumer_error_ = e;
  } catch (const std::exception& e) {
    consumer_error_ = LiveError{LiveErrorCode::Internal, e.what()};
  }
  if (consumer_error_) {
    out.give_back = true;
    return out;
  }
  if (out.info.bytes > 0) {
    consumer_data_at_.store(LiveBlocking::Clock::now().time_since_epoch().count(), std::memory_order_relaxed);
  }
  if (slot.capacity - out.info.bytes < DbnDecoder::kMaxRecordBytes) out.give_back = true;
  if (!out.give_back && blocking_->ConnectionNumber() != known_connection) {
    out.socket = blocking_->DuplicateSocket();
    out.connection = blocking_->ConnectionNumber();
    if (out.socket < 0) out.give_back = true;  // nothing to wait on: the thread reads
  }
  return out;
}

void LiveThreaded::AwaitReading(const Callbacks& cb, std::unique_lock<std::mutex>& reader) {
  using Clock = LiveBlocking::Clock;
  const auto limit = blocking_->HeartbeatTimeout();
  const auto data_at = [&] {
    return Clock::time_point{Clock::duration{consumer_data_at_.load(std::memory_order_relaxed)}};
  };
  consumer_data_at_.store(Clock::now().time_since_epoch().count(), std::memory_order_relaxed);
  for (;;) {
    if (!cb.await_reading || cb.await_reading(data_at() + limit)) break;
    const auto silent = Clock::now() - data_at();
    if (silent < limit) continue;  // data came meanwhile
    // Silent for the heartbeat timeout: read again here, where the rule
    // applies, counting the silence so far.
    reader.lock();
    if (cb.return_reading) cb.return_reading();
    if (!consumer_error_) blocking_->AddSilence(Clock::now() - data_at());
    break;
  }
  if (!reader.owns_lock()) reader.lock();
  if (consumer_error_) {
    LiveError e = std::move(*consumer_error_);
    consumer_error_.reset();
    throw e;
  }
}

void LiveThreaded::Run(const Callbacks& cb, bool reconnect_first) {
  std::unique_lock reader{reader_mu_};
  consumer_error_.reset();
  // Without an `acquire` callback: one buffer of the thread's own, which
  // keeps its full size (a quiet feed must not zero-fill 64 KiB per record).
  std::vector<std::uint8_t> own;
  auto next_slot = [&]() -> std::optional<BatchSlot> {
    if (cb.acquire) return cb.acquire();
    if (own.size() < batch_bytes_) own.resize(batch_bytes_);
    return BatchSlot{own.data(), own.size(), 0};
  };
  bool reconnect = reconnect_first;
  while (!blocking_->IsStopped()) {
    try {
      if (reconnect) {
        reconnect = false;
        blocking_->Reconnect();
        blocking_->Resubscribe();
      } else if (!blocking_->IsConnected()) {
        blocking_->Connect();
      }
      Metadata metadata = blocking_->Start();
      if (blocking_->IsStopped()) break;
      if (cb.metadata) cb.metadata(std::move(metadata));
      bool keep_going = true;
      while (keep_going && !blocking_->IsStopped()) {
        const std::optional<BatchSlot> slot = next_slot();
        if (!slot) break;
        SlotGuard guard{cb, *slot};
        if (slot->capacity < DbnDecoder::kMaxRecordBytes) {
          throw LiveError{LiveErrorCode::Internal, "A batch buffer is smaller than the largest record"};
        }
        const RecordBatchInfo info = blocking_->NextRecords(slot->data, slot->capacity, std::nullopt);
        if (info.bytes == 0) continue;  // stopped (checked by the loop)
        guard.HandedOver();
        // Unlocked while handing the batch over: if reading passes to the
        // consumer with it, the consumer may read at once.
        reader.unlock();
        KeepGoing next = KeepGoing::Continue;
        try {
          if (cb.batch) next = cb.batch(*slot, info);
        } catch (...) {
          reader.lock();
          throw;
        }
        if (next == KeepGoing::ConsumerReads) {
          AwaitReading(cb, reader);
        } else {
          reader.lock();
        }
        if (next == KeepGoing::Stop) keep_going = false;
      }
      break;
    } catch (const LiveError& e) {
      if (blocking_->IsStopped()) break;  // errors caused by stopping are not failures
      if (!cb.exception || cb.exception(e) == ExceptionAction::Stop) break;
    } catch (const std::exception& e) {
      if (blocking_->IsStopped()) break;
      const LiveError err{LiveErrorCode::Internal, e.what()};
      if (!cb.exception || cb.exception(err) == ExceptionAction::Stop) break;
    }
  }
  // Stopped or failed, this connection is over: close the socket now rather
  // than at destruction, so the gateway sees the end at once. Restart()
  // opens a new one.
  blocking_->CloseConnection();
  if (cb.exit) cb.exit();
}

}  // namespace databento
