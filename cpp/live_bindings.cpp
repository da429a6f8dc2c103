// N-API bindings of the live clients.
//
// NativeLiveBlocking wraps the core LiveBlocking: blocking calls run either
// on the JS thread (the *Sync methods, meant for worker threads) or on a libuv
// worker thread (AsyncWorker, returning Promises).
//
// NativeLiveThreaded wraps the core LiveThreaded: its session thread decodes
// records straight into batch buffers and hands them to a bounded queue; a
// ThreadSafeFunction (coalesced: at most one pending call) tells the JS
// thread to drain it. When JS falls behind or pauses, the queue fills, the
// session thread blocks before reading more, and TCP pushes back on the
// gateway: memory stays bounded by the queue.
//
// The facade (lib/live) validates every option before calling in.

#include <napi.h>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "addon.hpp"
#include "batch.hpp"
#include "databento/live_blocking.hpp"
#include "databento/live_error.hpp"
#include "databento/live_threaded.hpp"
#include "databento/sha256.hpp"
#include "metadata_js.hpp"

namespace databento::node {
namespace {

constexpr std::size_t kBlockingBatchBytes = 64 * 1024;
constexpr std::size_t kDefaultQueueBatches = 16;
// Items handed to JS per ThreadSafeFunction call before yielding to the loop.
constexpr int kMaxItemsPerDrain = 32;

// ---------------------------------------------------------------------------
// Conversions

std::string Str(const Napi::Object& o, const char* key) {
  const auto v = o.Get(key);
  return v.IsString() ? v.As<Napi::String>().Utf8Value() : std::string{};
}

std::optional<double> Num(const Napi::Object& o, const char* key) {
  const auto v = o.Get(key);
  if (!v.IsNumber()) return std::nullopt;
  return v.As<Napi::Number>().DoubleValue();
}

LiveOptions OptionsFromJs(const Napi::Object& o) {
  LiveOptions opts;
  opts.key = Str(o, "key");
  opts.dataset = Str(o, "dataset");
  opts.gateway = Str(o, "gateway");
  if (auto port = Num(o, "port")) opts.port = static_cast<std::uint16_t>(*port);
  opts.ts_out = o.Get("tsOut").ToBoolean().Value();
  if (auto c = Num(o, "compression")) opts.compression = static_cast<Compression>(*c);
  if (auto hb = Num(o, "heartbeatIntervalS")) {
    opts.heartbeat_interval_s = static_cast<std::uint32_t>(*hb);
  }
  if (auto srb = Num(o, "slowReaderBehavior")) {
    opts.slow_reader_behavior = static_cast<SlowReaderBehavior>(*srb);
  }
  if (auto p = Num(o, "upgradePolicy")) {
    opts.upgrade_policy = static_cast<VersionUpgradePolicy>(*p);
  }
  opts.user_agent = Str(o, "userAgent");
  if (auto ms = Num(o, "connectTimeoutMs")) {
    opts.connect_timeout = std::chrono::milliseconds{static_cast<std::int64_t>(*ms)};
  }
  if (auto ms = Num(o, "authTimeoutMs")) {
    opts.auth_timeout = std::chrono::milliseconds{static_cast<std::int64_t>(*ms)};
  }
  if (auto ms = Num(o, "metadataTimeoutMs")) {
    opts.metadata_timeout = std::chrono::milliseconds{static_cast<std::int64_t>(*ms)};
  }
  return opts;
}

LiveSubscription SubscriptionFromJs(const Napi::Object& o) {
  LiveSubscription sub;
  sub.schema = static_cast<Schema>(o.Get("schema").As<Napi::Number>().Uint32Value());
  sub.stype_in = static_cast<SType>(o.Get("stypeIn").As<Napi::Number>().Uint32Value());
  const auto symbols = o.Get("symbols").As<Napi::Array>();
  sub.symbols.reserve(symbols.Length());
  for (std::uint32_t i = 0; i < symbols.Length(); ++i) {
    sub.symbols.push_back(symbols.Get(i).As<Napi::String>().Utf8Value());
  }
  const auto start = o.Get("start");
  if (start.IsBigInt()) {
    bool lossless = true;
    sub.start = LiveStart{start.As<Napi::BigInt>().Uint64Value(&lossless)};
  } else if (start.IsString()) {
    sub.start = LiveStart{start.As<Napi::String>().Utf8Value()};
  }
  sub.snapshot = o.Get("snapshot").ToBoolean().Value();
  return sub;
}

Napi::Array SubscriptionsToJs(Napi::Env env, const std::vector<LiveSubscription>& subs) {
  auto arr = Napi::Array::New(env, subs.size());
  for (std::size_t i = 0; i < subs.size(); ++i) {
    const auto& s = subs[i];
    auto o = Napi::Object::New(env);
    o.Set("id", s.id);
    o.Set("schema", static_cast<std::uint32_t>(s.schema));
    o.Set("stypeIn", static_cast<std::uint32_t>(s.stype_in));
    auto symbols = Napi::Array::New(env, s.symbols.size());
    for (std::size_t j = 0; j < s.symbols.size(); ++j) {
      symbols.Set(static_cast<std::uint32_t>(j), s.symbols[j]);
    }
    o.Set("symbols", symbols);
    if (s.start) {
      if (const auto* ns = std::get_if<std::uint64_t>(&*s.start)) {
        o.Set("start", Napi::BigInt::New(env, *ns));
      } else {
        o.Set("start", std::get<std::string>(*s.start));
      }
    }
    o.Set("snapshot", s.snapshot);
    arr.Set(static_cast<std::uint32_t>(i), o);
  }
  return arr;
}

// A failure as plain data: it may be produced on any thread and becomes a JS
// LiveError on the JS thread.
struct ErrorInfo {
  std::string code;
  std::string message;
  std::uint8_t gateway_code{};
};

ErrorInfo CurrentError() {
  try {
    throw;
  } catch (const LiveError& e) {
    return {ToString(e.Code()), e.what(), e.GatewayCode()};
  } catch (const std::bad_alloc&) {
    return {"INTERNAL", "out of memory", 0};
  } catch (const std::exception& e) {
    return {"INTERNAL", e.what(), 0};
  }
}

// The facade's LiveError, built with plain N-API calls: if the environment
// is being torn down (worker.terminate()) the constructor call fails and this
// returns nullptr, where node-addon-api would abort the process while
// wrapping the termination exception.
napi_value NewLiveErrorValue(napi_env env, const ErrorInfo& info) {
  napi_value code;
  napi_value message;
  if (napi_create_string_utf8(env, info.code.data(), info.code.size(), &code) != napi_ok ||
      napi_create_string_utf8(env, info.message.data(), info.message.size(), &message) != napi_ok) {
    return nullptr;
  }
  napi_value err = nullptr;
  auto& ctor = Napi::Env{env}.GetInstanceData<Addon>()->live_error;
  if (!ctor.IsEmpty()) {
    napi_value args[2] = {message, code};
    if (napi_new_instance(env, ctor.Value(), 2, args, &err) != napi_ok) return nullptr;
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
  napi_value err = NewLiveErrorValue(env, info);
  if (err == nullptr) return Napi::Error::New(env, info.message);
  return Napi::Error(env, err);
}

[[noreturn]] void RethrowAsLiveError(Napi::Env env) {
  try {
    throw;
  } catch (const Napi::Error&) {
    throw;
  } catch (...) {
    throw ToJsError(env, CurrentError());
  }
}

// Throws `err` into JS unless an exception is already pending; during
// environment teardown this fails quietly.
void ThrowRaw(napi_env env, napi_value err) {
  bool pending = false;
  if (err == nullptr || napi_is_exception_pending(env, &pending) != napi_ok || pending) return;
  napi_throw(env, err);
}

// Runs a method body and turns any C++ exception into a JS exception with
// plain N-API. node-addon-api's own wrapper would call std::terminate when
// the environment is being torn down (worker.terminate()) because throwing
// into JS fails then.
template <typename F>
Napi::Value GuardCall(napi_env env, F&& body) {
  try {
    return body();
  } catch (const Napi::Error& e) {
    ThrowRaw(env, e.IsEmpty() ? nullptr : napi_value{e.Value()});
  } catch (...) {
    ThrowRaw(env, NewLiveErrorValue(env, CurrentError()));
  }
  return Napi::Value{};
}

// Instance methods are registered with plain N-API callbacks rather than
// node-addon-api's InstanceMethod: its wrapper unwraps `this` with a call
// that fails once the environment is being torn down and then aborts the
// process; here that case just returns.
template <typename T, Napi::Value (T::*M)(const Napi::CallbackInfo&)>
napi_value RawMethod(napi_env env, napi_callback_info cbinfo) {
  napi_value self;
  std::size_t argc = 0;
  if (napi_get_cb_info(env, cbinfo, &argc, nullptr, &self, nullptr) != napi_ok) return nullptr;
  void* raw = nullptr;
  if (napi_unwrap(env, self, &raw) != napi_ok || raw == nullptr) return nullptr;
  T* instance = static_cast<T*>(static_cast<Napi::ObjectWrap<T>*>(raw));
  Napi::Value result = GuardCall(env, [&] {
    Napi::CallbackInfo info{env, cbinfo};
    return (instance->*M)(info);
  });
  return result.IsEmpty() ? nullptr : napi_value{result};
}

template <typename T, Napi::Value (T::*M)(const Napi::CallbackInfo&)>
Napi::ClassPropertyDescriptor<T> Method(const char* name) {
  return napi_property_descriptor{name, nullptr, &RawMethod<T, M>, nullptr, nullptr, nullptr, napi_default_method, nullptr};
}

Napi::Object BatchToJs(Napi::Env env, const std::uint8_t* data, const RecordBatchInfo& info) {
  auto batch = MakeBatch(env, data, info.bytes, info.count);
  batch.Set("symbolMappings", Napi::Number::New(env, static_cast<double>(info.symbol_mappings)));
  return batch;
}

Napi::Object StartedToJs(Napi::Env env, const Metadata& md, std::uint8_t version, bool ts_out) {
  auto o = Napi::Object::New(env);
  o.Set("metadata", MetadataToJs(env, md));
  o.Set("version", version);
  o.Set("tsOut", ts_out);
  return o;
}

Napi::Value LastTsToJs(Napi::Env env, std::uint64_t ts) {
  if (ts == kUndefTimestamp) return env.Null();
  return Napi::BigInt::New(env, ts);
}

std::optional<std::chrono::milliseconds> TimeoutArg(const Napi::CallbackInfo& info, std::size_t i) {
  if (info.Length() <= i || !info[i].IsNumber()) return std::nullopt;
  const double ms = info[i].As<Napi::Number>().DoubleValue();
  if (!(ms >= 0)) return std::nullopt;  // negative / NaN: no timeout
  return std::chrono::milliseconds{static_cast<std::int64_t>(ms)};
}

// ---------------------------------------------------------------------------
// LiveBlocking

class NativeLiveBlocking : public Napi::ObjectWrap<NativeLiveBlocking> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(
        env, "NativeLiveBlocking",
        {Method<NativeLiveBlocking, &NativeLiveBlocking::Connect>("connect"),
         Method<NativeLiveBlocking, &NativeLiveBlocking::Subscribe>("subscribe"),
         Method<NativeLiveBlocking, &NativeLiveBlocking::Start>("start"),
         Method<NativeLiveBlocking, &NativeLiveBlocking::StartSync>("startSync"),
         Method<NativeLiveBlocking, &NativeLiveBlocking::NextBatch>("nextBatch"),
         Method<NativeLiveBlocking, &NativeLiveBlocking::NextBatchSync>("nextBatchSync"),
         Method<NativeLiveBlocking, &NativeLiveBlocking::Reconnect>("reconnect"),
         Method<NativeLiveBlocking, &NativeLiveBlocking::Resubscribe>("resubscribe"),
         Method<NativeLiveBlocking, &NativeLiveBlocking::Close>("close"),
         Method<NativeLiveBlocking, &NativeLiveBlocking::SessionId>("sessionId"),
         Method<NativeLiveBlocking, &NativeLiveBlocking::Subscriptions>("subscriptions"),
         Method<NativeLiveBlocking, &NativeLiveBlocking::LastTsEvent>("lastTsEvent")});
  }

