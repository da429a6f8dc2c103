// CSV/TSV rows and header rows as the `dbn` crate writes them: minimal
// quoting, LF endings, pretty values empty where undefined
// (shared/spec/text-formats.md §2, §4).

#include <cstring>

#include "text_writers.hpp"

namespace databento::text {

namespace {

// A field quoted only when it holds the delimiter, a quote, CR or LF.
char* WriteCsvText(char* p, const char* s, std::size_t n, char delimiter) {
  bool quote = false;
  for (std::size_t i = 0; i < n; ++i) {
    const char c = s[i];
    if (c == delimiter || c == '"' || c == '\r' || c == '\n') {
      quote = true;
      break;
    }
  }
  if (!quote) {
    std::memcpy(p, s, n);
    return p + n;
  }
  *p++ = '"';
  for (std::size_t i = 0; i < n; ++i) {
    if (s[i] == '"') *p++ = '"';
    *p++ = s[i];
  }
  *p++ = '"';
  return p;
}

// Writes each field followed by the delimiter; the row's last delimiter
// becomes the line feed. Methods work on a local copy of the output pointer
// (char stores may alias members, which would force reloads).
class CsvRow {
 public:
  CsvRow(char* p, TextStyle& style) : p_{p}, style_{style}, delim_{style.delimiter} {}

  template <std::size_t N>
  DBN_TEXT_INLINE void Ts(const char (&)[N], std::uint64_t v) {
    char* p = p_;
    if (!style_.pretty_ts) {
      p = WriteInt(p, v);
    } else if (v != 0 && v != kUndefTimestamp) {
      p = style_.timestamps.Write(p, v);
    }
    End(p);
  }
  template <std::size_t N>
  DBN_TEXT_INLINE void Px(const char (&)[N], std::int64_t v) {
    char* p = p_;
    if (!style_.pretty_px) {
      p = WriteInt(p, v);
    } else if (v != kUndefPrice) {
      p = WritePrice(p, v);
    }
    End(p);
  }
  template <std::size_t N, class T>
  DBN_TEXT_INLINE void Wide(const char (&)[N], T v) {
    End(WriteInt(p_, v));
  }
  template <std::size_t N, class T>
  DBN_TEXT_INLINE void Int(const char (&)[N], T v) {
    End(WriteInt(p_, v));
  }
  template <std::size_t N>
  DBN_TEXT_INLINE void Char(const char (&)[N], char c) {
    char* p = p_;
    const auto b = static_cast<std::uint8_t>(c);
    if (b > 0x20 && b < 0x7F && c != '"' && c != '\'' && c != '\\' && c != delim_) {
      *p++ = c;  // the common case: a plain letter
    } else if (c != 0) {
      char buf[4];
      const char* end = EscapeChar(buf, b);
      p = WriteCsvText(p, buf, static_cast<std::size_t>(end - buf), delim_);
    }
    End(p);
  }
  template <std::size_t N>
  void RawChar(const char (&)[N], char c) {
    End(WriteCsvText(p_, &c, 1, delim_));
  }
  template <std::size_t N>
  void Str(const char (&)[N], const char* s, std::size_t cap) {
    End(WriteCsvText(p_, s, CStrLength(s, cap), delim_));
  }
  void BeginHeader() {}
  void EndHeader() {}
  void BeginLevels(std::size_t) {}
  void BeginLevel(std::size_t) {}
  void EndLevel() {}
  void EndLevels() {}

  char* Finish(const Suffix& suffix) {
    if (suffix.has_ts_out) Ts("ts_out", suffix.ts_out);
    if (suffix.has_symbol) {
      char* p = p_;
      if (suffix.symbol != nullptr) {
        p = WriteCsvText(p, suffix.symbol->data(), suffix.symbol->size(), delim_);
      }
      End(p);
    }
    p_[-1] = '\n';
    return p_;
  }

 private:
  DBN_TEXT_INLINE void End(char* p) {
    *p++ = delim_;
    p_ = p;
  }

  char* p_;
  TextStyle& style_;
  char delim_;
};

// Column names; level columns get their level's two-digit suffix.
class CsvHeader {
 public:
  CsvHeader(char* p, char delimiter) : p_{p}, delim_{delimiter} {}

  template <std::size_t N, class... A>
  void Ts(const char (&name)[N], A...) { Name(name); }
  template <std::size_t N, class... A>
  void Px(const char (&name)[N], A...) { Name(name); }
  template <std::size_t N, class... A>
  void Wide(const char (&name)[N], A...) { Name(name); }
  template <std::size_t N, class... A>
  void Int(const char (&name)[N], A...) { Name(name); }
  template <std::size_t N, class... A>
  void Char(const char (&name)[N], A...) { Name(name); }
  template <std::size_t N, class... A>
  void RawChar(const char (&name)[N], A...) { Name(name); }
  template <std::size_t N, class... A>
  void Str(const char (&name)[N], A...) { Name(name); }
  void BeginHeader() {}
  void EndHeader() {}
  void BeginLevels(std::size_t) {}
  void BeginLevel(std::size_t i) { level_ = static_cast<int>(i); }
  void EndLevel() { level_ = -1; }
  void EndLevels() {}

  template <std::size_t N>
  DBN_TEXT_INLINE void Name(const char (&name)[N]) {
    std::memcpy(p_, name, N - 1);
    p_ += N - 1;
    if (level_ >= 0) {
      *p_++ = '_';
      p_ = WriteTwoDigits(p_, static_cast<std::uint32_t>(level_));
    }
    *p_++ = delim_;
  }

  char* Finish() {
    p_[-1] = '\n';
    return p_;
  }

 private:
  char* p_;
  char delim_;
  int level_{-1};
};

}  // namespace

char* WriteCsvHeader(char* p, Layout layout, char delimiter, bool ts_out, bool symbol) {
  // The names do not depend on the values: visit an all-zero record.
  alignas(8) static constexpr std::uint8_t kZero[1024]{};
  CsvHeader header{p, delimiter};
  VisitRecord(layout, kZero, header);
  if (ts_out) header.Name("ts_out");
  if (symbol) header.Name("symbol");
  return header.Finish();
}

char* WriteCsvRecord(char* p, Layout layout, const std::uint8_t* rec, TextStyle& style,
                     const Suffix& suffix) {
  CsvRow row{p, style};
  VisitRecord(layout, rec, row);
  return row.Finish(suffix);
}

}  // namespace databento::text
