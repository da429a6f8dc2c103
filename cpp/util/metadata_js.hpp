#pragma once

#include <napi.h>

#include "databento/metadata.hpp"

namespace databento::node {

// Metadata as a JS object with the wire values (numbers, bigints for u64,
// YYYYMMDD dates); the facade turns them into names and ISO dates.
Napi::Object MetadataToJs(Napi::Env env, const Metadata& md);
Metadata MetadataFromJs(const Napi::Object& obj);

}  // namespace databento::node
