// The CSV/JSON encoders against the `dbn` crate's own unit-test vectors
// (shared/spec/text-formats.md §10.1) and fixture vectors (§10.2-§10.6), and
// every fixture encoded in every mode under the sanitizers.

#include <algorithm>
#include <dirent.h>

#include <cstring>
#include <string>
#include <vector>

#include "check.hpp"
#include "databento/dbn_error.hpp"
#include "databento/dbn_file_store.hpp"
#include "databento/records.hpp"
#include "databento/text_encoder.hpp"

namespace {

using namespace databento;

std::string Take(TextEncoder& enc) {
  std::string s{reinterpret_cast<const char*>(enc.Output().data()), enc.Output().size()};
  enc.Output().Clear();
  return s;
}

template <class T>
std::string EncodeOne(const T& rec, TextEncoderOptions opts) {
  TextEncoder enc{opts, nullptr};
  enc.Encode(reinterpret_cast<const std::uint8_t*>(&rec), sizeof rec);
  return Take(enc);
}

// The header of the Rust unit tests, with the rtype the record's type needs
// (the Rust tests encode by static type and use rtype 4 throughout).
RecordHeader TestHeader(std::uint8_t length, std::uint8_t rtype) {
  RecordHeader hd{};
  hd.length = length;
  hd.rtype = rtype;
  hd.publisher_id = 1;
  hd.instrument_id = 323;
  hd.ts_event = 1658441851000000000ULL;
  return hd;
}

std::string EncodeFile(const std::string& name, TextEncoderOptions opts,
                       VersionUpgradePolicy policy = VersionUpgradePolicy::UpgradeToV3) {
  DbnDecoder::Options dopts;
  dopts.upgrade_policy = policy;
  DbnFileStore store{std::string{DATABENTO_FIXTURES_DIR} + "/" + name, dopts};
  const auto& md = store.GetMetadata();
  opts.ts_out = store.Decoder().TsOut();
  opts.version = store.Decoder().OutputVersion();
  if (md) opts.schema = md->schema;
  TextEncoder enc{opts, md ? &*md : nullptr};
  std::vector<std::uint8_t> buf(64 * 1024);
  std::size_t n;
  while (std::size_t got = store.ReadRecords(buf.data(), buf.size(), &n)) enc.Encode(buf.data(), got);
  return Take(enc);
}

std::string Line(const std::string& text, std::size_t index) {
  std::size_t start = 0;
  for (std::size_t i = 0; i < index; ++i) start = text.find('\n', start) + 1;
  return text.substr(start, text.find('\n', start) - start);
}

TextEncoderOptions Csv() { return {}; }
TextEncoderOptions Json() {
  TextEncoderOptions o;
  o.format = TextFormat::Json;
  return o;
}
TextEncoderOptions Pretty(TextEncoderOptions o) {
  o.pretty_px = o.pretty_ts = o.map_symbols = true;
  return o;
}

}  // namespace

TEST("text: official MBO row and JSON with pretty_px only") {
  MboMsg mbo{};
  mbo.hd = TestHeader(sizeof(MboMsg) / 4, 0xA0);
  mbo.ts_recv = 1658441891000000000ULL;
  mbo.price = 5500;
  mbo.size = 3;
  mbo.flags = 128;
  mbo.channel_id = 14;
  mbo.order_id = 16;
  mbo.action = 'B';
  mbo.side = 'B';
  mbo.ts_in_delta = 22000;
  mbo.sequence = 1002375;
  auto opts = Csv();
  opts.write_header = false;
  CHECK(EncodeOne(mbo, opts) ==
        "1658441891000000000,1658441851000000000,160,1,323,B,B,5500,3,14,16,128,22000,1002375\n");
  mbo.action = 'R';
  mbo.side = 'N';
  auto json = Json();
  json.pretty_px = true;
  CHECK(EncodeOne(mbo, json) ==
        "{\"ts_recv\":\"1658441891000000000\",\"hd\":{\"ts_event\":\"1658441851000000000\",\"rtype\":160,"
        "\"publisher_id\":1,\"instrument_id\":323},\"action\":\"R\",\"side\":\"N\",\"price\":\"0.000005500\","
        "\"size\":3,\"channel_id\":14,\"order_id\":\"16\",\"flags\":128,\"ts_in_delta\":22000,"
        "\"sequence\":1002375}\n");
}

