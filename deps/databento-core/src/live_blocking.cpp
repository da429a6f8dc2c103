#include "databento/live_blocking.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "databento/dbn_error.hpp"
#include "databento/tcp_client.hpp"

namespace databento {
namespace {

// Large reads keep syscalls rare under load; the decoder copes with any split.
constexpr std::size_t kReadBufferSize = 256 * 1024;
constexpr std::size_t kOneRecordBufferSize = 64 * 1024;

// Fatal ErrorMsg codes: the gateway closes the connection after sending one.
bool IsFatalGatewayCode(std::uint8_t code) {
  switch (static_cast<ErrorCode>(code)) {
    case ErrorCode::AuthFailed:
    case ErrorCode::ApiKeyDeactivated:
    case ErrorCode::ConnectionLimitExceeded:
    case ErrorCode::InvalidSubscription:
    case ErrorCode::InternalError:
    case ErrorCode::ReplayDataAgedOut:
      return true;
    default:
      return false;
  }
}

std::string Shorten(std::string_view text) {
  constexpr std::size_t kMax = 200;
  std::string out{text.substr(0, kMax)};
  if (text.size() > kMax) out += "...";
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) c = '?';
  }
  return out;
}

}  // namespace

LiveBlocking::LiveBlocking(LiveOptions options) : options_{std::move(options)} {
  ValidateOptions(options_);
  wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wake_fd_ < 0) {
    throw LiveError{LiveErrorCode::Internal,
                    std::string{"eventfd failed: "} + std::strerror(errno)};
  }
}

LiveBlocking::~LiveBlocking() {
  reader_conn_.reset();
  conn_.reset();
  if (wake_fd_ >= 0) ::close(wake_fd_);
}

std::chrono::seconds LiveBlocking::HeartbeatTimeout() const {
  return std::chrono::seconds{options_.heartbeat_interval_s.value_or(kDefaultHeartbeatIntervalS) +
                              kHeartbeatTimeoutMarginS};
}

std::string LiveBlocking::Redact(std::string text) const {
  // Gateway text is echoed into errors (it may quote the authentication
  // line): neither the key nor anything derived from it may appear there,
  // not the CRAM reply, its hash, nor the key's last characters (the bucket).
  const auto scrub = [&text](std::string_view secret) {
    if (secret.empty()) return;
    for (std::size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at)) {
      text.replace(at, secret.size(), "<redacted>");
    }
  };
  const std::string_view key = options_.key;
  const std::string_view reply = cram_reply_;
  scrub(key);
  scrub(reply);
  const std::size_t dash = reply.rfind('-');
  if (dash != std::string_view::npos) scrub(reply.substr(0, dash));
  if (key.size() >= kBucketIdLength) scrub(key.substr(key.size() - kBucketIdLength));
  return text;
}

std::string LiveBlocking::ReadControlLine(TcpClient& conn, Clock::time_point deadline,
                                          const char* what) {
  std::uint8_t buf[4096];
  while (true) {
    const std::size_t nl = control_buf_.find('\n');
    if (nl != std::string::npos) {
      std::string line = control_buf_.substr(0, nl);
      control_buf_.erase(0, nl + 1);
      return line;
    }
    if (control_buf_.size() > kMaxControlLineLen) {
      throw LiveError{LiveErrorCode::ProtocolError,
                      std::string{"Gateway sent an over-long line while waiting for the "} + what};
    }
    const auto r = conn.Read(buf, sizeof buf, deadline);
    switch (r.status) {
      case TcpClient::Status::Ok:
        control_buf_.append(reinterpret_cast<const char*>(buf), r.size);
        break;
      case TcpClient::Status::Timeout:
        throw LiveError{LiveErrorCode::Timeout,
                        std::string{"Timed out waiting for the gateway's "} + what};
      case TcpClient::Status::Interrupted:
        throw LiveError{LiveErrorCode::Aborted, "The session was stopped"};
      case TcpClient::Status::Closed:
        if (IsStopped()) throw LiveError{LiveErrorCode::Aborted, "The session was stopped"};
        throw LiveError{LiveErrorCode::ConnectionClosed,
                        std::string{"Gateway closed the connection while the client waited for the "} +
                            what};
    }
  }
}

