#pragma once

// The text half of the live gateway protocol: options and subscriptions, the
// lines the client sends, and the lines it parses. Pure functions, no I/O, so
// every byte on the wire can be unit-tested.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "databento/enums.hpp"

namespace databento {

inline constexpr std::uint16_t kLiveDefaultPort = 13000;
// Symbols per subscription line, as every official client chunks them.
inline constexpr std::size_t kSymbolMaxChunkSize = 500;
// Heartbeat interval the gateway uses when the client does not set one.
inline constexpr std::uint32_t kDefaultHeartbeatIntervalS = 30;
// The client gives up when nothing arrived for the interval plus this margin.
inline constexpr std::uint32_t kHeartbeatTimeoutMarginS = 5;
// Longest control line accepted from the gateway.
inline constexpr std::size_t kMaxControlLineLen = 64 * 1024;

// Options of a live session.
struct LiveOptions {
  std::string key;      // 32-character API key; never sent, never logged
  std::string dataset;  // e.g. "GLBX.MDP3"
  std::string gateway;  // empty: derived from the dataset (GatewayHost)
  std::uint16_t port{kLiveDefaultPort};
  bool ts_out{false};
  Compression compression{Compression::None};
  std::optional<std::uint32_t> heartbeat_interval_s;  // 5..1800; sent only if set
  std::optional<SlowReaderBehavior> slow_reader_behavior;  // sent only if set
  VersionUpgradePolicy upgrade_policy{VersionUpgradePolicy::UpgradeToV3};
  std::string user_agent;  // the `client=` value; empty: DefaultUserAgent()
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds auth_timeout{30000};
  // How long Start() waits for the whole metadata header, however slowly
  // its bytes arrive.
  std::chrono::milliseconds metadata_timeout{10000};
};

// The intraday replay start of a subscription: UNIX nanoseconds, or a string
// (e.g. ISO 8601) passed to the gateway verbatim.
using LiveStart = std::variant<std::uint64_t, std::string>;

struct LiveSubscription {
  Schema schema{Schema::Mbo};
  SType stype_in{SType::RawSymbol};
  std::vector<std::string> symbols;
  std::optional<LiveStart> start;
  bool snapshot{false};
  std::uint32_t id{};  // assigned by the session
};

// `GLBX.MDP3` → `glbx-mdp3.lsg.databento.com`.
std::string GatewayHost(std::string_view dataset);

// Characters at the end of the key that name its bucket.
constexpr std::size_t kBucketIdLength = 5;

// The `auth=` value: SHA-256 hex of "<challenge>|<key>", a dash, and the
// key's last kBucketIdLength characters (its bucket id).
std::string CramReply(std::string_view challenge, std::string_view key);

// `Databento/<core> databento-core Linux/<release>` for C++ users.
std::string DefaultUserAgent();

// Throws LiveError(InvalidArgument) for options the protocol cannot carry.
void ValidateOptions(const LiveOptions& options);
// Throws LiveError(InvalidArgument) for a subscription that cannot be sent.
void ValidateSubscription(const LiveSubscription& sub);

// The authentication request line (with its trailing newline), fields in the
// official C++ client's order.
std::string AuthRequestLine(const LiveOptions& options, std::string_view challenge);

// The subscription's lines (each ending in a newline): symbols chunked by
// kSymbolMaxChunkSize, every chunk repeating the other fields, is_last=1 on
// the final one. `with_start` false drops the start (resubscription).
std::vector<std::string> SubscriptionLines(const LiveSubscription& sub,
                                           bool with_start = true);

// Splits `a=1|b=2` into key/value pairs (a token without `=` has an empty
// value). A trailing newline is ignored.
std::vector<std::pair<std::string, std::string>> ParseControlLine(std::string_view line);

}  // namespace databento