TEST("text: official trade CSV with ts_out and header from the record") {
  struct {
    TradeMsg trade;
    std::uint64_t ts_out;
  } rec{};
  rec.trade.hd = TestHeader((sizeof(TradeMsg) + 8) / 4, 0);
  rec.trade.ts_recv = 1658441891000000000ULL;
  rec.trade.price = 5500;
  rec.trade.size = 3;
  rec.trade.action = 'T';
  rec.trade.side = 'A';
  rec.trade.flags = 128;
  rec.trade.depth = 9;
  rec.trade.ts_in_delta = 22000;
  rec.trade.sequence = 1002375;
  rec.ts_out = 1678480044000000000ULL;
  auto opts = Csv();
  opts.ts_out = true;
  CHECK(EncodeOne(rec, opts) ==
        "ts_recv,ts_event,rtype,publisher_id,instrument_id,action,side,depth,price,size,flags,"
        "ts_in_delta,sequence,ts_out\n"
        "1658441891000000000,1658441851000000000,0,1,323,T,A,9,5500,3,128,22000,1002375,"
        "1678480044000000000\n");
}

TEST("text: official ErrorMsg JSON, pretty: ts 0 is null, json-writer escaping") {
  ErrorMsg err{};
  err.hd.length = sizeof(ErrorMsg) / 4;
  err.hd.rtype = 21;
  std::strcpy(err.err.data(), "\"A test");
  err.code = 255;
  err.is_last = 1;
  auto json = Json();
  json.pretty_px = json.pretty_ts = true;
  CHECK(EncodeOne(err, json) ==
        "{\"hd\":{\"ts_event\":null,\"rtype\":21,\"publisher_id\":0,\"instrument_id\":0},"
        "\"err\":\"\\\"A test\",\"code\":255,\"is_last\":1}\n");
  std::strcpy(err.err.data(), "a/b\x01");
  CHECK(EncodeOne(err, json).find("\"err\":\"a\\/b\\u0001\"") != std::string::npos);
}

TEST("text: c_char escaping, CSV quoting, negative prices, far timestamps") {
  TradeMsg t{};
  t.hd = TestHeader(sizeof(TradeMsg) / 4, 0);
  t.hd.ts_event = 18446744073709551614ULL;
  t.ts_recv = 1;
  t.action = '"';
  t.side = ',';
  t.price = -100000;
  auto opts = Csv();
  opts.write_header = false;
  opts.pretty_px = opts.pretty_ts = true;
  CHECK(EncodeOne(t, opts) ==
        "1970-01-01T00:00:00.000000001Z,2554-07-21T23:34:33.709551614Z,0,1,323,\"\\\"\"\",\",\","
        "0,-0.000100000,0,0,0,0\n");
  t.action = '\'';
  t.side = static_cast<char>(0xFF);
  auto json = Json();
  CHECK(EncodeOne(t, json).find("\"action\":\"\\'\",\"side\":\"\\xff\"") != std::string::npos);
  t.side = 0;
  CHECK(EncodeOne(t, json).find("\"side\":null") != std::string::npos);
  CHECK(EncodeOne(t, opts).find(",\\',,") != std::string::npos);
}

TEST("text: a string without NUL or with invalid UTF-8 is empty") {
  SystemMsg sys{};
  sys.hd.length = sizeof(SystemMsg) / 4;
  sys.hd.rtype = 0x17;
  std::memset(sys.msg.data(), 'x', sys.msg.size());
  CHECK(EncodeOne(sys, Json()).find("\"msg\":\"\"") != std::string::npos);
  std::strcpy(sys.msg.data(), "ok \xC3\xA9");
  CHECK(EncodeOne(sys, Json()).find("\"msg\":\"ok \xC3\xA9\"") != std::string::npos);
  std::strcpy(sys.msg.data(), "bad \xC3");
  CHECK(EncodeOne(sys, Json()).find("\"msg\":\"\"") != std::string::npos);
}

