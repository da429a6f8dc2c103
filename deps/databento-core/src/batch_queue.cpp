#include "databento/batch_queue.hpp"

#include <utility>

namespace databento {

BatchQueue::BatchQueue(std::size_t max_batches) : max_batches_{max_batches < 1 ? 1 : max_batches} {}

bool BatchQueue::PushBatch(std::vector<std::uint8_t>& buf, const RecordBatchInfo& info) {
  std::unique_lock lock{mu_};
  room_.wait(lock, [&] { return stopped_ || batches_ < max_batches_; });
  if (stopped_) return false;
  Item item;
  item.kind = Kind::Batch;
  item.data = std::move(buf);
  item.info = info;
  buf.clear();
  if (!spare_.empty()) {
    buf = std::move(spare_.back());
    spare_.pop_back();
  }
  items_.push_back(std::move(item));
  ++batches_;
  WakeLocked();
  return true;
}

void BatchQueue::Push(Item item) {
  std::lock_guard lock{mu_};
  items_.push_back(std::move(item));
  WakeLocked();
}

std::optional<BatchQueue::Item> BatchQueue::Pop() {
  std::optional<Item> out;
  bool freed_room = false;
  {
    std::lock_guard lock{mu_};
    while (!items_.empty()) {
      Item item = std::move(items_.front());
      items_.pop_front();
      if (item.kind == Kind::Batch) {
        --batches_;
        freed_room = true;
        if (stopped_) {
          if (spare_.size() < kMaxSpare) spare_.push_back(std::move(item.data));
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
  if (freed_room) room_.notify_one();
  return out;
}

void BatchQueue::Recycle(std::vector<std::uint8_t> buf) {
  std::lock_guard lock{mu_};
  if (spare_.size() < kMaxSpare && !buf.empty()) spare_.push_back(std::move(buf));
}

void BatchQueue::Stop() {
  {
    std::lock_guard lock{mu_};
    stopped_ = true;
  }
  room_.notify_all();
}

bool BatchQueue::Stopped() const {
  std::lock_guard lock{mu_};
  return stopped_;
}

void BatchQueue::Reset(Wake wake) {
  std::lock_guard lock{mu_};
  for (auto& item : items_) {
    if (item.kind == Kind::Batch && spare_.size() < kMaxSpare) spare_.push_back(std::move(item.data));
  }
  items_.clear();
  batches_ = 0;
  wake_ = std::move(wake);
  armed_ = true;
}

void BatchQueue::ClearWake() {
  std::lock_guard lock{mu_};
  wake_ = nullptr;
}

std::size_t BatchQueue::QueuedBatches() const {
  std::lock_guard lock{mu_};
  return batches_;
}

void BatchQueue::WakeLocked() {
  if (!armed_ || !wake_) return;
  if (wake_()) armed_ = false;
}

}  // namespace databento
