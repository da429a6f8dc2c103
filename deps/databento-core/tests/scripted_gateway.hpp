#pragma once

// Test helpers of the live core tests: a scripted gateway on a loopback
// socket and the stream it serves.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "databento/dbn_encoder.hpp"
#include "databento/live_blocking.hpp"
#include "databento/live_protocol.hpp"
#include "databento/records.hpp"

namespace databento::test {

// A one-connection gateway on 127.0.0.1: greeting, challenge, checks the
// CRAM reply, then serves metadata and `records` after start_session.
class ScriptedGateway {
 public:
  // Sends the stream in pieces: where each ends, and the pause after it.
  struct Piece {
    std::size_t end;
    int pause_ms;
  };

  explicit ScriptedGateway(std::string key, std::vector<std::uint8_t> stream, bool close_after,
                           std::vector<Piece> pieces = {})
      : key_{std::move(key)}, stream_{std::move(stream)}, close_after_{close_after}, pieces_{std::move(pieces)} {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(listen_fd_, 1);
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread{[this] { Serve(); }};
  }
  ~ScriptedGateway() {
    thread_.join();
    ::close(listen_fd_);
  }
  std::uint16_t Port() const { return port_; }
  std::vector<std::string> lines;

 private:
  std::string ReadLine(int fd) {
    std::string line;
    char c;
    while (::recv(fd, &c, 1, 0) == 1) {
      if (c == '\n') return line;
      line.push_back(c);
    }
    return line;
  }
  void Send(int fd, const std::string& s) { ::send(fd, s.data(), s.size(), MSG_NOSIGNAL); }

  void Serve() {
    const int fd = ::accept(listen_fd_, nullptr, nullptr);
    Send(fd, "lsg_version=0.7.2\n");
    const std::string challenge = "OvkNtDJNgywWjFeMSaYqUqTJfpGlDAjb";
    Send(fd, "cram=" + challenge + "\n");
    const std::string auth = ReadLine(fd);
    lines.push_back(auth);
    const bool ok = auth.rfind("auth=" + CramReply(challenge, key_) + "|", 0) == 0;
    Send(fd, ok ? "success=1|session_id=42\n" : "success=0|error=Authentication failed.\n");
    if (ok) {
      while (true) {
        std::string line = ReadLine(fd);
        if (line.empty()) break;
        lines.push_back(line);
        if (line.rfind("start_session", 0) == 0) break;
      }
      if (pieces_.empty()) pieces_.push_back({stream_.size(), 0});
      std::size_t at = 0;
      for (const Piece& piece : pieces_) {
        ::send(fd, stream_.data() + at, piece.end - at, MSG_NOSIGNAL);
        at = piece.end;
        std::this_thread::sleep_for(std::chrono::milliseconds{piece.pause_ms});
      }
      if (!close_after_) std::this_thread::sleep_for(std::chrono::milliseconds{300});
    }
    ::close(fd);
  }

  std::string key_;
  std::vector<std::uint8_t> stream_;
  bool close_after_;
  std::vector<Piece> pieces_;
  int listen_fd_{-1};
  std::uint16_t port_{};
  std::thread thread_;
};

inline std::vector<std::uint8_t> LiveStream(std::size_t n_trades) {
  Metadata md;
  md.version = 3;
  md.dataset = "GLBX.MDP3";
  md.schema = 0xFFFF;
  md.start = 1732111200000000000ULL;
  md.stype_in = 0xFF;
  md.stype_out = 0;
  md.symbol_cstr_len = 71;
  auto out = EncodeMetadata(md);
  for (std::size_t i = 0; i < n_trades; ++i) {
    TradeMsg t{};
    t.hd.length = sizeof(TradeMsg) / 4;
    t.hd.rtype = static_cast<std::uint8_t>(RType::Mbp0);
    t.hd.instrument_id = 4916;
    t.hd.ts_event = md.start + i;
    t.price = 5950250000000;
    t.size = static_cast<std::uint32_t>(i);
    const auto* p = reinterpret_cast<const std::uint8_t*>(&t);
    out.insert(out.end(), p, p + sizeof t);
  }
  return out;
}

// Options of a client of a gateway on this machine.
inline LiveOptions LocalOptions(const std::string& key, std::uint16_t port) {
  LiveOptions o;
  o.key = key;
  o.dataset = "GLBX.MDP3";
  o.gateway = "127.0.0.1";
  o.port = port;
  return o;
}

}  // namespace databento::test
