#pragma once

// Records cross into JS as batches: one V8-allocated ArrayBuffer filled with
// one memcpy (never an external buffer: Electron's V8 memory cage forbids
// them).

#include <napi.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace databento::node {

// Default batch size: large enough that per-batch costs vanish, small enough
// to stay in cache.
constexpr std::size_t kDefaultBatchBytes = 256 * 1024;

inline Napi::ArrayBuffer CopyToArrayBuffer(Napi::Env env,
                                           const std::uint8_t* data,
                                           std::size_t size) {
  auto ab = Napi::ArrayBuffer::New(env, size);
  if (size != 0) {
    std::memcpy(ab.Data(), data, size);
  }
  return ab;
}

// { buffer: ArrayBuffer, count: number } as the facade's RecordBatch reads it.
inline Napi::Object MakeBatch(Napi::Env env, const std::uint8_t* data,
                              std::size_t size, std::size_t count) {
  auto batch = Napi::Object::New(env);
  batch.Set("buffer", CopyToArrayBuffer(env, data, size));
  batch.Set("count", Napi::Number::New(env, static_cast<double>(count)));
  return batch;
}

}  // namespace databento::node
