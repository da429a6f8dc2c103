// NativeDecoder: the core's streaming DBN decoder for JS. The facade
// (lib/dbn) validates options before calling in.

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

}  // namespace

void InitDbnDecoder(Napi::Env env, Napi::Object exports) {
  exports.Set("NativeDecoder", NativeDecoder::Define(env));
}

}  // namespace databento::node
