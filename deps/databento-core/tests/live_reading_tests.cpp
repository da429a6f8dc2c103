// Reading passed between a live session thread and its consumer (see
// BatchQueue): the policy of the queue, and a real session over a loopback
// socket whose feed is quiet, then busy, then quiet again.

#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <thread>
#include <vector>

#include "check.hpp"
#include "databento/batch_queue.hpp"
#include "databento/live_threaded.hpp"
#include "scripted_gateway.hpp"

using namespace databento;
using namespace std::chrono_literals;

namespace {

struct Slots {
  explicit Slots(BatchQueue& q, std::size_t n, std::size_t size) : memory(n, std::vector<std::uint8_t>(size)) {
    for (std::uint32_t i = 0; i < n; ++i) q.Lend({memory[i].data(), size, i});
  }
  std::vector<std::vector<std::uint8_t>> memory;
};

RecordBatchInfo Bytes(std::size_t bytes) { return {bytes, bytes / 16, 0}; }

}  // namespace

TEST("batch queue: reading passes to a waiting consumer with a small batch, and back") {
  BatchQueue q;
  q.Reset([] { return true; });
  Slots slots{q, 4, 1024};
  // Not allowed: never handed over.
  CHECK(!q.Pop());
  CHECK(q.PushBatch(*q.Acquire(), Bytes(16)) == BatchQueue::Pushed::Queued);
  CHECK(!q.ConsumerMayRead());
  q.AllowConsumerReads(true);
  // The consumer is not waiting (a batch is queued): kept.
  CHECK(q.PushBatch(*q.Acquire(), Bytes(16)) == BatchQueue::Pushed::Queued);
  auto a = q.Pop();
  auto b = q.Pop();
  CHECK(a && b && !q.Pop());  // now waiting
  q.Lend(a->slot);
  q.Lend(b->slot);
  // Waiting, but a batch over a quarter of its slot: the feed is busy.
  CHECK(q.PushBatch(*q.Acquire(), Bytes(257)) == BatchQueue::Pushed::Queued);
  auto c = q.Pop();
  CHECK(c && !q.Pop());
  q.Lend(c->slot);
  // Waiting and small: handed over with the batch.
  CHECK(q.PushBatch(*q.Acquire(), Bytes(256)) == BatchQueue::Pushed::ReadingHandedOver);
  CHECK(!q.ConsumerMayRead());  // not before that batch is taken
  auto d = q.Pop();
  CHECK(d && q.ConsumerMayRead());
  auto own = q.TryAcquire();
  CHECK(own.has_value());
  // The producer waits for reading until the deadline, or until it is returned.
  CHECK(!q.AwaitReading(std::chrono::steady_clock::now() + 20ms));
  std::thread giver{[&] {
    std::this_thread::sleep_for(20ms);
    q.ReturnReading();
  }};
  CHECK(q.AwaitReading(std::chrono::steady_clock::now() + 10s));
  giver.join();
  CHECK(!q.ConsumerMayRead());
  // Stop wakes a waiting producer too; Reset makes reading the producer's.
  q.Lend(d->slot);
  q.Pop();
  CHECK(q.PushBatch(*q.Acquire(), Bytes(16)) == BatchQueue::Pushed::ReadingHandedOver);
  q.Pop();
  std::thread stopper{[&] {
    std::this_thread::sleep_for(20ms);
    q.Stop();
  }};
  CHECK(q.AwaitReading(std::chrono::steady_clock::now() + 10s));
  stopper.join();
  CHECK(!q.ConsumerMayRead() && !q.TryAcquire());
}

namespace {

// The consumer's side of a session, as the addon's JS thread runs it: pull
// from the queue; when it is empty and reading is its own, read the socket
// with a zero timeout, waiting for it with poll() between reads.
struct Consumer {
  BatchQueue& queue;
  LiveThreaded& client;
  std::size_t records{0};
  std::size_t read_here{0};
  std::size_t read_by_thread{0};
  bool in_order{true};
  std::optional<LiveError> error;
  int fd{-1};
  std::uint64_t connection{0};

  ~Consumer() {
    if (fd >= 0) ::close(fd);
  }

  void Take(const BatchSlot& slot, const RecordBatchInfo& info) {
    for (std::size_t at = 0; at < info.bytes;) {
      const std::uint8_t* rec = slot.data + at;
      std::uint32_t size = 0;  // the stream numbers its trades in `size`
      std::memcpy(&size, rec + offsetof(TradeMsg, size), sizeof size);
      if (size != records) in_order = false;
      at += rec[0] * 4u;
      ++records;
    }
    queue.Lend(slot);
  }

