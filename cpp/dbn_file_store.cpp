// NativeFileStore: DBN files read and decoded by the core, for JS.

#include <napi.h>

#include <memory>
#include <string>
#include <vector>

#include "addon.hpp"
#include "databento/dbn_decoder.hpp"
#include "databento/dbn_encoder.hpp"
#include "databento/dbn_error.hpp"
#include "databento/dbn_file_store.hpp"
#include "util/batch.hpp"
#include "util/dbn_convert.hpp"
#include "util/errors.hpp"
#include "util/external_memory.hpp"
#include "util/metadata_js.hpp"
#include "util/promise_worker.hpp"

namespace databento::node {
namespace {

// File store: records read and decoded either on the JS thread (readSync,
// for synchronous iteration) or on a libuv worker thread (read, for async
// iteration).

class NativeFileStore : public Napi::ObjectWrap<NativeFileStore> {
 public:
  static constexpr ErrorFamily kErrorFamily = ErrorFamily::Dbn;

  static Napi::Function Define(Napi::Env env) {
    return DefineClass(
        env, "NativeFileStore",
        {InstanceMethod("metadata", &NativeFileStore::GetMetadata),
         InstanceMethod("versions", &NativeFileStore::Versions),
         InstanceMethod("readSync", &NativeFileStore::ReadSync),
         InstanceMethod("read", &NativeFileStore::ReadAsync),
         InstanceMethod("close", &NativeFileStore::Close)});
  }

  explicit NativeFileStore(const Napi::CallbackInfo& info)
      : Napi::ObjectWrap<NativeFileStore>{info} {
    const auto path = info[0].As<Napi::String>().Utf8Value();
    try {
      store_ = std::make_unique<DbnFileStore>(path, DecoderOptions(info[1]));
    } catch (...) {
      RethrowAsJsError(info.Env(), ErrorFamily::Dbn);
    }
  }

 private:
  class ReadWorker : public PromiseWorker<NativeFileStore> {
   public:
    ReadWorker(NativeFileStore& owner, std::size_t capacity)
        : PromiseWorker{owner, "databento:DbnFileStore.read"}, capacity_{capacity} {}

   private:
    void Run() override {
      // Allocated here, off the JS thread: a failure rejects the promise.
      buf_.resize(capacity_);
      written_ = owner_.store_->ReadRecords(buf_.data(), buf_.size(), &count_);
    }
    Napi::Value Result(Napi::Env env) override {
      if (count_ == 0) return env.Null();
      return MakeBatch(env, buf_.data(), written_, count_);
    }

    std::size_t capacity_;
    std::vector<std::uint8_t> buf_;
    std::size_t written_{};
    std::size_t count_{};
  };
  friend class PromiseWorker<NativeFileStore>;

  void WorkDone(Napi::Env) {
    busy_ = false;
    CloseIfRequested();
  }

  void CheckReadable(Napi::Env env) const {
    if (busy_) {
      throw ToJsError(env, {ErrorFamily::Dbn, "BUSY", "a read of this store is already in progress", 0});
    }
    if (!store_) {
      throw ToJsError(env, {ErrorFamily::Dbn, "CLOSED", "the store is closed", 0});
    }
  }

  Napi::Value ReadSync(const Napi::CallbackInfo& info) {
    auto env = info.Env();
    CheckReadable(env);
    const std::size_t capacity = BatchBytes(info, 0);
    if (scratch_.size() != capacity) scratch_.resize(capacity);
    std::size_t count = 0;
    std::size_t written = 0;
    try {
      written = store_->ReadRecords(scratch_.data(), scratch_.size(), &count);
    } catch (...) {
      RethrowAsJsError(env, ErrorFamily::Dbn);
    }
    if (count == 0) return env.Null();
    return MakeBatch(env, scratch_.data(), written, count);
  }

  Napi::Value ReadAsync(const Napi::CallbackInfo& info) {
    CheckReadable(info.Env());
    busy_ = true;
    return (new ReadWorker{*this, BatchBytes(info, 0)})->Start();
  }

  Napi::Value Close(const Napi::CallbackInfo& info) {
    close_requested_ = true;
    CloseIfRequested();
    return info.Env().Undefined();
  }

  void CloseIfRequested() {
    if (close_requested_ && !busy_) {
      store_.reset();
      scratch_ = {};
    }
  }

  Napi::Value GetMetadata(const Napi::CallbackInfo& info) {
    if (!store_ || !store_->GetMetadata()) return info.Env().Undefined();
    return MetadataToJs(info.Env(), *store_->GetMetadata());
  }

  Napi::Value Versions(const Napi::CallbackInfo& info) {
    auto o = Napi::Object::New(info.Env());
    if (store_) SetVersions(o, store_->Decoder());
    return o;
  }

  std::unique_ptr<DbnFileStore> store_;
  std::vector<std::uint8_t> scratch_;
  bool busy_{false};
  bool close_requested_{false};
};

}  // namespace

void InitDbnFileStore(Napi::Env env, Napi::Object exports) {
  exports.Set("NativeFileStore", NativeFileStore::Define(env));
}

}  // namespace databento::node
