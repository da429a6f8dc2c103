// libFuzzer harness of the DBN push decoder.
//
// An input is four control bytes followed by the stream to decode:
//   byte 0  bits 0-1 upgrade policy (as-is, upgrade-v2, upgrade to v3)
//           bit 2    record-only fragment (no metadata header)
//           bits 3-4 the fragment's DBN version (1, 2, 3)
//           bit 5    the fragment's records carry ts_out
//           bit 6    zstd-compress the stream before feeding it, so the
//                    decompressed path sees the fuzzer's structure
//           bit 7    read into small, odd-sized buffers
//   bytes 1-3 seed of the chunk sizes and read capacities
// The stream is written in random chunks (1 byte to 4 KiB), every record
// read out after each write, sometimes measured first. Any DbnError is a
// fine outcome; a crash, a sanitizer report, a hang, or records that break
// the decoder's promises (whole records, within capacity, as measured) are
// bugs.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <vector>

#include "databento/byte_buffer.hpp"
#include "databento/dbn_decoder.hpp"
#include "databento/dbn_error.hpp"
#include "databento/zstd.hpp"

namespace {

using databento::DbnDecoder;

// Decoded output beyond this ends an input early: a tiny zstd input can
// expand to gigabytes, which says nothing new and only slows the fuzzer.
constexpr std::size_t kMaxDecodedBytes = 16u << 20;

void Require(bool ok) {
  if (!ok) std::abort();
}

// Checks that `out[0..written)` holds exactly `count` whole records.
void CheckRecords(const std::uint8_t* out, std::size_t written, std::size_t count) {
  std::size_t at = 0;
  std::size_t n = 0;
  while (at < written) {
    const std::size_t len = std::size_t{out[at]} * 4;
    Require(len >= 16);
    at += len;
    ++n;
  }
  Require(at == written && n == count);
}

// Reads every record buffered; returns the bytes handed out.
std::size_t Drain(DbnDecoder& decoder, std::vector<std::uint8_t>& out, std::minstd_rand& rng) {
  std::size_t total = 0;
  while (total < kMaxDecodedBytes) {
    std::size_t measured_count = 0;
    const bool measure = rng() % 4 == 0;
    const std::size_t measured = measure ? decoder.MeasureRecords(out.size(), &measured_count) : 0;
    std::size_t count = 0;
    const std::size_t written = decoder.ReadRecords(out.data(), out.size(), &count);
    Require(written <= out.size());
    if (measure && measured != 0) Require(measured == written && measured_count == count);
    CheckRecords(out.data(), written, count);
    if (written == 0) break;
    total += written;
  }
  return total;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 4) return 0;
  const std::uint8_t mode = data[0];
  std::minstd_rand rng{static_cast<std::uint32_t>(data[1] | data[2] << 8 | data[3] << 16) + 1};
  const std::uint8_t* input = data + 4;
  std::size_t input_size = size - 4;

  DbnDecoder::Options opts;
  opts.upgrade_policy = static_cast<databento::VersionUpgradePolicy>(1 + (mode & 3) % 3);
  opts.has_metadata = (mode & 0x04) == 0;
  opts.fragment_version = static_cast<std::uint8_t>(1 + ((mode >> 3) & 3) % 3);
  opts.fragment_ts_out = (mode & 0x20) != 0;
  opts.max_metadata_bytes = 1u << 20;  // the cap's path, within the fuzzer's memory

  databento::ByteBuffer compressed;
  if (mode & 0x40) {
    databento::ZstdCompressor zstd{1};
    zstd.Compress(input, input_size, compressed);
    zstd.End(compressed);
    input = compressed.data();
    input_size = compressed.size();
  }

  std::vector<std::uint8_t> out((mode & 0x80) ? DbnDecoder::kMaxRecordBytes + rng() % 4096 : 64 * 1024);
  DbnDecoder decoder{opts};
  std::size_t decoded = 0;
  try {
    for (std::size_t at = 0; at < input_size && decoded < kMaxDecodedBytes;) {
      const std::size_t limit = rng() % 2 ? 16 : 4096;
      const std::size_t chunk = std::min<std::size_t>(1 + rng() % limit, input_size - at);
      decoder.Write(input + at, chunk);
      at += chunk;
      decoded += Drain(decoder, out, rng);
    }
    if (decoded < kMaxDecodedBytes) decoder.Finish();
  } catch (const databento::DbnError&) {
    // Records decoded before the error stay readable, then it comes again.
    try {
      Drain(decoder, out, rng);
    } catch (const databento::DbnError&) {
    }
  }
  return 0;
}
