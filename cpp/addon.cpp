#include "addon.hpp"

#include <exception>

#include "databento/dbn_error.hpp"

namespace databento::node {

Addon::Addon(Napi::Env env, Napi::Object exports) {
  DefineAddon(exports,
              {InstanceMethod("setErrorClasses", &Addon::SetErrorClasses)});
  InitDbn(env, exports);
  InitLive(env, exports);
  InitZstd(env, exports);
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

Napi::Error MakeError(Napi::Env env, Napi::FunctionReference& ctor,
                      const std::string& code, const std::string& message) {
  if (ctor.IsEmpty()) {
    auto err = Napi::Error::New(env, message);
    err.Set("code", Napi::String::New(env, code));
    return err;
  }
  auto obj = ctor.New(
      {Napi::String::New(env, message), Napi::String::New(env, code)});
  return Napi::Error(env, obj);
}

void RethrowAsDbnError(Napi::Env env) {
  auto& ctor = env.GetInstanceData<Addon>()->dbn_error;
  try {
    throw;
  } catch (const Napi::Error&) {
    throw;
  } catch (const DbnError& e) {
    throw MakeError(env, ctor, ToString(e.Code()), e.what());
  } catch (const std::bad_alloc&) {
    throw MakeError(env, ctor, "OUT_OF_MEMORY", "out of memory");
  } catch (const std::exception& e) {
    throw MakeError(env, ctor, "INTERNAL", e.what());
  }
}

}  // namespace databento::node

// The macro builds identifiers from its argument, so it needs a plain name.
using DatabentoAddon = databento::node::Addon;
NODE_API_ADDON(DatabentoAddon)
