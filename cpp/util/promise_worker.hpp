#pragma once

// The one base of every binding's background job that settles a promise.
// Run() works on a libuv worker thread (whatever it throws rejects the
// promise through the one error path, util/errors.hpp); Result() builds the
// value on the JS thread. The owner stays alive until the job is over, and
// its WorkDone() hook runs on the JS thread first.

#include <napi.h>

#include <optional>

#include "util/errors.hpp"

namespace databento::node {

template <typename Owner>
class PromiseWorker : public Napi::AsyncWorker {
 public:
  Napi::Promise Start() {
    auto promise = deferred_.Promise();
    Napi::AsyncWorker::Queue();
    return promise;
  }

 protected:
  PromiseWorker(Owner& owner, const char* name)
      : Napi::AsyncWorker{owner.Env(), name},
        owner_{owner},
        deferred_{Napi::Promise::Deferred::New(owner.Env())} {
    owner_.Ref();
  }

  virtual void Run() = 0;
  virtual Napi::Value Result(Napi::Env env) = 0;

  Owner& owner_;

 private:
  void Execute() final {
    try {
      Run();
    } catch (...) {
      error_ = CurrentError(Owner::kErrorFamily);
    }
  }

  void OnOK() final {
    auto env = Env();
    owner_.Unref();
    owner_.WorkDone(env);
    // Settling fails only while the environment goes away: nothing to do then.
    try {
      if (error_) {
        deferred_.Reject(ToJsError(env, *error_).Value());
      } else {
        deferred_.Resolve(Result(env));
      }
    } catch (const Napi::Error& e) {
      if (!e.IsEmpty()) deferred_.Reject(e.Value());
    } catch (...) {
    }
  }

  Napi::Promise::Deferred deferred_;
  std::optional<ErrorInfo> error_;
};

}  // namespace databento::node
