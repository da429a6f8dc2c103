// Tests of the bounded hand-off between a session thread and its consumer:
// the bound, the wake-ups, stopping, buffer recycling and a run with real
// threads (under ASan/UBSan in test/core.test.ts).

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <thread>
#include <vector>

#include "check.hpp"
#include "databento/batch_queue.hpp"

using databento::BatchQueue;
using databento::RecordBatchInfo;
using namespace std::chrono_literals;

namespace {

std::vector<std::uint8_t> Buffer(std::uint8_t fill, std::size_t size = 64) {
  return std::vector<std::uint8_t>(size, fill);
}

RecordBatchInfo Info(std::size_t count) { return {count * 16, count, 0}; }

// Waits up to a second for `cond`.
template <typename F>
bool Eventually(F cond) {
  for (int i = 0; i < 1000 && !cond(); ++i) std::this_thread::sleep_for(1ms);
  return cond();
}

}  // namespace

TEST("batch queue: items come out in order, batches with their bytes") {
  BatchQueue q{4};
  BatchQueue::Item md;
  md.kind = BatchQueue::Kind::Metadata;
  md.version = 3;
  q.Push(std::move(md));
  auto buf = Buffer(7);
  CHECK(q.PushBatch(buf, Info(2)));
  CHECK(buf.empty());  // handed over; no spare yet
  auto first = q.Pop();
  CHECK(first && first->kind == BatchQueue::Kind::Metadata && first->version == 3);
  auto second = q.Pop();
  CHECK(second && second->kind == BatchQueue::Kind::Batch && second->info.count == 2);
  CHECK(second && second->data.size() == 64 && second->data[0] == 7);
  CHECK(!q.Pop());
}

TEST("batch queue: the producer blocks at the bound until a batch is popped") {
  BatchQueue q{2};
  for (int i = 0; i < 2; ++i) {
    auto buf = Buffer(static_cast<std::uint8_t>(i));
    CHECK(q.PushBatch(buf, Info(1)));
  }
  CHECK(q.QueuedBatches() == 2);
  std::atomic<bool> pushed{false};
  std::thread producer{[&] {
    auto buf = Buffer(2);
    q.PushBatch(buf, Info(1));
    pushed = true;
  }};
  std::this_thread::sleep_for(50ms);
  CHECK(!pushed);  // full: waiting for room
  // Errors and the end never wait for room.
  BatchQueue::Item end;
  end.kind = BatchQueue::Kind::End;
  q.Push(std::move(end));
  CHECK(!pushed);
  auto item = q.Pop();
  CHECK(item && item->data[0] == 0);
  CHECK(Eventually([&] { return pushed.load(); }));
  producer.join();
  CHECK(q.QueuedBatches() == 2);
  CHECK(q.Pop()->data[0] == 1);
  CHECK(q.Pop()->kind == BatchQueue::Kind::End);
  CHECK(q.Pop()->data[0] == 2);
  CHECK(!q.Pop());
}

TEST("batch queue: one wake-up per time the consumer found it empty") {
  BatchQueue q{8};
  int wakes = 0;
  q.Reset([&] {
    ++wakes;
    return true;
  });
  auto buf = Buffer(1);
  q.PushBatch(buf, Info(1));
  CHECK(wakes == 1);
  buf = Buffer(2);
  q.PushBatch(buf, Info(1));
  BatchQueue::Item err;
  err.kind = BatchQueue::Kind::Error;
  err.error.emplace(databento::LiveErrorCode::ConnectionClosed, "closed");
  q.Push(std::move(err));
  CHECK(wakes == 1);  // the consumer has not come back yet
  CHECK(q.Pop());
  buf = Buffer(3);
  q.PushBatch(buf, Info(1));
  CHECK(wakes == 1);  // it popped but did not find the queue empty
  CHECK(q.Pop());
  auto e = q.Pop();
  CHECK(e && e->kind == BatchQueue::Kind::Error && e->error && e->error->Code() == databento::LiveErrorCode::ConnectionClosed);
  CHECK(q.Pop());
  CHECK(!q.Pop());  // empty: armed again
  buf = Buffer(4);
  q.PushBatch(buf, Info(1));
  CHECK(wakes == 2);
}

