// N-API binding of the core's ColumnBuilder: DBN record batches in, one
// V8-owned ArrayBuffer per column out. The facade (lib/dbn/columns.ts)
// chooses the rtype and wraps the buffers as typed arrays or Arrow vectors.

#include <napi.h>

#include <memory>
#include <optional>
#include <vector>

#include "addon.hpp"
#include "databento/column_builder.hpp"
#include "databento/dbn_error.hpp"
#include "util/batch.hpp"
#include "util/errors.hpp"
#include "util/external_memory.hpp"
#include "util/metadata_js.hpp"
#include "util/promise_worker.hpp"

namespace databento::node {
namespace {

bool Flag(const Napi::Object& o, const char* key) {
  return o.Has(key) && o.Get(key).ToBoolean().Value();
}

std::uint32_t Uint(const Napi::Object& o, const char* key) {
  return o.Get(key).As<Napi::Number>().Uint32Value();
}

const char* KindName(columns::Kind kind) {
  switch (kind) {
    case columns::Kind::U8: return "u8";
    case columns::Kind::I8: return "i8";
    case columns::Kind::U16: return "u16";
    case columns::Kind::I16: return "i16";
    case columns::Kind::U32: return "u32";
    case columns::Kind::I32: return "i32";
    case columns::Kind::U64: return "u64";
    case columns::Kind::I64: return "i64";
    case columns::Kind::Ts: return "ts";
    case columns::Kind::Price: return "price";
    case columns::Kind::Char: return "char";
    case columns::Kind::Str: return "cstr";
  }
  return "u8";
}

const char* OutName(ColumnOut out) {
  switch (out) {
    case ColumnOut::Copy: return "copy";
    case ColumnOut::PriceFloat: return "f64";
    case ColumnOut::SymbolCode: return "symbol";
  }
  return "copy";
}

// A byte view of an ArrayBuffer, TypedArray or DataView argument.
std::pair<const std::uint8_t*, std::size_t> BytesOf(const Napi::Value& v) {
  if (v.IsArrayBuffer()) {
    auto ab = v.As<Napi::ArrayBuffer>();
    return {static_cast<const std::uint8_t*>(ab.Data()), ab.ByteLength()};
  }
  if (v.IsTypedArray()) {
    auto ta = v.As<Napi::TypedArray>();
    return {static_cast<const std::uint8_t*>(ta.ArrayBuffer().Data()) + ta.ByteOffset(), ta.ByteLength()};
  }
  if (v.IsDataView()) {
    auto dv = v.As<Napi::DataView>();
    return {static_cast<const std::uint8_t*>(dv.ArrayBuffer().Data()) + dv.ByteOffset(), dv.ByteLength()};
  }
  throw DbnError{DbnErrorCode::BadArgument, "records must be an ArrayBuffer, a typed array or a DataView"};
}

class NativeColumnBuilder : public Napi::ObjectWrap<NativeColumnBuilder> {
 public:
  static constexpr ErrorFamily kErrorFamily = ErrorFamily::Dbn;
  using T = NativeColumnBuilder;

  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "NativeColumnBuilder",
                       {Method<T, &T::Append>("append"), Method<T, &T::AppendAsync>("appendAsync"),
                        Method<T, &T::Columns>("columns"), Method<T, &T::Take>("take"),
                        Method<T, &T::Skipped>("skipped"), Method<T, &T::Reserve>("reserve"), Method<T, &T::LayoutName>("layout")});
  }

  // new NativeColumnBuilder({ rtype, prettyPx, mapSymbols, tsOut, fields?, schema?, version }, metadata | null)
  explicit NativeColumnBuilder(const Napi::CallbackInfo& info) : Napi::ObjectWrap<T>{info} {
    try {
      const auto o = info[0].As<Napi::Object>();
      ColumnBuilderOptions opts;
      opts.rtype = static_cast<std::uint8_t>(Uint(o, "rtype"));
      opts.pretty_px = Flag(o, "prettyPx");
      opts.map_symbols = Flag(o, "mapSymbols");
      opts.ts_out = Flag(o, "tsOut");
      if (o.Has("fields") && o.Get("fields").IsArray()) {
        const auto fields = o.Get("fields").As<Napi::Array>();
        for (std::uint32_t i = 0; i < fields.Length(); ++i) opts.fields.push_back(fields.Get(i).ToString().Utf8Value());
      }
      std::optional<Metadata> metadata;
      if (info.Length() > 1 && info[1].IsObject()) metadata = MetadataFromJs(info[1].As<Napi::Object>());
      builder_ = std::make_unique<ColumnBuilder>(opts, metadata ? &*metadata : nullptr);
      if (o.Has("schema") && o.Get("schema").IsNumber()) {
        const auto schema = static_cast<Schema>(Uint(o, "schema"));
        const auto layout = text::SchemaLayout(schema, static_cast<std::uint8_t>(Uint(o, "version")));
        if (layout != text::Layout::None && text::SchemaRType(schema) == opts.rtype) builder_->SetLayout(layout);
      }
    } catch (...) {
      RethrowAsJsError(info.Env(), ErrorFamily::Dbn);
    }
  }

  ~NativeColumnBuilder() override { memory_.Release(Env()); }

