#include "databento/live_protocol.hpp"

#include <sys/utsname.h>

#include <algorithm>
#include <cctype>

#include "databento/live_error.hpp"
#include "databento/sha256.hpp"

namespace databento {
namespace {

void Invalid(const std::string& message) {
  throw LiveError{LiveErrorCode::InvalidArgument, message};
}

// Values travel inside `key=value|...` lines: no separators allowed.
bool HasSeparator(std::string_view s) {
  return s.find_first_of("|\n\r") != std::string_view::npos;
}

}  // namespace

std::string GatewayHost(std::string_view dataset) {
  std::string host;
  host.reserve(dataset.size() + 18);
  for (const char c : dataset) {
    host.push_back(c == '.' ? '-'
                            : static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  host += ".lsg.databento.com";
  return host;
}

std::string CramReply(std::string_view challenge, std::string_view key) {
  std::string challenge_key;
  challenge_key.reserve(challenge.size() + 1 + key.size());
  challenge_key.append(challenge).append("|").append(key);
  std::string reply = Sha256Hex(challenge_key);
  reply.push_back('-');
  reply.append(key.substr(key.size() >= kBucketIdLength ? key.size() - kBucketIdLength : 0));
  return reply;
}

std::string DefaultUserAgent() {
  std::string ua = "Databento/0.1.0 databento-core";
  utsname u{};
  if (::uname(&u) == 0) {
    ua.append(" ").append(u.sysname).append("/").append(u.release);
  }
  return ua;
}

void ValidateOptions(const LiveOptions& o) {
  if (o.key.size() != 32) Invalid("The API key must be 32 characters long");
  for (const char c : o.key) {
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f) {
      Invalid("The API key must be printable ASCII");
    }
  }
  if (o.dataset.empty() || HasSeparator(o.dataset)) {
    Invalid("The dataset must be a non-empty code such as GLBX.MDP3");
  }
  if (HasSeparator(o.gateway)) Invalid("Invalid gateway host");
  if (o.port == 0) Invalid("The gateway port must be 1..65535");
  if (o.heartbeat_interval_s &&
      (*o.heartbeat_interval_s < 5 || *o.heartbeat_interval_s > 1800)) {
    Invalid("heartbeat_interval_s must be between 5 and 1800");
  }
  if (o.compression != Compression::None && o.compression != Compression::Zstd) {
    Invalid("compression must be none or zstd");
  }
  if (o.slow_reader_behavior && *o.slow_reader_behavior != SlowReaderBehavior::Warn &&
      *o.slow_reader_behavior != SlowReaderBehavior::Skip) {
    Invalid("slow_reader_behavior must be warn or skip");
  }
  const auto p = static_cast<int>(o.upgrade_policy);
  if (p < 1 || p > 3) Invalid("Invalid upgrade policy");
  if (HasSeparator(o.user_agent)) Invalid("The user agent may not contain | or newlines");
  if (o.connect_timeout.count() <= 0 || o.auth_timeout.count() <= 0) {
    Invalid("Timeouts must be positive");
  }
}

void ValidateSubscription(const LiveSubscription& sub) {
  if (ToString(sub.schema).empty()) Invalid("Unknown schema");
  if (ToString(sub.stype_in).empty()) Invalid("Unknown stype_in");
  if (sub.symbols.empty()) Invalid("A subscription needs at least one symbol");
  for (const auto& s : sub.symbols) {
    if (s.empty() || HasSeparator(s) || s.find(',') != std::string::npos) {
      Invalid("Invalid symbol \"" + s + "\": symbols may not be empty or contain , | or newlines");
    }
  }
  if (sub.start) {
    if (sub.snapshot) Invalid("A subscription cannot have both a start and a snapshot");
    if (const auto* s = std::get_if<std::string>(&*sub.start)) {
      if (s->empty() || HasSeparator(*s)) Invalid("Invalid subscription start");
    }
  }
}

std::string AuthRequestLine(const LiveOptions& o, std::string_view challenge) {
  std::string line = "auth=" + CramReply(challenge, o.key);
  line += "|dataset=" + o.dataset;
  line += "|encoding=dbn";
  line += o.ts_out ? "|ts_out=1" : "|ts_out=0";
  line += "|compression=";
  line += ToString(o.compression);
  line += "|client=" + (o.user_agent.empty() ? DefaultUserAgent() : o.user_agent);
  if (o.heartbeat_interval_s) {
    line += "|heartbeat_interval_s=" + std::to_string(*o.heartbeat_interval_s);
  }
  if (o.slow_reader_behavior) {
    line += "|slow_reader_behavior=";
    line += ToString(*o.slow_reader_behavior);
  }
  line.push_back('\n');
  return line;
}

std::vector<std::string> SubscriptionLines(const LiveSubscription& sub, bool with_start) {
  // Token order as the C++ client: a nanosecond start comes before the id,
  // a string start after it.
  std::string head = "schema=";
  head.append(ToString(sub.schema));
  head += "|stype_in=";
  head.append(ToString(sub.stype_in));
  const std::string id = "|id=" + std::to_string(sub.id);
  if (with_start && sub.start) {
    if (const auto* ns = std::get_if<std::uint64_t>(&*sub.start)) {
      head += "|start=" + std::to_string(*ns) + id;
    } else {
      head += id + "|start=" + std::get<std::string>(*sub.start);
    }
  } else {
    head += id;
  }
  const char* snapshot = sub.snapshot ? "|snapshot=1" : "|snapshot=0";

  std::vector<std::string> lines;
  const std::size_t n = sub.symbols.size();
  for (std::size_t begin = 0; begin < n; begin += kSymbolMaxChunkSize) {
    const std::size_t end = std::min(n, begin + kSymbolMaxChunkSize);
    std::string line = head;
    line += "|symbols=";
    for (std::size_t i = begin; i < end; ++i) {
      if (i != begin) line.push_back(',');
      line += sub.symbols[i];
    }
    line += snapshot;
    line += end == n ? "|is_last=1\n" : "|is_last=0\n";
    lines.push_back(std::move(line));
  }
  return lines;
}

std::vector<std::pair<std::string, std::string>> ParseControlLine(std::string_view line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) {
    line.remove_suffix(1);
  }
  std::vector<std::pair<std::string, std::string>> out;
  while (!line.empty()) {
    const std::size_t bar = line.find('|');
    const std::string_view token = line.substr(0, bar);
    const std::size_t eq = token.find('=');
    if (eq == std::string_view::npos) {
      out.emplace_back(std::string{token}, std::string{});
    } else {
      out.emplace_back(std::string{token.substr(0, eq)}, std::string{token.substr(eq + 1)});
    }
    if (bar == std::string_view::npos) break;
    line.remove_prefix(bar + 1);
  }
  return out;
}

}  // namespace databento
