// Tests of the bounded hand-off between a session thread and its consumer:
// lent slots as the bound, the wake-ups, stopping, slots given back and a
// run with real threads (under ASan/UBSan in test/core.test.ts).

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstring>
#include <set>
#include <thread>
#include <vector>

#include "check.hpp"
#include "databento/batch_queue.hpp"

using databento::BatchQueue;
using databento::BatchSlot;
using databento::RecordBatchInfo;
using namespace std::chrono_literals;

namespace {

// Buffers the consumer lends, `count` of `size` bytes.
struct Buffers {
  explicit Buffers(std::size_t count, std::size_t size = 64) : memory(count, std::vector<std::uint8_t>(size)) {}
  BatchSlot Slot(std::uint32_t id) { return {memory[id].data(), memory[id].size(), id}; }
  void LendAll(BatchQueue& q) {
    for (std::uint32_t i = 0; i < memory.size(); ++i) q.Lend(Slot(i));
  }
  std::vector<std::vector<std::uint8_t>> memory;
};

RecordBatchInfo Info(std::size_t count) { return {count * 16, count, 0}; }

// Acquires a slot, writes `fill` at its start and pushes it.
bool Produce(BatchQueue& q, std::uint8_t fill) {
  auto slot = q.Acquire();
  if (!slot) return false;
  slot->data[0] = fill;
  return q.PushBatch(*slot, Info(1)) != BatchQueue::Pushed::Dropped;
}

// Waits up to a second for `cond`.
template <typename F>
bool Eventually(F cond) {
  for (int i = 0; i < 1000 && !cond(); ++i) std::this_thread::sleep_for(1ms);
  return cond();
}

}  // namespace

TEST("batch queue: items come out in order, batches in the slot they were written to") {
  BatchQueue q;
  Buffers bufs{1};
  bufs.LendAll(q);
  BatchQueue::Item md;
  md.kind = BatchQueue::Kind::Metadata;
  md.version = 3;
  q.Push(std::move(md));
  auto slot = q.Acquire();
  CHECK(slot && slot->id == 0 && slot->data == bufs.memory[0].data() && slot->capacity == 64);
  slot->data[0] = 7;
  CHECK(q.PushBatch(*slot, Info(2)) == BatchQueue::Pushed::Queued);
  CHECK(q.FreeSlots() == 0);
  auto first = q.Pop();
  CHECK(first && first->kind == BatchQueue::Kind::Metadata && first->version == 3);
  auto second = q.Pop();
  CHECK(second && second->kind == BatchQueue::Kind::Batch && second->info.count == 2);
  CHECK(second && second->slot.id == 0 && second->slot.data[0] == 7);
  CHECK(!q.Pop());
}

TEST("batch queue: the producer blocks without a free slot until one is lent") {
  BatchQueue q;
  Buffers bufs{3};
  bufs.LendAll(q);
  CHECK(Produce(q, 0));
  CHECK(Produce(q, 1));
  CHECK(q.QueuedBatches() == 2);
  CHECK(q.FreeSlots() == 1);
  auto held = q.Acquire();  // the producer's slot while it reads
  CHECK(held.has_value());
  std::atomic<bool> pushed{false};
  std::thread producer{[&] {
    Produce(q, 2);
    pushed = true;
  }};
  std::this_thread::sleep_for(50ms);
  CHECK(!pushed);  // every slot is taken
  // Errors and the end never wait for a slot.
  BatchQueue::Item end;
  end.kind = BatchQueue::Kind::End;
  q.Push(std::move(end));
  auto item = q.Pop();
  CHECK(item && item->slot.data[0] == 0);
  std::this_thread::sleep_for(20ms);
  CHECK(!pushed);  // popped, but not given back yet: the consumer still reads it
  q.Lend(item->slot);
  CHECK(Eventually([&] { return pushed.load(); }));
  producer.join();
  CHECK(q.Pop()->slot.data[0] == 1);
  CHECK(q.Pop()->kind == BatchQueue::Kind::End);
  auto last = q.Pop();
  CHECK(last && last->slot.id == item->slot.id && last->slot.data[0] == 2);  // the slot given back
  CHECK(!q.Pop());
  q.Lend(*held);
  CHECK(q.FreeSlots() == 1);
}

TEST("batch queue: the slot freed last is filled first") {
  BatchQueue q;
  Buffers bufs{3};
  bufs.LendAll(q);
  CHECK(q.Acquire()->id == 2);
  q.Lend(bufs.Slot(2));
  CHECK(q.Acquire()->id == 2);  // still warm in cache
  CHECK(q.Acquire()->id == 1);
}

TEST("batch queue: one wake-up per time the consumer found it empty") {
  BatchQueue q;
  Buffers bufs{8};
  bufs.LendAll(q);
  int wakes = 0;
  q.Reset([&] {
    ++wakes;
    return true;
  });
  Produce(q, 1);
  CHECK(wakes == 1);
  Produce(q, 2);
  BatchQueue::Item err;
  err.kind = BatchQueue::Kind::Error;
  err.error.emplace(databento::LiveErrorCode::ConnectionClosed, "closed");
  q.Push(std::move(err));
  CHECK(wakes == 1);  // the consumer has not come back yet
  CHECK(q.Pop());
  Produce(q, 3);
  CHECK(wakes == 1);  // it popped but did not find the queue empty
  CHECK(q.Pop());
  auto e = q.Pop();
  CHECK(e && e->kind == BatchQueue::Kind::Error && e->error && e->error->Code() == databento::LiveErrorCode::ConnectionClosed);
  CHECK(q.Pop());
  CHECK(!q.Pop());  // empty: armed again
  Produce(q, 4);
  CHECK(wakes == 2);
}

