#include "util/live_convert.hpp"

#include <string>
#include <variant>

#include "util/batch.hpp"
#include "util/metadata_js.hpp"

namespace databento::node {
namespace {

std::string StringOption(const Napi::Object& o, const char* key) {
  const auto v = o.Get(key);
  return v.IsString() ? v.As<Napi::String>().Utf8Value() : std::string{};
}

}  // namespace

std::optional<double> NumberOption(const Napi::Object& o, const char* key) {
  const auto v = o.Get(key);
  if (!v.IsNumber()) return std::nullopt;
  return v.As<Napi::Number>().DoubleValue();
}

LiveOptions LiveOptionsFromJs(const Napi::Object& o) {
  LiveOptions opts;
  opts.key = StringOption(o, "key");
  opts.dataset = StringOption(o, "dataset");
  opts.gateway = StringOption(o, "gateway");
  if (auto port = NumberOption(o, "port")) opts.port = static_cast<std::uint16_t>(*port);
  opts.ts_out = o.Get("tsOut").ToBoolean().Value();
  if (auto c = NumberOption(o, "compression")) opts.compression = static_cast<Compression>(*c);
  if (auto hb = NumberOption(o, "heartbeatIntervalS")) {
    opts.heartbeat_interval_s = static_cast<std::uint32_t>(*hb);
  }
  if (auto srb = NumberOption(o, "slowReaderBehavior")) {
    opts.slow_reader_behavior = static_cast<SlowReaderBehavior>(*srb);
  }
  if (auto p = NumberOption(o, "upgradePolicy")) {
    opts.upgrade_policy = static_cast<VersionUpgradePolicy>(*p);
  }
  opts.user_agent = StringOption(o, "userAgent");
  if (auto ms = NumberOption(o, "connectTimeoutMs")) {
    opts.connect_timeout = std::chrono::milliseconds{static_cast<std::int64_t>(*ms)};
  }
  if (auto ms = NumberOption(o, "authTimeoutMs")) {
    opts.auth_timeout = std::chrono::milliseconds{static_cast<std::int64_t>(*ms)};
  }
  if (auto ms = NumberOption(o, "metadataTimeoutMs")) {
    opts.metadata_timeout = std::chrono::milliseconds{static_cast<std::int64_t>(*ms)};
  }
  return opts;
}

LiveSubscription SubscriptionFromJs(const Napi::Object& o) {
  LiveSubscription sub;
  sub.schema = static_cast<Schema>(o.Get("schema").As<Napi::Number>().Uint32Value());
  sub.stype_in = static_cast<SType>(o.Get("stypeIn").As<Napi::Number>().Uint32Value());
  const auto symbols = o.Get("symbols").As<Napi::Array>();
  sub.symbols.reserve(symbols.Length());
  for (std::uint32_t i = 0; i < symbols.Length(); ++i) {
    sub.symbols.push_back(symbols.Get(i).As<Napi::String>().Utf8Value());
  }
  const auto start = o.Get("start");
  if (start.IsBigInt()) {
    bool lossless = true;
    sub.start = LiveStart{start.As<Napi::BigInt>().Uint64Value(&lossless)};
  } else if (start.IsString()) {
    sub.start = LiveStart{start.As<Napi::String>().Utf8Value()};
  }
  sub.snapshot = o.Get("snapshot").ToBoolean().Value();
  return sub;
}

Napi::Array SubscriptionsToJs(Napi::Env env, const std::vector<LiveSubscription>& subs) {
  auto arr = Napi::Array::New(env, subs.size());
  for (std::size_t i = 0; i < subs.size(); ++i) {
    const auto& s = subs[i];
    auto o = Napi::Object::New(env);
    o.Set("id", s.id);
    o.Set("schema", static_cast<std::uint32_t>(s.schema));
    o.Set("stypeIn", static_cast<std::uint32_t>(s.stype_in));
    auto symbols = Napi::Array::New(env, s.symbols.size());
    for (std::size_t j = 0; j < s.symbols.size(); ++j) {
      symbols.Set(static_cast<std::uint32_t>(j), s.symbols[j]);
    }
    o.Set("symbols", symbols);
    if (s.start) {
      if (const auto* ns = std::get_if<std::uint64_t>(&*s.start)) {
        o.Set("start", Napi::BigInt::New(env, *ns));
      } else {
        o.Set("start", std::get<std::string>(*s.start));
      }
    }
    o.Set("snapshot", s.snapshot);
    arr.Set(static_cast<std::uint32_t>(i), o);
  }
  return arr;
}

Napi::Object LiveBatchToJs(Napi::Env env, const std::uint8_t* data, const RecordBatchInfo& info) {
  auto batch = MakeBatch(env, data, info.bytes, info.count);
  batch.Set("symbolMappings", Napi::Number::New(env, static_cast<double>(info.symbol_mappings)));
  return batch;
}

Napi::Object StartedToJs(Napi::Env env, const Metadata& md, std::uint8_t version, bool ts_out) {
  auto o = Napi::Object::New(env);
  o.Set("metadata", MetadataToJs(env, md));
  o.Set("version", version);
  o.Set("tsOut", ts_out);
  return o;
}

Napi::Value LastTsToJs(Napi::Env env, std::uint64_t ts) {
  if (ts == kUndefTimestamp) return env.Null();
  return Napi::BigInt::New(env, ts);
}

std::optional<std::chrono::milliseconds> TimeoutArg(const Napi::CallbackInfo& info, std::size_t i) {
  if (info.Length() <= i || !info[i].IsNumber()) return std::nullopt;
  const double ms = info[i].As<Napi::Number>().DoubleValue();
  if (!(ms >= 0)) return std::nullopt;
  return std::chrono::milliseconds{static_cast<std::int64_t>(ms)};
}

}  // namespace databento::node
