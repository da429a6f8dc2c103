#pragma once

// Conversions between JS values and the DBN core's options.

#include <napi.h>

#include <cstddef>

#include "databento/dbn_decoder.hpp"

namespace databento::node {

// The facade's decoder options (already validated) as the core's.
DbnDecoder::Options DecoderOptions(const Napi::Value& value);
// Argument `arg` as a batch size in bytes (at least one record), or the default.
std::size_t BatchBytes(const Napi::CallbackInfo& info, std::size_t arg);
// Sets inputVersion, outputVersion and tsOut on `target`.
void SetVersions(Napi::Object target, const DbnDecoder& d);

}  // namespace databento::node