TEST("batch queue: a wake-up that could not be sent is retried on the next push") {
  BatchQueue q;
  Buffers bufs{8};
  bufs.LendAll(q);
  int attempts = 0;
  q.Reset([&] { return ++attempts > 1; });
  Produce(q, 1);
  Produce(q, 2);
  Produce(q, 3);
  CHECK(attempts == 2);
  q.ClearWake();
  while (q.Pop()) {
  }
  Produce(q, 4);
  CHECK(attempts == 2);  // no wake-up installed
}

TEST("batch queue: Stop unblocks the producer, drops data, not the end, and frees the slots") {
  BatchQueue q;
  Buffers bufs{1};
  bufs.LendAll(q);
  CHECK(Produce(q, 1));
  BatchQueue::Item md;
  md.kind = BatchQueue::Kind::Metadata;
  q.Push(std::move(md));
  std::atomic<int> result{-1};
  std::thread producer{[&] {
    result = q.Acquire() ? 1 : 0;
    BatchQueue::Item end;
    end.kind = BatchQueue::Kind::End;
    q.Push(std::move(end));
  }};
  std::this_thread::sleep_for(20ms);
  CHECK(result == -1);  // the one slot is queued
  q.Stop();
  CHECK(Eventually([&] { return result.load() != -1; }));
  producer.join();
  CHECK(result == 0);
  CHECK(q.Stopped());
  auto item = q.Pop();
  CHECK(item && item->kind == BatchQueue::Kind::End);  // the batch and metadata were dropped
  CHECK(!q.Pop());
  CHECK(q.FreeSlots() == 1);  // the dropped batch's slot
  CHECK(!q.Acquire());        // stopped: no slot handed out any more
  // A slot filled while stopping goes back to the free list.
  Buffers late{1};
  CHECK(q.PushBatch(late.Slot(0), Info(1)) == BatchQueue::Pushed::Dropped);
  CHECK(q.QueuedBatches() == 0 && q.FreeSlots() == 2);
  q.DropFreeSlots();
  CHECK(q.FreeSlots() == 0);
}

TEST("batch queue: Reset frees the slots of batches a run left queued") {
  BatchQueue q;
  Buffers bufs{4};
  bufs.LendAll(q);
  Produce(q, 1);
  Produce(q, 2);
  auto popped = q.Pop();  // still with the consumer: not freed by Reset
  CHECK(popped.has_value());
  q.Reset(nullptr);
  CHECK(q.QueuedBatches() == 0);
  CHECK(q.FreeSlots() == 3);
  CHECK(!q.Pop());
  std::set<std::uint32_t> ids;
  for (int i = 0; i < 3; ++i) ids.insert(q.Acquire()->id);
  CHECK(ids.count(popped->slot.id) == 0 && ids.size() == 3);
}

TEST("batch queue: a producer thread and a consumer thread, every batch once, in order, in its own slot") {
  BatchQueue q;
  constexpr std::uint32_t kSlots = 3;
  Buffers bufs{kSlots, 256};
  bufs.LendAll(q);
  std::atomic<int> wakes{0};
  q.Reset([&] {
    ++wakes;
    return true;
  });
  constexpr int kBatches = 20000;
  std::thread producer{[&] {
    for (int i = 0; i < kBatches; ++i) {
      auto slot = q.Acquire();
      if (!slot) return;
      // Fill the whole slot: ASan sees any write outside it, the consumer
      // any write into a slot it still reads.
      for (std::size_t b = 0; b < slot->capacity; b += sizeof i) std::memcpy(slot->data + b, &i, sizeof i);
      if (q.PushBatch(*slot, Info(1)) == BatchQueue::Pushed::Dropped) return;
    }
    BatchQueue::Item end;
    end.kind = BatchQueue::Kind::End;
    q.Push(std::move(end));
  }};
  int expected = 0;
  bool ended = false;
  bool intact = true;
  std::size_t max_queued = 0;
  while (!ended) {
    max_queued = std::max(max_queued, q.QueuedBatches());
    auto item = q.Pop();
    if (!item) {
      std::this_thread::yield();
      continue;
    }
    if (item->kind == BatchQueue::Kind::End) {
      ended = true;
      break;
    }
    int got = -1;
    std::memcpy(&got, item->slot.data, sizeof got);
    if (got != expected) break;
    std::this_thread::yield();  // let the producer run while we hold the slot
    for (std::size_t b = 0; b < item->slot.capacity; b += sizeof got) {
      int again = -1;
      std::memcpy(&again, item->slot.data + b, sizeof again);
      if (again != expected) intact = false;
    }
    ++expected;
    q.Lend(item->slot);
  }
  producer.join();
  CHECK(ended);
  CHECK(expected == kBatches);
  CHECK(intact);
  CHECK(max_queued <= kSlots);
  CHECK(q.FreeSlots() == kSlots);
  CHECK(wakes >= 1);
}
