#pragma once

// Conversions between JS values and the live core's types. The facade
// (lib/live) validates every option before calling in.

#include <napi.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

#include "databento/live_blocking.hpp"

namespace databento::node {

LiveOptions LiveOptionsFromJs(const Napi::Object& o);
LiveSubscription SubscriptionFromJs(const Napi::Object& o);
Napi::Array SubscriptionsToJs(Napi::Env env, const std::vector<LiveSubscription>& subs);

// { buffer, count, symbolMappings }: one V8 ArrayBuffer with the records.
Napi::Object LiveBatchToJs(Napi::Env env, const std::uint8_t* data, const RecordBatchInfo& info);
// { metadata, version, tsOut }: what the facade needs to read the records.
Napi::Object StartedToJs(Napi::Env env, const Metadata& md, std::uint8_t version, bool ts_out);
// The last ts_event seen as a bigint, or null.
Napi::Value LastTsToJs(Napi::Env env, std::uint64_t ts);
// Argument i as a timeout; none when absent, negative or NaN.
std::optional<std::chrono::milliseconds> TimeoutArg(const Napi::CallbackInfo& info, std::size_t i);
// Option `key` of `o` when it is a number.
std::optional<double> NumberOption(const Napi::Object& o, const char* key);

}  // namespace databento::node