 private:
  // Appends the records of several batches on a libuv worker thread; the
  // batches stay referenced (and so alive) until it is done.
  class AppendWorker : public PromiseWorker<NativeColumnBuilder> {
   public:
    using Spans = std::vector<std::pair<const std::uint8_t*, std::size_t>>;
    AppendWorker(NativeColumnBuilder& owner, const Napi::Array& batches, Spans spans)
        : PromiseWorker{owner, "databento:ColumnBuilder.append"},
          held_{Napi::Persistent(batches.As<Napi::Object>())},
          spans_{std::move(spans)} {}

   private:
    void Run() override {
      for (const auto& [data, size] : spans_) taken_ += owner_.builder_->Append(data, size);
    }
    Napi::Value Result(Napi::Env env) override { return Napi::Number::New(env, static_cast<double>(taken_)); }

    Napi::ObjectReference held_;
    Spans spans_;
    std::size_t taken_{};
  };
  friend class PromiseWorker<NativeColumnBuilder>;

  void WorkDone(Napi::Env env) {
    busy_ = false;
    UpdateMemory(env);
  }

  void CheckIdle(Napi::Env env) const {
    if (busy_) throw ToJsError(env, {ErrorFamily::Dbn, "BUSY", "the column builder is already appending", 0});
  }

  void UpdateMemory(Napi::Env env) {
    std::size_t bytes = 0;
    for (const auto& c : builder_->Columns()) bytes += c.width * builder_->Rows();
    memory_.Update(env, bytes);
  }

  // append(records): the number of records taken.
  Napi::Value Append(const Napi::CallbackInfo& info) {
    auto env = info.Env();
    CheckIdle(env);
    const auto [data, size] = BytesOf(info[0]);
    const std::size_t taken = builder_->Append(data, size);
    UpdateMemory(env);
    return Napi::Number::New(env, static_cast<double>(taken));
  }

  // appendAsync(batches: (ArrayBuffer | Uint8Array)[]): Promise<number>
  Napi::Value AppendAsync(const Napi::CallbackInfo& info) {
    CheckIdle(info.Env());
    const auto batches = info[0].As<Napi::Array>();
    AppendWorker::Spans spans;
    for (std::uint32_t i = 0; i < batches.Length(); ++i) spans.push_back(BytesOf(batches.Get(i)));
    auto* worker = new AppendWorker{*this, batches, std::move(spans)};
    busy_ = true;
    return worker->Start();
  }

  // columns(): [{ name, type, out, width }], empty while the layout is unknown.
  Napi::Value Columns(const Napi::CallbackInfo& info) {
    auto env = info.Env();
    CheckIdle(env);
    const auto& cols = builder_->Columns();
    auto arr = Napi::Array::New(env, cols.size());
    for (std::size_t i = 0; i < cols.size(); ++i) {
      auto o = Napi::Object::New(env);
      o.Set("name", cols[i].name);
      o.Set("type", KindName(cols[i].kind));
      o.Set("out", OutName(cols[i].out));
      o.Set("width", cols[i].width);
      arr.Set(static_cast<std::uint32_t>(i), o);
    }
    return arr;
  }

  // take(wanted?: boolean[]): { rows, buffers: (ArrayBuffer | undefined)[], symbols: string[] };
  // only the wanted columns (default all) are copied out; the rows are dropped.
  Napi::Value Take(const Napi::CallbackInfo& info) {
    auto env = info.Env();
    CheckIdle(env);
    const auto& cols = builder_->Columns();
    const std::size_t rows = builder_->Rows();
    const bool some = info.Length() > 0 && info[0].IsArray();
    const auto wanted = some ? info[0].As<Napi::Array>() : Napi::Array::New(env);
    auto buffers = Napi::Array::New(env, cols.size());
    for (std::size_t i = 0; i < cols.size(); ++i) {
      const auto index = static_cast<std::uint32_t>(i);
      if (some && !wanted.Get(index).ToBoolean().Value()) continue;
      buffers.Set(index, CopyToArrayBuffer(env, builder_->Data(i), rows * cols[i].width));
    }
    const auto& symbols = builder_->Symbols();
    auto dict = Napi::Array::New(env, symbols.size());
    for (std::size_t i = 0; i < symbols.size(); ++i) dict.Set(static_cast<std::uint32_t>(i), symbols[i]);
    auto out = Napi::Object::New(env);
    out.Set("rows", Napi::Number::New(env, static_cast<double>(rows)));
    out.Set("buffers", buffers);
    out.Set("symbols", dict);
    builder_->Clear();
    return out;
  }

  Napi::Value LayoutName(const Napi::CallbackInfo& info) {
    return Napi::String::New(info.Env(), columns::LayoutName(builder_->Layout()));
  }

  // reserve(rows): room for this many rows, so appending need not grow the columns.
  Napi::Value Reserve(const Napi::CallbackInfo& info) {
    CheckIdle(info.Env());
    const double rows = info[0].As<Napi::Number>().DoubleValue();
    if (rows > 0 && rows < 1e10) builder_->Reserve(static_cast<std::size_t>(rows));
    return info.Env().Undefined();
  }

  Napi::Value Skipped(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), static_cast<double>(builder_->Skipped()));
  }

  std::unique_ptr<ColumnBuilder> builder_;
  ExternalMemory memory_;
  bool busy_{false};
};

}  // namespace

void InitColumns(Napi::Env env, Napi::Object exports) {
  exports.Set("NativeColumnBuilder", NativeColumnBuilder::Define(env));
}

}  // namespace databento::node
