#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

#include "databento/error_codes.hpp"

namespace databento {

// A failure with its code (the enum and ToString are generated: error_codes.hpp).
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
