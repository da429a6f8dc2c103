// The addon's arc4random (cpp/glibc_compat.cpp) on a system whose getrandom
// always fails: it must still return (from /dev/urandom), never spin.
#include <sys/types.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>

extern "C" std::uint32_t arc4random() noexcept;

// Interposes libc's getrandom, failing as a kernel without it would.
extern "C" ssize_t getrandom(void*, size_t, unsigned) {
  errno = ENOSYS;
  return -1;
}

int main() {
  const std::uint32_t a = arc4random();
  const std::uint32_t b = arc4random();
  std::printf("%s\n", a != b ? "distinct" : "same");
}
