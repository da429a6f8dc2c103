// NativeEncoder: the core's DBN encoder for JS.

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

void InitDbnEncoder(Napi::Env env, Napi::Object exports) {
  exports.Set("NativeEncoder", NativeEncoder::Define(env));
}

}  // namespace databento::node
