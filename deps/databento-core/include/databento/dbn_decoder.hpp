#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "databento/byte_buffer.hpp"
#include "databento/dbn_error.hpp"
#include "databento/enums.hpp"
#include "databento/metadata.hpp"

namespace databento {

class ZstdDecompressor;

// A push decoder for DBN streams: bytes go in with Write() in chunks split
// anywhere (mid-header, mid-record, mid-zstd-frame), whole records come out
// of ReadRecords(), upgraded to the version the policy asks for.
//
// The input kind is detected from its first bytes: plain DBN, a
// zstd-compressed DBN stream (one or several frames), or, for fragments,
// bare records (plain or zstd). Legacy DBZ is refused with LegacyDbz.
//
// Memory is bounded whatever the input claims: zstd input is decompressed
// only as far as the records asked for (at most kDecodeAheadBytes ahead),
// and a metadata header longer than max_metadata_bytes is refused from its
// length field, before any of it is buffered.
class DbnDecoder {
 public:
  // Default cap of the metadata header: room for about 1.7 million
  // instruments with one mapping interval each (v2/v3, 71-byte symbols).
  static constexpr std::size_t kDefaultMaxMetadataBytes = 256u << 20;
  // How far ahead of the reader zstd input is decompressed: Write()
  // decompresses up to this much (so a worker thread does the work), and
  // each read tops the buffer up to it again.
  static constexpr std::size_t kDecodeAheadBytes = 4u << 20;

  struct Options {
    VersionUpgradePolicy upgrade_policy{VersionUpgradePolicy::UpgradeToV3};
    // False for record-only fragments: the input has no metadata header and
    // its records are in `fragment_version`'s layout.
    bool has_metadata{true};
    std::uint8_t fragment_version{kDbnVersion};
    bool fragment_ts_out{false};
    // Longest metadata header accepted (MetadataTooLarge beyond it).
    std::size_t max_metadata_bytes{kDefaultMaxMetadataBytes};
  };

  // Largest record ReadRecords can hand out: 255 words.
  static constexpr std::size_t kMaxRecordBytes = 255 * 4;

  explicit DbnDecoder(Options options);
  ~DbnDecoder();
  DbnDecoder(const DbnDecoder&) = delete;
  DbnDecoder& operator=(const DbnDecoder&) = delete;

  // Feeds input. May throw DbnError for input that cannot be DBN (bad magic,
  // unsupported version, corrupt or oversized header, corrupt zstd data).
  // zstd input is decompressed up to kDecodeAheadBytes here; the rest is
  // kept compressed until ReadRecords needs it.
  void Write(const std::uint8_t* data, std::size_t size);

  // Declares the end of input; call it once ReadRecords has returned 0.
  // Throws TruncatedHeader / TruncatedRecord when the input stopped inside
  // the header, a record or a zstd frame, and BadArgument when records are
  // still unread.
  void Finish();

  // The metadata, once its header has been fully written; upgraded to the
  // output version (version, symbol_cstr_len). Always empty for fragments.
  const std::optional<Metadata>& GetMetadata() const { return metadata_; }

  // Copies as many whole records as fit into dst (capacity must be at least
  // kMaxRecordBytes) and returns the bytes written; `count` receives the
  // number of records. Returns 0 when no whole record is buffered. A record
  // that is invalid (length under 16 bytes, or a known rtype shorter than its
  // layout in the stream's DBN version) throws BadRecordLength, but only once
  // every valid record before it has been handed out (a reader never gets a
  // record whose fields would lie beyond its end); so does corrupt zstd data
  // met while decompressing for this call (ZstdCorrupt).
  std::size_t ReadRecords(std::uint8_t* dst, std::size_t capacity,
                          std::size_t* count);

  // The bytes ReadRecords would write with this capacity, without reading:
  // lets a caller allocate the exact destination first. Stops before an
  // invalid record instead of throwing.
  // Decompresses what that read will need first.
  std::size_t MeasureRecords(std::size_t capacity, std::size_t* count);

  // The DBN version of the records as they arrive, and as handed out.
  // Known once the metadata is parsed (fragments: from the options).
  std::uint8_t InputVersion() const { return input_version_; }
  std::uint8_t OutputVersion() const { return output_version_; }
  bool TsOut() const { return ts_out_; }
  bool HeaderDone() const { return state_ == State::Records; }
  // Whether the input is zstd-compressed (known once the header is done).
  bool Compressed() const { return zstd_ != nullptr; }

  // Native memory held (buffers and the zstd stream), approximately.
  std::size_t MemoryFootprint() const;

  // Bytes of decoded (decompressed) stream consumed so far.
  std::uint64_t Position() const { return consumed_ + pos_; }

 private:
  enum class State : std::uint8_t { Detect, Header, Records };

  void WriteImpl(const std::uint8_t* data, std::size_t size);
  void Append(const std::uint8_t* data, std::size_t size);
  bool InputPending() const;
  // Decompresses until `target` decoded bytes are unread or input runs out.
  void Inflate(std::size_t target);
  // Inflate for a read of `capacity`; a zstd error is kept for later so the
  // records decoded before it are handed out first.
  void Refill(std::size_t capacity);
  void Detect();
  void ParseHeader();
  void SetVersions(std::uint8_t input_version, bool ts_out);
  void Compact();
  // The record walk shared by ReadRecords (kCopy) and MeasureRecords.
  template <bool kCopy>
  std::size_t Walk(std::uint8_t* dst, std::size_t capacity, std::size_t* count,
                   std::size_t* end_pos, std::string* error) const;

  Options options_;
  State state_{State::Detect};
  std::unique_ptr<ZstdDecompressor> zstd_;
  std::vector<std::uint8_t> detect_;  // first bytes, until the kind is known
  ByteBuffer input_;                  // zstd input not yet decompressed
  std::size_t input_pos_{};           // read position in input_
  bool zstd_full_{};                  // last step filled its output: more may wait
  ByteBuffer buf_;                    // decoded stream not yet handed out
  std::size_t pos_{};                 // read position in buf_
  std::uint64_t consumed_{};          // decoded bytes dropped from buf_
  std::optional<Metadata> metadata_;
  std::uint8_t input_version_{};
  std::uint8_t output_version_{};
  bool ts_out_{};
  bool upgrades_{};  // some rtypes of this stream change layout
  // rtype -> least record length its input layout needs (0: unknown rtype).
  std::array<std::uint16_t, 256> min_length_{};
  std::optional<DbnError> failure_;  // set once decoding failed: input is over
  bool failure_due_{};  // failure_ arose in a read: ReadRecords throws it
};

// Parses a complete metadata header (`data` starts with "DBN"). `size` must
// cover the whole header; used by the decoder and by tests.
Metadata DecodeMetadata(const std::uint8_t* data, std::size_t size);

}  // namespace databento
