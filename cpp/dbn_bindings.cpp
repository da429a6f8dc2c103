// N-API bindings of the DBN core: the streaming decoder, the file store and
// the encoder. The facade (lib/dbn) validates options before calling in.

#include <napi.h>

#include <memory>
#include <string>
#include <vector>

#include "addon.hpp"
#include "util/batch.hpp"
#include "util/errors.hpp"
#include "util/external_memory.hpp"
#include "databento/dbn_decoder.hpp"
#include "databento/dbn_encoder.hpp"
#include "databento/dbn_error.hpp"
#include "databento/dbn_file_store.hpp"
#include "util/metadata_js.hpp"
#include "util/promise_worker.hpp"

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
  if (o.Has("maxMetadataBytes")) {
    opts.max_metadata_bytes = static_cast<std::size_t>(
        o.Get("maxMetadataBytes").As<Napi::Number>().Int64Value());
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
  static constexpr ErrorFamily kErrorFamily = ErrorFamily::Dbn;

  static Napi::Function Define(Napi::Env env) {
    return DefineClass(
        env, "NativeDecoder",
        {InstanceMethod("write", &NativeDecoder::Write),
         InstanceMethod("writeAsync", &NativeDecoder::WriteAsync),
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
      RethrowAsJsError(info.Env(), ErrorFamily::Dbn);
    }
  }

  ~NativeDecoder() override { memory_.Release(Env()); }

 private:
  // Decompresses and buffers a chunk on a libuv worker thread, so the JS
  // thread can receive the next one meanwhile; read() then hands out the
  // records.
  class WriteWorker : public PromiseWorker<NativeDecoder> {
   public:
    WriteWorker(NativeDecoder& owner, Napi::Uint8Array chunk)
        : PromiseWorker{owner, "databento:DbnDecoder.writeAsync"},
          chunk_{Napi::Persistent(chunk)},  // keeps the bytes alive meanwhile
          data_{chunk.Data()},
          size_{chunk.ByteLength()} {}

   private:
    void Run() override { owner_.decoder_->Write(data_, size_); }
    Napi::Value Result(Napi::Env env) override { return env.Undefined(); }

    Napi::Reference<Napi::Uint8Array> chunk_;
    const std::uint8_t* data_;
    std::size_t size_;
  };
  friend class PromiseWorker<NativeDecoder>;

  void WorkDone(Napi::Env env) {
    busy_ = false;
    ReportMemory(env);
  }

  void CheckIdle(Napi::Env env) const {
    if (busy_) {
      throw ToJsError(env, {ErrorFamily::Dbn, "BUSY", "the decoder is still decoding the previous chunk; "
                      "await writeAsync() before using it again", 0});
    }
    if (!decoder_) {
      throw ToJsError(env, {ErrorFamily::Dbn, "CLOSED", "the decoder has ended", 0});
    }
  }

  void ReportMemory(Napi::Env env) {
    memory_.Update(env, decoder_ ? decoder_->MemoryFootprint() : 0);
  }

  Napi::Value WriteAsync(const Napi::CallbackInfo& info) {
    CheckIdle(info.Env());
    busy_ = true;
    return (new WriteWorker{*this, info[0].As<Napi::Uint8Array>()})->Start();
  }

  Napi::Value Write(const Napi::CallbackInfo& info) {
    CheckIdle(info.Env());
    auto bytes = info[0].As<Napi::Uint8Array>();
    try {
      decoder_->Write(bytes.Data(), bytes.ByteLength());
    } catch (...) {
      ReportMemory(info.Env());
      RethrowAsJsError(info.Env(), ErrorFamily::Dbn);
    }
    ReportMemory(info.Env());
    return info.Env().Undefined();
  }

  // Every whole record buffered, as one batch; null when there is none.
  // Measured first, so the records are copied once, straight into the
  // ArrayBuffer.
  Napi::Value Read(const Napi::CallbackInfo& info) {
    auto env = info.Env();
    CheckIdle(env);
    try {
      std::size_t count = 0;
      const std::size_t size = decoder_->MeasureRecords(SIZE_MAX, &count);
      if (size == 0) {
        // Nothing whole is buffered, or an invalid record comes first: a
        // read then throws its error.
        std::uint8_t probe[DbnDecoder::kMaxRecordBytes];
        decoder_->ReadRecords(probe, sizeof probe, &count);
        return env.Null();
      }
      auto buffer = Napi::ArrayBuffer::New(env, size);
      decoder_->ReadRecords(static_cast<std::uint8_t*>(buffer.Data()), size, &count);
      auto batch = Napi::Object::New(env);
      batch.Set("buffer", buffer);
      batch.Set("count", Napi::Number::New(env, static_cast<double>(count)));
      return batch;
    } catch (...) {
      RethrowAsJsError(env, ErrorFamily::Dbn);
    }
  }

  // Ends the stream and frees the native decoder either way.
  Napi::Value Finish(const Napi::CallbackInfo& info) {
    auto env = info.Env();
    CheckIdle(env);
    auto decoder = std::move(decoder_);
    ReportMemory(env);
    try {
      decoder->Finish();
    } catch (...) {
      RethrowAsJsError(env, ErrorFamily::Dbn);
    }
    return env.Undefined();
  }

  Napi::Value GetMetadata(const Napi::CallbackInfo& info) {
    CheckIdle(info.Env());
    const auto& md = decoder_->GetMetadata();
    return md ? Napi::Value{MetadataToJs(info.Env(), *md)}
              : info.Env().Undefined();
  }

  Napi::Value Versions(const Napi::CallbackInfo& info) {
    CheckIdle(info.Env());
    auto o = Napi::Object::New(info.Env());
    SetVersions(o, *decoder_);
    o.Set("headerDone", decoder_->HeaderDone());
    return o;
  }

  std::unique_ptr<DbnDecoder> decoder_;
  ExternalMemory memory_;
  bool busy_{false};
};

// ---------------------------------------------------------------------------
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
        : PromiseWorker{owner, "databento:DbnFileStore.read"}, buf_(capacity) {}

   private:
    void Run() override {
      written_ = owner_.store_->ReadRecords(buf_.data(), buf_.size(), &count_);
    }
    Napi::Value Result(Napi::Env env) override {
      if (count_ == 0) return env.Null();
      return MakeBatch(env, buf_.data(), written_, count_);
    }

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

// ---------------------------------------------------------------------------
// Encoder: metadata and records in, encoded (optionally zstd) bytes out.

class NativeEncoder : public Napi::ObjectWrap<NativeEncoder> {
 public:
  static constexpr ErrorFamily kErrorFamily = ErrorFamily::Dbn;

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
      RethrowAsJsError(info.Env(), ErrorFamily::Dbn);
    }
    memory_.Update(info.Env(), encoder_->MemoryFootprint());
  }

  ~NativeEncoder() override { memory_.Release(Env()); }

 private:
  // Hands the encoded bytes to JS and empties the native buffer.
  Napi::Value TakeOutput(Napi::Env env) {
    auto& out = encoder_->Output();
    auto ab = CopyToArrayBuffer(env, out.data(), out.size());
    out.Clear();
    memory_.Update(env, encoder_->MemoryFootprint());
    return Napi::Uint8Array::New(env, ab.ByteLength(), ab, 0);
  }

  Napi::Value Write(const Napi::CallbackInfo& info) {
    auto bytes = info[0].As<Napi::Uint8Array>();
    try {
      encoder_->WriteRecords(bytes.Data(), bytes.ByteLength());
    } catch (...) {
      RethrowAsJsError(info.Env(), ErrorFamily::Dbn);
    }
    return TakeOutput(info.Env());
  }

  Napi::Value Flush(const Napi::CallbackInfo& info) {
    try {
      encoder_->Flush();
    } catch (...) {
      RethrowAsJsError(info.Env(), ErrorFamily::Dbn);
    }
    return TakeOutput(info.Env());
  }

  Napi::Value Finish(const Napi::CallbackInfo& info) {
    try {
      encoder_->Finish();
    } catch (...) {
      RethrowAsJsError(info.Env(), ErrorFamily::Dbn);
    }
    return TakeOutput(info.Env());
  }

  std::unique_ptr<DbnEncoder> encoder_;
  ExternalMemory memory_;
};

}  // namespace

void InitDbn(Napi::Env env, Napi::Object exports) {
  exports.Set("NativeDecoder", NativeDecoder::Define(env));
  exports.Set("NativeFileStore", NativeFileStore::Define(env));
  exports.Set("NativeEncoder", NativeEncoder::Define(env));
}

}  // namespace databento::node
