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

void LiveThreaded::Run(const Callbacks& cb, bool reconnect_first) {
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
        if (cb.batch && cb.batch(*slot, info) == KeepGoing::Stop) keep_going = false;
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
