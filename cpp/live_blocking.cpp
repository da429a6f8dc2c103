// NativeLiveBlocking: the core LiveBlocking (pull model) for JS. Blocking
// calls run either on the JS thread (the *Sync methods, meant for worker
// threads) or on a libuv worker thread (returning Promises).

#include <napi.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "addon.hpp"
#include "databento/live_blocking.hpp"
#include "databento/sha256.hpp"
#include "util/errors.hpp"
#include "util/live_convert.hpp"
#include "util/promise_worker.hpp"

namespace databento::node {
namespace {

constexpr std::size_t kBlockingBatchBytes = 64 * 1024;

class NativeLiveBlocking : public Napi::ObjectWrap<NativeLiveBlocking> {
 public:
  static constexpr ErrorFamily kErrorFamily = ErrorFamily::Live;

  static Napi::Function Define(Napi::Env env) {
    using T = NativeLiveBlocking;
    return DefineClass(env, "NativeLiveBlocking",
                       {Method<T, &T::Connect>("connect"), Method<T, &T::Subscribe>("subscribe"),
                        Method<T, &T::Start>("start"), Method<T, &T::StartSync>("startSync"),
                        Method<T, &T::NextBatch>("nextBatch"),
                        Method<T, &T::NextBatchSync>("nextBatchSync"),
                        Method<T, &T::Reconnect>("reconnect"),
                        Method<T, &T::Resubscribe>("resubscribe"), Method<T, &T::Close>("close"),
                        Method<T, &T::SessionId>("sessionId"),
                        Method<T, &T::Subscriptions>("subscriptions"),
                        Method<T, &T::LastTsEvent>("lastTsEvent")});
  }

  explicit NativeLiveBlocking(const Napi::CallbackInfo& info)
      : Napi::ObjectWrap<NativeLiveBlocking>{info} {
    env_ = info.Env();
    GuardCall(env_, kErrorFamily, [&] {
      session_ = std::make_shared<LiveBlocking>(LiveOptionsFromJs(info[0].As<Napi::Object>()));
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

  // The end of a background call, on the JS thread.
  void WorkDone(Napi::Env) {
    busy_ = false;
    if (session_->IsStopped()) session_->CloseConnection();
  }

 private:
  static void Cleanup(void* arg) {
    auto* self = static_cast<NativeLiveBlocking*>(arg);
    self->hook_registered_ = false;
    self->session_->Stop();
  }

  enum class Op { Connect, Start, Next, Reconnect };

  // One blocking call on a libuv thread. Holds the session by shared_ptr.
  class Worker : public PromiseWorker<NativeLiveBlocking> {
   public:
    Worker(NativeLiveBlocking& owner, Op op, std::optional<std::chrono::milliseconds> timeout)
        : PromiseWorker{owner, "databento:LiveBlocking"},
          session_{owner.session_},
          op_{op},
          timeout_{timeout} {
      owner.busy_ = true;
    }

   private:
    void Run() override {
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
    }

    Napi::Value Result(Napi::Env env) override {
      switch (op_) {
        case Op::Connect:
        case Op::Reconnect:
          return Napi::String::New(env, text_);
        case Op::Start:
          return StartedToJs(env, *metadata_, session_->OutputVersion(), session_->TsOut());
        case Op::Next:
          if (info_.count == 0) return env.Null();
          return LiveBatchToJs(env, buf_.data(), info_);
      }
      return env.Undefined();
    }

    std::shared_ptr<LiveBlocking> session_;
    Op op_;
    std::optional<std::chrono::milliseconds> timeout_;
    std::string text_;
    std::optional<Metadata> metadata_;
    std::vector<std::uint8_t> buf_;
    RecordBatchInfo info_;
  };

  void CheckIdle(Napi::Env env) const {
    if (busy_) {
      throw ToJsError(env, {kErrorFamily, "INVALID_STATE", "Another call on this live client is in progress", 0});
    }
  }

  Napi::Value Queue(const Napi::CallbackInfo& info, Op op,
                    std::optional<std::chrono::milliseconds> timeout = std::nullopt) {
    CheckIdle(info.Env());
    return (new Worker{*this, op, timeout})->Start();
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
    const Metadata md = session_->Start();
    return StartedToJs(env, md, session_->OutputVersion(), session_->TsOut());
  }

  Napi::Value NextBatchSync(const Napi::CallbackInfo& info) {
    auto env = info.Env();
    CheckIdle(env);
    if (scratch_.size() != kBlockingBatchBytes) scratch_.resize(kBlockingBatchBytes);
    const RecordBatchInfo batch = session_->NextRecords(scratch_.data(), scratch_.size(), TimeoutArg(info, 0));
    if (batch.count == 0) return env.Null();
    return LiveBatchToJs(env, scratch_.data(), batch);
  }

  Napi::Value Subscribe(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), session_->Subscribe(SubscriptionFromJs(info[0].As<Napi::Object>())));
  }

  Napi::Value Resubscribe(const Napi::CallbackInfo& info) {
    session_->Resubscribe();
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

void InitLiveBlocking(Napi::Env env, Napi::Object exports) {
  exports.Set("NativeLiveBlocking", NativeLiveBlocking::Define(env));
  exports.Set("liveSha256Hex", Napi::Function::New(env, Sha256HexJs, "liveSha256Hex"));
  exports.Set("liveCramReply", Napi::Function::New(env, CramReplyJs, "liveCramReply"));
}

}  // namespace databento::node
