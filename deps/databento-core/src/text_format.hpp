#pragma once

// Value formatting shared by the CSV and JSON encoders: integers, fixed-point
// prices and UNIX-ns timestamps as text, and the two escapers of the `dbn`
// crate (shared/spec/text-formats.md §2). Every writer takes a pointer into a
// buffer the caller has reserved and returns the new end.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "databento/enums.hpp"

namespace databento::text {

// Forced inlining of the per-field writers pays only in optimized builds; in
// unoptimized (sanitizer) builds it would only bloat the objects.
#if defined(__OPTIMIZE__)
#define DBN_TEXT_INLINE [[gnu::always_inline]] inline
#else
#define DBN_TEXT_INLINE inline
#endif

// "00" .. "99": integers are written two digits at a time.
inline constexpr char kDigitPairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

DBN_TEXT_INLINE char* WritePair(char* p, std::uint32_t v) {
  std::memcpy(p, kDigitPairs + 2 * v, 2);
  return p + 2;
}

// Exactly eight digits, zero-padded.
DBN_TEXT_INLINE char* WriteEightDigits(char* p, std::uint32_t v) {
  const std::uint32_t hi = v / 10000;
  const std::uint32_t lo = v % 10000;
  WritePair(p, hi / 100);
  WritePair(p + 2, hi % 100);
  WritePair(p + 4, lo / 100);
  WritePair(p + 6, lo % 100);
  return p + 8;
}

// v < 1e8, without leading zeros.
DBN_TEXT_INLINE char* WriteSmall(char* p, std::uint32_t v) {
  const int n = v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : v < 10000 ? 4 : v < 100000 ? 5 : v < 1000000 ? 6 : v < 10000000 ? 7 : 8;
  char* end = p + n;
  char* q = end;
  while (v >= 100) {
    q -= 2;
    WritePair(q, v % 100);
    v /= 100;
  }
  if (v >= 10) {
    WritePair(q - 2, v);
  } else {
    q[-1] = static_cast<char>('0' + v);
  }
  return end;
}

DBN_TEXT_INLINE char* WriteU64(char* p, std::uint64_t v) {
  constexpr std::uint64_t k8 = 100000000ULL;
  if (v < k8) return WriteSmall(p, static_cast<std::uint32_t>(v));
  if (v < k8 * k8) {
    p = WriteSmall(p, static_cast<std::uint32_t>(v / k8));
    return WriteEightDigits(p, static_cast<std::uint32_t>(v % k8));
  }
  p = WriteSmall(p, static_cast<std::uint32_t>(v / (k8 * k8)));
  p = WriteEightDigits(p, static_cast<std::uint32_t>(v / k8 % k8));
  return WriteEightDigits(p, static_cast<std::uint32_t>(v % k8));
}

template <class T>
DBN_TEXT_INLINE char* WriteInt(char* p, T v) {
  if constexpr (std::is_signed_v<T>) {
    auto abs = static_cast<std::uint64_t>(static_cast<std::int64_t>(v));
    if (v < 0) {
      *p++ = '-';
      abs = 0 - abs;
    }
    return WriteU64(p, abs);
  } else {
    return WriteU64(p, static_cast<std::uint64_t>(v));
  }
}

// Exactly nine digits, zero-padded.
DBN_TEXT_INLINE char* WriteNineDigits(char* p, std::uint32_t v) {
  *p++ = static_cast<char>('0' + v / 100000000);
  return WriteEightDigits(p, v % 100000000);
}

DBN_TEXT_INLINE char* WriteTwoDigits(char* p, std::uint32_t v) { return WritePair(p, v); }

// A fixed-point price as a decimal with nine fraction digits, by integer
// arithmetic: -100000 -> "-0.000100000".
DBN_TEXT_INLINE char* WritePrice(char* p, std::int64_t v) {
  std::uint64_t abs = static_cast<std::uint64_t>(v);
  if (v < 0) {
    *p++ = '-';
    abs = 0 - abs;
  }
  p = WriteU64(p, abs / 1000000000U);
  *p++ = '.';
  return WriteNineDigits(p, static_cast<std::uint32_t>(abs % 1000000000U));
}

// Days since 1970-01-01 to a civil date (proleptic Gregorian).
inline void CivilFromDays(std::int64_t z, int* year, unsigned* month, unsigned* day) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *day = doy - (153 * mp + 2) / 5 + 1;
  *month = mp < 10 ? mp + 3 : mp - 9;
  *year = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (*month <= 2));
}

// A civil date to days since 1970-01-01.
inline std::int64_t DaysFromCivil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