  explicit NativeLiveBlocking(const Napi::CallbackInfo& info)
      : Napi::ObjectWrap<NativeLiveBlocking>{info} {
    env_ = info.Env();
    GuardCall(env_, [&] {
      session_ = std::make_shared<LiveBlocking>(OptionsFromJs(info[0].As<Napi::Object>()));
      return Napi::Value{};
    });
    if (!session_) return;  // the JS exception is pending: `new` throws
    // On environment teardown (worker exit, process exit) a blocked call on
    // a libuv thread must end: Stop() wakes it.
    napi_add_env_cleanup_hook(env_, &NativeLiveBlocking::Cleanup, this);
    hook_registered_ = true;
  }

  ~NativeLiveBlocking() override {
    if (hook_registered_) napi_remove_env_cleanup_hook(env_, &NativeLiveBlocking::Cleanup, this);
    if (session_) session_->Stop();
  }

 private:
  static void Cleanup(void* arg) {
    auto* self = static_cast<NativeLiveBlocking*>(arg);
    self->hook_registered_ = false;
    self->session_->Stop();
  }

  enum class Op { Connect, Start, Next, Reconnect };

  // Runs one blocking call on a libuv thread. Holds the session by
  // shared_ptr: it outlives the JS object if need be.
  class Worker : public Napi::AsyncWorker {
   public:
    Worker(NativeLiveBlocking& owner, Op op, std::optional<std::chrono::milliseconds> timeout)
        : Napi::AsyncWorker{owner.Env(), "databento:LiveBlocking"},
          owner_{owner},
          session_{owner.session_},
          op_{op},
          timeout_{timeout},
          deferred_{Napi::Promise::Deferred::New(owner.Env())} {
      owner_.Ref();
      owner_.busy_ = true;
    }

