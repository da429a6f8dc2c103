#include "util/dbn_convert.hpp"

#include "util/batch.hpp"

namespace databento::node {

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

}  // namespace databento::node