inline constexpr std::uint64_t kNanosPerDay = 86400ULL * 1000000000ULL;

// UNIX ns as "YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ". Remembers the last day's
// date text: consecutive records almost always share it.
class TimestampWriter {
 public:
  char* Write(char* p, std::uint64_t ts) {
    const std::uint64_t day = ts / kNanosPerDay;
    if (day != day_) SetDay(day);
    std::memcpy(p, date_, sizeof date_);
    p += sizeof date_;
    const std::uint64_t in_day = ts % kNanosPerDay;
    const auto secs = static_cast<std::uint32_t>(in_day / 1000000000U);
    p = WriteTwoDigits(p, secs / 3600);
    *p++ = ':';
    p = WriteTwoDigits(p, secs / 60 % 60);
    *p++ = ':';
    p = WriteTwoDigits(p, secs % 60);
    *p++ = '.';
    p = WriteNineDigits(p, static_cast<std::uint32_t>(in_day % 1000000000U));
    *p++ = 'Z';
    return p;
  }

 private:
  void SetDay(std::uint64_t day) {
    int y;
    unsigned m, d;
    CivilFromDays(static_cast<std::int64_t>(day), &y, &m, &d);
    char* p = date_;
    p = WriteTwoDigits(p, static_cast<std::uint32_t>(y / 100));
    p = WriteTwoDigits(p, static_cast<std::uint32_t>(y % 100));
    *p++ = '-';
    p = WriteTwoDigits(p, m);
    *p++ = '-';
    p = WriteTwoDigits(p, d);
    *p = 'T';
    day_ = day;
  }

  std::uint64_t day_{UINT64_MAX};
  char date_[11]{};
};

// Rust's `escape_default` of one c_char byte (the text of C fields, CSV and
// JSON alike).
inline char* EscapeChar(char* p, std::uint8_t c) {
  static constexpr char kHex[] = "0123456789abcdef";
  switch (c) {
    case '\t': *p++ = '\\'; *p++ = 't'; return p;
    case '\r': *p++ = '\\'; *p++ = 'r'; return p;
    case '\n': *p++ = '\\'; *p++ = 'n'; return p;
    case '\'':
    case '"':
    case '\\': *p++ = '\\'; *p++ = static_cast<char>(c); return p;
    default:
      if (c >= 0x20 && c <= 0x7E) {
        *p++ = static_cast<char>(c);
      } else {
        *p++ = '\\';
        *p++ = 'x';
        *p++ = kHex[c >> 4];
        *p++ = kHex[c & 15];
      }
      return p;
  }
}

// The json-writer crate's string escaping (note `/` -> `\/`); bytes >= 0x80
// are copied as they are.
inline char* EscapeJson(char* p, const char* s, std::size_t n) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<std::uint8_t>(s[i]);
    switch (c) {
      case '"': *p++ = '\\'; *p++ = '"'; break;
      case '\\': *p++ = '\\'; *p++ = '\\'; break;
      case '/': *p++ = '\\'; *p++ = '/'; break;
      case 0x08: *p++ = '\\'; *p++ = 'b'; break;
      case 0x0C: *p++ = '\\'; *p++ = 'f'; break;
      case '\n': *p++ = '\\'; *p++ = 'n'; break;
      case '\r': *p++ = '\\'; *p++ = 'r'; break;
      case '\t': *p++ = '\\'; *p++ = 't'; break;
      default:
        if (c < 0x20) {
          std::memcpy(p, "\\u00", 4);
          p[4] = kHex[c >> 4];
          p[5] = kHex[c & 15];
          p += 6;
        } else {
          *p++ = static_cast<char>(c);
        }
    }
  }
  return p;
}

// Whether `s` is well-formed UTF-8 (ASCII fast path).
bool IsUtf8(const char* s, std::size_t n);

// The text of a fixed NUL-terminated char array: the bytes before the first
// NUL, or empty when there is no NUL or the bytes are not UTF-8 (as the
// `dbn` crate's c_chars_to_str fails).
inline std::size_t CStrLength(const char* s, std::size_t cap) {
  const void* nul = std::memchr(s, 0, cap);
  if (nul == nullptr) return 0;
  const auto n = static_cast<std::size_t>(static_cast<const char*>(nul) - s);
  return IsUtf8(s, n) ? n : 0;
}

// Bytes a CSV/JSON rendering of `n` source bytes can take at most.
inline constexpr std::size_t EscapedBound(std::size_t n) { return 6 * n + 2; }

}  // namespace databento::text
