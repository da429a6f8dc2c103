// Keeps the prebuilt binary loadable on glibc 2.34 and 2.35.
//
// The addon links libstdc++ statically; GCC 12's libstdc++.a carries
// std::random_device, which calls arc4random(), new in glibc 2.36, and the
// string code the addon needs drags that object in. The addon never uses
// random_device, but the reference alone would raise the binary's glibc floor.
// Defining arc4random here (hidden, like every symbol of the addon) resolves
// the reference inside the binary instead, from getrandom(2) (glibc 2.25).

#include <sys/random.h>

#include <cstddef>
#include <cstdint>

extern "C" std::uint32_t arc4random() noexcept {
  std::uint32_t value = 0;
  auto* out = reinterpret_cast<unsigned char*>(&value);
  std::size_t have = 0;
  while (have < sizeof value) {
    const ssize_t n = ::getrandom(out + have, sizeof value - have, 0);
    if (n > 0) have += static_cast<std::size_t>(n);
  }
  return value;
}
