// NativeLiveThreaded: the core LiveThreaded (push model) for JS.
//
// The session thread decodes records straight into batch buffers and hands
// them to the core's bounded BatchQueue. JS pulls from it at its own pace
// (next(), a bounded slice per turn of the event loop); when it finds the
// queue empty, the next item wakes it once through a ThreadSafeFunction.
// When JS falls behind or pauses, the queue fills, the session thread blocks
// before reading more, and TCP pushes back on the gateway.

#include <napi.h>

#include <memory>
#include <utility>

#include "addon.hpp"
#include "databento/batch_queue.hpp"
#include "databento/live_threaded.hpp"
#include "util/errors.hpp"
#include "util/live_convert.hpp"

namespace databento::node {
namespace {

constexpr std::size_t kDefaultQueueBatches = 16;

// Calls the facade's wake-up function (it only schedules a pull, it cannot throw).
void CallWake(napi_env env, napi_value js_wake, void*, void*) {
  if (env == nullptr || js_wake == nullptr) return;  // teardown
  napi_value undefined;
  if (napi_get_undefined(env, &undefined) != napi_ok) return;
  napi_call_function(env, undefined, js_wake, 0, nullptr, nullptr);
}

class NativeLiveThreaded : public Napi::ObjectWrap<NativeLiveThreaded> {
 public:
  static constexpr ErrorFamily kErrorFamily = ErrorFamily::Live;

  static Napi::Function Define(Napi::Env env) {
    using T = NativeLiveThreaded;
    return DefineClass(env, "NativeLiveThreaded",
                       {Method<T, &T::Subscribe>("subscribe"), Method<T, &T::Start>("start"),
                        Method<T, &T::Restart>("restart"), Method<T, &T::Next>("next"),
                        Method<T, &T::Close>("close"), Method<T, &T::RefLoop>("ref"),
                        Method<T, &T::UnrefLoop>("unref"), Method<T, &T::SessionId>("sessionId"),
                        Method<T, &T::Subscriptions>("subscriptions"),
                        Method<T, &T::LastTsEvent>("lastTsEvent"),
                        Method<T, &T::QueuedBatches>("queuedBatches")});
  }

  explicit NativeLiveThreaded(const Napi::CallbackInfo& info)
      : Napi::ObjectWrap<NativeLiveThreaded>{info} {
    env_ = info.Env();
    GuardCall(env_, kErrorFamily, [&] {
      auto o = info[0].As<Napi::Object>();
      std::size_t batch_bytes = LiveThreaded::kDefaultBatchBytes;
      if (auto b = NumberOption(o, "batchBytes")) batch_bytes = static_cast<std::size_t>(*b);
      std::size_t queue_batches = kDefaultQueueBatches;
      if (auto q = NumberOption(o, "queueBatches"); q && *q >= 1) queue_batches = static_cast<std::size_t>(*q);
      queue_ = std::make_shared<BatchQueue>(queue_batches);
      client_ = std::make_unique<LiveThreaded>(LiveOptionsFromJs(o), batch_bytes);
      return Napi::Value{};
    });
  }

  ~NativeLiveThreaded() override {
    // Normally the thread has ended and been joined; this is the backstop.
    StopAll();
    if (client_) client_->Join();
    if (hook_registered_) napi_remove_env_cleanup_hook(env_, &NativeLiveThreaded::Cleanup, this);
  }

 private:
  // Environment teardown: stop and join before Node finalizes the
  // ThreadSafeFunction (hooks run last-in first-out, and this one is added
  // after the function is created).
  static void Cleanup(void* arg) {
    auto* self = static_cast<NativeLiveThreaded*>(arg);
    self->hook_registered_ = false;
    self->StopAll();
    self->client_->Join();
    self->queue_->ClearWake();
    self->tsfn_ = nullptr;
  }

  void StopAll() {
    if (queue_) queue_->Stop();
    if (client_) client_->Stop();
  }

  // The session thread has exited (its end item was pulled): join it and
  // drop the JS thread's hold on the wake-up function.
  void OnThreadEnd() {
    client_->Join();
    if (hook_registered_) {
      napi_remove_env_cleanup_hook(env_, &NativeLiveThreaded::Cleanup, this);
      hook_registered_ = false;
    }
    queue_->ClearWake();
    if (tsfn_ != nullptr) napi_release_threadsafe_function(tsfn_, napi_tsfn_release);
    tsfn_ = nullptr;
    running_ = false;
  }

  LiveThreaded::Callbacks MakeCallbacks(napi_threadsafe_function tsfn) {
    LiveThreaded::Callbacks cb;
    std::shared_ptr<BatchQueue> queue = queue_;
    LiveBlocking* session = &client_->Blocking();
    cb.metadata = [queue, session](Metadata md) {
      BatchQueue::Item item;
      item.kind = BatchQueue::Kind::Metadata;
      item.metadata = std::move(md);
      item.version = session->OutputVersion();
      item.ts_out = session->TsOut();
      queue->Push(std::move(item));
    };
    cb.batch = [queue](std::vector<std::uint8_t>& buf, const RecordBatchInfo& info) {
      return queue->PushBatch(buf, info) ? LiveThreaded::KeepGoing::Continue : LiveThreaded::KeepGoing::Stop;
    };
    cb.exception = [queue](const LiveError& e) {
      BatchQueue::Item item;
      item.kind = BatchQueue::Kind::Error;
      item.error = e;
      queue->Push(std::move(item));
      // The facade decides about reconnecting, on the JS thread.
      return LiveThreaded::ExceptionAction::Stop;
    };
    cb.exit = [queue, tsfn] {
      BatchQueue::Item end;
      end.kind = BatchQueue::Kind::End;
      queue->Push(std::move(end));
      // The session thread's hold; the JS thread keeps its own until it
      // has pulled the end item.
      napi_release_threadsafe_function(tsfn, napi_tsfn_release);
    };
    return cb;
  }