TEST("text: fixture vectors, plain and with every option") {
  const std::string mbo = EncodeFile("test_data.mbo.v3.dbn.zst", Csv());
  CHECK(Line(mbo, 1) ==
        "1609160400000704060,1609160400000429831,160,1,5482,C,A,3722750000000,1,0,647784973705,128,22993,1170352");
  const std::string pretty = EncodeFile("test_data.mbo.v1.dbn.zst", Pretty(Csv()));
  CHECK(Line(pretty, 2) ==
        "2020-12-28T13:00:00.000711344Z,2020-12-28T13:00:00.000431665Z,160,1,5482,C,A,3723.000000000,1,0,"
        "647784973631,128,19621,1170353,ESH1");
  // bbo: the symbol follows ts_recv's day, not ts_event's.
  CHECK(Line(EncodeFile("test_data.bbo-1s.v3.dbn.zst", Pretty(Csv())), 1) ==
        "2020-12-28T00:00:00.000000000Z,2020-12-27T23:59:59.045849637Z,195,1,5482,A,3702.500000000,2,168,"
        "145799,3702.250000000,3702.750000000,18,13,10,13,ESH1");
  // Zero records: the header alone (CSV), nothing (JSON).
  CHECK(EncodeFile("test_data.ohlcv-1d.v3.dbn.zst", Csv()) ==
        "ts_event,rtype,publisher_id,instrument_id,open,high,low,close,volume\n");
  CHECK(EncodeFile("test_data.ohlcv-1d.v3.dbn.zst", Json()).empty());
  // v1 as-is keeps its own layout: 64 columns, i32 quantity as a JSON number.
  const std::string def = EncodeFile("test_data.definition.v1.dbn.zst", Csv(), VersionUpgradePolicy::AsIs);
  CHECK(Line(def, 0).find(",trading_reference_price,") != std::string::npos);
  CHECK(Line(def, 1).find(",F,78,255,255,255,255,255,255,255,255,N,127,127,255") != std::string::npos);
  CHECK(EncodeFile("test_data.statistics.v1.dbn.zst", Json(), VersionUpgradePolicy::AsIs)
            .find("\"quantity\":2147483647,") != std::string::npos);
  // Statistics has no mappings: an empty symbol column.
  CHECK(Line(EncodeFile("test_data.statistics.v3.dbn.zst", Pretty(Csv())), 1) ==
        "2023-04-23T17:05:36.040124325Z,2023-04-23T17:05:36.030443135Z,24,1,146945,,100.000000000,"
        "9223372036854775807,2,26961,7,13,1,255,");
}

TEST("text: indented JSON matches the CLI's --pretty layout") {
  auto opts = Pretty(Json());
  opts.indent = true;
  const std::string out = EncodeFile("test_data.mbp-1.v3.dbn.zst", opts);
  CHECK(out.rfind("{\n    \"ts_recv\": \"2020-12-28T13:00:00.006136329Z\",\n    \"hd\": {\n"
                  "        \"ts_event\": \"2020-12-28T13:00:00.006001487Z\",\n", 0) == 0);
  CHECK(out.find("    \"levels\": [\n        {\n            \"bid_px\": \"3720.250000000\",\n") !=
        std::string::npos);
  CHECK(out.find("            \"ask_ct\": 9\n        }\n    ],\n    \"symbol\": \"ESH1\"\n}\n") !=
        std::string::npos);
}

