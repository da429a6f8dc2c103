// NativeLiveThreaded: the core LiveThreaded (push model) for JS.
//
// JS lends the buffers (V8-allocated ArrayBuffers, held here by strong
// references) and the session thread decodes records straight into them,
// through the core's BatchQueue: a batch is written once, where JS reads it.
// JS pulls at its own pace (next(), a bounded slice per turn of the event
// loop); when it finds the queue empty, the next item wakes it once through
// a ThreadSafeFunction. It gives a buffer back once its records are
// delivered, or keeps it (a batch the user may hold) and lends a new one.
// When JS falls behind or pauses, no buffer is free, the session thread
// blocks before reading more, and TCP pushes back on the gateway.
//
// When the feed is quiet the session thread hands reading over to the JS
// thread (see BatchQueue): next() then reads the socket itself whenever the
// queue is empty, and a SocketWatch on the event loop wakes the facade when
// the socket is readable. A quiet record then costs one thread wake-up, as on
// a plain Node socket, instead of two.

#include <napi.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <unordered_map>
#include <utility>

#include "addon.hpp"
#include "databento/batch_queue.hpp"
#include "databento/live_threaded.hpp"
#include "util/errors.hpp"
#include "util/live_convert.hpp"
#include "util/socket_watch.hpp"

namespace databento::node {
namespace {

// A failure thrown by the facade's wake-up function (it delivers records:
// a listener may throw) goes where any event source's would: to
// 'uncaughtException'.
void ReportThrown(napi_env env, napi_status status) {
  napi_value error;
  if (status == napi_pending_exception && napi_get_and_clear_last_exception(env, &error) == napi_ok) {
    napi_fatal_exception(env, error);
  }
}

// The ThreadSafeFunction's call: the queue has an item for the facade.
void CallWake(napi_env env, napi_value js_wake, void*, void*) {
  if (env == nullptr || js_wake == nullptr) return;  // teardown
  napi_value undefined;
  if (napi_get_undefined(env, &undefined) != napi_ok) return;
  ReportThrown(env, napi_call_function(env, undefined, js_wake, 0, nullptr, nullptr));
}

class NativeLiveThreaded : public Napi::ObjectWrap<NativeLiveThreaded> {
 public:
  static constexpr ErrorFamily kErrorFamily = ErrorFamily::Live;

  static Napi::Function Define(Napi::Env env) {
    using T = NativeLiveThreaded;
    return DefineClass(env, "NativeLiveThreaded",
                       {Method<T, &T::Subscribe>("subscribe"), Method<T, &T::Start>("start"),
                        Method<T, &T::Restart>("restart"), Method<T, &T::Next>("next"),
                        Method<T, &T::Lend>("lend"), Method<T, &T::GiveBack>("giveBack"),
                        Method<T, &T::Keep>("keep"),
                        Method<T, &T::Close>("close"), Method<T, &T::RefLoop>("ref"),
                        Method<T, &T::UnrefLoop>("unref"), Method<T, &T::SessionId>("sessionId"),
                        Method<T, &T::Subscriptions>("subscriptions"),
                        Method<T, &T::LastTsEvent>("lastTsEvent"),
                        Method<T, &T::QueuedBatches>("queuedBatches"),
                        Method<T, &T::BatchesReadHere>("batchesReadHere")});
  }

  explicit NativeLiveThreaded(const Napi::CallbackInfo& info)
      : Napi::ObjectWrap<NativeLiveThreaded>{info} {
    env_ = info.Env();
    GuardCall(env_, kErrorFamily, [&] {
      auto o = info[0].As<Napi::Object>();
      std::size_t batch_bytes = LiveThreaded::kDefaultBatchBytes;
      if (auto b = NumberOption(o, "batchBytes")) batch_bytes = static_cast<std::size_t>(*b);
      queue_ = std::make_shared<BatchQueue>();
      client_ = std::make_unique<LiveThreaded>(LiveOptionsFromJs(o), batch_bytes);
      return Napi::Value{};
    });
  }