  void Launch(const Napi::CallbackInfo& info, bool restart) {
    auto env = info.Env();
    if (running_) throw ToJsError(env, {kErrorFamily, "INVALID_STATE", "The live client is already streaming", 0});
    if (client_->Blocking().IsStopped()) {
      throw ToJsError(env, {kErrorFamily, "INVALID_STATE", "The live client is closed", 0});
    }
    napi_value name;
    napi_create_string_utf8(env, "databento:LiveThreaded", NAPI_AUTO_LENGTH, &name);
    // Two holds: the session thread's and the JS thread's.
    napi_threadsafe_function tsfn = nullptr;
    if (napi_create_threadsafe_function(env, info[0], nullptr, name, 0, 2, nullptr, nullptr, nullptr,
                                        &CallWake, &tsfn) != napi_ok) {
      throw ToJsError(env, {kErrorFamily, "INTERNAL", "Could not create the wake-up function", 0});
    }
    tsfn_ = tsfn;
    queue_->Reset([tsfn] { return napi_call_threadsafe_function(tsfn, nullptr, napi_tsfn_nonblocking) == napi_ok; });
    if (!referenced_) napi_unref_threadsafe_function(env, tsfn);
    napi_add_env_cleanup_hook(env, &NativeLiveThreaded::Cleanup, this);
    hook_registered_ = true;
    running_ = true;
    try {
      if (restart) {
        client_->Restart(MakeCallbacks(tsfn));
      } else {
        client_->Start(MakeCallbacks(tsfn));
      }
    } catch (...) {
      running_ = false;
      napi_remove_env_cleanup_hook(env, &NativeLiveThreaded::Cleanup, this);
      hook_registered_ = false;
      queue_->ClearWake();
      tsfn_ = nullptr;
      napi_release_threadsafe_function(tsfn, napi_tsfn_release);
      napi_release_threadsafe_function(tsfn, napi_tsfn_release);
      throw;
    }
  }

  Napi::Value Start(const Napi::CallbackInfo& info) {
    Launch(info, false);
    return info.Env().Undefined();
  }

  Napi::Value Restart(const Napi::CallbackInfo& info) {
    Launch(info, true);
    return info.Env().Undefined();
  }

  // The next item as [kind, payload], or null when there is none (the next
  // item then wakes the facade).
  Napi::Value Next(const Napi::CallbackInfo& info) {
    auto env = info.Env();
    auto item = queue_->Pop();
    if (!item) return env.Null();
    auto out = Napi::Array::New(env, 2);
    out.Set(0u, static_cast<std::uint32_t>(item->kind));
    switch (item->kind) {
      case BatchQueue::Kind::Metadata:
        out.Set(1u, StartedToJs(env, *item->metadata, item->version, item->ts_out));
        break;
      case BatchQueue::Kind::Batch:
        out.Set(1u, LiveBatchToJs(env, item->data.data(), item->info));
        queue_->Recycle(std::move(item->data));
        break;
      case BatchQueue::Kind::Error: {
        const LiveError& e = *item->error;
        out.Set(1u, ToJsError(env, {ErrorFamily::Live, ToString(e.Code()), e.what(), e.GatewayCode()}).Value());
        break;
      }
      case BatchQueue::Kind::End:
        OnThreadEnd();
        break;
    }
    return out;
  }

  Napi::Value Subscribe(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), client_->Subscribe(SubscriptionFromJs(info[0].As<Napi::Object>())));
  }

  // Returns whether an end item will follow (a session thread is running).
  Napi::Value Close(const Napi::CallbackInfo& info) {
    StopAll();
    return Napi::Boolean::New(info.Env(), running_);
  }

  Napi::Value RefLoop(const Napi::CallbackInfo& info) {
    referenced_ = true;
    if (tsfn_ != nullptr) napi_ref_threadsafe_function(info.Env(), tsfn_);
    return info.Env().Undefined();
  }

  Napi::Value UnrefLoop(const Napi::CallbackInfo& info) {
    referenced_ = false;
    if (tsfn_ != nullptr) napi_unref_threadsafe_function(info.Env(), tsfn_);
    return info.Env().Undefined();
  }

  Napi::Value SessionId(const Napi::CallbackInfo& info) {
    return Napi::String::New(info.Env(), client_->Blocking().SessionId());
  }

  Napi::Value Subscriptions(const Napi::CallbackInfo& info) {
    return SubscriptionsToJs(info.Env(), client_->Blocking().Subscriptions());
  }

  Napi::Value LastTsEvent(const Napi::CallbackInfo& info) {
    return LastTsToJs(info.Env(), client_->Blocking().LastTsEvent());
  }

  Napi::Value QueuedBatches(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), static_cast<double>(queue_->QueuedBatches()));
  }

  napi_env env_{};
  std::shared_ptr<BatchQueue> queue_;
  std::unique_ptr<LiveThreaded> client_;
  napi_threadsafe_function tsfn_{nullptr};  // the current run's wake-up (JS thread's hold)
  bool running_{false};
  bool referenced_{true};
  bool hook_registered_{false};
};

}  // namespace

void InitLiveThreaded(Napi::Env env, Napi::Object exports) {
  exports.Set("NativeLiveThreaded", NativeLiveThreaded::Define(env));
}

}  // namespace databento::node
