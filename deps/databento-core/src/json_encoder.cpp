// JSON lines as the `dbn` crate writes them with the json-writer crate:
// header fields nested under "hd", level arrays under "levels", 64-bit values
// as strings, nulls for NUL chars and (pretty) undefined values
// (shared/spec/text-formats.md §2, §5). kIndent gives the 4-space layout of
// the dbn CLI's --pretty.

#include <cstring>

#include "text_writers.hpp"

namespace databento::text {
namespace {

template <std::size_t N>
DBN_TEXT_INLINE char* WriteName(char* p, const char (&name)[N]) {
  *p++ = '"';
  std::memcpy(p, name, N - 1);
  p += N - 1;
  *p++ = '"';
  return p;
}

DBN_TEXT_INLINE char* WriteNull(char* p) {
  std::memcpy(p, "null", 4);
  return p + 4;
}

// Each method loads the output pointer into a local and stores it back once:
// byte stores through a char* could alias a member, which would force a
// reload after every byte.
template <bool kIndent>
class JsonRecord {
 public:
  JsonRecord(char* p, TextStyle& style) : p_{p}, style_{style} { *p_++ = '{'; }

  template <std::size_t N>
  DBN_TEXT_INLINE void Ts(const char (&name)[N], std::uint64_t v) {
    char* p = Key(name);
    if (!style_.pretty_ts) {
      *p++ = '"';
      p = WriteInt(p, v);
      *p++ = '"';
    } else if (v != 0 && v != kUndefTimestamp) {
      *p++ = '"';
      p = style_.timestamps.Write(p, v);
      *p++ = '"';
    } else {
      p = WriteNull(p);
    }
    End(p);
  }
  template <std::size_t N>
  DBN_TEXT_INLINE void Px(const char (&name)[N], std::int64_t v) {
    char* p = Key(name);
    if (!style_.pretty_px) {
      *p++ = '"';
      p = WriteInt(p, v);
      *p++ = '"';
    } else if (v != kUndefPrice) {
      *p++ = '"';
      p = WritePrice(p, v);
      *p++ = '"';
    } else {
      p = WriteNull(p);
    }
    End(p);
  }
  template <std::size_t N, class T>
  DBN_TEXT_INLINE void Wide(const char (&name)[N], T v) {
    char* p = Key(name);
    *p++ = '"';
    p = WriteInt(p, v);
    *p++ = '"';
    End(p);
  }
  template <std::size_t N, class T>
  DBN_TEXT_INLINE void Int(const char (&name)[N], T v) {
    End(WriteInt(Key(name), v));
  }
  // escape_default text in quotes, not escaped further (faithfully).
  template <std::size_t N>
  DBN_TEXT_INLINE void Char(const char (&name)[N], char c) {
    char* p = Key(name);
    if (c == 0) {
      p = WriteNull(p);
    } else {
      *p++ = '"';
      p = EscapeChar(p, static_cast<std::uint8_t>(c));
      *p++ = '"';
    }
    End(p);
  }
  // A v1/v2 enum byte: a one-character JSON string.
  template <std::size_t N>
  void RawChar(const char (&name)[N], char c) {
    const auto b = static_cast<std::uint8_t>(c);
    char utf8[2] = {c, 0};
    std::size_t n = 1;
    if (b >= 0x80) {
      utf8[0] = static_cast<char>(0xC0 | (b >> 6));
      utf8[1] = static_cast<char>(0x80 | (b & 0x3F));
      n = 2;
    }
    String(Key(name), utf8, n);
  }
  template <std::size_t N>
  void Str(const char (&name)[N], const char* s, std::size_t cap) {
    String(Key(name), s, CStrLength(s, cap));
  }

  void BeginHeader() { Open("hd", '{'); }
  void EndHeader() { Close('}'); }
  void BeginLevels(std::size_t) { Open("levels", '['); }
  void BeginLevel(std::size_t) {
    if constexpr (kIndent) {
      if (!first_) *p_++ = ',';
      p_ = Newline(p_, depth_);
      *p_++ = '{';
      ++depth_;
      first_ = true;
    } else {
      *p_++ = '{';
    }
  }
  void EndLevel() { Close('}'); }
  void EndLevels() { Close(']'); }

  char* Finish(const Suffix& suffix) {
    if (suffix.has_ts_out) Ts("ts_out", suffix.ts_out);
    if (suffix.has_symbol) {
      char* p = Key("symbol");
      if (suffix.symbol == nullptr) {
        End(WriteNull(p));
      } else {
        String(p, suffix.symbol->data(), suffix.symbol->size());
      }
    }
    char* p = p_;
    if constexpr (kIndent) {
      p = Newline(p, 0);
      *p++ = '}';
    } else {
      p[-1] = '}';  // the trailing comma
    }
    *p++ = '\n';
    return p;
  }

 private:
  // Compact output writes "key":value, and lets each close replace the
  // trailing comma; indented output tracks depth and first keys instead.
  template <std::size_t N>
  DBN_TEXT_INLINE char* Key(const char (&name)[N]) {
    char* p = p_;
    if constexpr (kIndent) {
      if (!first_) *p++ = ',';
      first_ = false;
      p = Newline(p, depth_);
    }
    p = WriteName(p, name);
    *p++ = ':';
    if constexpr (kIndent) *p++ = ' ';
    return p;
  }
  DBN_TEXT_INLINE void End(char* p) {
    if constexpr (!kIndent) *p++ = ',';
    p_ = p;
  }
  void String(char* p, const char* s, std::size_t n) {
    *p++ = '"';
    p = EscapeJson(p, s, n);
    *p++ = '"';
    End(p);
  }
  template <std::size_t N>
  void Open(const char (&name)[N], char bracket) {
    char* p = Key(name);
    *p++ = bracket;
    p_ = p;
    if constexpr (kIndent) {
      ++depth_;
      first_ = true;
    }
  }
  void Close(char bracket) {
    if constexpr (kIndent) {
      --depth_;
      p_ = Newline(p_, depth_);
      *p_++ = bracket;
      first_ = false;
    } else {
      p_[-1] = bracket;
      *p_++ = ',';
    }
  }
  static char* Newline(char* p, int depth) {
    *p++ = '\n';
    std::memset(p, ' ', static_cast<std::size_t>(depth) * 4);
    return p + depth * 4;
  }

  char* p_;
  TextStyle& style_;
  int depth_{1};
  bool first_{true};
};

}  // namespace

char* WriteJsonRecord(char* p, Layout layout, const std::uint8_t* rec, TextStyle& style,
                      const Suffix& suffix) {
  JsonRecord<false> json{p, style};
  VisitRecord(layout, rec, json);
  return json.Finish(suffix);
}

char* WriteIndentedJsonRecord(char* p, Layout layout, const std::uint8_t* rec,
                              TextStyle& style, const Suffix& suffix) {
  JsonRecord<true> json{p, style};
  VisitRecord(layout, rec, json);
  return json.Finish(suffix);
}

}  // namespace databento::text
