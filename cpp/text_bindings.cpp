// N-API binding of the core's TextEncoder: DBN records in, CSV/TSV/JSON-lines
// text out (optionally zstd-compressed). Two ways in: record batches handed
// over from JS (encode), or a DBN file the encoder reads, decodes and encodes
// on a libuv worker thread (next), so only finished text crosses into JS.
// The facade (lib/dbn/text.ts) validates options and drives it.

#include <napi.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <vector>

#include "addon.hpp"
#include "databento/dbn_file_store.hpp"
#include "databento/text_encoder.hpp"
#include "databento/zstd.hpp"
#include "util/batch.hpp"
#include "util/dbn_convert.hpp"
#include "util/errors.hpp"
#include "util/metadata_js.hpp"
#include "util/promise_worker.hpp"

namespace databento::node {
namespace {

// Text handed to JS per next(): large enough that per-call costs vanish.
constexpr std::size_t kTextChunkBytes = 256 * 1024;

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
  opts.mixed_layouts = Flag(o, "mixedSchemas");
  if (o.Has("version")) {
    opts.version = static_cast<std::uint8_t>(o.Get("version").As<Napi::Number>().Uint32Value());
  }
  if (o.Has("schema") && o.Get("schema").IsNumber()) {
    opts.schema = static_cast<std::uint16_t>(o.Get("schema").As<Napi::Number>().Uint32Value());
  }
  return opts;
}

// A record count from JS: absent or out of range means no limit.
std::size_t LimitFromJs(const Napi::Value& v) {
  if (!v.IsNumber()) return SIZE_MAX;
  const double n = v.As<Napi::Number>().DoubleValue();
  return n >= 0 && n < 9e15 ? static_cast<std::size_t>(n) : SIZE_MAX;
}

class NativeTextEncoder : public Napi::ObjectWrap<NativeTextEncoder> {
 public:
  static constexpr ErrorFamily kErrorFamily = ErrorFamily::Dbn;

  static Napi::Function Define(Napi::Env env) {
    using T = NativeTextEncoder;
    return DefineClass(env, "NativeTextEncoder",
                       {Method<T, &T::Encode>("encode"), Method<T, &T::Next>("next"),
                        Method<T, &T::Finish>("finish"), Method<T, &T::Written>("written")});
  }

  // new NativeTextEncoder(options, metadata | null, file?: { path, options, limit? })
  // With `file`, the encoder reads that DBN file itself (see next()); the
  // records' version and ts_out then come from the file.
  explicit NativeTextEncoder(const Napi::CallbackInfo& info)
      : Napi::ObjectWrap<NativeTextEncoder>{info} {
    GuardCall(info.Env(), kErrorFamily, [&] {
      const auto o = info[0].As<Napi::Object>();
      auto opts = OptionsFromJs(o);
      if (info.Length() > 2 && info[2].IsObject()) {
        const auto file = info[2].As<Napi::Object>();
        file_ = std::make_unique<DbnFileStore>(file.Get("path").As<Napi::String>().Utf8Value(),
                                               DecoderOptions(file.Get("options")));
        limit_ = LimitFromJs(file.Get("limit"));
        opts.version = file_->Decoder().OutputVersion();
        opts.ts_out = file_->Decoder().TsOut();
      }
      std::optional<Metadata> metadata;
      if (info.Length() > 1 && info[1].IsObject()) metadata = MetadataFromJs(info[1].As<Napi::Object>());
      encoder_ = std::make_unique<TextEncoder>(opts, metadata ? &*metadata : nullptr);
      if (Flag(o, "zstd")) zstd_ = std::make_unique<ZstdCompressor>();
      return Napi::Value{};
    });
  }

  void WorkDone(Napi::Env) { busy_ = false; }

 private:
  // Reads, decodes and encodes the file's records until a chunk of text is
  // ready or the file (or the limit) ends.
  class NextWorker : public PromiseWorker<NativeTextEncoder> {
   public:
    explicit NextWorker(NativeTextEncoder& owner) : PromiseWorker{owner, "databento:TextEncoder.next"} {}

