#pragma once

// SHA-256 (FIPS 180-4), used for the live gateway's challenge-response
// authentication. Self-contained so the addon needs no crypto library.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace databento {

class Sha256 {
 public:
  static constexpr std::size_t kDigestSize = 32;
  using Digest = std::array<std::uint8_t, kDigestSize>;

  Sha256();

  // Absorbs more input; may be called any number of times.
  void Update(const void* data, std::size_t size);
  void Update(std::string_view text) { Update(text.data(), text.size()); }

  // Pads, processes the last block and returns the digest. The object is
  // reset afterwards and can hash a new message.
  Digest Final();

 private:
  void Reset();
  void Compress(const std::uint8_t* block);

  std::array<std::uint32_t, 8> state_{};
  std::array<std::uint8_t, 64> block_{};
  std::size_t block_len_{};
  std::uint64_t total_len_{};  // bytes absorbed so far
};

// Lowercase hex digest of `text`.
std::string Sha256Hex(std::string_view text);

}  // namespace databento
