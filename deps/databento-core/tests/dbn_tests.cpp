// Robustness of the decoder under sanitizers: every fixture, whole, cut at
// every byte, and with bytes flipped, must decode or fail with a DbnError —
// never crash, read out of bounds or loop.

#include <dirent.h>

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