TEST("text: schema filter and mixed-schema CSV error") {
  MboMsg mbo{};
  mbo.hd = TestHeader(sizeof(MboMsg) / 4, 0xA0);
  TradeMsg trade{};
  trade.hd = TestHeader(sizeof(TradeMsg) / 4, 0);
  std::vector<std::uint8_t> mixed(sizeof mbo + sizeof trade);
  std::memcpy(mixed.data(), &mbo, sizeof mbo);
  std::memcpy(mixed.data() + sizeof mbo, &trade, sizeof trade);
  {
    TextEncoder enc{Csv(), nullptr};
    bool threw = false;
    try {
      enc.Encode(mixed.data(), mixed.size());
    } catch (const DbnError& e) {
      threw = e.Code() == DbnErrorCode::MixedSchemas;
    }
    CHECK(threw);
  }
  auto opts = Csv();
  opts.schema = static_cast<std::uint16_t>(Schema::Trades);
  opts.filter_schema = true;
  TextEncoder enc{opts, nullptr};
  CHECK(enc.Encode(mixed.data(), mixed.size()) == 1);
  CHECK(Line(Take(enc), 0).rfind("ts_recv,ts_event,rtype,publisher_id,instrument_id,action,side,depth,", 0) == 0);
  // JSON takes any mix; a limit stops early.
  TextEncoder json{Json(), nullptr};
  CHECK(json.Encode(mixed.data(), mixed.size(), 1) == 1);
  // mixed_layouts: one header (the first record's), then each row in its own columns.
  auto any = Csv();
  any.mixed_layouts = true;
  TextEncoder both{any, nullptr};
  CHECK(both.Encode(mixed.data(), mixed.size()) == 2);
  const std::string text = Take(both);
  CHECK(Line(text, 0).rfind("ts_recv,ts_event,rtype,publisher_id,instrument_id,action,side,price,size,channel_id,order_id,", 0) == 0);
  const auto commas = [&](std::size_t i) {
    const std::string line = Line(text, i);
    return std::count(line.begin(), line.end(), ',');
  };
  CHECK(commas(0) == 13 && commas(1) == 13);  // MBO: 14 columns
  CHECK(commas(2) == 12);                     // trades: 13 columns
  CHECK(std::count(text.begin(), text.end(), '\n') == 3);
}

TEST("text: unknown rtypes and malformed lengths throw") {
  std::uint8_t rec[16]{};
  rec[0] = 4;
  rec[1] = 0x77;
  TextEncoder enc{Json(), nullptr};
  bool unknown = false;
  try {
    enc.Encode(rec, sizeof rec);
  } catch (const DbnError& e) {
    unknown = e.Code() == DbnErrorCode::UnknownRecord;
  }
  CHECK(unknown);
  rec[0] = 9;  // longer than the bytes given
  bool bad = false;
  try {
    enc.Encode(rec, sizeof rec);
  } catch (const DbnError& e) {
    bad = e.Code() == DbnErrorCode::BadRecordLength;
  }
  CHECK(bad);
}

TEST("text: live symbol mappings name later records") {
  SymbolMappingMsg map{};
  map.hd.length = sizeof(SymbolMappingMsg) / 4;
  map.hd.rtype = 0x16;
  map.hd.instrument_id = 323;
  std::strcpy(map.stype_out_symbol.data(), "ESZ2");
  TradeMsg trade{};
  trade.hd = TestHeader(sizeof(TradeMsg) / 4, 0);
  std::vector<std::uint8_t> bytes(sizeof map + sizeof trade);
  std::memcpy(bytes.data(), &map, sizeof map);
  std::memcpy(bytes.data() + sizeof map, &trade, sizeof trade);
  auto opts = Json();
  opts.map_symbols = true;
  TextEncoder enc{opts, nullptr};
  enc.Encode(bytes.data(), bytes.size());
  const std::string out = Take(enc);
  CHECK(Line(out, 1).find(",\"symbol\":\"ESZ2\"}") != std::string::npos);
}

TEST("text: every fixture encodes in every format and mode") {
  std::vector<std::string> names;
  if (DIR* dir = ::opendir(DATABENTO_FIXTURES_DIR)) {
    while (const dirent* e = ::readdir(dir)) {
      const std::string name = e->d_name;
      if (name.find(".dbn") != std::string::npos && name.find(".frag") == std::string::npos) names.push_back(name);
    }
    ::closedir(dir);
  }
  CHECK(names.size() > 20);
  for (const auto& name : names) {
    for (auto format : {TextFormat::Csv, TextFormat::Tsv, TextFormat::Json}) {
      for (bool pretty : {false, true}) {
        for (auto policy : {VersionUpgradePolicy::AsIs, VersionUpgradePolicy::UpgradeToV3}) {
          TextEncoderOptions opts;
          opts.format = format;
          if (pretty) opts = Pretty(opts);
          opts.indent = pretty;
          try {
            const std::string out = EncodeFile(name, opts, policy);
            CHECK(out.empty() || out.back() == '\n');
          } catch (const std::exception& e) {
            std::cerr << name << ": " << e.what() << "\n";
            CHECK(false);
          }
        }
      }
    }
  }
}
