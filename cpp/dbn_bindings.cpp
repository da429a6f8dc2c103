// N-API bindings of the DBN core: the streaming decoder, the file store and
// the encoder. The facade (lib/dbn) validates options before calling in.

#include <napi.h>

#include <memory>
#include <string>
#include <vector>

#include "addon.hpp"
#include "batch.hpp"
#include "databento/dbn_decoder.hpp"
#include "databento/dbn_encoder.hpp"
#include "databento/dbn_error.hpp"
#include "databento/dbn_file_store.hpp"
#include "metadata_js.hpp"

namespace databento::node {
namespace {

DbnDecoder::Options DecoderOptions(const Napi::Value& value) {
  DbnDecoder::Options opts;
  if (!value.IsObject()) return opts;
  auto o = value.As<Napi::Object>();
  if (o.Has("upgradePolicy")) {
    opts.upgrade_policy = static_cast<VersionUpgradePolicy>(
        o.Get("upgradePolicy").As<Napi::Number>().Uint32Value());
  }
  if (o.Has("hasMetadata")) {
    opts.has_metadata = o.Get("hasMetadata").ToBoolean().Value();
  }
  if (o.Has("version")) {
    opts.fragment_version = static_cast<std::uint8_t>(
        o.Get("version").As<Napi::Number>().Uint32Value());
  }
  if (o.Has("tsOut")) {
    opts.fragment_ts_out = o.Get("tsOut").ToBoolean().Value();
  }
  return opts;
}

std::size_t BatchBytes(const Napi::CallbackInfo& info, std::size_t arg) {
  if (info.Length() > arg && info[arg].IsNumber()) {
    const auto n = info[arg].As<Napi::Number>().Int64Value();
    if (n >= static_cast<std::int64_t>(DbnDecoder::kMaxRecordBytes)) {
      return static_cast<std::size_t>(n);
    }
  }
  return kDefaultBatchBytes;
}

void SetVersions(Napi::Object target, const DbnDecoder& d) {
  target.Set("inputVersion", d.InputVersion());
  target.Set("outputVersion", d.OutputVersion());
  target.Set("tsOut", d.TsOut());
}

// ---------------------------------------------------------------------------
// Streaming decoder: write(bytes) then read() whole records.

class NativeDecoder : public Napi::ObjectWrap<NativeDecoder> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(
        env, "NativeDecoder",
        {InstanceMethod("write", &NativeDecoder::Write),
         InstanceMethod("read", &NativeDecoder::Read),
         InstanceMethod("finish", &NativeDecoder::Finish),
         InstanceMethod("metadata", &NativeDecoder::GetMetadata),
         InstanceMethod("versions", &NativeDecoder::Versions)});
  }

  explicit NativeDecoder(const Napi::CallbackInfo& info)
      : Napi::ObjectWrap<NativeDecoder>{info} {
    try {
      decoder_ = std::make_unique<DbnDecoder>(DecoderOptions(info[0]));
    } catch (...) {
      RethrowAsDbnError(info.Env());
    }
  }

 private:
  Napi::Value Write(const Napi::CallbackInfo& info) {
    auto bytes = info[0].As<Napi::Uint8Array>();
    try {
      decoder_->Write(bytes.Data(), bytes.ByteLength());
    } catch (...) {
      RethrowAsDbnError(info.Env());
    }
    return info.Env().Undefined();
  }

  // Every whole record buffered, as one batch; null when there is none.
  Napi::Value Read(const Napi::CallbackInfo& info) {
    std::size_t written = 0;
    std::size_t count = 0;
    try {
      if (scratch_.size() < kDefaultBatchBytes) {
        scratch_.resize(kDefaultBatchBytes);
      }
      while (true) {
        if (scratch_.size() - written < DbnDecoder::kMaxRecordBytes) {
          scratch_.resize(scratch_.size() * 2);
        }
        std::size_t n = 0;
        const std::size_t w = decoder_->ReadRecords(
            scratch_.data() + written, scratch_.size() - written, &n);
        if (w == 0) break;
        written += w;
        count += n;
      }
    } catch (...) {
      if (written == 0) RethrowAsDbnError(info.Env());
      // The error repeats on the next read, after these records.
    }
    if (count == 0) return info.Env().Null();
    return MakeBatch(info.Env(), scratch_.data(), written, count);
  }

  Napi::Value Finish(const Napi::CallbackInfo& info) {
    try {
      decoder_->Finish();
    } catch (...) {
      RethrowAsDbnError(info.Env());
    }
    return info.Env().Undefined();
  }

  Napi::Value GetMetadata(const Napi::CallbackInfo& info) {
    const auto& md = decoder_->GetMetadata();
    return md ? Napi::Value{MetadataToJs(info.Env(), *md)}
              : info.Env().Undefined();
  }

  Napi::Value Versions(const Napi::CallbackInfo& info) {
    auto o = Napi::Object::New(info.Env());
    SetVersions(o, *decoder_);
    o.Set("headerDone", decoder_->HeaderDone());
    return o;
  }

  std::unique_ptr<DbnDecoder> decoder_;
  std::vector<std::uint8_t> scratch_;
};

// ---------------------------------------------------------------------------
// File store: records read and decoded either on the JS thread (readSync,
// for synchronous iteration) or on a libuv worker thread (read, for async
// iteration).

