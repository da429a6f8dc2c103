#pragma once

// Native memory owned by a JS object is invisible to V8's garbage collector:
// thousands of short-lived decoders, each holding a zstd stream, would pile
// up before a collection. Reporting it makes V8 collect them in time.

#include <napi.h>

#include <cstddef>
#include <cstdint>

namespace databento::node {

class ExternalMemory {
 public:
  // Reports `bytes` as the object's current native footprint.
  void Update(Napi::Env env, std::size_t bytes) {
    const auto delta = static_cast<std::int64_t>(bytes) - reported_;
    if (delta != 0) {
      Napi::MemoryManagement::AdjustExternalMemory(env, delta);
      reported_ += delta;
    }
  }

  // Withdraws the report; call from the owner's destructor (JS thread).
  void Release(Napi::Env env) { Update(env, 0); }

 private:
  std::int64_t reported_{0};
};

}  // namespace databento::node