    Napi::Promise Promise() const { return deferred_.Promise(); }

    void Execute() override {
      try {
        switch (op_) {
          case Op::Connect:
            text_ = session_->Connect();
            break;
          case Op::Reconnect:
            text_ = session_->Reconnect();
            break;
          case Op::Start:
            metadata_ = session_->Start();
            break;
          case Op::Next:
            buf_.resize(kBlockingBatchBytes);
            info_ = session_->NextRecords(buf_.data(), buf_.size(), timeout_);
            break;
        }
      } catch (...) {
        error_ = CurrentError();
      }
    }

    void OnOK() override {
      owner_.busy_ = false;
      owner_.Unref();
      if (session_->IsStopped()) session_->CloseConnection();
      // Settling fails only when the environment is going away: nothing to do then.
      try {
        Settle();
      } catch (...) {
      }
    }

    void Settle() {
      auto env = Env();
      if (error_) {
        deferred_.Reject(ToJsError(env, *error_).Value());
        return;
      }
      switch (op_) {
        case Op::Connect:
        case Op::Reconnect:
          deferred_.Resolve(Napi::String::New(env, text_));
          break;
        case Op::Start:
          deferred_.Resolve(
              StartedToJs(env, *metadata_, session_->OutputVersion(), session_->TsOut()));
          break;
        case Op::Next:
          deferred_.Resolve(info_.count == 0 ? env.Null()
                                             : Napi::Value{BatchToJs(env, buf_.data(), info_)});
          break;
      }
    }

