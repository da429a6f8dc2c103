// ColumnBuilder against the fixtures' known values (shared/spec/
// text-formats.md §10) and every fixture under the sanitizers.

#include <dirent.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "check.hpp"
#include "databento/column_builder.hpp"
#include "databento/dbn_error.hpp"
#include "databento/dbn_file_store.hpp"
#include "databento/records.hpp"

namespace {

using namespace databento;

struct Built {
  std::vector<ColumnInfo> columns;
  std::vector<std::vector<std::uint8_t>> data;
  std::vector<std::string> symbols;
  std::size_t rows{};

  std::size_t Index(const std::string& name) const {
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (columns[i].name == name) return i;
    }
    return SIZE_MAX;
  }
  template <class T>
  T At(const std::string& name, std::size_t row) const {
    const std::size_t i = Index(name);
    T v{};
    if (i == SIZE_MAX || row >= rows) {
      CHECK(false);
      return v;
    }
    std::memcpy(&v, data[i].data() + row * sizeof(T), sizeof(T));
    return v;
  }
};

Built BuildFile(const std::string& name, ColumnBuilderOptions opts, std::uint8_t rtype,
                VersionUpgradePolicy policy = VersionUpgradePolicy::UpgradeToV3) {
  DbnDecoder::Options dopts;
  dopts.upgrade_policy = policy;
  DbnFileStore store{std::string{DATABENTO_FIXTURES_DIR} + "/" + name, dopts};
  const auto& md = store.GetMetadata();
  opts.rtype = rtype;
  opts.ts_out = store.Decoder().TsOut();
  ColumnBuilder builder{opts, md ? &*md : nullptr};
  std::vector<std::uint8_t> buf(4096);  // small batches: rows accumulate across Append calls
  std::size_t n;
  while (std::size_t got = store.ReadRecords(buf.data(), buf.size(), &n)) builder.Append(buf.data(), got);
  Built out{builder.Columns(), {}, builder.Symbols(), builder.Rows()};
  for (std::size_t i = 0; i < out.columns.size(); ++i) {
    const std::uint8_t* d = builder.Data(i);
    out.data.emplace_back(d, d + out.rows * out.columns[i].width);
  }
  return out;
}

TEST("columns: MBO fixture values, layout order") {
  const Built b = BuildFile("test_data.mbo.v3.dbn.zst", {}, 0xA0);
  CHECK(b.rows == 2);
  CHECK(b.columns.size() == 14);
  CHECK(b.columns[0].name == "ts_event" && b.columns[4].name == "order_id");
  CHECK(b.At<std::uint64_t>("ts_recv", 0) == 1609160400000704060ULL);
  CHECK(b.At<std::uint64_t>("ts_event", 0) == 1609160400000429831ULL);
  CHECK(b.At<std::uint8_t>("rtype", 0) == 160);
  CHECK(b.At<std::uint16_t>("publisher_id", 0) == 1);
  CHECK(b.At<std::uint32_t>("instrument_id", 0) == 5482);
  CHECK(b.At<char>("action", 0) == 'C');
  CHECK(b.At<char>("side", 0) == 'A');
  CHECK(b.At<std::int64_t>("price", 0) == 3722750000000LL);
  CHECK(b.At<std::uint64_t>("order_id", 0) == 647784973705ULL);
  CHECK(b.At<std::uint8_t>("flags", 0) == 128);
  CHECK(b.At<std::int32_t>("ts_in_delta", 0) == 22993);
  CHECK(b.At<std::uint32_t>("sequence", 0) == 1170352);
  // Only the fields asked for, in layout order.
  ColumnBuilderOptions some;
  some.fields = {"ts_recv", "price"};
  const Built two = BuildFile("test_data.mbo.v3.dbn.zst", some, 0xA0);
  CHECK(two.columns.size() == 2 && two.columns[0].name == "price" && two.columns[1].name == "ts_recv");
  CHECK(two.At<std::int64_t>("price", 0) == 3722750000000LL);
}

TEST("columns: pretty prices, symbols by the index timestamp's day") {
  ColumnBuilderOptions opts;
  opts.pretty_px = opts.map_symbols = true;
  const Built mbo = BuildFile("test_data.mbo.v1.dbn.zst", opts, 0xA0);
  CHECK(mbo.At<double>("price", 1) == 3723.0);
  CHECK(mbo.columns.back().name == "symbol" && mbo.columns.back().out == ColumnOut::SymbolCode);
  CHECK(mbo.symbols.size() == 1 && mbo.symbols[0] == "ESH1");
  CHECK(mbo.At<std::int32_t>("symbol", 1) == 0);
  const Built bbo = BuildFile("test_data.bbo-1s.v3.dbn.zst", opts, 0xC3);
  CHECK(bbo.At<double>("bid_px_00", 0) == 3702.25);
  CHECK(bbo.At<double>("ask_px_00", 0) == 3702.75);
  CHECK(bbo.At<std::uint32_t>("bid_ct_00", 0) == 10);
  CHECK(bbo.symbols.at(static_cast<std::size_t>(bbo.At<std::int32_t>("symbol", 0))) == "ESH1");
  // No mappings: every symbol is unmapped; an undefined price is NaN.
  const Built stats = BuildFile("test_data.statistics.v3.dbn.zst", opts, 0x18);
  CHECK(stats.rows > 0 && stats.symbols.empty());
  CHECK(stats.At<std::int32_t>("symbol", 0) == -1);
  const Built defs = BuildFile("test_data.definition.v3.dbn.zst", opts, 0x13);
  CHECK(std::isnan(defs.At<double>("strike_price", 0)));
  const std::size_t raw = defs.Index("raw_symbol");
  CHECK(raw != SIZE_MAX && defs.columns[raw].width == 71);
  CHECK(std::string{reinterpret_cast<const char*>(defs.data[raw].data())} == "MSFT");
}

