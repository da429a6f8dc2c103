#include "addon.hpp"

namespace databento::node {

Addon::Addon(Napi::Env env, Napi::Object exports) {
  DefineAddon(exports,
              {InstanceMethod("setErrorClasses", &Addon::SetErrorClasses),
               InstanceMethod("setBufferAllocator", &Addon::SetBufferAllocator)});
  InitDbnDecoder(env, exports);
  InitDbnFileStore(env, exports);
  InitDbnEncoder(env, exports);
  InitLiveBlocking(env, exports);
  InitLiveThreaded(env, exports);
  InitZstd(env, exports);
  InitText(env, exports);
  InitColumns(env, exports);
}

Napi::Value Addon::SetErrorClasses(const Napi::CallbackInfo& info) {
  auto classes = info[0].As<Napi::Object>();
  dbn_error = Napi::Persistent(classes.Get("DbnError").As<Napi::Function>());
  if (classes.Has("LiveError")) {
    live_error =
        Napi::Persistent(classes.Get("LiveError").As<Napi::Function>());
  }
  return info.Env().Undefined();
}

Napi::Value Addon::SetBufferAllocator(const Napi::CallbackInfo& info) {
  allocate_uninitialized = Napi::Persistent(info[0].As<Napi::Function>());
  return info.Env().Undefined();
}

}  // namespace databento::node

// The macro builds identifiers from its argument, so it needs a plain name.
using DatabentoAddon = databento::node::Addon;
NODE_API_ADDON(DatabentoAddon)