   private:
    NativeLiveBlocking& owner_;
    std::shared_ptr<LiveBlocking> session_;
    Op op_;
    std::optional<std::chrono::milliseconds> timeout_;
    Napi::Promise::Deferred deferred_;
    std::optional<ErrorInfo> error_;
    std::string text_;
    std::optional<Metadata> metadata_;
    std::vector<std::uint8_t> buf_;
    RecordBatchInfo info_;
  };

  void CheckIdle(Napi::Env env) const {
    if (busy_) {
      throw ToJsError(env, {"INVALID_STATE", "Another call on this live client is in progress", 0});
    }
  }

  Napi::Value Queue(const Napi::CallbackInfo& info, Op op,
                    std::optional<std::chrono::milliseconds> timeout = std::nullopt) {
    CheckIdle(info.Env());
    auto* worker = new Worker{*this, op, timeout};
    auto promise = worker->Promise();
    worker->Queue();
    return promise;
  }

  Napi::Value Connect(const Napi::CallbackInfo& info) { return Queue(info, Op::Connect); }
  Napi::Value Start(const Napi::CallbackInfo& info) { return Queue(info, Op::Start); }
  Napi::Value Reconnect(const Napi::CallbackInfo& info) { return Queue(info, Op::Reconnect); }
  Napi::Value NextBatch(const Napi::CallbackInfo& info) {
    return Queue(info, Op::Next, TimeoutArg(info, 0));
  }

  Napi::Value StartSync(const Napi::CallbackInfo& info) {
    auto env = info.Env();
    CheckIdle(env);
    try {
      const Metadata md = session_->Start();
      return StartedToJs(env, md, session_->OutputVersion(), session_->TsOut());
    } catch (...) {
      RethrowAsLiveError(env);
    }
  }

  Napi::Value NextBatchSync(const Napi::CallbackInfo& info) {
    auto env = info.Env();
    CheckIdle(env);
    if (scratch_.size() != kBlockingBatchBytes) scratch_.resize(kBlockingBatchBytes);
    RecordBatchInfo batch;
    try {
      batch = session_->NextRecords(scratch_.data(), scratch_.size(), TimeoutArg(info, 0));
    } catch (...) {
      RethrowAsLiveError(env);
    }
    if (batch.count == 0) return env.Null();
    return BatchToJs(env, scratch_.data(), batch);
  }

  Napi::Value Subscribe(const Napi::CallbackInfo& info) {
    auto env = info.Env();
    try {
      return Napi::Number::New(env, session_->Subscribe(SubscriptionFromJs(info[0].As<Napi::Object>())));
    } catch (...) {
      RethrowAsLiveError(env);
    }
  }