std::string LiveBlocking::Connect() {
  if (IsStopped()) throw LiveError{LiveErrorCode::Aborted, "The session was stopped"};
  if (IsConnected()) throw LiveError{LiveErrorCode::InvalidState, "Already connected"};
  const std::string host = options_.gateway.empty() ? GatewayHost(options_.dataset) : options_.gateway;
  const auto connect_deadline = Clock::now() + options_.connect_timeout;
  auto conn = std::make_shared<TcpClient>(host, options_.port, connect_deadline, wake_fd_);
  ++connections_;
  // Publish the connection at once so Stop() can shut it down mid-handshake.
  {
    std::lock_guard lock{mu_};
    conn_ = conn;
  }
  control_buf_.clear();
  early_stream_.clear();
  decoder_.reset();
  pending_error_.reset();
  const auto deadline = Clock::now() + options_.auth_timeout;

  // Greeting (ignored, as the official client does), then the challenge.
  ReadControlLine(*conn, deadline, "greeting");
  const std::string cram = ReadControlLine(*conn, deadline, "authentication challenge");
  const std::size_t eq = cram.find('=');
  if (cram.rfind("cram", 0) != 0 || eq == std::string::npos) {
    throw LiveError{LiveErrorCode::ProtocolError,
                    "Expected the gateway's CRAM challenge, received: " + Redact(Shorten(cram))};
  }
  std::string challenge = cram.substr(eq + 1);
  if (!challenge.empty() && challenge.back() == '\r') challenge.pop_back();
  cram_reply_ = CramReply(challenge, options_.key);
  const std::string auth = AuthRequestLine(options_, challenge);
  conn->WriteAll(auth.data(), auth.size(), deadline);

  const std::string reply = ReadControlLine(*conn, deadline, "authentication response");
  std::optional<std::string> success;
  std::string error;
  std::string session_id;
  for (auto& [k, v] : ParseControlLine(reply)) {
    if (k == "success") success = v;
    else if (k == "error") error = v;
    else if (k == "session_id") session_id = v;
  }
  if (!success) {
    throw LiveError{LiveErrorCode::ProtocolError,
                    "Did not receive a success indicator from the authentication attempt: " +
                        Redact(Shorten(reply))};
  }
  if (*success != "1") {
    throw LiveError{LiveErrorCode::AuthFailed,
                    "Failed to authenticate: " + Redact(Shorten(error.empty() ? reply : error))};
  }
  // Whatever followed the reply starts the binary stream.
  early_stream_.assign(control_buf_.begin(), control_buf_.end());
  control_buf_.clear();

  std::lock_guard lock{mu_};
  if (IsStopped()) throw LiveError{LiveErrorCode::Aborted, "The session was stopped"};
  reader_conn_ = conn;
  authenticated_ = true;
  started_ = false;
  session_id_ = std::move(session_id);
  for (std::size_t i = 0; i < subs_.size(); ++i) {
    if (sub_states_[i] != SubState::Pending) continue;
    for (const auto& line : SubscriptionLines(subs_[i], true)) SendLocked(line);
    sub_states_[i] = SubState::Sent;
  }
  return session_id_;
}

bool LiveBlocking::IsConnected() const {
  std::lock_guard lock{mu_};
  return authenticated_;
}

void LiveBlocking::SendLocked(const std::string& text) {
  conn_->WriteAll(text.data(), text.size(), Clock::now() + options_.auth_timeout);
}

std::uint32_t LiveBlocking::Subscribe(LiveSubscription sub) {
  ValidateSubscription(sub);
  std::lock_guard lock{mu_};
  if (IsStopped()) throw LiveError{LiveErrorCode::InvalidState, "The session was stopped"};
  sub.id = ++sub_counter_;
  subs_.push_back(std::move(sub));
  sub_states_.push_back(SubState::Pending);
  if (authenticated_) {
    for (const auto& line : SubscriptionLines(subs_.back(), true)) SendLocked(line);
    sub_states_.back() = SubState::Sent;
  }
  return subs_.back().id;
}

Metadata LiveBlocking::Start() {
  if (IsStopped()) throw LiveError{LiveErrorCode::Aborted, "The session was stopped"};
  if (!IsConnected()) Connect();
  {
    std::lock_guard lock{mu_};
    if (started_) {
      throw LiveError{LiveErrorCode::InvalidState, "The session was already started on this connection"};
    }
    static const std::string kStart = "start_session\n";
    SendLocked(kStart);
    started_ = true;
  }
  DbnDecoder::Options opts;
  opts.upgrade_policy = options_.upgrade_policy;
  decoder_ = std::make_unique<DbnDecoder>(opts);
  if (read_buf_.size() != kReadBufferSize) read_buf_.resize(kReadBufferSize);
  silent_for_ = Clock::duration::zero();
  try {
    if (!early_stream_.empty()) {
      decoder_->Write(early_stream_.data(), early_stream_.size());
      early_stream_.clear();
    }
  } catch (const DbnError& e) {
    throw LiveError{LiveErrorCode::DecodeError, std::string{"Invalid DBN from the gateway: "} + e.what()};
  }
  // A deadline for the header as a whole: a gateway dripping bytes would
  // otherwise keep Start() waiting for as long as it likes.
  const auto metadata_deadline = Clock::now() + options_.metadata_timeout;
  while (!decoder_->GetMetadata()) {
    if (Clock::now() >= metadata_deadline) {
      throw LiveError{LiveErrorCode::Timeout,
                      "Timed out waiting for the gateway's metadata header (" +
                          std::to_string(options_.metadata_timeout.count()) +
                          " ms, the metadata timeout)"};
    }
    if (ReadIntoDecoder(metadata_deadline) == ReadStatus::Stopped) {
      throw LiveError{LiveErrorCode::Aborted, "The session was stopped"};
    }
  }
  output_version_ = decoder_->OutputVersion();
  ts_out_ = decoder_->TsOut();
  one_pos_ = one_end_ = 0;
  return *decoder_->GetMetadata();
}

