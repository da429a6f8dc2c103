// ReadAhead: batches come in order from a thread one batch ahead, a failure
// after the batches before it, and destruction stops the thread at once.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <thread>

#include "check.hpp"
#include "databento/read_ahead.hpp"

using databento::ReadAhead;
using namespace std::chrono_literals;

namespace {

// Batch i holds `i` in every byte; there are `batches` of them, then the end
// or (if fail) an error.
struct Source {
  int batches;
  bool fail;
  std::atomic<int> reads{0};

  std::size_t operator()(std::uint8_t* dst, std::size_t capacity, std::size_t* count) {
    const int i = reads++;
    if (i == batches) {
      if (fail) throw std::runtime_error{"broken record"};
      *count = 0;
      return 0;
    }
    std::memset(dst, i, capacity);
    *count = 1;
    return capacity;
  }
};

ReadAhead::Read Reading(Source& s) {
  return [&s](std::uint8_t* dst, std::size_t capacity, std::size_t* count) { return s(dst, capacity, count); };
}

}  // namespace

TEST("read ahead: batches in order, each intact while the next is read; the end repeats") {
  Source source{200, false};
  ReadAhead ahead{Reading(source), 4096};
  for (int i = 0; i < 200; ++i) {
    const auto batch = ahead.Next();
    CHECK(batch.count == 1 && batch.bytes == 4096);
    bool intact = true;
    // Give the thread time to fill the other buffer: this one must not change.
    if (i % 50 == 0) std::this_thread::sleep_for(2ms);
    for (std::size_t b = 0; b < batch.bytes; ++b) intact = intact && batch.data[b] == static_cast<std::uint8_t>(i);
    CHECK(intact);
  }
  CHECK(ahead.Next().count == 0);
  CHECK(ahead.Next().count == 0);
  CHECK(source.reads == 201);  // never past the end
}

TEST("read ahead: a failed read comes after every batch before it, then the end") {
  Source source{3, true};
  ReadAhead ahead{Reading(source), 64};
  for (int i = 0; i < 3; ++i) CHECK(ahead.Next().count == 1);
  bool threw = false;
  try {
    ahead.Next();
  } catch (const std::runtime_error& e) {
    threw = std::string{e.what()} == "broken record";
  }
  CHECK(threw);
  CHECK(ahead.Next().count == 0);
}

TEST("read ahead: at most one batch ahead; destruction stops the thread") {
  Source source{1000000, false};
  {
    ReadAhead ahead{Reading(source), 64};
    CHECK(ahead.Next().count == 1);
    std::this_thread::sleep_for(20ms);
    CHECK(source.reads == 2);  // the one taken and the one ahead
  }
  CHECK(source.reads == 2);  // joined: nothing read after
  // Destroyed before its first batch was taken.
  Source untouched{5, false};
  { ReadAhead ahead{Reading(untouched), 64}; }
  CHECK(untouched.reads <= 1);
}
