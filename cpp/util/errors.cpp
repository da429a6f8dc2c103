#include "util/errors.hpp"

#include <exception>
#include <new>

#include "addon.hpp"
#include "databento/dbn_error.hpp"
#include "databento/live_error.hpp"

namespace databento::node {

ErrorInfo CurrentError(ErrorFamily family) {
  try {
    throw;
  } catch (const DbnError& e) {
    return {ErrorFamily::Dbn, ToString(e.Code()), e.what(), 0};
  } catch (const LiveError& e) {
    return {ErrorFamily::Live, ToString(e.Code()), e.what(), e.GatewayCode()};
  } catch (const std::bad_alloc&) {
    return {family, "OUT_OF_MEMORY", "Out of memory", 0};
  } catch (const std::exception& e) {
    return {family, "INTERNAL", e.what(), 0};
  } catch (...) {
    return {family, "INTERNAL", "Unknown native failure", 0};
  }
}

napi_value NewErrorValue(napi_env env, const ErrorInfo& info) {
  napi_value code;
  napi_value message;
  if (napi_create_string_utf8(env, info.code.data(), info.code.size(), &code) != napi_ok ||
      napi_create_string_utf8(env, info.message.data(), info.message.size(), &message) != napi_ok) {
    return nullptr;
  }
  auto* addon = Napi::Env{env}.GetInstanceData<Addon>();
  napi_value err = nullptr;
  Napi::FunctionReference* ctor = nullptr;
  if (addon != nullptr) ctor = info.family == ErrorFamily::Live ? &addon->live_error : &addon->dbn_error;
  if (ctor != nullptr && !ctor->IsEmpty()) {
    napi_value args[2] = {message, code};
    if (napi_new_instance(env, ctor->Value(), 2, args, &err) != napi_ok) return nullptr;
  } else {
    if (napi_create_error(env, code, message, &err) != napi_ok) return nullptr;
    napi_set_named_property(env, err, "code", code);
  }
  if (info.gateway_code != 0) {
    napi_value gateway_code;
    if (napi_create_uint32(env, info.gateway_code, &gateway_code) == napi_ok) {
      napi_set_named_property(env, err, "gatewayCode", gateway_code);
    }
  }
  return err;
}

Napi::Error ToJsError(Napi::Env env, const ErrorInfo& info) {
  napi_value err = NewErrorValue(env, info);
  if (err == nullptr) return Napi::Error::New(env, info.message);
  return Napi::Error(env, err);
}

void RethrowAsJsError(Napi::Env env, ErrorFamily family) {
  try {
    throw;
  } catch (const Napi::Error&) {
    throw;
  } catch (...) {
    throw ToJsError(env, CurrentError(family));
  }
}

void ThrowRaw(napi_env env, napi_value err) {
  bool pending = false;
  if (err == nullptr || napi_is_exception_pending(env, &pending) != napi_ok || pending) return;
  napi_throw(env, err);
}

}  // namespace databento::node