   private:
    void Run() override { owner_.Fill(); }
    Napi::Value Result(Napi::Env env) override {
      const ByteBuffer& out = owner_.Pending();
      if (out.empty()) return env.Null();
      return owner_.TakeBuffer(env);
    }
  };
  friend class PromiseWorker<NativeTextEncoder>;

  // On the worker thread: the JS thread does not touch the encoder while busy_.
  void Fill() {
    if (records_.empty()) records_.resize(kDefaultBatchBytes);
    while (!ended_ && Pending().size() < kTextChunkBytes) {
      std::size_t count = 0;
      const std::size_t bytes = file_->ReadRecords(records_.data(), records_.size(), &count);
      const std::uint64_t done = encoder_->RecordsWritten();
      if (bytes != 0 && done < limit_) encoder_->Encode(records_.data(), bytes, limit_ - done);
      const bool end = bytes == 0 || encoder_->RecordsWritten() >= limit_;
      Compress(end);
      ended_ = end;
    }
  }

  // The bytes ready for JS: the text, or its compressed form.
  ByteBuffer& Pending() { return zstd_ ? compressed_ : encoder_->Output(); }

  // With zstd, moves the text into the compressed output (ending the frame at the end).
  void Compress(bool end) {
    if (!zstd_) return;
    ByteBuffer& text = encoder_->Output();
    zstd_->Compress(text.data(), text.size(), compressed_);
    text.Clear();
    if (end) zstd_->End(compressed_);
  }

  Napi::Value TakeBuffer(Napi::Env env) {
    ByteBuffer& out = Pending();
    auto buffer = Napi::Buffer<std::uint8_t>::Copy(env, out.data(), out.size());
    out.Clear();
    return buffer;
  }

  // encode(records: Uint8Array, limit?: number): Buffer of the text so far.
  Napi::Value Encode(const Napi::CallbackInfo& info) {
    auto env = info.Env();
    CheckIdle(env);
    auto bytes = info[0].As<Napi::Uint8Array>();
    encoder_->Encode(bytes.Data(), bytes.ByteLength(), info.Length() > 1 ? LimitFromJs(info[1]) : SIZE_MAX);
    Compress(false);
    return TakeBuffer(env);
  }

  // next(): Promise of the next chunk of the file's text, null at the end.
  Napi::Value Next(const Napi::CallbackInfo& info) {
    auto env = info.Env();
    CheckIdle(env);
    if (!file_) throw ToJsError(env, {kErrorFamily, "BAD_ARGUMENT", "this text encoder reads no file", 0});
    busy_ = true;
    return (new NextWorker{*this})->Start();
  }

  // finish(): the rest of the text (and the end of the zstd frame).
  Napi::Value Finish(const Napi::CallbackInfo& info) {
    auto env = info.Env();
    CheckIdle(env);
    if (!ended_) Compress(true);
    ended_ = true;
    auto out = TakeBuffer(env);
    written_ = encoder_->RecordsWritten();
    encoder_.reset();
    file_.reset();
    return out;
  }

  Napi::Value Written(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), static_cast<double>(encoder_ ? encoder_->RecordsWritten() : written_));
  }

  void CheckIdle(Napi::Env env) const {
    if (busy_) throw ToJsError(env, {kErrorFamily, "BUSY", "the text encoder is already working", 0});
    if (!encoder_) throw ToJsError(env, {kErrorFamily, "CLOSED", "the text encoder has finished", 0});
  }

  std::unique_ptr<TextEncoder> encoder_;
  std::unique_ptr<ZstdCompressor> zstd_;
  std::unique_ptr<DbnFileStore> file_;
  std::vector<std::uint8_t> records_;
  ByteBuffer compressed_;
  std::size_t limit_{SIZE_MAX};
  std::uint64_t written_{};
  bool busy_{false};
  bool ended_{false};
};

}  // namespace

void InitText(Napi::Env env, Napi::Object exports) {
  exports.Set("NativeTextEncoder", NativeTextEncoder::Define(env));
}

}  // namespace databento::node