  // Runs until the session thread ends (or ten seconds pass).
  void Run() {
    const auto give_up = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < give_up) {
      if (auto item = queue.Pop()) {
        if (item->kind == BatchQueue::Kind::End) return;
        if (item->kind == BatchQueue::Kind::Error) error = item->error;
        if (item->kind == BatchQueue::Kind::Batch) {
          ++read_by_thread;
          Take(item->slot, item->info);
        }
        continue;
      }
      if (!queue.ConsumerMayRead()) {
        std::this_thread::sleep_for(100us);
        continue;
      }
      const auto slot = queue.TryAcquire();
      CHECK(slot.has_value());
      if (!slot) return;
      const auto read = client.ReadAsConsumer(*slot, [&] { return queue.ConsumerMayRead(); }, connection);
      if (read.give_back) queue.ReturnReading();
      if (read.socket >= 0) {
        if (fd >= 0) ::close(fd);
        fd = read.socket;
        connection = read.connection;
      }
      if (read.info.bytes > 0) {
        ++read_here;
        Take(*slot, read.info);
        continue;
      }
      queue.Lend(*slot);
      if (!read.give_back && fd >= 0) {
        pollfd p{fd, POLLIN, 0};
        ::poll(&p, 1, 50);
      }
    }
  }
};

}  // namespace

TEST("live threaded: a quiet feed is read by the consumer, a busy one by the thread, in order") {
  const std::string key = "db-Wk3xEJ7pQo9LrT2aZ6vNcF8sHy4Ub";
  constexpr std::size_t kQuiet = 60, kBurst = 20000;
  const std::size_t total = kQuiet + kBurst + kQuiet;
  const auto stream = test::LiveStream(total);
  const std::size_t header = test::LiveStream(0).size();
  const std::size_t rec = sizeof(TradeMsg);
  // One record every 2 ms, the burst at once, one record every 2 ms again.
  std::vector<test::ScriptedGateway::Piece> pieces;
  for (std::size_t i = 1; i <= kQuiet; ++i) pieces.push_back({header + i * rec, 2});
  pieces.push_back({header + (kQuiet + kBurst) * rec, 2});
  for (std::size_t i = kQuiet + kBurst + 1; i <= total; ++i) pieces.push_back({header + i * rec, 2});
  test::ScriptedGateway gw{key, stream, true, pieces};
  LiveThreaded client{test::LocalOptions(key, gw.Port())};
  client.Subscribe({Schema::Trades, SType::RawSymbol, {"ESZ4"}, std::nullopt, false, 0});
  BatchQueue queue;
  queue.Reset([] { return true; });
  queue.AllowConsumerReads(true);
  Slots slots{queue, 3, 64 * 1024};
  LiveThreaded::Callbacks cb;
  cb.acquire = [&] { return queue.Acquire(); };
  cb.batch = [&](const BatchSlot& slot, const RecordBatchInfo& info) {
    return LiveThreaded::AfterPush(queue.PushBatch(slot, info));
  };
  cb.unused = [&](const BatchSlot& slot) { queue.Lend(slot); };
  cb.await_reading = [&](std::chrono::steady_clock::time_point deadline) { return queue.AwaitReading(deadline); };
  cb.return_reading = [&] { queue.ReturnReading(); };
  cb.exception = [&](const LiveError& e) {
    BatchQueue::Item item;
    item.kind = BatchQueue::Kind::Error;
    item.error = e;
    queue.Push(std::move(item));
    return LiveThreaded::ExceptionAction::Stop;
  };
  cb.exit = [&] {
    BatchQueue::Item end;
    end.kind = BatchQueue::Kind::End;
    queue.Push(std::move(end));
  };
  client.Start(cb);
  Consumer consumer{queue, client};
  consumer.Run();
  client.Stop();
  client.Join();
  CHECK(consumer.records == total);
  CHECK(consumer.in_order);
  // Most quiet records were read by the consumer (one batch each), the
  // burst mostly by the thread (it fills whole slots).
  CHECK(consumer.read_here >= kQuiet);
  CHECK(consumer.read_by_thread >= 10);
  // The gateway closed: the thread reports it, whoever was reading.
  CHECK(consumer.error && consumer.error->Code() == LiveErrorCode::ConnectionClosed);
}