TEST("batch queue: a wake-up that could not be sent is retried on the next push") {
  BatchQueue q{8};
  int attempts = 0;
  q.Reset([&] { return ++attempts > 1; });
  auto buf = Buffer(1);
  q.PushBatch(buf, Info(1));
  buf = Buffer(2);
  q.PushBatch(buf, Info(1));
  buf = Buffer(3);
  q.PushBatch(buf, Info(1));
  CHECK(attempts == 2);
  q.ClearWake();
  while (q.Pop()) {
  }
  buf = Buffer(4);
  q.PushBatch(buf, Info(1));
  CHECK(attempts == 2);  // no wake-up installed
}

TEST("batch queue: Stop unblocks the producer and drops data, not the end") {
  BatchQueue q{1};
  auto buf = Buffer(1);
  CHECK(q.PushBatch(buf, Info(1)));
  BatchQueue::Item md;
  md.kind = BatchQueue::Kind::Metadata;
  q.Push(std::move(md));
  std::atomic<int> result{-1};
  std::thread producer{[&] {
    auto b = Buffer(2);
    result = q.PushBatch(b, Info(1)) ? 1 : 0;
    BatchQueue::Item end;
    end.kind = BatchQueue::Kind::End;
    q.Push(std::move(end));
  }};
  std::this_thread::sleep_for(20ms);
  CHECK(result == -1);
  q.Stop();
  CHECK(Eventually([&] { return result.load() != -1; }));
  producer.join();
  CHECK(result == 0);
  CHECK(q.Stopped());
  auto item = q.Pop();
  CHECK(item && item->kind == BatchQueue::Kind::End);  // the batch and metadata were dropped
  CHECK(!q.Pop());
  auto late = Buffer(3);
  CHECK(!q.PushBatch(late, Info(1)));
  CHECK(late.size() == 64);  // kept by the caller
}

TEST("batch queue: consumed buffers are recycled, a few at most") {
  BatchQueue q{16};
  for (int i = 0; i < 8; ++i) q.Recycle(Buffer(9, 128));
  auto buf = Buffer(1);
  CHECK(q.PushBatch(buf, Info(1)));
  CHECK(buf.size() == 128 && buf[0] == 9);  // a recycled one
  int reused = 1;
  for (int i = 0; i < 8; ++i) {
    auto b = Buffer(1);
    q.PushBatch(b, Info(1));
    if (b.size() == 128) ++reused;
  }
  CHECK(reused == static_cast<int>(BatchQueue::kMaxSpare));
}

TEST("batch queue: a producer thread and a consumer thread, every batch once and in order") {
  BatchQueue q{3};
  std::atomic<int> wakes{0};
  q.Reset([&] {
    ++wakes;
    return true;
  });
  constexpr int kBatches = 20000;
  std::thread producer{[&] {
    std::vector<std::uint8_t> buf;
    for (int i = 0; i < kBatches; ++i) {
      if (buf.size() < sizeof(int)) buf.resize(256);
      std::memcpy(buf.data(), &i, sizeof i);
      if (!q.PushBatch(buf, Info(1))) return;
    }
    BatchQueue::Item end;
    end.kind = BatchQueue::Kind::End;
    q.Push(std::move(end));
  }};
  int expected = 0;
  bool ended = false;
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
    std::memcpy(&got, item->data.data(), sizeof got);
    if (got != expected) break;
    ++expected;
    q.Recycle(std::move(item->data));
  }
  producer.join();
  CHECK(ended);
  CHECK(expected == kBatches);
  CHECK(max_queued <= 3);
  CHECK(wakes >= 1);
}
