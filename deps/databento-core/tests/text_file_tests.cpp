// TextFileEncoder: the text its thread produces chunk by chunk is the text
// TextEncoder writes for the same records, with a limit, a truncated file,
// and a consumer that stops early or never comes.

#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "check.hpp"
#include "databento/dbn_error.hpp"
#include "databento/dbn_file_store.hpp"
#include "databento/text_encoder.hpp"
#include "databento/text_file_encoder.hpp"

namespace {

using namespace databento;

std::vector<std::uint8_t> ReadBytes(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  return {std::istreambuf_iterator<char>{in}, {}};
}

// A temporary file removed at the end of the test.
struct TempFile {
  explicit TempFile(const std::vector<std::uint8_t>& bytes) {
    char name[] = "/tmp/databento-text-file-XXXXXX";
    const int fd = ::mkstemp(name);
    path = name;
    CHECK(fd >= 0 && ::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()));
    ::close(fd);
  }
  ~TempFile() { ::unlink(path.c_str()); }
  std::string path;
};

// The MBO fixture's metadata followed by its records `copies` times over:
// megabytes of records, so the thread fills many chunks.
std::vector<std::uint8_t> LargeMboFile(std::size_t copies) {
  const auto fixture = ReadBytes(std::string{DATABENTO_FIXTURES_DIR} + "/test_data.mbo.v3.dbn");
  std::uint32_t metadata_len;
  std::memcpy(&metadata_len, fixture.data() + 4, 4);
  const std::size_t records_at = 8 + metadata_len;
  std::vector<std::uint8_t> out(fixture.begin(), fixture.begin() + records_at);
  for (std::size_t i = 0; i < copies; ++i) out.insert(out.end(), fixture.begin() + records_at, fixture.end());
  return out;
}

// The text TextEncoder writes for the file's records (the first `limit`).
std::string Expected(const std::string& path, TextEncoderOptions opts, std::size_t limit = SIZE_MAX) {
  DbnFileStore store{path, {}};
  const auto& md = store.GetMetadata();
  opts.version = store.Decoder().OutputVersion();
  opts.ts_out = store.Decoder().TsOut();
  TextEncoder enc{opts, md ? &*md : nullptr};
  std::vector<std::uint8_t> buf(64 * 1024);
  std::size_t n;
  while (std::size_t got = store.ReadRecords(buf.data(), buf.size(), &n)) {
    if (enc.RecordsWritten() < limit) enc.Encode(buf.data(), got, limit - enc.RecordsWritten());
  }
  return {reinterpret_cast<const char*>(enc.Output().data()), enc.Output().size()};
}

TextFileEncoder::Options Small(TextEncoderOptions text) {
  TextFileEncoder::Options o;
  o.text = text;
  o.chunk_bytes = 4096;
  o.max_chunks = 2;
  return o;
}

// Everything Next() hands out; `chunks` counts them.
std::string Drain(TextFileEncoder& enc, int* chunks = nullptr) {
  std::string text;
  ByteBuffer chunk;
  while (enc.Next(chunk)) {
    text.append(reinterpret_cast<const char*>(chunk.data()), chunk.size());
    if (chunks) ++*chunks;
  }
  return text;
}

TextEncoderOptions Options(TextFormat format, bool pretty) {
  TextEncoderOptions o;
  o.format = format;
  o.pretty_px = o.pretty_ts = o.map_symbols = pretty;
  o.schema = static_cast<std::uint16_t>(Schema::Mbo);
  return o;
}

}  // namespace

TEST("text file: every chunk in order, the same text as TextEncoder") {
  const TempFile file{LargeMboFile(20000)};
  DbnFileStore probe{file.path, {}};
  for (auto format : {TextFormat::Csv, TextFormat::Json}) {
    for (bool pretty : {false, true}) {
      const auto opts = Options(format, pretty);
      TextFileEncoder enc{file.path, Small(opts), &*probe.GetMetadata()};
      int chunks = 0;
      const std::string text = Drain(enc, &chunks);
      CHECK(text == Expected(file.path, opts));
      CHECK(chunks > 4);
      CHECK(enc.RecordsWritten() == 40000);
    }
  }
}

TEST("text file: taking chunks without waiting gives the same text") {
  const TempFile file{LargeMboFile(20000)};
  const auto opts = Options(TextFormat::Json, true);
  DbnFileStore probe{file.path, {}};
  TextFileEncoder enc{file.path, Small(opts), &*probe.GetMetadata()};
  std::string text;
  ByteBuffer chunk;
  for (;;) {
    const auto taken = enc.TryNext(chunk);
    if (taken == TextFileEncoder::Taken::End) break;
    if (taken == TextFileEncoder::Taken::NotYet) {
      std::this_thread::yield();
      continue;
    }
    text.append(reinterpret_cast<const char*>(chunk.data()), chunk.size());
  }
  CHECK(text == Expected(file.path, opts));
  CHECK(enc.TryNext(chunk) == TextFileEncoder::Taken::End);
}

TEST("text file: a limit ends the text after that many records") {
  const TempFile file{LargeMboFile(20000)};
  auto o = Small(Options(TextFormat::Csv, false));
  o.limit = 12345;
  TextFileEncoder enc{file.path, o, nullptr};
  CHECK(Drain(enc) == Expected(file.path, o.text, 12345));
  CHECK(enc.RecordsWritten() == 12345);
}

TEST("text file: a truncated file gives the text before the cut, then its error") {
  auto bytes = LargeMboFile(20000);
  bytes.erase(bytes.end() - 5, bytes.end());
  const TempFile cut{bytes};
  TextFileEncoder enc{cut.path, Small(Options(TextFormat::Csv, false)), nullptr};
  std::string text;
  ByteBuffer chunk;
  bool threw = false;
  try {
    while (enc.Next(chunk)) text.append(reinterpret_cast<const char*>(chunk.data()), chunk.size());
  } catch (const DbnError& e) {
    threw = e.Code() == DbnErrorCode::TruncatedRecord;
  }
  CHECK(threw);
  // Every whole record before the cut was encoded.
  CHECK(enc.RecordsWritten() == 39999);
  std::size_t lines = 0;
  for (char c : text) lines += c == '\n';
  CHECK(lines == 1 + 39999);
  CHECK(!enc.Next(chunk));  // the error is reported once
}

TEST("text file: a missing file throws at once") {
  bool threw = false;
  try {
    TextFileEncoder enc{"/nonexistent/file.dbn", {}, nullptr};
  } catch (const DbnError&) {
    threw = true;
  }
  CHECK(threw);
}

TEST("text file: a consumer that stops early or never comes lets the thread end") {
  const TempFile file{LargeMboFile(20000)};
  {
    // Never consumed: the thread fills the queue and waits; destruction stops it.
    TextFileEncoder enc{file.path, Small(Options(TextFormat::Json, true)), nullptr};
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
  {
    // Stopped from another thread while the consumer waits for text.
    auto o = Small(Options(TextFormat::Csv, false));
    o.text.schema = static_cast<std::uint16_t>(Schema::Trades);  // filters out every record
    o.text.filter_schema = true;
    TextFileEncoder enc{file.path, o, nullptr};
    std::thread stopper{[&] {
      std::this_thread::sleep_for(std::chrono::milliseconds{5});
      enc.Stop();
    }};
    ByteBuffer chunk;
    while (enc.Next(chunk)) {
    }
    stopper.join();
    CHECK(!enc.Next(chunk));
  }
}
