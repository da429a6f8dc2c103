// Robustness of the decoder under sanitizers: every fixture, whole, cut at
// every byte, and with bytes flipped, must decode or fail with a DbnError —
// never crash, read out of bounds or loop.

#include <dirent.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "check.hpp"
#include "databento/dbn_decoder.hpp"
#include "databento/dbn_encoder.hpp"
#include "databento/dbn_error.hpp"
#include "databento/dbn_file_store.hpp"
#include "databento/records.hpp"

namespace {

using databento::DbnDecoder;
using databento::DbnError;

std::vector<std::string> Fixtures() {
  std::vector<std::string> names;
  if (DIR* dir = ::opendir(DATABENTO_FIXTURES_DIR)) {
    while (const dirent* e = ::readdir(dir)) {
      std::string name = e->d_name;
      if (name.find(".dbn") != std::string::npos) names.push_back(name);
    }
    ::closedir(dir);
  }
  return names;
}

std::vector<std::uint8_t> Read(const std::string& name) {
  std::ifstream in{std::string{DATABENTO_FIXTURES_DIR} + "/" + name, std::ios::binary};
  return {std::istreambuf_iterator<char>{in}, {}};
}

DbnDecoder::Options OptionsFor(const std::string& name) {
  DbnDecoder::Options opts;
  if (name.find(".frag") != std::string::npos) {
    opts.has_metadata = false;
    opts.fragment_version = name.find(".v1.") != std::string::npos   ? 1
                            : name.find(".v3.") != std::string::npos ? 3
                                                                     : 2;
  }
  return opts;
}

// Decodes `size` bytes fed in chunks of `chunk`; returns the record count or
// -1 when a DbnError was thrown.
long Decode(const std::uint8_t* data, std::size_t size, std::size_t chunk,
            DbnDecoder::Options opts) {
  std::vector<std::uint8_t> out(64 * 1024);
  long records = 0;
  try {
    DbnDecoder decoder{opts};
    for (std::size_t at = 0; at < size; at += chunk) {
      decoder.Write(data + at, std::min(chunk, size - at));
      std::size_t n = 0;
      while (decoder.ReadRecords(out.data(), out.size(), &n) != 0) records += static_cast<long>(n);
    }
    decoder.Finish();
  } catch (const DbnError&) {
    return -1;
  }
  return records;
}

TEST("every fixture decodes whole and in 7-byte chunks alike") {
  const auto names = Fixtures();
  CHECK(names.size() > 80);
  for (const auto& name : names) {
    const auto bytes = Read(name);
    const long whole = Decode(bytes.data(), bytes.size(), bytes.size(), OptionsFor(name));
    CHECK(whole >= 0);
    CHECK(Decode(bytes.data(), bytes.size(), 7, OptionsFor(name)) == whole);
  }
}

TEST("every truncation of every fixture decodes a prefix or throws") {
  for (const auto& name : Fixtures()) {
    const auto bytes = Read(name);
    const long whole = Decode(bytes.data(), bytes.size(), bytes.size(), OptionsFor(name));
    for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
      const long n = Decode(bytes.data(), cut, 64, OptionsFor(name));
      CHECK(n <= whole);
    }
  }
}

TEST("random corruption never crashes") {
  std::mt19937 rng{20261121};
  for (const auto& name : Fixtures()) {
    const auto bytes = Read(name);
    for (int round = 0; round < 200; ++round) {
      auto copy = bytes;
      const int flips = 1 + static_cast<int>(rng() % 4);
      for (int f = 0; f < flips; ++f) {
        copy[rng() % copy.size()] = static_cast<std::uint8_t>(rng());
      }
      Decode(copy.data(), copy.size(), 1 + rng() % 512, OptionsFor(name));
      for (const auto policy : {databento::VersionUpgradePolicy::AsIs,
                                databento::VersionUpgradePolicy::UpgradeToV2}) {
        auto opts = OptionsFor(name);
        opts.upgrade_policy = policy;
        Decode(copy.data(), copy.size(), copy.size(), opts);
      }
    }
  }
}

