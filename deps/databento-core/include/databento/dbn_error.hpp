#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

#include "databento/error_codes.hpp"

namespace databento {

// A failure with its code (the enum and ToString are generated: error_codes.hpp).
class DbnError : public std::runtime_error {
 public:
  DbnError(DbnErrorCode code, const std::string& message)
      : std::runtime_error{message}, code_{code} {}

  DbnErrorCode Code() const { return code_; }

 private:
  DbnErrorCode code_;
};

}  // namespace databento