  ~NativeLiveThreaded() override {
    // Normally the thread has ended and been joined; this is the backstop.
    // The lent buffers' references go only after it (member destruction).
    StopAll();
    if (client_) client_->Join();
    if (hook_registered_) napi_remove_env_cleanup_hook(env_, &NativeLiveThreaded::Cleanup, this);
    CloseWatch();
  }

 private:
  // A buffer lent by JS; with_js while JS has its batch.
  struct LentBuffer {
    Napi::Reference<Napi::ArrayBuffer> ref;
    std::uint8_t* data;
    std::size_t size;
    bool with_js;
  };
  using LentBuffers = std::unordered_map<std::uint32_t, LentBuffer>;

  // Environment teardown: stop and join before Node finalizes the
  // ThreadSafeFunction (hooks run last-in first-out, and this one is added
  // after the function is created). No thread writes into a lent buffer
  // after this; their references go with the object.
  static void Cleanup(void* arg) {
    auto* self = static_cast<NativeLiveThreaded*>(arg);
    self->hook_registered_ = false;
    self->StopAll();
    self->client_->Join();
    self->queue_->ClearWake();
    self->tsfn_ = nullptr;
    self->CloseWatch();
    self->wake_.Reset();
  }

  void CloseWatch() {
    if (watch_ != nullptr) watch_->Close();
    watch_ = nullptr;
    watch_connection_ = 0;
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
    CloseWatch();  // its connection is closed
    wake_.Reset();  // it holds the facade: no cycle through a persistent reference
    running_ = false;
    if (queue_->Stopped()) ReleaseBuffers();
  }

