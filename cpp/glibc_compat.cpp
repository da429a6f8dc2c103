// Keeps the prebuilt binary loadable on glibc 2.34 and 2.35.
//
// The addon links libstdc++ statically; GCC 12's libstdc++.a carries
// std::random_device, which calls arc4random(), new in glibc 2.36, and the
// string code the addon needs drags that object in. The addon never uses
// random_device, but the reference alone would raise the binary's glibc floor.
// Defining arc4random here (hidden, like every symbol of the addon) resolves
// the reference inside the binary instead, from getrandom(2) (glibc 2.25).

#include <fcntl.h>
#include <sys/random.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

namespace {

// Fills buf from `source` (getrandom or read of /dev/urandom), retrying
// interrupted and short calls; false once the source fails otherwise.
template <typename Source>
bool Fill(unsigned char* buf, std::size_t size, Source source) {
  std::size_t have = 0;
  while (have < size) {
    const ssize_t n = source(buf + have, size - have);
    if (n > 0) {
      have += static_cast<std::size_t>(n);
    } else if (n == 0 || errno != EINTR) {
      return false;
    }
  }
  return true;
}

}  // namespace

extern "C" std::uint32_t arc4random() noexcept {
  std::uint32_t value = 0;
  auto* out = reinterpret_cast<unsigned char*>(&value);
  if (Fill(out, sizeof value, [](unsigned char* p, std::size_t n) { return ::getrandom(p, n, 0); })) {
    return value;
  }
  // getrandom unavailable (ENOSYS: old kernel, seccomp filter): the device.
  const int fd = ::open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  const bool ok = fd >= 0 && Fill(out, sizeof value, [fd](unsigned char* p, std::size_t n) {
                    return ::read(fd, p, n);
                  });
  if (fd >= 0) ::close(fd);
  // No entropy at all: arc4random cannot report an error, so the process
  // ends, as glibc's own arc4random does, instead of spinning forever.
  if (!ok) std::abort();
  return value;
}
