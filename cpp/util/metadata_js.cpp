#include "util/metadata_js.hpp"

#include "databento/dbn_error.hpp"

namespace databento::node {
namespace {

Napi::Array Strings(Napi::Env env, const std::vector<std::string>& list) {
  auto arr = Napi::Array::New(env, list.size());
  for (std::size_t i = 0; i < list.size(); ++i) {
    arr.Set(static_cast<std::uint32_t>(i), Napi::String::New(env, list[i]));
  }
  return arr;
}

std::vector<std::string> StringsFrom(const Napi::Object& obj,
                                     const char* key) {
  std::vector<std::string> out;
  if (!obj.Has(key)) return out;
  auto arr = obj.Get(key).As<Napi::Array>();
  out.reserve(arr.Length());
  for (std::uint32_t i = 0; i < arr.Length(); ++i) {
    out.push_back(arr.Get(i).As<Napi::String>().Utf8Value());
  }
  return out;
}

std::uint64_t U64(const Napi::Object& obj, const char* key,
                  std::uint64_t fallback) {
  if (!obj.Has(key)) return fallback;
  bool lossless = true;
  return obj.Get(key).As<Napi::BigInt>().Uint64Value(&lossless);
}

double Num(const Napi::Object& obj, const char* key, double fallback) {
  if (!obj.Has(key)) return fallback;
  return obj.Get(key).As<Napi::Number>().DoubleValue();
}

}  // namespace

Napi::Object MetadataToJs(Napi::Env env, const Metadata& md) {
  auto o = Napi::Object::New(env);
  o.Set("version", md.version);
  o.Set("dataset", md.dataset);
  o.Set("schema", md.schema);
  o.Set("start", Napi::BigInt::New(env, md.start));
  o.Set("end", Napi::BigInt::New(env, md.end));
  o.Set("limit", Napi::BigInt::New(env, md.limit));
  o.Set("stype_in", md.stype_in);
  o.Set("stype_out", md.stype_out);
  o.Set("ts_out", md.ts_out);
  o.Set("symbol_cstr_len", md.symbol_cstr_len);
  o.Set("symbols", Strings(env, md.symbols));
  o.Set("partial", Strings(env, md.partial));
  o.Set("not_found", Strings(env, md.not_found));
  auto mappings = Napi::Array::New(env, md.mappings.size());
  for (std::size_t i = 0; i < md.mappings.size(); ++i) {
    const auto& m = md.mappings[i];
    auto mo = Napi::Object::New(env);
    mo.Set("raw_symbol", m.raw_symbol);
    auto ivs = Napi::Array::New(env, m.intervals.size());
    for (std::size_t j = 0; j < m.intervals.size(); ++j) {
      const auto& iv = m.intervals[j];
      auto io = Napi::Object::New(env);
      io.Set("start_date", iv.start_date);
      io.Set("end_date", iv.end_date);
      io.Set("symbol", iv.symbol);
      ivs.Set(static_cast<std::uint32_t>(j), io);
    }
    mo.Set("intervals", ivs);
    mappings.Set(static_cast<std::uint32_t>(i), mo);
  }
  o.Set("mappings", mappings);
  return o;
}

Metadata MetadataFromJs(const Napi::Object& o) {
  Metadata md;
  md.version = static_cast<std::uint8_t>(Num(o, "version", 3));
  md.dataset = o.Get("dataset").As<Napi::String>().Utf8Value();
  md.schema = static_cast<std::uint16_t>(Num(o, "schema", 0xFFFF));
  md.start = U64(o, "start", 0);
  md.end = U64(o, "end", UINT64_MAX);
  md.limit = U64(o, "limit", 0);
  md.stype_in = static_cast<std::uint8_t>(Num(o, "stype_in", 0xFF));
  md.stype_out = static_cast<std::uint8_t>(Num(o, "stype_out", 0xFF));
  md.ts_out = o.Has("ts_out") && o.Get("ts_out").ToBoolean().Value();
  md.symbol_cstr_len = static_cast<std::uint16_t>(Num(o, "symbol_cstr_len", 0));
  md.symbols = StringsFrom(o, "symbols");
  md.partial = StringsFrom(o, "partial");
  md.not_found = StringsFrom(o, "not_found");
  if (o.Has("mappings")) {
    auto arr = o.Get("mappings").As<Napi::Array>();
    for (std::uint32_t i = 0; i < arr.Length(); ++i) {
      auto mo = arr.Get(i).As<Napi::Object>();
      SymbolMapping m;
      m.raw_symbol = mo.Get("raw_symbol").As<Napi::String>().Utf8Value();
      auto ivs = mo.Get("intervals").As<Napi::Array>();
      for (std::uint32_t j = 0; j < ivs.Length(); ++j) {
        auto io = ivs.Get(j).As<Napi::Object>();
        m.intervals.push_back(MappingInterval{
            static_cast<std::uint32_t>(Num(io, "start_date", 0)),
            static_cast<std::uint32_t>(Num(io, "end_date", 0)),
            io.Get("symbol").As<Napi::String>().Utf8Value()});
      }
      md.mappings.push_back(std::move(m));
    }
  }
  return md;
}

}  // namespace databento::node
