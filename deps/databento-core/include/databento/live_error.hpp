#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace databento {

// Why a live session failed. The names cross into JS as the `code` of a
// LiveError, so they are part of the public API.
enum class LiveErrorCode : std::uint8_t {
  AuthFailed,        // the gateway refused the authentication request
  ConnectFailed,     // DNS resolution or the TCP connection failed
  ConnectionClosed,  // the gateway closed the connection
  HeartbeatTimeout,  // no bytes for heartbeat_interval_s + 5 s
  GatewayError,      // the gateway sent a fatal ErrorMsg
  DecodeError,       // the binary stream is not valid DBN
  ProtocolError,     // the gateway broke the text protocol
  Timeout,           // the connect or authentication deadline passed
  InvalidArgument,   // an option or subscription the protocol cannot carry
  InvalidState,      // a call the session's state does not allow
  Aborted,           // the session was stopped while the call was waiting
  Internal,          // an operating-system or library failure
};

// The stable string form of a code, e.g. "HEARTBEAT_TIMEOUT".
const char* ToString(LiveErrorCode code);

class LiveError : public std::runtime_error {
 public:
  LiveError(LiveErrorCode code, const std::string& message,
            std::uint8_t gateway_code = 0)
      : std::runtime_error{message}, code_{code}, gateway_code_{gateway_code} {}

  LiveErrorCode Code() const { return code_; }
  // The ErrorMsg `code` for GatewayError, else 0.
  std::uint8_t GatewayCode() const { return gateway_code_; }

 private:
  LiveErrorCode code_;
  std::uint8_t gateway_code_;
};

}  // namespace databento
