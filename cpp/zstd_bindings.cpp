// N-API bindings of plain zstd streams, for bodies that are not DBN (the
// reference API's zstd JSON lines) and for the mocks that serve them.
// Decompression writes into a buffer the caller owns, so memory stays bounded
// by that buffer whatever the input expands to.

#include <napi.h>

#include <memory>

#include "addon.hpp"
#include "util/batch.hpp"
#include "util/errors.hpp"
#include "util/external_memory.hpp"
#include "databento/zstd.hpp"

namespace databento::node {
namespace {

class NativeZstdDecompressor : public Napi::ObjectWrap<NativeZstdDecompressor> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(
        env, "NativeZstdDecompressor",
        {InstanceMethod("decompressInto",
                        &NativeZstdDecompressor::DecompressInto),
         InstanceMethod("atFrameBoundary",
                        &NativeZstdDecompressor::AtFrameBoundary)});
  }

  explicit NativeZstdDecompressor(const Napi::CallbackInfo& info)
      : Napi::ObjectWrap<NativeZstdDecompressor>{info} {
    try {
      stream_ = std::make_unique<ZstdDecompressor>();
    } catch (...) {
      RethrowAsJsError(info.Env(), ErrorFamily::Dbn);
    }
    memory_.Update(info.Env(), kZstdStreamFootprint);
  }

  ~NativeZstdDecompressor() override { memory_.Release(Env()); }

 private:
  // decompressInto(input, output) -> [bytes of input consumed, bytes written]
  Napi::Value DecompressInto(const Napi::CallbackInfo& info) {
    auto env = info.Env();
    if (!info[0].IsTypedArray() || !info[1].IsTypedArray()) {
      throw Napi::TypeError::New(env, "decompressInto(input, output) takes two Uint8Arrays");
    }
    auto in = info[0].As<Napi::Uint8Array>();
    auto out = info[1].As<Napi::Uint8Array>();
    ZstdDecompressor::Progress p{};
    try {
      p = stream_->DecompressInto(in.Data(), in.ByteLength(), out.Data(),
                                  out.ByteLength());
    } catch (...) {
      RethrowAsJsError(env, ErrorFamily::Dbn);
    }
    auto result = Napi::Array::New(env, 2);
    result.Set(0u, Napi::Number::New(env, static_cast<double>(p.consumed)));
    result.Set(1u, Napi::Number::New(env, static_cast<double>(p.produced)));
    return result;
  }

  Napi::Value AtFrameBoundary(const Napi::CallbackInfo& info) {
    return Napi::Boolean::New(info.Env(), stream_->AtFrameBoundary());
  }

  std::unique_ptr<ZstdDecompressor> stream_;
  ExternalMemory memory_;
};

class NativeZstdCompressor : public Napi::ObjectWrap<NativeZstdCompressor> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(
        env, "NativeZstdCompressor",
        {InstanceMethod("compress", &NativeZstdCompressor::Compress),
         InstanceMethod("end", &NativeZstdCompressor::End)});
  }

  // new NativeZstdCompressor(level?)
  explicit NativeZstdCompressor(const Napi::CallbackInfo& info)
      : Napi::ObjectWrap<NativeZstdCompressor>{info} {
    const int level =
        info[0].IsNumber() ? info[0].As<Napi::Number>().Int32Value() : 3;
    try {
      stream_ = std::make_unique<ZstdCompressor>(level);
    } catch (...) {
      RethrowAsJsError(info.Env(), ErrorFamily::Dbn);
    }
    memory_.Update(info.Env(), kZstdStreamFootprint);
  }

  ~NativeZstdCompressor() override { memory_.Release(Env()); }

 private:
  Napi::Value Take(Napi::Env env) {
    auto ab = CopyToArrayBuffer(env, out_.data(), out_.size());
    out_.Clear();
    return Napi::Uint8Array::New(env, ab.ByteLength(), ab, 0);
  }

  // compress(bytes) -> the compressed bytes ready so far (often none)
  Napi::Value Compress(const Napi::CallbackInfo& info) {
    if (!info[0].IsTypedArray()) {
      throw Napi::TypeError::New(info.Env(), "compress(bytes) takes a Uint8Array");
    }
    auto bytes = info[0].As<Napi::Uint8Array>();
    try {
      stream_->Compress(bytes.Data(), bytes.ByteLength(), out_);
    } catch (...) {
      RethrowAsJsError(info.Env(), ErrorFamily::Dbn);
    }
    return Take(info.Env());
  }

  // end() -> the rest of the frame; the compressor is done afterwards
  Napi::Value End(const Napi::CallbackInfo& info) {
    try {
      stream_->End(out_);
    } catch (...) {
      RethrowAsJsError(info.Env(), ErrorFamily::Dbn);
    }
    return Take(info.Env());
  }

  std::unique_ptr<ZstdCompressor> stream_;
  ByteBuffer out_;
  ExternalMemory memory_;
};

}  // namespace

void InitZstd(Napi::Env env, Napi::Object exports) {
  exports.Set("NativeZstdDecompressor", NativeZstdDecompressor::Define(env));
  exports.Set("NativeZstdCompressor", NativeZstdCompressor::Define(env));
}

}  // namespace databento::node
