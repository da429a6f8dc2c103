#pragma once

#include <cstddef>
#include <cstdint>

namespace databento {

// Whether a record of `rtype` in `from` version's layout changes when
// converted to `to` (to > from).
bool RecordChangesLayout(std::uint8_t rtype, std::uint8_t from, std::uint8_t to);

// Size in bytes of the record body (without ts_out) of `rtype` in `version`'s
// layout, for the rtypes whose layout changes between versions; 0 otherwise.
std::size_t VersionedRecordSize(std::uint8_t rtype, std::uint8_t version);

// Converts one record from `from` to `to`'s layout into `dst` (room for at
// least 1024 bytes) and returns its size. `src` holds `src_len` bytes (its
// hd.length), of which the last 8 are the ts_out suffix when `ts_out`.
// The caller has checked that src_len covers the `from` layout.
std::size_t UpgradeRecord(const std::uint8_t* src, std::size_t src_len,
                          std::uint8_t from, std::uint8_t to, bool ts_out,
                          std::uint8_t* dst);

}  // namespace databento