  Napi::Value Resubscribe(const Napi::CallbackInfo& info) {
    try {
      session_->Resubscribe();
    } catch (...) {
      RethrowAsLiveError(info.Env());
    }
    return info.Env().Undefined();
  }

  Napi::Value Close(const Napi::CallbackInfo& info) {
    session_->Stop();
    // With a call in progress its worker closes the socket when it returns.
    if (!busy_) session_->CloseConnection();
    scratch_ = {};
    return info.Env().Undefined();
  }

  Napi::Value SessionId(const Napi::CallbackInfo& info) {
    return Napi::String::New(info.Env(), session_->SessionId());
  }

  Napi::Value Subscriptions(const Napi::CallbackInfo& info) {
    return SubscriptionsToJs(info.Env(), session_->Subscriptions());
  }

  Napi::Value LastTsEvent(const Napi::CallbackInfo& info) {
    return LastTsToJs(info.Env(), session_->LastTsEvent());
  }

  napi_env env_{};
  std::shared_ptr<LiveBlocking> session_;
  std::vector<std::uint8_t> scratch_;
  bool busy_{false};
  bool hook_registered_{false};
};

// ---------------------------------------------------------------------------
// LiveThreaded

// Event kinds passed to the facade's callback.
enum EventKind : int { kMetadata = 0, kBatch = 1, kError = 2, kEnd = 3 };

struct QueueItem {
  EventKind kind{kEnd};
  std::vector<std::uint8_t> data;
  RecordBatchInfo info;
  std::optional<Metadata> metadata;
  std::uint8_t version{};
  bool ts_out{};
  ErrorInfo error;
};

class NativeLiveThreaded;

// Shared by the JS object, the session thread and the ThreadSafeFunction.
struct ThreadedShared {
  std::mutex mu;
  std::condition_variable room;  // signalled when a batch leaves the queue
  std::deque<QueueItem> queue;
  std::size_t queued_batches{};
  std::size_t max_batches{kDefaultQueueBatches};
  std::vector<std::vector<std::uint8_t>> spare;  // recycled batch buffers
  bool paused{false};
  bool stopping{false};
  bool wake_pending{false};
  // The current run's ThreadSafeFunction (null between runs).
  napi_threadsafe_function tsfn{nullptr};
  NativeLiveThreaded* owner{nullptr};  // valid while a run is active

