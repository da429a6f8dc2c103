#include "databento/live_error.hpp"

namespace databento {

const char* ToString(LiveErrorCode code) {
  switch (code) {
    case LiveErrorCode::AuthFailed:
      return "AUTH_FAILED";
    case LiveErrorCode::ConnectFailed:
      return "CONNECT_FAILED";
    case LiveErrorCode::ConnectionClosed:
      return "CONNECTION_CLOSED";
    case LiveErrorCode::HeartbeatTimeout:
      return "HEARTBEAT_TIMEOUT";
    case LiveErrorCode::GatewayError:
      return "GATEWAY_ERROR";
    case LiveErrorCode::DecodeError:
      return "DECODE_ERROR";
    case LiveErrorCode::ProtocolError:
      return "PROTOCOL_ERROR";
    case LiveErrorCode::Timeout:
      return "TIMEOUT";
    case LiveErrorCode::InvalidArgument:
      return "INVALID_ARGUMENT";
    case LiveErrorCode::InvalidState:
      return "INVALID_STATE";
    case LiveErrorCode::Aborted:
      return "ABORTED";
    case LiveErrorCode::Internal:
      return "INTERNAL";
  }
  return "INTERNAL";
}

}  // namespace databento