  // Closed for good and no thread runs: the lent buffers are JS's alone.
  void ReleaseBuffers() {
    queue_->DropFreeSlots();
    lent_.clear();
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
    cb.acquire = [queue] { return queue->Acquire(); };
    cb.batch = [queue](const BatchSlot& slot, const RecordBatchInfo& info) {
      return LiveThreaded::AfterPush(queue->PushBatch(slot, info));
    };
    cb.await_reading = [queue](std::chrono::steady_clock::time_point deadline) {
      return queue->AwaitReading(deadline);
    };
    cb.return_reading = [queue] { queue->ReturnReading(); };
    cb.unused = [queue](const BatchSlot& slot) { queue->Lend(slot); };
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
    wake_ = Napi::Persistent(info[0].As<Napi::Function>());
    if (!wake_context_) wake_context_.emplace(env, "databento:LiveThreaded");
    queue_->Reset([tsfn] { return napi_call_threadsafe_function(tsfn, nullptr, napi_tsfn_nonblocking) == napi_ok; });
    queue_->AllowConsumerReads(true);
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
      wake_.Reset();
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

  // next(info: Float64Array): the next item, or null when there is none (the
  // next item then wakes the facade). A batch, the item of every record, is
  // its slot (the number lend() returned), with nothing allocated: its
  // records are the first info[0] bytes of that lent buffer, info[1] records
  // of which info[2] symbol mappings, and info[3] batches are still queued.
  // The buffer is JS's until it calls giveBack(slot) or keep(slot). Any other
  // item is [kind, payload].
  Napi::Value Next(const Napi::CallbackInfo& info) {
    auto env = info.Env();
    auto item = queue_->Pop();
    if (!item) return ReadHere(info);
    if (item->kind == BatchQueue::Kind::Batch) return BatchToJs(info, item->slot, item->info);
    auto out = Napi::Array::New(env, 2);
    out.Set(0u, static_cast<std::uint32_t>(item->kind));
    switch (item->kind) {
      case BatchQueue::Kind::Metadata:
        out.Set(1u, StartedToJs(env, *item->metadata, item->version, item->ts_out));
        break;
      case BatchQueue::Kind::Batch:
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

  // The queue is empty: while reading is the JS thread's, read what the
  // socket has now; with nothing there, arm the watch (the facade is woken
  // when there is) and return null.
  Napi::Value ReadHere(const Napi::CallbackInfo& info) {
    auto env = info.Env();
    if (!running_ || !queue_->ConsumerMayRead()) return env.Null();
    const std::optional<BatchSlot> slot = queue_->TryAcquire();
    if (!slot) {
      // Every buffer is with JS: the session thread reads (and waits for one).
      queue_->ReturnReading();
      return env.Null();
    }
    const LiveThreaded::ConsumerRead read =
        client_->ReadAsConsumer(*slot, [this] { return queue_->ConsumerMayRead(); }, watch_connection_);
    if (read.give_back) queue_->ReturnReading();
    if (read.info.bytes > 0) {
      ++batches_read_here_;
      return BatchToJs(info, *slot, read.info);
    }
    queue_->Lend(*slot);
    if (read.socket >= 0) {
      CloseWatch();
      watch_ = SocketWatch::Open(env, read.socket, &NativeLiveThreaded::OnReadable, this, &watch_);
      if (watch_ == nullptr) {
        queue_->ReturnReading();
        return env.Null();
      }
      watch_connection_ = read.connection;
      watch_->SetRef(referenced_);
    }
    // Not read (the session thread held the reader lock a moment): the
    // watch fires again at once if the socket is still readable.
    if (!read.give_back && watch_ != nullptr) watch_->Arm();
    return env.Null();
  }

  // The socket is readable (on the JS thread, from the event loop): wake
  // the facade, which pulls with next().
  static void OnReadable(void* arg) {
    auto* self = static_cast<NativeLiveThreaded*>(arg);
    if (self->wake_.IsEmpty()) return;
    napi_env env = self->env_;
    napi_handle_scope scope;
    if (napi_open_handle_scope(env, &scope) != napi_ok) return;
    napi_value fn = self->wake_.Value();
    napi_value global;  // napi_make_callback wants an object as `this`
    napi_get_global(env, &global);
    napi_value result;
    ReportThrown(env, napi_make_callback(env, *self->wake_context_, global, fn, 0, nullptr, &result));
    napi_close_handle_scope(env, scope);
  }

  Napi::Value BatchToJs(const Napi::CallbackInfo& info, const BatchSlot& slot, const RecordBatchInfo& batch) {
    auto env = info.Env();
    auto it = lent_.find(slot.id);
    if (it == lent_.end()) throw ToJsError(env, {kErrorFamily, "INTERNAL", "A batch arrived in a buffer that was not lent", 0});
    if (info.Length() < 1 || !info[0].IsTypedArray() ||
        info[0].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array ||
        info[0].As<Napi::TypedArray>().ElementLength() < 4) {
      throw ToJsError(env, {kErrorFamily, "INTERNAL", "next() takes a Float64Array of 4 elements", 0});
    }
    it->second.with_js = true;
    double* out = info[0].As<Napi::Float64Array>().Data();
    out[0] = static_cast<double>(batch.bytes);
    out[1] = static_cast<double>(batch.count);
    out[2] = static_cast<double>(batch.symbol_mappings);
    out[3] = static_cast<double>(queue_->QueuedBatches());
    return Napi::Number::New(env, slot.id);
  }

  // lend(buffer): a buffer for the session thread to decode batches into;
  // returns its slot, the number next() gives for a batch in it.
  Napi::Value Lend(const Napi::CallbackInfo& info) {
    auto env = info.Env();
    if (info.Length() < 1 || !info[0].IsArrayBuffer()) {
      throw ToJsError(env, {kErrorFamily, "INTERNAL", "lend() takes an ArrayBuffer", 0});
    }
    auto ab = info[0].As<Napi::ArrayBuffer>();
    if (ab.IsDetached() || ab.ByteLength() < DbnDecoder::kMaxRecordBytes) {
      throw ToJsError(env, {kErrorFamily, "INTERNAL", "A lent buffer must hold the largest record", 0});
    }
    if (queue_->Stopped()) return Napi::Number::New(env, 0);  // closed: nothing will be decoded
    const std::uint32_t id = next_slot_id_++;
    auto* data = static_cast<std::uint8_t*>(ab.Data());
    const std::size_t size = ab.ByteLength();
    lent_.emplace(id, LentBuffer{Napi::Persistent(ab), data, size, false});
    queue_->Lend({data, size, id});
    return Napi::Number::New(env, id);
  }

  // giveBack(slot): the batch's records were delivered and nobody keeps
  // them: the session thread may fill the buffer again. Never a buffer that
  // was detached (transferred) or changed meanwhile: that one is dropped.
  Napi::Value GiveBack(const Napi::CallbackInfo& info) {
    auto it = WithJs(info);
    if (it == lent_.end()) return info.Env().Undefined();
    LentBuffer& lent = it->second;
    auto ab = lent.ref.Value();
    if (queue_->Stopped() || ab.IsDetached() || ab.Data() != lent.data || ab.ByteLength() != lent.size) {
      lent_.erase(it);
    } else {
      lent.with_js = false;
      queue_->Lend({lent.data, lent.size, it->first});
    }
    return info.Env().Undefined();
  }

  // keep(slot): the batch went where the user may keep it: never reused.
  Napi::Value Keep(const Napi::CallbackInfo& info) {
    auto it = WithJs(info);
    if (it != lent_.end()) lent_.erase(it);
    return info.Env().Undefined();
  }

  // The lent buffer of the slot in info[0], if JS has it (popped, not yet
  // given back or kept).
  LentBuffers::iterator WithJs(const Napi::CallbackInfo& info) {
    if (info.Length() < 1 || !info[0].IsNumber()) return lent_.end();
    auto it = lent_.find(info[0].As<Napi::Number>().Uint32Value());
    if (it == lent_.end() || !it->second.with_js) return lent_.end();
    return it;
  }

  Napi::Value Subscribe(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), client_->Subscribe(SubscriptionFromJs(info[0].As<Napi::Object>())));
  }

  // Returns whether an end item will follow (a session thread is running).
  Napi::Value Close(const Napi::CallbackInfo& info) {
    StopAll();
    if (!running_) ReleaseBuffers();
    return Napi::Boolean::New(info.Env(), running_);
  }

  Napi::Value RefLoop(const Napi::CallbackInfo& info) {
    referenced_ = true;
    if (watch_ != nullptr) watch_->SetRef(true);
    if (tsfn_ != nullptr) napi_ref_threadsafe_function(info.Env(), tsfn_);
    return info.Env().Undefined();
  }

  Napi::Value UnrefLoop(const Napi::CallbackInfo& info) {
    referenced_ = false;
    if (watch_ != nullptr) watch_->SetRef(false);
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

  // How many batches the JS thread read itself (a diagnostic for tests).
  Napi::Value BatchesReadHere(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), static_cast<double>(batches_read_here_));
  }

  napi_env env_{};
  // Declared before the queue and the session: destroyed after them.
  LentBuffers lent_;
  std::uint32_t next_slot_id_{1};
  std::shared_ptr<BatchQueue> queue_;
  std::unique_ptr<LiveThreaded> client_;
  napi_threadsafe_function tsfn_{nullptr};  // the current run's wake-up (JS thread's hold)
  // The facade's wake-up function, called directly when the socket is readable.
  Napi::FunctionReference wake_;
  std::optional<Napi::AsyncContext> wake_context_;
  SocketWatch* watch_{nullptr};  // while reading is JS's; deletes itself
  std::uint64_t watch_connection_{0};  // the connection watch_ waits on
  double batches_read_here_{0};
  bool running_{false};
  bool referenced_{true};
  bool hook_registered_{false};
};

}  // namespace

void InitLiveThreaded(Napi::Env env, Napi::Object exports) {
  exports.Set("NativeLiveThreaded", NativeLiveThreaded::Define(env));
}

}  // namespace databento::node
