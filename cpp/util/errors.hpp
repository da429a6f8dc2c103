#pragma once

// The one path from a C++ failure to a JS error, for every binding. A
// failure is first captured as plain data (ErrorInfo: on any thread, e.g. a
// libuv worker or a session thread) and becomes a JS DbnError or LiveError
// on the JS thread. Every class is built with plain N-API calls: while the
// environment is torn down (worker.terminate()) they fail quietly, where
// node-addon-api's wrappers would abort the process.

#include <napi.h>

#include <cstdint>
#include <string>
#include <utility>

namespace databento::node {

// Which facade error class a failure becomes.
enum class ErrorFamily : std::uint8_t { Dbn, Live };

struct ErrorInfo {
  ErrorFamily family{ErrorFamily::Dbn};
  std::string code;
  std::string message;
  std::uint8_t gateway_code{};  // a live GATEWAY_ERROR's ErrorMsg code, else 0
};

// The C++ exception in flight as data; call from a catch block. DbnError
// and LiveError keep their family and code; anything else becomes
// OUT_OF_MEMORY (std::bad_alloc) or INTERNAL in `family`.
ErrorInfo CurrentError(ErrorFamily family);

// The facade's error object, or nullptr when JS can no longer run.
napi_value NewErrorValue(napi_env env, const ErrorInfo& info);

// As a node-addon-api exception, to throw from a method body.
Napi::Error ToJsError(Napi::Env env, const ErrorInfo& info);

// Rethrows the C++ exception in flight as a JS error of its family; a
// Napi::Error passes through. Call from a catch block.
[[noreturn]] void RethrowAsJsError(Napi::Env env, ErrorFamily family);

// Throws `err` into JS unless an exception is already pending.
void ThrowRaw(napi_env env, napi_value err);

// Runs a method body, turning any C++ exception into a pending JS one.
template <typename F>
Napi::Value GuardCall(napi_env env, ErrorFamily family, F&& body) {
  try {
    return std::forward<F>(body)();
  } catch (const Napi::Error& e) {
    ThrowRaw(env, e.IsEmpty() ? nullptr : napi_value{e.Value()});
  } catch (...) {
    ThrowRaw(env, NewErrorValue(env, CurrentError(family)));
  }
  return Napi::Value{};
}

// An instance method registered with a plain N-API callback: node-addon-api's
// InstanceMethod unwraps `this` with a call that aborts the process once the
// environment is being torn down; here that case just returns.
template <typename T, Napi::Value (T::*M)(const Napi::CallbackInfo&)>
napi_value RawMethod(napi_env env, napi_callback_info cbinfo) {
  napi_value self;
  std::size_t argc = 0;
  if (napi_get_cb_info(env, cbinfo, &argc, nullptr, &self, nullptr) != napi_ok) return nullptr;
  void* raw = nullptr;
  if (napi_unwrap(env, self, &raw) != napi_ok || raw == nullptr) return nullptr;
  T* instance = static_cast<T*>(static_cast<Napi::ObjectWrap<T>*>(raw));
  Napi::Value result = GuardCall(env, T::kErrorFamily, [&] {
    Napi::CallbackInfo info{env, cbinfo};
    return (instance->*M)(info);
  });
  return result.IsEmpty() ? nullptr : napi_value{result};
}

template <typename T, Napi::Value (T::*M)(const Napi::CallbackInfo&)>
Napi::ClassPropertyDescriptor<T> Method(const char* name) {
  return napi_property_descriptor{name, nullptr, &RawMethod<T, M>, nullptr,
                                  nullptr, nullptr, napi_default_method, nullptr};
}

}  // namespace databento::node