void LiveBlocking::ThrowClosed(int error) {
  std::string msg = "Gateway closed the session";
  if (error != 0) msg += std::string{": "} + std::strerror(error);
  if (!decoder_ || !decoder_->GetMetadata()) {
    msg += " before the end of its metadata header";
  } else {
    try {
      decoder_->Finish();
    } catch (const DbnError&) {
      msg += " in the middle of a record";
    }
  }
  throw LiveError{LiveErrorCode::ConnectionClosed, msg};
}

LiveBlocking::ReadStatus LiveBlocking::ReadIntoDecoder(std::optional<Clock::time_point> deadline) {
  if (IsStopped()) return ReadStatus::Stopped;
  // The heartbeat rule counts only time spent waiting for data: a consumer
  // that kept this thread away from the socket does not make it fire.
  const auto limit = HeartbeatTimeout();
  const auto began = Clock::now();
  auto wait_until = began + (limit - silent_for_);
  if (deadline && *deadline < wait_until) wait_until = *deadline;
  const auto r = reader_conn_->Read(read_buf_.data(), read_buf_.size(), wait_until);
  switch (r.status) {
    case TcpClient::Status::Ok:
      silent_for_ = Clock::duration::zero();
      try {
        decoder_->Write(read_buf_.data(), r.size);
      } catch (const DbnError& e) {
        throw LiveError{LiveErrorCode::DecodeError,
                        std::string{"Invalid DBN from the gateway: "} + e.what()};
      }
      return ReadStatus::Data;
    case TcpClient::Status::Timeout:
      silent_for_ += Clock::now() - began;
      if (silent_for_ >= limit) {
        throw LiveError{LiveErrorCode::HeartbeatTimeout,
                        "Heartbeat timeout: no data received for " +
                            std::to_string(limit.count()) + " seconds"};
      }
      return ReadStatus::Timeout;
    case TcpClient::Status::Interrupted:
      return ReadStatus::Stopped;
    case TcpClient::Status::Closed:
      if (IsStopped()) return ReadStatus::Stopped;
      ThrowClosed(r.error);
  }
  return ReadStatus::Stopped;
}

RecordBatchInfo LiveBlocking::NextRecords(std::uint8_t* dst, std::size_t capacity,
                                          std::optional<std::chrono::milliseconds> timeout) {
  if (pending_error_) {
    LiveError e = std::move(*pending_error_);
    pending_error_.reset();
    throw e;
  }
  if (!decoder_ || !decoder_->GetMetadata()) {
    throw LiveError{LiveErrorCode::InvalidState, "The session has not been started"};
  }
  std::optional<Clock::time_point> deadline;
  if (timeout) deadline = Clock::now() + *timeout;
  RecordBatchInfo info;
  try {
    while (!IsStopped()) {
      if (capacity - info.bytes < DbnDecoder::kMaxRecordBytes) break;  // full
      std::size_t count = 0;
      std::size_t n;
      try {
        n = decoder_->ReadRecords(dst + info.bytes, capacity - info.bytes, &count);
      } catch (const DbnError& e) {
        throw LiveError{LiveErrorCode::DecodeError,
                        std::string{"Invalid DBN from the gateway: "} + e.what()};
      }
      if (n != 0) {
        const std::uint8_t* p = dst + info.bytes;
        const std::uint8_t* const stop = p + n;
        while (p < stop) {
          const std::size_t len = std::size_t{p[0]} * kRecordHeaderLengthMultiplier;
          const std::uint8_t rtype = p[1];
          if (rtype == static_cast<std::uint8_t>(RType::SymbolMapping)) {
            ++info.symbol_mappings;
          }
          if (rtype == static_cast<std::uint8_t>(RType::Error)) {
            // v1 ErrorMsg (80 bytes) has no code: it cannot be told fatal.
            if (len >= sizeof(ErrorMsg)) {
              const auto* err = reinterpret_cast<const ErrorMsg*>(p);
              if (IsFatalGatewayCode(err->code) && !pending_error_) {
                const std::string text{err->err.data(), ::strnlen(err->err.data(), err->err.size())};
                pending_error_.emplace(LiveErrorCode::GatewayError,
                                       "Gateway error: " + Redact(Shorten(text)), err->code);
              }
            }
          } else if (rtype != static_cast<std::uint8_t>(RType::System)) {
            std::uint64_t ts;
            std::memcpy(&ts, p + 8, sizeof ts);
            last_ts_event_.store(ts, std::memory_order_relaxed);
          }
          p += len;
        }
        info.bytes += n;
        info.count += count;
        if (pending_error_) break;  // hand out what came before the error first
        continue;
      }
      // Nothing buffered. Wait only while nothing has been gathered yet.
      const ReadStatus st = ReadIntoDecoder(info.bytes == 0 ? deadline : Clock::now());
      if (st != ReadStatus::Data) break;
    }
  } catch (LiveError& e) {
    if (info.bytes == 0) throw;
    pending_error_.emplace(std::move(e));
  }
  return info;
}