class NativeFileStore : public Napi::ObjectWrap<NativeFileStore> {
 public:
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
      RethrowAsDbnError(info.Env());
    }
  }

 private:
  class ReadWorker : public Napi::AsyncWorker {
   public:
    ReadWorker(NativeFileStore& owner, std::size_t capacity)
        : Napi::AsyncWorker{owner.Env(), "databento:DbnFileStore.read"},
          owner_{owner},
          deferred_{Napi::Promise::Deferred::New(owner.Env())},
          buf_(capacity) {
      owner_.Ref();  // keep the store alive while a thread uses it
    }

    Napi::Promise Promise() const { return deferred_.Promise(); }

    void Execute() override {
      try {
        written_ = owner_.store_->ReadRecords(buf_.data(), buf_.size(), &count_);
      } catch (const DbnError& e) {
        failed_ = true;
        code_ = ToString(e.Code());
        message_ = e.what();
      } catch (const std::exception& e) {
        failed_ = true;
        code_ = "INTERNAL";
        message_ = e.what();
      }
    }

    void OnOK() override {
      auto env = Env();
      owner_.busy_ = false;
      owner_.Unref();
      if (failed_) {
        auto& ctor = env.GetInstanceData<Addon>()->dbn_error;
        deferred_.Reject(MakeError(env, ctor, code_, message_).Value());
      } else if (count_ == 0) {
        deferred_.Resolve(env.Null());
      } else {
        deferred_.Resolve(MakeBatch(env, buf_.data(), written_, count_));
      }
      owner_.CloseIfRequested();
    }

   private:
    NativeFileStore& owner_;
    Napi::Promise::Deferred deferred_;
    std::vector<std::uint8_t> buf_;
    std::size_t written_{};
    std::size_t count_{};
    bool failed_{};
    std::string code_;
    std::string message_;
  };

  void CheckReadable(Napi::Env env) const {
    if (busy_) {
      throw MakeError(env, env.GetInstanceData<Addon>()->dbn_error,
                      "BUSY", "a read of this store is already in progress");
    }
    if (!store_) {
      throw MakeError(env, env.GetInstanceData<Addon>()->dbn_error,
                      "CLOSED", "the store is closed");
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
      RethrowAsDbnError(env);
    }
    if (count == 0) return env.Null();
    return MakeBatch(env, scratch_.data(), written, count);
  }

  Napi::Value ReadAsync(const Napi::CallbackInfo& info) {
    CheckReadable(info.Env());
    busy_ = true;
    auto* worker = new ReadWorker{*this, BatchBytes(info, 0)};
    auto promise = worker->Promise();
    worker->Queue();
    return promise;
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

// ---------------------------------------------------------------------------
// Encoder: metadata and records in, encoded (optionally zstd) bytes out.

class NativeEncoder : public Napi::ObjectWrap<NativeEncoder> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "NativeEncoder",
                       {InstanceMethod("write", &NativeEncoder::Write),
                        InstanceMethod("flush", &NativeEncoder::Flush),
                        InstanceMethod("finish", &NativeEncoder::Finish)});
  }

  explicit NativeEncoder(const Napi::CallbackInfo& info)
      : Napi::ObjectWrap<NativeEncoder>{info} {
    DbnEncoder::Options opts;
    if (info[1].IsObject()) {
      auto o = info[1].As<Napi::Object>();
      opts.zstd = o.Has("zstd") && o.Get("zstd").ToBoolean().Value();
      if (o.Has("level")) {
        opts.zstd_level = o.Get("level").As<Napi::Number>().Int32Value();
      }
    }
    try {
      encoder_ = std::make_unique<DbnEncoder>(
          MetadataFromJs(info[0].As<Napi::Object>()), opts);
    } catch (...) {
      RethrowAsDbnError(info.Env());
    }
  }

 private:
  // Hands the encoded bytes to JS and empties the native buffer.
  Napi::Value TakeOutput(Napi::Env env) {
    auto& out = encoder_->Output();
    auto ab = CopyToArrayBuffer(env, out.data(), out.size());
    out.clear();
    return Napi::Uint8Array::New(env, ab.ByteLength(), ab, 0);
  }

  Napi::Value Write(const Napi::CallbackInfo& info) {
    auto bytes = info[0].As<Napi::Uint8Array>();
    try {
      encoder_->WriteRecords(bytes.Data(), bytes.ByteLength());
    } catch (...) {
      RethrowAsDbnError(info.Env());
    }
    return TakeOutput(info.Env());
  }

  Napi::Value Flush(const Napi::CallbackInfo& info) {
    try {
      encoder_->Flush();
    } catch (...) {
      RethrowAsDbnError(info.Env());
    }
    return TakeOutput(info.Env());
  }

  Napi::Value Finish(const Napi::CallbackInfo& info) {
    try {
      encoder_->Finish();
    } catch (...) {
      RethrowAsDbnError(info.Env());
    }
    return TakeOutput(info.Env());
  }

  std::unique_ptr<DbnEncoder> encoder_;
};

}  // namespace

void InitDbn(Napi::Env env, Napi::Object exports) {
  exports.Set("NativeDecoder", NativeDecoder::Define(env));
  exports.Set("NativeFileStore", NativeFileStore::Define(env));
  exports.Set("NativeEncoder", NativeEncoder::Define(env));
}

}  // namespace databento::node