TEST("metadata encodes back to the bytes it was decoded from") {
  for (const char* name : {"test_data.mbo.v3.dbn", "test_data.mbo.dbn",
                           "test_data.definition.dbn", "test_data.statistics.dbn"}) {
    const auto bytes = Read(name);
    std::uint32_t length = 0;
    std::memcpy(&length, bytes.data() + 4, 4);
    const auto md = databento::DecodeMetadata(bytes.data(), bytes.size());
    const auto encoded = databento::EncodeMetadata(md);
    CHECK(encoded.size() == 8 + length);
    CHECK(std::equal(encoded.begin(), encoded.end(), bytes.begin()));
  }
}

TEST("the file store reads a file in chunks") {
  databento::DbnFileStore store{std::string{DATABENTO_FIXTURES_DIR} + "/test_data.mbo.v3.dbn.zst", {}};
  CHECK(store.GetMetadata().has_value());
  CHECK(store.GetMetadata()->dataset == "GLBX.MDP3");
  std::vector<std::uint8_t> out(4096);
  std::size_t n = 0;
  std::size_t total = 0;
  while (store.ReadRecords(out.data(), out.size(), &n) != 0) total += n;
  CHECK(total == 2);
}

}  // namespace

namespace {

// 64 MiB of valid 48-byte records behind a metadata header, as one zstd
// frame of a few hundred bytes per MiB.
std::vector<std::uint8_t> ZstdBomb(std::size_t record_bytes, std::size_t* records) {
  databento::Metadata md;
  md.version = 3;
  md.dataset = "XNAS.ITCH";
  md.symbol_cstr_len = 71;
  databento::DbnEncoder encoder{md, {.zstd = true, .zstd_level = 6}};
  std::vector<std::uint8_t> chunk((1 << 20) / 48 * 48);
  for (std::size_t at = 0; at < chunk.size(); at += 48) chunk[at] = 12;
  std::vector<std::uint8_t> out;
  *records = 0;
  for (std::size_t total = 0; total + chunk.size() <= record_bytes; total += chunk.size()) {
    encoder.WriteRecords(chunk.data(), chunk.size());
    *records += chunk.size() / 48;
    auto& o = encoder.Output();
    out.insert(out.end(), o.data(), o.data() + o.size());
    o.Clear();
  }
  encoder.Finish();
  auto& o = encoder.Output();
  out.insert(out.end(), o.data(), o.data() + o.size());
  return out;
}

}  // namespace

TEST("a zstd bomb is decompressed as it is read, in bounded memory") {
  std::size_t expected = 0;
  const auto bomb = ZstdBomb(64u << 20, &expected);
  CHECK(bomb.size() < 64 * 1024);
  DbnDecoder decoder{DbnDecoder::Options{}};
  const std::size_t bound = 2 * DbnDecoder::kDecodeAheadBytes + (2u << 20) + bomb.size();
  decoder.Write(bomb.data(), bomb.size());
  CHECK(decoder.MemoryFootprint() < bound);
  std::vector<std::uint8_t> out(256 * 1024);
  std::size_t records = 0;
  std::size_t peak = 0;
  for (std::size_t count = 0; decoder.ReadRecords(out.data(), out.size(), &count) != 0;) {
    records += count;
    peak = std::max(peak, decoder.MemoryFootprint());
  }
  decoder.Finish();
  CHECK(records == expected);
  CHECK(peak < bound);
}

TEST("a corrupt zstd block met while reading comes after the records before it") {
  std::size_t expected = 0;
  auto bomb = ZstdBomb(16u << 20, &expected);
  bomb[bomb.size() / 2] ^= 0xFF;
  DbnDecoder decoder{DbnDecoder::Options{}};
  std::vector<std::uint8_t> out(256 * 1024);
  std::size_t records = 0;
  bool failed = false;
  try {
    decoder.Write(bomb.data(), bomb.size());
    for (std::size_t count = 0; decoder.ReadRecords(out.data(), out.size(), &count) != 0;) {
      records += count;
    }
    decoder.Finish();
  } catch (const DbnError&) {
    failed = true;
  }
  CHECK(failed);
  CHECK(records < expected);
}