const RecordHeader* LiveBlocking::NextRecord(std::optional<std::chrono::milliseconds> timeout) {
  if (one_pos_ >= one_end_) {
    if (one_buf_.size() != kOneRecordBufferSize) one_buf_.resize(kOneRecordBufferSize);
    const auto info = NextRecords(one_buf_.data(), one_buf_.size(), timeout);
    one_pos_ = 0;
    one_end_ = info.bytes;
    if (info.bytes == 0) return nullptr;
  }
  const auto* rec = reinterpret_cast<const RecordHeader*>(one_buf_.data() + one_pos_);
  one_pos_ += std::size_t{rec->length} * kRecordHeaderLengthMultiplier;
  return rec;
}

std::string LiveBlocking::Reconnect() {
  if (IsStopped()) throw LiveError{LiveErrorCode::Aborted, "The session was stopped"};
  {
    std::lock_guard lock{mu_};
    if (conn_) conn_->Shutdown();
    conn_.reset();
    authenticated_ = false;
    started_ = false;
    for (auto& st : sub_states_) {
      if (st == SubState::Sent) st = SubState::Stale;
    }
  }
  reader_conn_.reset();
  decoder_.reset();
  one_pos_ = one_end_ = 0;
  return Connect();
}

void LiveBlocking::Resubscribe() {
  std::lock_guard lock{mu_};
  if (!authenticated_) throw LiveError{LiveErrorCode::InvalidState, "Not connected"};
  for (std::size_t i = 0; i < subs_.size(); ++i) {
    if (sub_states_[i] != SubState::Stale) continue;
    for (const auto& line : SubscriptionLines(subs_[i], false)) SendLocked(line);
    sub_states_[i] = SubState::Sent;
  }
}

void LiveBlocking::Stop() {
  if (stop_.exchange(true, std::memory_order_acq_rel)) return;
  const std::uint64_t one = 1;
  // Wakes every poll of this session; the counter is never drained.
  [[maybe_unused]] const ssize_t n = ::write(wake_fd_, &one, sizeof one);
  std::lock_guard lock{mu_};
  if (conn_) conn_->Shutdown();
}

void LiveBlocking::CloseConnection() {
  {
    std::lock_guard lock{mu_};
    if (conn_) conn_->Shutdown();
    conn_.reset();
    authenticated_ = false;
    started_ = false;
    // What was sent is gone with the connection: Resubscribe() sends it again.
    for (auto& st : sub_states_) {
      if (st == SubState::Sent) st = SubState::Stale;
    }
  }
  reader_conn_.reset();
  decoder_.reset();
  read_buf_ = {};
  one_buf_ = {};
  one_pos_ = one_end_ = 0;
}

int LiveBlocking::DuplicateSocket() const {
  if (!reader_conn_ || !decoder_) return -1;
  return reader_conn_->Duplicate();
}

std::string LiveBlocking::SessionId() const {
  std::lock_guard lock{mu_};
  return session_id_;
}

std::vector<LiveSubscription> LiveBlocking::Subscriptions() const {
  std::lock_guard lock{mu_};
  return subs_;
}

std::uint8_t LiveBlocking::OutputVersion() const { return output_version_; }
bool LiveBlocking::TsOut() const { return ts_out_; }

}  // namespace databento
