#include "databento/batch_queue.hpp"

#include <utility>

namespace databento {

std::optional<BatchSlot> BatchQueue::Acquire() {
  std::unique_lock lock{mu_};
  slot_freed_.wait(lock, [&] { return stopped_ || !free_.empty(); });
  if (stopped_) return std::nullopt;
  const BatchSlot slot = free_.back();
  free_.pop_back();
  return slot;
}

std::optional<BatchSlot> BatchQueue::TryAcquire() {
  std::lock_guard lock{mu_};
  if (stopped_ || free_.empty()) return std::nullopt;
  const BatchSlot slot = free_.back();
  free_.pop_back();
  return slot;
}

BatchQueue::Pushed BatchQueue::PushBatch(const BatchSlot& slot, const RecordBatchInfo& info) {
  std::lock_guard lock{mu_};
  if (stopped_) {
    free_.push_back(slot);
    return Pushed::Dropped;
  }
  const bool consumer_waiting = armed_ && items_.empty();
  const bool hand_over = consumer_reads_allowed_ && consumer_waiting && info.bytes * 4 <= slot.capacity;
  if (hand_over) reader_ = Reader::Consumer;
  Item item;
  item.kind = Kind::Batch;
  item.slot = slot;
  item.info = info;
  items_.push_back(std::move(item));
  ++batches_;
  WakeLocked();
  return hand_over ? Pushed::ReadingHandedOver : Pushed::Queued;
}

bool BatchQueue::AwaitReading(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock{mu_};
  return reading_returned_.wait_until(lock, deadline,
                                      [&] { return stopped_ || reader_ == Reader::Producer; });
}

bool BatchQueue::ConsumerMayRead() const {
  std::lock_guard lock{mu_};
  return !stopped_ && reader_ == Reader::Consumer && items_.empty();
}

void BatchQueue::AllowConsumerReads(bool allow) {
  std::lock_guard lock{mu_};
  consumer_reads_allowed_ = allow;
}

void BatchQueue::ReturnReading() {
  {
    std::lock_guard lock{mu_};
    reader_ = Reader::Producer;
  }
  reading_returned_.notify_all();
}

void BatchQueue::Push(Item item) {
  std::lock_guard lock{mu_};
  items_.push_back(std::move(item));
  WakeLocked();
}

void BatchQueue::Lend(const BatchSlot& slot) {
  {
    std::lock_guard lock{mu_};
    free_.push_back(slot);
  }
  slot_freed_.notify_one();
}

std::optional<BatchQueue::Item> BatchQueue::Pop() {
  std::optional<Item> out;
  bool freed = false;
  {
    std::lock_guard lock{mu_};
    while (!items_.empty()) {
      Item item = std::move(items_.front());
      items_.pop_front();
      if (item.kind == Kind::Batch) {
        --batches_;
        if (stopped_) {
          free_.push_back(item.slot);
          freed = true;
          continue;
        }
      } else if (item.kind == Kind::Metadata && stopped_) {
        continue;
      }
      out = std::move(item);
      break;
    }
    if (!out) armed_ = true;
  }
  if (freed) slot_freed_.notify_one();
  return out;
}

void BatchQueue::DropFreeSlots() {
  std::lock_guard lock{mu_};
  free_.clear();
}

void BatchQueue::Stop() {
  {
    std::lock_guard lock{mu_};
    stopped_ = true;
  }
  slot_freed_.notify_all();
  reading_returned_.notify_all();
}

bool BatchQueue::Stopped() const {
  std::lock_guard lock{mu_};
  return stopped_;
}

void BatchQueue::Reset(Wake wake) {
  std::lock_guard lock{mu_};
  for (const auto& item : items_) {
    if (item.kind == Kind::Batch) free_.push_back(item.slot);
  }
  items_.clear();
  batches_ = 0;
  wake_ = std::move(wake);
  armed_ = true;
  reader_ = Reader::Producer;
}

void BatchQueue::ClearWake() {
  std::lock_guard lock{mu_};
  wake_ = nullptr;
}

std::size_t BatchQueue::QueuedBatches() const {
  std::lock_guard lock{mu_};
  return batches_;
}

std::size_t BatchQueue::FreeSlots() const {
  std::lock_guard lock{mu_};
  return free_.size();
}

void BatchQueue::WakeLocked() {
  if (!armed_ || !wake_) return;
  if (wake_()) armed_ = false;
}

}  // namespace databento