TEST("columns: v1 layouts stay as they are") {
  const Built v1 = BuildFile("test_data.definition.v1.dbn.zst", {}, 0x13, VersionUpgradePolicy::AsIs);
  const Built v3 = BuildFile("test_data.definition.v1.dbn.zst", {}, 0x13);
  CHECK(v1.Index("trading_reference_price") != SIZE_MAX);
  CHECK(v3.Index("trading_reference_price") == SIZE_MAX);
  CHECK(v1.rows == v3.rows && v1.rows > 0);
  CHECK(v1.At<std::uint32_t>("instrument_id", 0) == v3.At<std::uint32_t>("instrument_id", 0));
}

TEST("columns: other rtypes are skipped, mixed layouts and bad lengths throw") {
  TradeMsg trade{};
  trade.hd.length = sizeof(TradeMsg) / 4;
  trade.hd.rtype = 0;
  trade.price = 5;
  SystemMsg sys{};
  sys.hd.length = sizeof(SystemMsg) / 4;
  sys.hd.rtype = 0x17;
  std::vector<std::uint8_t> bytes(sizeof trade + sizeof sys);
  std::memcpy(bytes.data(), &sys, sizeof sys);
  std::memcpy(bytes.data() + sizeof sys, &trade, sizeof trade);
  ColumnBuilderOptions opts;
  opts.rtype = 0;
  ColumnBuilder b{opts, nullptr};
  CHECK(b.Append(bytes.data(), bytes.size()) == 1);
  CHECK(b.Skipped() == 1 && b.Rows() == 1);
  b.Clear();
  CHECK(b.Rows() == 0 && b.Columns().size() == 13);
  bool threw = false;
  try {
    b.Append(bytes.data(), bytes.size() - 1);
  } catch (const DbnError& e) {
    threw = e.Code() == DbnErrorCode::BadRecordLength;
  }
  CHECK(threw);
  // A TradeMsg-rtype record too short for its layout.
  std::vector<std::uint8_t> shortrec(16);
  shortrec[0] = 4;
  threw = false;
  try {
    b.Append(shortrec.data(), shortrec.size());
  } catch (const DbnError& e) {
    threw = e.Code() == DbnErrorCode::BadRecordLength;
  }
  CHECK(threw);
  threw = false;
  try {
    b.SetLayout(text::Layout::MboMsg);
  } catch (const DbnError& e) {
    threw = e.Code() == DbnErrorCode::MixedSchemas;
  }
  CHECK(threw);
}

TEST("columns: live symbol mappings name later records") {
  SymbolMappingMsg map{};
  map.hd.length = sizeof(SymbolMappingMsg) / 4;
  map.hd.rtype = 0x16;
  map.hd.instrument_id = 323;
  std::strcpy(map.stype_out_symbol.data(), "ESZ2");
  TradeMsg trade{};
  trade.hd.length = sizeof(TradeMsg) / 4;
  trade.hd.instrument_id = 323;
  trade.hd.ts_event = 1658441851000000000ULL;
  trade.ts_recv = trade.hd.ts_event;
  std::vector<std::uint8_t> bytes(sizeof map + sizeof trade);
  std::memcpy(bytes.data(), &map, sizeof map);
  std::memcpy(bytes.data() + sizeof map, &trade, sizeof trade);
  ColumnBuilderOptions opts;
  opts.map_symbols = true;
  ColumnBuilder b{opts, nullptr};
  CHECK(b.Append(bytes.data(), bytes.size()) == 1);
  CHECK(b.Symbols().size() == 1 && b.Symbols()[0] == "ESZ2");
}

TEST("columns: every fixture builds, with every option") {
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
    for (bool pretty : {false, true}) {
      for (auto policy : {VersionUpgradePolicy::AsIs, VersionUpgradePolicy::UpgradeToV3}) {
        try {
          DbnDecoder::Options dopts;
          dopts.upgrade_policy = policy;
          DbnFileStore store{std::string{DATABENTO_FIXTURES_DIR} + "/" + name, dopts};
          std::vector<std::uint8_t> buf(64 * 1024);
          std::size_t n;
          const std::size_t got = store.ReadRecords(buf.data(), buf.size(), &n);
          if (got == 0) continue;
          ColumnBuilderOptions opts;
          opts.rtype = buf[1];
          opts.pretty_px = opts.map_symbols = pretty;
          opts.ts_out = store.Decoder().TsOut();
          const auto& md = store.GetMetadata();
          ColumnBuilder b{opts, md ? &*md : nullptr};
          b.Append(buf.data(), got);
          CHECK(b.Rows() + b.Skipped() == n);
          CHECK(!b.Columns().empty());
        } catch (const std::exception& e) {
          std::cerr << name << ": " << e.what() << "\n";
          CHECK(false);
        }
      }
    }
  }
}

}  // namespace
