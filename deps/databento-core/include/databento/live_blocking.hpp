#pragma once

// A live session with the pull model: connect, subscribe, start, then ask
// for records. Mirrors the official client's LiveBlocking. Blocking calls run
// on one reader thread at a time; Subscribe, Stop and the accessors may be
// called from any thread.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "databento/dbn_decoder.hpp"
#include "databento/live_error.hpp"
#include "databento/live_protocol.hpp"
#include "databento/metadata.hpp"
#include "databento/records.hpp"

namespace databento {

class TcpClient;

// What NextRecords wrote.
struct RecordBatchInfo {
  std::size_t bytes{};            // bytes of whole records written
  std::size_t count{};            // number of records
  std::size_t symbol_mappings{};  // how many of them are SymbolMappingMsg
};

class LiveBlocking {
 public:
  using Clock = std::chrono::steady_clock;

  // Validates the options (LiveError InvalidArgument); does no I/O.
  explicit LiveBlocking(LiveOptions options);
  ~LiveBlocking();
  LiveBlocking(const LiveBlocking&) = delete;
  LiveBlocking& operator=(const LiveBlocking&) = delete;

  // Resolves the gateway, connects, reads the greeting and challenge, sends
  // the authentication request and reads the reply, within the connect and
  // auth timeouts. Sends the subscriptions made before. Returns the session
  // id. Throws LiveError.
  std::string Connect();
  bool IsConnected() const;

  // Records a subscription and gives it the next id (the first is 1; every
  // chunk of one call shares it). Sent now when connected, otherwise by
  // Connect. Throws LiveError (InvalidArgument, or a write failure).
  std::uint32_t Subscribe(LiveSubscription sub);

  // Sends start_session (connecting first if needed) and waits for the
  // metadata header, at most options.metadata_timeout (LiveError Timeout).
  // Records follow through NextRecords.
  Metadata Start();

  // Copies whole records into dst (capacity >= DbnDecoder::kMaxRecordBytes).
  // Returns once dst is nearly full or the socket has nothing more ready; it
  // waits only while nothing at all is available, until `timeout` (none:
  // indefinitely, bounded by the heartbeat rule). Returns 0 bytes on timeout
  // or after Stop(). Errors are thrown only once the records before them
  // were handed out: ConnectionClosed, HeartbeatTimeout, DecodeError and
  // GatewayError (after a fatal ErrorMsg, which is itself delivered first).
  RecordBatchInfo NextRecords(std::uint8_t* dst, std::size_t capacity,
                              std::optional<std::chrono::milliseconds> timeout);

  // One record at a time, as the official client: nullptr on timeout or
  // after Stop(). The pointer is valid until the next call.
  const RecordHeader* NextRecord(std::optional<std::chrono::milliseconds> timeout);

  // Closes the connection and opens a new one with the same options
  // (authenticating again). Subscriptions already sent are not repeated
  // until Resubscribe(); new subscriptions continue the ids after the
  // highest given so far, as the official client's. Returns the session id.
  std::string Reconnect();
  // Sends every subscription of earlier connections again, with its
  // original id, without its start (snapshot kept).
  void Resubscribe();

  // Ends the session: any blocking call returns promptly, later ones do
  // nothing. Thread-safe and idempotent.
  void Stop();
  bool IsStopped() const { return stop_.load(std::memory_order_acquire); }
  // Shuts the socket down and closes it (the gateway sees the end at once,
  // even if a duplicate of the descriptor is still open) and frees the
  // decoder; the subscriptions sent become due for Resubscribe() on the next
  // connection. Call it once no blocking call is in progress (after Stop(),
  // or from the reader thread itself).
  void CloseConnection();

  // For a reader that waits for data itself (an event loop) and reads with
  // a zero timeout. Reader thread only.
  // A duplicate of the connection's socket descriptor (the caller closes it),
  // or -1 (none: not started, or the descriptor limit).
  int DuplicateSocket() const;
  // Counts connections made: tells whether a duplicate is still of the
  // current one.
  std::uint64_t ConnectionNumber() const { return connections_; }
  // Time spent waiting for data elsewhere, counted by the heartbeat rule of
  // the next read as if it had waited itself.
  void AddSilence(Clock::duration d) { silent_for_ += d; }
  // No data for this long (heartbeat interval plus margin) fails the session.
  std::chrono::seconds HeartbeatTimeout() const;

  std::string SessionId() const;
  std::vector<LiveSubscription> Subscriptions() const;
  // ts_event of the last market-data record handed out (not counting
  // SystemMsg and ErrorMsg); kUndefTimestamp before the first.
  std::uint64_t LastTsEvent() const { return last_ts_event_.load(std::memory_order_relaxed); }
  const LiveOptions& Options() const { return options_; }
  // Layout of the records handed out; valid after Start.
  std::uint8_t OutputVersion() const;
  bool TsOut() const;

 private:
  enum class SubState : std::uint8_t { Pending, Sent, Stale };
  enum class ReadStatus : std::uint8_t { Data, Timeout, Stopped };

  std::string ReadControlLine(TcpClient& conn, Clock::time_point deadline,
                              const char* what);
  ReadStatus ReadIntoDecoder(std::optional<Clock::time_point> deadline);
  void SendLocked(const std::string& text);
  std::string Redact(std::string text) const;
  [[noreturn]] void ThrowClosed(int error);

  const LiveOptions options_;
  int wake_fd_{-1};
  std::atomic<bool> stop_{false};

  // Shared with writer threads (Subscribe, Stop).
  mutable std::mutex mu_;
  std::shared_ptr<TcpClient> conn_;
  bool authenticated_{false};
  bool started_{false};
  std::string session_id_;
  std::vector<LiveSubscription> subs_;
  std::vector<SubState> sub_states_;
  std::uint32_t sub_counter_{};

  // Reader-thread state.
  std::shared_ptr<TcpClient> reader_conn_;
  std::unique_ptr<DbnDecoder> decoder_;
  std::vector<std::uint8_t> read_buf_;
  std::string control_buf_;             // received text not yet parsed
  std::vector<std::uint8_t> early_stream_;  // bytes after the auth reply
  std::string cram_reply_;              // the last CRAM reply sent: secret, redacted from errors
  Clock::duration silent_for_{};  // waited without receiving a byte
  std::uint64_t connections_{};
  std::optional<LiveError> pending_error_;
  std::atomic<std::uint64_t> last_ts_event_{kUndefTimestamp};
  std::uint8_t output_version_{};
  bool ts_out_{};
  // NextRecord's buffer.
  std::vector<std::uint8_t> one_buf_;
  std::size_t one_pos_{};
  std::size_t one_end_{};
};

}  // namespace databento
