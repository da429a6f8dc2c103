// N-API binding of the core's TextEncoder: DBN records in, CSV/TSV/JSON-lines
// text out (optionally zstd-compressed). Two ways in: record batches handed
// over from JS (encode), or a DBN file that the core's TextFileEncoder reads,
// decodes and encodes on a thread of its own, ahead of JS (next), so only
// finished text crosses into JS and encoding overlaps with writing it out.
// The facade (lib/dbn/text.ts) validates options and drives it.

#include <napi.h>

#include <memory>
#include <optional>

#include "addon.hpp"
#include "databento/text_encoder.hpp"
#include "databento/text_file_encoder.hpp"
#include "databento/zstd.hpp"
#include "util/dbn_convert.hpp"
#include "util/errors.hpp"
#include "util/metadata_js.hpp"
#include "util/promise_worker.hpp"

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
      const auto opts = OptionsFromJs(o);
      std::optional<Metadata> metadata;
      if (info.Length() > 1 && info[1].IsObject()) metadata = MetadataFromJs(info[1].As<Napi::Object>());
      if (info.Length() > 2 && info[2].IsObject()) {
        const auto file = info[2].As<Napi::Object>();
        TextFileEncoder::Options file_opts;
        file_opts.decoder = DecoderOptions(file.Get("options"));
        file_opts.text = opts;
        file_opts.zstd = Flag(o, "zstd");
        file_opts.limit = LimitFromJs(file.Get("limit"));
        file_ = std::make_unique<TextFileEncoder>(file.Get("path").As<Napi::String>().Utf8Value(), file_opts,
                                                  metadata ? &*metadata : nullptr);
        // The thread must end before the environment does, whether or not
        // this object is finalized first.
        env_ = info.Env();
        napi_add_env_cleanup_hook(env_, &NativeTextEncoder::Cleanup, this);
        return Napi::Value{};
      }
      encoder_ = std::make_unique<TextEncoder>(opts, metadata ? &*metadata : nullptr);
      if (Flag(o, "zstd")) zstd_ = std::make_unique<ZstdCompressor>();
      return Napi::Value{};
    });
  }

  ~NativeTextEncoder() override {
    if (file_) napi_remove_env_cleanup_hook(env_, &NativeTextEncoder::Cleanup, this);
  }

  void WorkDone(Napi::Env) { busy_ = false; }

 private:
  // Waits (on a libuv worker thread) for the file's next chunk of text,
  // which the core's thread has usually finished already.
  class NextWorker : public PromiseWorker<NativeTextEncoder> {
   public:
    explicit NextWorker(NativeTextEncoder& owner) : PromiseWorker{owner, "databento:TextEncoder.next"} {}

   private:
    void Run() override { has_text_ = owner_.file_->Next(owner_.chunk_); }
    Napi::Value Result(Napi::Env env) override {
      if (!has_text_) return env.Null();
      return Napi::Buffer<std::uint8_t>::Copy(env, owner_.chunk_.data(), owner_.chunk_.size());
    }
    bool has_text_{false};
  };
  friend class PromiseWorker<NativeTextEncoder>;

  // Environment teardown: end the file's thread now. The object itself may
  // still be in use by a next() in flight, which then returns at once.
  static void Cleanup(void* arg) { static_cast<NativeTextEncoder*>(arg)->file_->Close(); }

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
    if (!encoder_) return Napi::Buffer<std::uint8_t>::New(env, 0);  // a file's text comes from next()
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
    // A chunk the thread has ready is taken at once: only a wait goes
    // through a worker (two thread hops a chunk otherwise).
    auto deferred = Napi::Promise::Deferred::New(env);
    try {
      switch (file_->TryNext(chunk_)) {
        case TextFileEncoder::Taken::Chunk:
          deferred.Resolve(Napi::Buffer<std::uint8_t>::Copy(env, chunk_.data(), chunk_.size()));
          return deferred.Promise();
        case TextFileEncoder::Taken::End:
          deferred.Resolve(env.Null());
          return deferred.Promise();
        case TextFileEncoder::Taken::NotYet:
          break;
      }
    } catch (const Napi::Error&) {
      throw;
    } catch (...) {
      deferred.Reject(ToJsError(env, CurrentError(kErrorFamily)).Value());
      return deferred.Promise();
    }
    busy_ = true;
    return (new NextWorker{*this})->Start();
  }

  // finish(): the rest of the text (and the end of the zstd frame); with a
  // file, whose text next() hands out whole, it stops the file's thread.
  Napi::Value Finish(const Napi::CallbackInfo& info) {
    auto env = info.Env();
    CheckIdle(env);
    if (file_) {
      written_ = file_->RecordsWritten();
      file_.reset();
      napi_remove_env_cleanup_hook(env, &NativeTextEncoder::Cleanup, this);
      return Napi::Buffer<std::uint8_t>::New(env, 0);
    }
    Compress(true);
    auto out = TakeBuffer(env);
    written_ = encoder_->RecordsWritten();
    encoder_.reset();
    return out;
  }

  Napi::Value Written(const Napi::CallbackInfo& info) {
    const std::uint64_t n = encoder_ ? encoder_->RecordsWritten() : file_ ? file_->RecordsWritten() : written_;
    return Napi::Number::New(info.Env(), static_cast<double>(n));
  }

  void CheckIdle(Napi::Env env) const {
    if (busy_) throw ToJsError(env, {kErrorFamily, "BUSY", "the text encoder is already working", 0});
    if (!encoder_ && !file_) throw ToJsError(env, {kErrorFamily, "CLOSED", "the text encoder has finished", 0});
  }

  // Records from JS: encoded on the JS thread.
  std::unique_ptr<TextEncoder> encoder_;
  std::unique_ptr<ZstdCompressor> zstd_;
  ByteBuffer compressed_;
  // A file: encoded on the core's thread, chunk_ the last chunk taken.
  std::unique_ptr<TextFileEncoder> file_;
  ByteBuffer chunk_;
  napi_env env_{};
  std::uint64_t written_{};
  bool busy_{false};
};

}  // namespace

void InitText(Napi::Env env, Napi::Object exports) {
  exports.Set("NativeTextEncoder", NativeTextEncoder::Define(env));
}

}  // namespace databento::node