  // Asks the JS thread to drain. Call with `mu` held.
  void WakeLocked() {
    if (wake_pending || tsfn == nullptr) return;
    if (napi_call_threadsafe_function(tsfn, nullptr, napi_tsfn_nonblocking) == napi_ok) {
      wake_pending = true;
    }
  }
};

using SharedPtr = std::shared_ptr<ThreadedShared>;

void Drain(Napi::Env env, Napi::Function callback, SharedPtr* ctx, void* data);
void DrainItems(Napi::Env env, Napi::Function& callback, ThreadedShared& sh);
using Tsfn = Napi::TypedThreadSafeFunction<SharedPtr, void, Drain>;

class NativeLiveThreaded : public Napi::ObjectWrap<NativeLiveThreaded> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(
        env, "NativeLiveThreaded",
        {Method<NativeLiveThreaded, &NativeLiveThreaded::Subscribe>("subscribe"),
         Method<NativeLiveThreaded, &NativeLiveThreaded::Start>("start"),
         Method<NativeLiveThreaded, &NativeLiveThreaded::Restart>("restart"),
         Method<NativeLiveThreaded, &NativeLiveThreaded::Pause>("pause"),
         Method<NativeLiveThreaded, &NativeLiveThreaded::Resume>("resume"),
         Method<NativeLiveThreaded, &NativeLiveThreaded::Close>("close"),
         Method<NativeLiveThreaded, &NativeLiveThreaded::RefLoop>("ref"),
         Method<NativeLiveThreaded, &NativeLiveThreaded::UnrefLoop>("unref"),
         Method<NativeLiveThreaded, &NativeLiveThreaded::SessionId>("sessionId"),
         Method<NativeLiveThreaded, &NativeLiveThreaded::Subscriptions>("subscriptions"),
         Method<NativeLiveThreaded, &NativeLiveThreaded::LastTsEvent>("lastTsEvent"),
         Method<NativeLiveThreaded, &NativeLiveThreaded::QueuedBatches>("queuedBatches")});
  }

  explicit NativeLiveThreaded(const Napi::CallbackInfo& info)
      : Napi::ObjectWrap<NativeLiveThreaded>{info}, shared_{std::make_shared<ThreadedShared>()} {
    env_ = info.Env();
    GuardCall(env_, [&] {
      auto o = info[0].As<Napi::Object>();
      std::size_t batch_bytes = LiveThreaded::kDefaultBatchBytes;
      if (auto b = Num(o, "batchBytes")) batch_bytes = static_cast<std::size_t>(*b);
      if (auto q = Num(o, "queueBatches"); q && *q >= 1) {
        shared_->max_batches = static_cast<std::size_t>(*q);
      }
      client_ = std::make_unique<LiveThreaded>(OptionsFromJs(o), batch_bytes);
      return Napi::Value{};
    });
  }

  ~NativeLiveThreaded() override {
    // Normally the thread has ended and been joined; this is the backstop.
    StopAll();
    if (client_) client_->Join();
    if (hook_registered_) napi_remove_env_cleanup_hook(env_, &NativeLiveThreaded::Cleanup, this);
  }

  // Called by Drain on the JS thread when the session thread has exited.
  void OnThreadEnd() {
    client_->Join();
    if (hook_registered_) {
      napi_remove_env_cleanup_hook(env_, &NativeLiveThreaded::Cleanup, this);
      hook_registered_ = false;
    }
    napi_threadsafe_function tsfn;
    {
      std::lock_guard lock{shared_->mu};
      tsfn = shared_->tsfn;
      shared_->tsfn = nullptr;
      shared_->owner = nullptr;
      shared_->wake_pending = false;
    }
    running_ = false;
    // The JS thread's own hold on the function; the thread released its own.
    if (tsfn != nullptr) napi_release_threadsafe_function(tsfn, napi_tsfn_release);
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
    std::lock_guard lock{self->shared_->mu};
    self->shared_->tsfn = nullptr;
    self->shared_->owner = nullptr;
  }

  void StopAll() {
    {
      std::lock_guard lock{shared_->mu};
      shared_->stopping = true;
    }
    shared_->room.notify_all();
    if (client_) client_->Stop();
  }

  LiveThreaded::Callbacks MakeCallbacks() {
    LiveThreaded::Callbacks cb;
    SharedPtr shared = shared_;
    LiveBlocking* session = &client_->Blocking();
    cb.metadata = [shared, session](Metadata md) {
      QueueItem item;
      item.kind = kMetadata;
      item.metadata = std::move(md);
      item.version = session->OutputVersion();
      item.ts_out = session->TsOut();
      std::lock_guard lock{shared->mu};
      shared->queue.push_back(std::move(item));
      shared->WakeLocked();
    };
    cb.batch = [shared](std::vector<std::uint8_t>& buf, const RecordBatchInfo& info) {
      std::unique_lock lock{shared->mu};
      // Backpressure: wait for room before handing over this batch, so no
      // more is read from the socket until JS catches up.
      shared->room.wait(lock, [&] {
        return shared->stopping || shared->queued_batches < shared->max_batches;
      });
      if (shared->stopping) return LiveThreaded::KeepGoing::Stop;
      QueueItem item;
      item.kind = kBatch;
      item.data = std::move(buf);
      item.info = info;
      buf.clear();
      if (!shared->spare.empty()) {
        buf = std::move(shared->spare.back());
        shared->spare.pop_back();
      }
      shared->queue.push_back(std::move(item));
      ++shared->queued_batches;
      shared->WakeLocked();
      return LiveThreaded::KeepGoing::Continue;
    };
    cb.exception = [shared](const LiveError& e) {
      QueueItem item;
      item.kind = kError;
      item.error = {ToString(e.Code()), e.what(), e.GatewayCode()};
      std::lock_guard lock{shared->mu};
      shared->queue.push_back(std::move(item));
      shared->WakeLocked();
      // The facade decides about reconnecting, on the JS thread.
      return LiveThreaded::ExceptionAction::Stop;
    };
    cb.exit = [shared] {
      std::lock_guard lock{shared->mu};
      QueueItem item;
      item.kind = kEnd;
      shared->queue.push_back(std::move(item));
      shared->WakeLocked();
      // Drop the session thread's hold on the function; the JS thread keeps
      // its own until it has drained the end item.
      if (shared->tsfn != nullptr) napi_release_threadsafe_function(shared->tsfn, napi_tsfn_release);
    };
    return cb;
  }

  void Launch(const Napi::CallbackInfo& info, bool restart) {
    auto env = info.Env();
    if (running_) {
      throw ToJsError(env, {"INVALID_STATE", "The live client is already streaming", 0});
    }
    if (client_->Blocking().IsStopped()) {
      throw ToJsError(env, {"INVALID_STATE", "The live client is closed", 0});
    }
    auto callback = info[0].As<Napi::Function>();
    // Two holds: the session thread's and the JS thread's (released once the
    // end item is drained), so JS can still post wake-ups after the thread
    // has exited. The queue bound is small: calls are coalesced wake-ups.
    auto* ctx = new SharedPtr{shared_};
    Tsfn tsfn = Tsfn::New(env, callback, "databento:LiveThreaded", 4, 2, ctx,
                          [](Napi::Env, void*, SharedPtr* c) { delete c; });
    {
      std::lock_guard lock{shared_->mu};
      shared_->tsfn = tsfn;
      shared_->owner = this;
      shared_->wake_pending = false;
      shared_->queue.clear();
      shared_->queued_batches = 0;
    }
    if (!referenced_) tsfn.Unref(env);
    napi_add_env_cleanup_hook(env, &NativeLiveThreaded::Cleanup, this);
    hook_registered_ = true;
    running_ = true;
    try {
      if (restart) {
        client_->Restart(MakeCallbacks());
      } else {
        client_->Start(MakeCallbacks());
      }
    } catch (...) {
      running_ = false;
      napi_remove_env_cleanup_hook(env, &NativeLiveThreaded::Cleanup, this);
      hook_registered_ = false;
      {
        std::lock_guard lock{shared_->mu};
        shared_->tsfn = nullptr;
        shared_->owner = nullptr;
      }
      tsfn.Release();
      tsfn.Release();
      RethrowAsLiveError(env);
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

  Napi::Value Subscribe(const Napi::CallbackInfo& info) {
    auto env = info.Env();
    try {
      return Napi::Number::New(env, client_->Subscribe(SubscriptionFromJs(info[0].As<Napi::Object>())));
    } catch (...) {
      RethrowAsLiveError(env);
    }
  }

  Napi::Value Pause(const Napi::CallbackInfo& info) {
    std::lock_guard lock{shared_->mu};
    shared_->paused = true;
    return info.Env().Undefined();
  }

  Napi::Value Resume(const Napi::CallbackInfo& info) {
    std::lock_guard lock{shared_->mu};
    shared_->paused = false;
    if (!shared_->queue.empty()) shared_->WakeLocked();
    return info.Env().Undefined();
  }

  // Returns whether an end event will follow (a session thread is running).
  Napi::Value Close(const Napi::CallbackInfo& info) {
    StopAll();
    {
      // Queued batches are dropped now; the end item still gets through.
      std::lock_guard lock{shared_->mu};
      if (!shared_->queue.empty()) shared_->WakeLocked();
    }
    return Napi::Boolean::New(info.Env(), running_);
  }

  Napi::Value RefLoop(const Napi::CallbackInfo& info) {
    referenced_ = true;
    std::lock_guard lock{shared_->mu};
    if (shared_->tsfn != nullptr) napi_ref_threadsafe_function(info.Env(), shared_->tsfn);
    return info.Env().Undefined();
  }

  Napi::Value UnrefLoop(const Napi::CallbackInfo& info) {
    referenced_ = false;
    std::lock_guard lock{shared_->mu};
    if (shared_->tsfn != nullptr) napi_unref_threadsafe_function(info.Env(), shared_->tsfn);
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
    std::lock_guard lock{shared_->mu};
    return Napi::Number::New(info.Env(), static_cast<double>(shared_->queued_batches));
  }

  napi_env env_{};
  SharedPtr shared_;
  std::unique_ptr<LiveThreaded> client_;
  bool running_{false};
  bool referenced_{true};
  bool hook_registered_{false};
};

// Runs on the JS thread: hands queued items to the facade's callback.
// The callback returns false to yield (the rest is drained on a later turn
// of the event loop, e.g. so code awaiting the metadata runs first).
void Drain(Napi::Env env, Napi::Function callback, SharedPtr* ctx, void*) {
  if (static_cast<napi_env>(env) == nullptr || ctx == nullptr) return;  // teardown
  ThreadedShared& sh = **ctx;
  {
    std::lock_guard lock{sh.mu};
    sh.wake_pending = false;
  }
  // No C++ exception may leave this function: during environment teardown
  // node-addon-api could not turn it into a JS one and would terminate.
  try {
    DrainItems(env, callback, sh);
  } catch (const Napi::Error& e) {
    // A listener threw: keep the rest flowing, and hand the exception back to
    // JS so Node reports it as uncaught (dropped if JS can no longer run).
    {
      std::lock_guard lock{sh.mu};
      if (!sh.queue.empty()) sh.WakeLocked();
    }
    bool pending = false;
    if (!e.IsEmpty() && napi_is_exception_pending(env, &pending) == napi_ok && !pending) {
      napi_throw(env, e.Value());
    }
  } catch (...) {
    std::lock_guard lock{sh.mu};
    if (!sh.queue.empty()) sh.WakeLocked();
  }
}

// Calls the facade's callback with plain N-API (see NewLiveErrorValue).
// False when JS threw or cannot run: the exception stays pending and Node
// reports it as uncaught, or drops it during teardown.
bool CallFacade(napi_env env, napi_value callback, int kind, napi_value payload, bool* keep_going) {
  napi_value argv[2];
  napi_value recv;
  if (napi_create_int32(env, kind, &argv[0]) != napi_ok || napi_get_undefined(env, &recv) != napi_ok) {
    return false;
  }
  argv[1] = payload;
  napi_value result;
  if (napi_call_function(env, recv, callback, payload ? 2 : 1, argv, &result) != napi_ok) return false;
  bool value = true;
  napi_valuetype type;
  if (napi_typeof(env, result, &type) == napi_ok && type == napi_boolean) {
    napi_get_value_bool(env, result, &value);
  }
  *keep_going = value;
  return true;
}

void DrainItems(Napi::Env env, Napi::Function& callback, ThreadedShared& sh) {
  for (int n = 0; n < kMaxItemsPerDrain; ++n) {
    QueueItem item;
    {
      std::lock_guard lock{sh.mu};
      if (sh.queue.empty()) return;
      const bool is_batch = sh.queue.front().kind == kBatch;
      if (is_batch && sh.paused && !sh.stopping) return;  // resume() wakes us
      item = std::move(sh.queue.front());
      sh.queue.pop_front();
      if (is_batch) --sh.queued_batches;
    }
    if (item.kind == kBatch) sh.room.notify_one();

    bool stopping;
    {
      std::lock_guard lock{sh.mu};
      stopping = sh.stopping;
    }
    bool keep_going = true;
    bool called = true;
    switch (item.kind) {
      case kMetadata:
        if (stopping) continue;
        called = CallFacade(env, callback, kMetadata,
                            StartedToJs(env, *item.metadata, item.version, item.ts_out), &keep_going);
        break;
      case kBatch:
        if (!stopping) {
          called = CallFacade(env, callback, kBatch, BatchToJs(env, item.data.data(), item.info), &keep_going);
        }
        {
          std::lock_guard lock{sh.mu};
          if (sh.spare.size() < 4) sh.spare.push_back(std::move(item.data));
        }
        break;
      case kError: {
        napi_value err = NewLiveErrorValue(env, item.error);
        called = err != nullptr && CallFacade(env, callback, kError, err, &keep_going);
        break;
      }
      case kEnd: {
        NativeLiveThreaded* owner;
        {
          std::lock_guard lock{sh.mu};
          owner = sh.owner;
        }
        if (owner != nullptr) owner->OnThreadEnd();
        CallFacade(env, callback, kEnd, nullptr, &keep_going);
        return;  // the function is released: nothing more comes through it
      }
    }
    if (!called) break;  // JS threw (reported by Node) or cannot run
    if (!keep_going) break;  // yield
  }
  std::lock_guard lock{sh.mu};
  if (!sh.queue.empty()) sh.WakeLocked();
}

// Exposed for tests: the core's SHA-256 and CRAM reply.
Napi::Value Sha256HexJs(const Napi::CallbackInfo& info) {
  if (info[0].IsTypedArray()) {
    auto bytes = info[0].As<Napi::Uint8Array>();
    Sha256 h;
    h.Update(bytes.Data(), bytes.ByteLength());
    const auto d = h.Final();
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    for (const auto b : d) {
      hex.push_back(kHex[b >> 4]);
      hex.push_back(kHex[b & 15]);
    }
    return Napi::String::New(info.Env(), hex);
  }
  return Napi::String::New(info.Env(), Sha256Hex(info[0].As<Napi::String>().Utf8Value()));
}

Napi::Value CramReplyJs(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), CramReply(info[0].As<Napi::String>().Utf8Value(),
                                                 info[1].As<Napi::String>().Utf8Value()));
}

}  // namespace

void InitLive(Napi::Env env, Napi::Object exports) {
  exports.Set("NativeLiveBlocking", NativeLiveBlocking::Define(env));
  exports.Set("NativeLiveThreaded", NativeLiveThreaded::Define(env));
  exports.Set("liveSha256Hex", Napi::Function::New(env, Sha256HexJs, "liveSha256Hex"));
  exports.Set("liveCramReply", Napi::Function::New(env, CramReplyJs, "liveCramReply"));
}

}  // namespace databento::node
