// N-API binding of the core's TextEncoder: DBN record batches in, CSV/TSV/
// JSON-lines text out (optionally zstd-compressed). The facade (lib/dbn/text.ts)
// validates options and drives it batch by batch.

#include <napi.h>

#include <memory>
#include <optional>

#include "addon.hpp"
#include "databento/text_encoder.hpp"
#include "databento/zstd.hpp"
#include "util/errors.hpp"
#include "util/metadata_js.hpp"

namespace databento::node {
namespace {

bool Flag(const Napi::Object& o, const char* key) {
  return o.Has(key) && o.Get(key).ToBoolean().Value();
}

TextEncoderOptions OptionsFromJs(const Napi::Object& o) {
  TextEncoderOptions opts;
  const std::string format = o.Get("format").ToString().Utf8Value();
  opts.format = format == "json" ? TextFormat::Json : format == "tsv" ? TextFormat::Tsv : TextFormat::Csv;
  opts.pretty_px = Flag(o, "prettyPx");
  opts.pretty_ts = Flag(o, "prettyTs");
  opts.map_symbols = Flag(o, "mapSymbols");
  opts.write_header = !o.Has("header") || Flag(o, "header");
  opts.indent = Flag(o, "indent");
  opts.ts_out = Flag(o, "tsOut");
  opts.filter_schema = Flag(o, "filterSchema");
  if (o.Has("version")) {
    opts.version = static_cast<std::uint8_t>(o.Get("version").As<Napi::Number>().Uint32Value());
  }
  if (o.Has("schema") && o.Get("schema").IsNumber()) {
    opts.schema = static_cast<std::uint16_t>(o.Get("schema").As<Napi::Number>().Uint32Value());
  }
  return opts;
}

class NativeTextEncoder : public Napi::ObjectWrap<NativeTextEncoder> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "NativeTextEncoder",
                       {InstanceMethod("encode", &NativeTextEncoder::Encode),
                        InstanceMethod("finish", &NativeTextEncoder::Finish),
                        InstanceMethod("written", &NativeTextEncoder::Written)});
  }

  // new NativeTextEncoder(options, metadata | null)
  explicit NativeTextEncoder(const Napi::CallbackInfo& info)
      : Napi::ObjectWrap<NativeTextEncoder>{info} {
    try {
      const auto o = info[0].As<Napi::Object>();
      std::optional<Metadata> metadata;
      if (info.Length() > 1 && info[1].IsObject()) metadata = MetadataFromJs(info[1].As<Napi::Object>());
      encoder_ = std::make_unique<TextEncoder>(OptionsFromJs(o), metadata ? &*metadata : nullptr);
      if (Flag(o, "zstd")) zstd_ = std::make_unique<ZstdCompressor>();
    } catch (...) {
      RethrowAsJsError(info.Env(), ErrorFamily::Dbn);
    }
  }

 private:
  // encode(records: Uint8Array, limit?: number): Buffer of the text so far.
  Napi::Value Encode(const Napi::CallbackInfo& info) {
    auto env = info.Env();
    CheckOpen(env);
    auto bytes = info[0].As<Napi::Uint8Array>();
    std::size_t limit = SIZE_MAX;
    if (info.Length() > 1 && info[1].IsNumber()) {
      const double n = info[1].As<Napi::Number>().DoubleValue();
      if (n >= 0 && n < 9e15) limit = static_cast<std::size_t>(n);
    }
    try {
      encoder_->Encode(bytes.Data(), bytes.ByteLength(), limit);
    } catch (...) {
      RethrowAsJsError(env, ErrorFamily::Dbn);
    }
    return TakeOutput(env, false);
  }

  // finish(): the rest of the text (and the end of the zstd frame).
  Napi::Value Finish(const Napi::CallbackInfo& info) {
    auto env = info.Env();
    CheckOpen(env);
    auto out = TakeOutput(env, true);
    encoder_.reset();
    return out;
  }

  Napi::Value Written(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), static_cast<double>(written_ + (encoder_ ? encoder_->RecordsWritten() : 0)));
  }

  Napi::Value TakeOutput(Napi::Env env, bool end) {
    ByteBuffer& text = encoder_->Output();
    const ByteBuffer* out = &text;
    try {
      if (zstd_) {
        compressed_.Clear();
        zstd_->Compress(text.data(), text.size(), compressed_);
        if (end) zstd_->End(compressed_);
        text.Clear();
        out = &compressed_;
      }
    } catch (...) {
      RethrowAsJsError(env, ErrorFamily::Dbn);
    }
    auto buffer = Napi::Buffer<std::uint8_t>::Copy(env, out->data(), out->size());
    if (end) written_ = encoder_->RecordsWritten();
    text.Clear();
    compressed_.Clear();
    return buffer;
  }

  void CheckOpen(Napi::Env env) const {
    if (!encoder_) {
      throw ToJsError(env, ErrorInfo{ErrorFamily::Dbn, "CLOSED", "the text encoder has finished", 0});
    }
  }

  std::unique_ptr<TextEncoder> encoder_;
  std::unique_ptr<ZstdCompressor> zstd_;
  ByteBuffer compressed_;
  std::uint64_t written_{};
};

}  // namespace

void InitText(Napi::Env env, Napi::Object exports) {
  exports.Set("NativeTextEncoder", NativeTextEncoder::Define(env));
}

}  // namespace databento::node
