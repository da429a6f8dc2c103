#pragma once

// Per-environment state of the addon. Node may load the addon into several
// environments (worker_threads, Electron renderers); everything JS-facing
// lives here, never in globals.

#include <napi.h>

#include <string>

namespace databento::node {

class Addon : public Napi::Addon<Addon> {
 public:
  Addon(Napi::Env env, Napi::Object exports);

  // Constructors of the facade's error classes, registered by the facade at
  // load time (setErrorClasses) so native code throws the same classes.
  Napi::FunctionReference dbn_error;
  Napi::FunctionReference live_error;
  // (size) => an ArrayBuffer of `size` uninitialized bytes, registered by the
  // facade (Buffer.allocUnsafeSlow): see CopyToArrayBuffer.
  Napi::FunctionReference allocate_uninitialized;

 private:
  Napi::Value SetErrorClasses(const Napi::CallbackInfo& info);
  Napi::Value SetBufferAllocator(const Napi::CallbackInfo& info);
};

// Registration hooks of the binding files.
void InitDbnDecoder(Napi::Env env, Napi::Object exports);
void InitDbnFileStore(Napi::Env env, Napi::Object exports);
void InitDbnEncoder(Napi::Env env, Napi::Object exports);
void InitLiveBlocking(Napi::Env env, Napi::Object exports);
void InitLiveThreaded(Napi::Env env, Napi::Object exports);
void InitZstd(Napi::Env env, Napi::Object exports);
void InitText(Napi::Env env, Napi::Object exports);
void InitColumns(Napi::Env env, Napi::Object exports);

}  // namespace databento::node