TEST("a metadata header longer than the cap fails from its length field") {
  std::uint8_t prelude[8] = {'D', 'B', 'N', 3, 0xF0, 0xFF, 0xFF, 0xFF};
  DbnDecoder decoder{DbnDecoder::Options{}};
  try {
    decoder.Write(prelude, sizeof prelude);
    CHECK(false);
  } catch (const DbnError& e) {
    CHECK(e.Code() == databento::DbnErrorCode::MetadataTooLarge);
  }
  std::vector<std::uint8_t> more(1 << 20);
  try {
    decoder.Write(more.data(), more.size());
    CHECK(false);
  } catch (const DbnError& e) {
    CHECK(e.Code() == databento::DbnErrorCode::MetadataTooLarge);
  }
  CHECK(decoder.MemoryFootprint() < 64 * 1024);

  const auto bytes = Read("test_data.definition.dbn");
  std::uint32_t length = 0;
  std::memcpy(&length, bytes.data() + 4, 4);
  DbnDecoder::Options opts;
  opts.max_metadata_bytes = length;
  CHECK(Decode(bytes.data(), bytes.size(), 7, opts) > 0);
  opts.max_metadata_bytes = length - 1;
  CHECK(Decode(bytes.data(), bytes.size(), 7, opts) == -1);
}

namespace {

// An MBO record of `len` bytes (its real layout is 56) with sequence `seq`.
std::vector<std::uint8_t> MboRecord(std::size_t len, std::uint32_t seq) {
  std::vector<std::uint8_t> rec(len);
  rec[0] = static_cast<std::uint8_t>(len / 4);
  rec[1] = 0xA0;
  if (len >= 56) std::memcpy(rec.data() + 52, &seq, 4);
  return rec;
}

}  // namespace

TEST("a record shorter than its rtype's layout is rejected after the records before it") {
  DbnDecoder::Options opts;
  opts.has_metadata = false;
  opts.fragment_version = 3;
  std::vector<std::uint8_t> stream;
  for (const auto& rec : {MboRecord(56, 1), MboRecord(64, 2), MboRecord(40, 3), MboRecord(56, 4)}) {
    stream.insert(stream.end(), rec.begin(), rec.end());
  }
  for (const std::size_t chunk : {std::size_t{1}, std::size_t{13}, stream.size()}) {
    DbnDecoder decoder{opts};
    std::vector<std::uint8_t> out(4096);
    std::size_t total = 0;
    std::size_t bytes = 0;
    bool rejected = false;
    try {
      for (std::size_t at = 0; at < stream.size(); at += chunk) {
        decoder.Write(stream.data() + at, std::min(chunk, stream.size() - at));
        std::size_t n = 0;
        while (const std::size_t w = decoder.ReadRecords(out.data(), out.size(), &n)) {
          total += n;
          bytes += w;
        }
      }
      decoder.Finish();
    } catch (const DbnError& e) {
      rejected = e.Code() == databento::DbnErrorCode::BadRecordLength;
    }
    CHECK(rejected);
    CHECK(total == 2);  // the full and the longer (ts_out-sized) record
    CHECK(bytes == 120);
  }
}

TEST("the layout sizes the decoder enforces match the record structs") {
  CHECK(databento::RecordLayoutSize(0xA0, 3) == sizeof(databento::MboMsg));
  CHECK(databento::RecordLayoutSize(0x13, 1) == sizeof(databento::v1::InstrumentDefMsg));
  CHECK(databento::RecordLayoutSize(0x13, 2) == sizeof(databento::v2::InstrumentDefMsg));
  CHECK(databento::RecordLayoutSize(0x13, 3) == sizeof(databento::InstrumentDefMsg));
  CHECK(databento::RecordLayoutSize(0x18, 2) == sizeof(databento::v2::StatMsg));
  CHECK(databento::RecordLayoutSize(0x42, 3) == 0);
}
