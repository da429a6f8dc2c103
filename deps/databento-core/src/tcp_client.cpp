#include "databento/tcp_client.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "databento/live_error.hpp"

namespace databento {
namespace {

// strerror_r comes in two forms: GNU (glibc) returns the text, which may be
// a static string instead of buf; XSI (musl, other libcs) returns 0 and fills
// buf. Overloads on the result type take whichever the libc declares.
[[maybe_unused]] const char* StrerrorText(const char* gnu_result, const char*) {
  return gnu_result;
}
[[maybe_unused]] const char* StrerrorText(int xsi_result, const char* buf) {
  return xsi_result == 0 ? buf : nullptr;
}

std::string ErrnoText(int err) {
  char buf[256] = {};
  const char* text = StrerrorText(::strerror_r(err, buf, sizeof buf), buf);
  return text && *text ? text : "error " + std::to_string(err);
}

int MillisUntil(std::optional<TcpClient::Clock::time_point> deadline) {
  if (!deadline) return -1;
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(
      *deadline - TcpClient::Clock::now());
  if (left.count() <= 0) return 0;
  return left.count() > 0x7fffffff ? 0x7fffffff : static_cast<int>(left.count());
}

struct AddrInfoDeleter {
  void operator()(addrinfo* ai) const { ::freeaddrinfo(ai); }
};

}  // namespace

TcpClient::TcpClient(const std::string& host, std::uint16_t port,
                     Clock::time_point deadline, int wake_fd)
    : wake_fd_{wake_fd} {
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_protocol = IPPROTO_TCP;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  const int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found);
  if (rc != 0) {
    throw LiveError{LiveErrorCode::ConnectFailed,
                    "Failed to resolve " + host + ": " + ::gai_strerror(rc)};
  }
  std::unique_ptr<addrinfo, AddrInfoDeleter> addrs{found};
  std::string last_error = "no address";
  for (const addrinfo* ai = addrs.get(); ai != nullptr; ai = ai->ai_next) {
    const int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                            ai->ai_protocol);
    if (fd < 0) {
      last_error = ErrnoText(errno);
      continue;
    }
    fd_ = fd;
    int err = 0;
    if (::connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
      err = errno;
      if (err == EINPROGRESS) {
        const Status st = Wait(POLLOUT, deadline);
        if (st == Status::Interrupted) {
          ::close(fd);
          fd_ = -1;
          throw LiveError{LiveErrorCode::Aborted, "Connection attempt aborted"};
        }
        if (st == Status::Timeout) {
          ::close(fd);
          fd_ = -1;
          throw LiveError{LiveErrorCode::Timeout,
                          "Timed out connecting to " + host + ":" + service};
        }
        socklen_t len = sizeof err;
        if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
      }
    }
    if (err == 0) {
      // Subscription lines are small and should leave at once.
      const int one = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      return;
    }
    last_error = ErrnoText(err);
    ::close(fd);
    fd_ = -1;
  }
  throw LiveError{LiveErrorCode::ConnectFailed,
                  "Failed to connect to " + host + ":" + service + ": " + last_error};
}

TcpClient::~TcpClient() {
  if (fd_ >= 0) ::close(fd_);
}

TcpClient::Status TcpClient::Wait(short events,
                                  std::optional<Clock::time_point> deadline) const {
  pollfd fds[2] = {{fd_, events, 0}, {wake_fd_, POLLIN, 0}};
  const nfds_t n = wake_fd_ >= 0 ? 2 : 1;
  while (true) {
    const int rc = ::poll(fds, n, MillisUntil(deadline));
    if (rc < 0) {
      const int err = errno;
      if (err == EINTR) continue;
      // EINVAL (descriptor limit), ENOMEM: retrying would spin, not wait.
      throw LiveError{LiveErrorCode::Internal,
                      "Waiting on the gateway connection failed: poll: " + ErrnoText(err)};
    }
    if (n == 2 && (fds[1].revents & POLLIN)) return Status::Interrupted;
    if (rc == 0) {
      if (deadline && Clock::now() < *deadline) continue;  // early wake-up
      return Status::Timeout;
    }
    return Status::Ok;
  }
}

TcpClient::ReadResult TcpClient::Read(std::uint8_t* buf, std::size_t size,
                                      std::optional<Clock::time_point> deadline) {
  while (true) {
    // Try first: under load data is already there and poll would be wasted.
    const ssize_t n = ::recv(fd_, buf, size, 0);
    if (n > 0) return {static_cast<std::size_t>(n), Status::Ok, 0};
    if (n == 0) return {0, Status::Closed, 0};
    const int err = errno;
    if (err == EINTR) continue;
    if (err != EAGAIN && err != EWOULDBLOCK) return {0, Status::Closed, err};
    // A deadline already past asks for what is there: no need to poll.
    if (deadline && *deadline <= Clock::now()) return {0, Status::Timeout, 0};
    const Status st = Wait(POLLIN, deadline);
    if (st != Status::Ok) return {0, st, 0};
  }
}

void TcpClient::WriteAll(const void* data, std::size_t size,
                         Clock::time_point deadline) {
  const auto* p = static_cast<const std::uint8_t*>(data);
  while (size > 0) {
    const ssize_t n = ::send(fd_, p, size, MSG_NOSIGNAL);
    if (n > 0) {
      p += n;
      size -= static_cast<std::size_t>(n);
      continue;
    }
    const int err = errno;
    if (n < 0 && err == EINTR) continue;
    if (n < 0 && (err == EAGAIN || err == EWOULDBLOCK)) {
      const Status st = Wait(POLLOUT, deadline);
      if (st == Status::Interrupted) {
        throw LiveError{LiveErrorCode::Aborted, "Write aborted: the session was stopped"};
      }
      if (st == Status::Timeout) {
        throw LiveError{LiveErrorCode::Timeout, "Timed out writing to the gateway"};
      }
      continue;
    }
    throw LiveError{LiveErrorCode::ConnectionClosed,
                    "Failed to write to the gateway: " + ErrnoText(n < 0 ? err : EPIPE)};
  }
}

void TcpClient::Shutdown() {
  if (fd_ >= 0) ::shutdown(fd_, SHUT_RDWR);
}

int TcpClient::Duplicate() const { return ::fcntl(fd_, F_DUPFD_CLOEXEC, 0); }

}  // namespace databento
