#pragma once

// Records cross into JS as batches: one V8-allocated ArrayBuffer filled with
// one memcpy (never an external buffer: Electron's V8 memory cage forbids
// them).

#include <napi.h>

#include "addon.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace databento::node {

// Default batch size: large enough that per-batch costs vanish, small enough
// to stay in cache.
constexpr std::size_t kDefaultBatchBytes = 256 * 1024;

// Below this size the zero-fill costs less than a call into JS.
constexpr std::size_t kUninitializedMinBytes = 4096;

// A new ArrayBuffer of `size` bytes that the caller overwrites entirely.
// N-API's are zero-filled, and for a 64 KiB batch that fill (on fresh pages)
// costs several times the copy that follows; the facade's allocator skips it.
inline Napi::ArrayBuffer NewArrayBufferToOverwrite(Napi::Env env, std::size_t size) {
  auto* addon = env.GetInstanceData<Addon>();
  if (size >= kUninitializedMinBytes && addon != nullptr && !addon->allocate_uninitialized.IsEmpty()) {
    try {
      auto v = addon->allocate_uninitialized.Call({Napi::Number::New(env, static_cast<double>(size))});
      if (v.IsArrayBuffer() && v.As<Napi::ArrayBuffer>().ByteLength() == size) return v.As<Napi::ArrayBuffer>();
    } catch (const Napi::Error&) {
      // Out of memory in JS: the zero-filled path reports it as ours.
    }
  }
  return Napi::ArrayBuffer::New(env, size);
}

inline Napi::ArrayBuffer CopyToArrayBuffer(Napi::Env env,
                                           const std::uint8_t* data,
                                           std::size_t size) {
  auto ab = NewArrayBufferToOverwrite(env, size);
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
