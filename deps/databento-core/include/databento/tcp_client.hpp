#pragma once

// A TCP connection to the live gateway: IPv4 resolution, a connect deadline,
// and reads and writes that wait with poll() so that a deadline or a wake-up
// descriptor (signalled by Stop from another thread) ends any wait.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace databento {

class TcpClient {
 public:
  using Clock = std::chrono::steady_clock;

  enum class Status : std::uint8_t {
    Ok,           // `size` bytes were read (size > 0)
    Timeout,      // the deadline passed with nothing to read
    Closed,       // the peer closed the connection (or reset it: see error)
    Interrupted,  // the wake descriptor became readable
  };

  struct ReadResult {
    std::size_t size;
    Status status;
    int error;  // errno for a reset connection, else 0
  };

  // Resolves `host` (IPv4 only, as the official client) and connects to the
  // first address that accepts before `deadline`. `wake_fd` (may be -1) is
  // polled alongside the socket: once it is readable every wait ends.
  // Throws LiveError: ConnectFailed, Timeout or Aborted.
  TcpClient(const std::string& host, std::uint16_t port,
            Clock::time_point deadline, int wake_fd);
  ~TcpClient();
  TcpClient(const TcpClient&) = delete;
  TcpClient& operator=(const TcpClient&) = delete;

  // Reads up to `size` bytes: what is available now, else waits until data
  // arrives, the deadline (none: wait indefinitely) or a wake-up. Throws
  // LiveError(Internal) when the wait itself fails (poll).
  ReadResult Read(std::uint8_t* buf, std::size_t size,
                  std::optional<Clock::time_point> deadline);

  // Sends every byte. Throws LiveError: ConnectionClosed, Timeout, Aborted.
  void WriteAll(const void* data, std::size_t size, Clock::time_point deadline);

  // Shuts the socket down in both directions; pending and later reads see
  // Closed. Safe to call from another thread than the reader.
  void Shutdown();

  // A new descriptor for the socket (close-on-exec; the caller closes it),
  // or -1 with errno set.
  int Duplicate() const;

 private:
  // Waits for `events` on the socket. Returns Ok, Timeout or Interrupted;
  // throws LiveError(Internal) when poll fails.
  Status Wait(short events, std::optional<Clock::time_point> deadline) const;

  int fd_{-1};
  int wake_fd_{-1};
};

}  // namespace databento
