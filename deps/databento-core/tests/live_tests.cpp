// Tests of the live client core: SHA-256 (FIPS 180-4 vectors), the CRAM
// reply (the spec's vectors), every control line on the wire, and a session
// against a scripted gateway on a loopback socket.
//
// RunLiveTests() returns the number of failures. In the core's test
// executable the groups also register as TEST cases (tests/check.hpp).
// Build standalone with -DDATABENTO_LIVE_TESTS_MAIN for a main().

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include <chrono>
#include <cstdio>
#include <cstddef>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "databento/dbn_encoder.hpp"
#include "databento/live_blocking.hpp"
#include "databento/live_error.hpp"
#include "databento/live_protocol.hpp"
#include "databento/live_threaded.hpp"
#include "databento/sha256.hpp"
#include "databento/tcp_client.hpp"
#include "scripted_gateway.hpp"

#if __has_include("check.hpp") && !defined(DATABENTO_LIVE_TESTS_MAIN)
#include "check.hpp"
#define DATABENTO_LIVE_HARNESS 1
#endif

namespace {

int g_failures = 0;

void Fail() {
  ++g_failures;
#ifdef DATABENTO_LIVE_HARNESS
  ++::databento::test::Failures();
#endif
}

void Check(bool ok, const std::string& what) {
  if (!ok) {
    Fail();
    std::fprintf(stderr, "FAIL: %s\n", what.c_str());
  }
}

void CheckEq(const std::string& got, const std::string& want, const std::string& what) {
  if (got != want) {
    Fail();
    std::fprintf(stderr, "FAIL: %s\n  got:  %s\n  want: %s\n", what.c_str(), got.c_str(), want.c_str());
  }
}

using namespace databento;
using databento::test::LiveStream;
using databento::test::LocalOptions;
using databento::test::ScriptedGateway;

void TestSha256() {
  // FIPS 180-4 examples (NIST CSRC "SHA256.pdf", "SHA2_Additional.pdf").
  CheckEq(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "sha256 empty");
  CheckEq(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "sha256 abc");
  CheckEq(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1", "sha256 448 bits");
  CheckEq(Sha256Hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"),
          "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1", "sha256 896 bits");
  const std::string million(1000000, 'a');
  CheckEq(Sha256Hex(million), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", "sha256 1e6 a");
  // Same input fed in odd-sized pieces, crossing block boundaries.
  Sha256 h;
  for (std::size_t at = 0; at < million.size();) {
    const std::size_t n = std::min<std::size_t>(million.size() - at, 1 + at % 97);
    h.Update(million.data() + at, n);
    at += n;
  }
  const auto d = h.Final();
  char hex[65];
  for (int i = 0; i < 32; ++i) std::snprintf(hex + 2 * i, 3, "%02x", d[i]);
  CheckEq(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", "sha256 incremental");
  // Lengths around the padding boundary (55, 56, 63, 64 bytes).
  CheckEq(Sha256Hex(std::string(55, 'a')), "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318", "sha256 55");
  CheckEq(Sha256Hex(std::string(56, 'a')), "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a", "sha256 56");
  CheckEq(Sha256Hex(std::string(64, 'a')), "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb", "sha256 64");
}

void TestCram() {
  CheckEq(CramReply("abcd1234", "db-unittestapikey1234567890FFFFF"),
          "be87ce3d564b64481d4ad1902e2b41b26e3eef62b9de37d87eb4a1d4a5199b6f-FFFFF", "cram python vector");
  CheckEq(CramReply("OvkNtDJNgywWjFeMSaYqUqTJfpGlDAjb", "db-Wk3xEJ7pQo9LrT2aZ6vNcF8sHy4Ub"),
          "443977d3f4832ff87f55b748018dec256ceb844572164195382f9f0bbda1ece0-Hy4Ub", "cram wire vector");
  CheckEq(CramReply("t7kNhwj4xqR0QYjzFKtBEG2ec2pXJ4FK", "32-character-with-lots-of-filler"),
          "42e2c6c6a874b2f4498bcaf0541be406901a23adef1fb2843d5426f6d2387d14-iller", "cram C++ vector");
}

void TestLines() {
  CheckEq(GatewayHost("GLBX.MDP3"), "glbx-mdp3.lsg.databento.com", "host glbx");
  CheckEq(GatewayHost("OPRA.PILLAR"), "opra-pillar.lsg.databento.com", "host opra");

  LiveOptions o;
  o.key = "db-Wk3xEJ7pQo9LrT2aZ6vNcF8sHy4Ub";
  o.dataset = "GLBX.MDP3";
  o.user_agent = "Databento/0.65.0 C++/GNU/12.2.0 Linux/6.18.44-fc-v669 myapp/1.0";
  o.heartbeat_interval_s = 5;
  o.slow_reader_behavior = SlowReaderBehavior::Skip;
  CheckEq(AuthRequestLine(o, "OvkNtDJNgywWjFeMSaYqUqTJfpGlDAjb"),
          "auth=443977d3f4832ff87f55b748018dec256ceb844572164195382f9f0bbda1ece0-Hy4Ub|dataset=GLBX.MDP3|"
          "encoding=dbn|ts_out=0|compression=none|client=Databento/0.65.0 C++/GNU/12.2.0 "
          "Linux/6.18.44-fc-v669 myapp/1.0|heartbeat_interval_s=5|slow_reader_behavior=skip\n",
          "auth line (spec §4.2)");
  Check(AuthRequestLine(o, "x").size() > 0, "auth line");

  LiveSubscription s1{Schema::Mbo, SType::Parent, {"ES.FUT"}, std::nullopt, true, 1};
  CheckEq(SubscriptionLines(s1)[0], "schema=mbo|stype_in=parent|id=1|symbols=ES.FUT|snapshot=1|is_last=1\n", "sub snapshot");
  LiveSubscription s2{Schema::Trades, SType::RawSymbol, {"ESZ4", "NQZ4"}, LiveStart{std::string{"2024-11-20T14:00:00"}}, false, 2};
  CheckEq(SubscriptionLines(s2)[0],
          "schema=trades|stype_in=raw_symbol|id=2|start=2024-11-20T14:00:00|symbols=ESZ4,NQZ4|snapshot=0|is_last=1\n",
          "sub string start");
  CheckEq(SubscriptionLines(s2, false)[0],
          "schema=trades|stype_in=raw_symbol|id=2|symbols=ESZ4,NQZ4|snapshot=0|is_last=1\n", "resub drops start");
  LiveSubscription s3{Schema::Ohlcv1S, SType::RawSymbol, {}, LiveStart{std::uint64_t{1732100000000000000ULL}}, false, 3};
  for (int i = 0; i < 1001; ++i) s3.symbols.push_back("S" + std::to_string(i));
  const auto lines = SubscriptionLines(s3);
  Check(lines.size() == 3, "1001 symbols -> 3 lines");
  Check(lines[0].rfind("schema=ohlcv-1s|stype_in=raw_symbol|start=1732100000000000000|id=3|symbols=S0,S1,", 0) == 0,
        "ns start token order");
  Check(lines[0].find("S499|snapshot=0|is_last=0\n") != std::string::npos, "chunk 1 ends at S499");
  Check(lines[1].find("symbols=S500,") != std::string::npos && lines[1].find("|is_last=0\n") != std::string::npos, "chunk 2");
  CheckEq(lines[2], "schema=ohlcv-1s|stype_in=raw_symbol|start=1732100000000000000|id=3|symbols=S1000|snapshot=0|is_last=1\n",
          "chunk 3");

  const auto kv = ParseControlLine("success=1|session_id=1732098765\n");
  Check(kv.size() == 2 && kv[0].first == "success" && kv[0].second == "1" && kv[1].second == "1732098765", "parse line");

  bool threw = false;
  try {
    LiveOptions bad = o;
    bad.key = "short";
    LiveBlocking b{bad};
  } catch (const LiveError& e) {
    threw = e.Code() == LiveErrorCode::InvalidArgument;
  }
  Check(threw, "short key rejected");
  threw = false;
  try {
    LiveOptions bad = o;
    bad.heartbeat_interval_s = 4;
    LiveBlocking b{bad};
  } catch (const LiveError& e) {
    threw = e.Code() == LiveErrorCode::InvalidArgument;
  }
  Check(threw, "heartbeat 4 rejected");
}

void TestSession() {
  const std::string key = "db-Wk3xEJ7pQo9LrT2aZ6vNcF8sHy4Ub";
  {
    ScriptedGateway gw{key, LiveStream(1000), true};
    const LiveOptions o = LocalOptions(key, gw.Port());
    LiveBlocking client{o};
    client.Subscribe({Schema::Trades, SType::RawSymbol, {"ESZ4"}, std::nullopt, false, 0});
    const Metadata md = client.Start();
    Check(md.dataset == "GLBX.MDP3" && md.version == 3, "metadata");
    CheckEq(client.SessionId(), "42", "session id");
    std::size_t n = 0;
    bool closed = false;
    try {
      while (client.NextRecord(std::chrono::milliseconds{2000}) != nullptr) ++n;
    } catch (const LiveError& e) {
      closed = e.Code() == LiveErrorCode::ConnectionClosed;
    }
    Check(n == 1000, "1000 records before the close, got " + std::to_string(n));
    Check(closed, "ConnectionClosed after the records");
    Check(client.LastTsEvent() == md.start + 999, "last ts_event");
    Check(gw.lines.size() == 3 && gw.lines[1] == "schema=trades|stype_in=raw_symbol|id=1|symbols=ESZ4|snapshot=0|is_last=1" &&
              gw.lines[2] == "start_session",
          "lines on the wire");
  }
  {
    ScriptedGateway gw{"db-Wk3xEJ7pQo9LrT2aZ6vNcF8sHxxxx", {}, true};
    const LiveOptions o = LocalOptions(key, gw.Port());
    LiveBlocking client{o};
    bool auth_failed = false;
    try {
      client.Start();
    } catch (const LiveError& e) {
      auth_failed = e.Code() == LiveErrorCode::AuthFailed &&
                    std::string{e.what()} == "Failed to authenticate: Authentication failed.";
    }
    Check(auth_failed, "AuthFailed with the gateway's text");
  }
  {
    // Threaded: batches arrive, Stop ends the thread without an error.
    ScriptedGateway gw{key, LiveStream(5000), false};
    const LiveOptions o = LocalOptions(key, gw.Port());
    LiveThreaded client{o};
    client.Subscribe({Schema::Trades, SType::RawSymbol, {"ESZ4"}, std::nullopt, false, 0});
    std::atomic<std::size_t> records{0};
    std::atomic<bool> errored{false}, exited{false};
    LiveThreaded::Callbacks cb;
    cb.batch = [&](const BatchSlot&, const RecordBatchInfo& info) {
      records += info.count;
      return LiveThreaded::KeepGoing::Continue;
    };
    cb.exception = [&](const LiveError&) {
      errored = true;
      return LiveThreaded::ExceptionAction::Stop;
    };
    cb.exit = [&] { exited = true; };
    client.Start(cb);
    for (int i = 0; i < 200 && records < 5000; ++i) std::this_thread::sleep_for(std::chrono::milliseconds{5});
    client.Stop();
    client.Join();
    Check(records == 5000, "threaded records " + std::to_string(records.load()));
    Check(exited, "exit callback");
    Check(!errored, "no error on Stop");
  }
  {
    // Threaded into lent slots: two buffers go round between the session
    // thread and this one, every record arrives once, Stop gives them back.
    ScriptedGateway gw{key, LiveStream(5000), false};
    const LiveOptions o = LocalOptions(key, gw.Port());
    LiveThreaded client{o};
    client.Subscribe({Schema::Trades, SType::RawSymbol, {"ESZ4"}, std::nullopt, false, 0});
    BatchQueue queue;
    std::vector<std::vector<std::uint8_t>> buffers(2, std::vector<std::uint8_t>(DbnDecoder::kMaxRecordBytes * 4));
    for (std::uint32_t i = 0; i < buffers.size(); ++i) queue.Lend({buffers[i].data(), buffers[i].size(), i});
    LiveThreaded::Callbacks cb;
    cb.acquire = [&] { return queue.Acquire(); };
    cb.batch = [&](const BatchSlot& slot, const RecordBatchInfo& info) {
      return LiveThreaded::AfterPush(queue.PushBatch(slot, info));
    };
    cb.unused = [&](const BatchSlot& slot) { queue.Lend(slot); };
    client.Start(cb);
    std::size_t records = 0, batches = 0;
    bool in_order = true;
    for (int i = 0; i < 2000 && records < 5000; ++i) {
      auto item = queue.Pop();
      if (!item) {
        std::this_thread::sleep_for(std::chrono::milliseconds{1});
        continue;
      }
      if (item->kind != BatchQueue::Kind::Batch) continue;
      ++batches;
      // Read the records where the session thread wrote them.
      for (std::size_t at = 0; at < item->info.bytes;) {
        const std::uint8_t* rec = item->slot.data + at;
        std::uint32_t size = 0;  // the stream numbers its trades in `size`
        std::memcpy(&size, rec + offsetof(TradeMsg, size), sizeof size);
        if (size != records) in_order = false;
        at += rec[0] * 4u;
        ++records;
      }
      queue.Lend(item->slot);
    }
    client.Stop();
    queue.Stop();
    client.Join();
    while (queue.Pop()) {
    }
    Check(records == 5000, "lent-slot records " + std::to_string(records));
    Check(batches >= 3, "records went round the two slots");
    Check(in_order, "lent-slot records in order");
    Check(queue.FreeSlots() == 2, "every slot given back after Stop");
  }
}

// poll(2) fails with EINVAL once its descriptor count exceeds RLIMIT_NOFILE:
// a read must then end with an error, not retry recv and poll forever.
void TestPollFailure() {
  const int srv = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ::bind(srv, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  ::listen(srv, 1);
  ::getsockname(srv, reinterpret_cast<sockaddr*>(&addr), &len);
  const int wake = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  {
    const auto now = std::chrono::steady_clock::now();
    TcpClient conn{"127.0.0.1", ntohs(addr.sin_port), now + std::chrono::seconds{5}, wake};
    // In a child process, so the lowered limit touches nothing else; its
    // exit status says how the read ended.
    const pid_t pid = ::fork();
    if (pid == 0) {
      // UBSan's vptr check probes memory through a pipe, which the lowered
      // limit forbids: its false reports would only be noise here.
      const int devnull = ::open("/dev/null", O_WRONLY);
      ::dup2(devnull, 2);
      rlimit low{};
      ::getrlimit(RLIMIT_NOFILE, &low);
      low.rlim_cur = 1;  // below the two descriptors polled
      ::setrlimit(RLIMIT_NOFILE, &low);
      std::uint8_t buf[64];
      int status = 1;
      try {
        conn.Read(buf, sizeof buf, std::chrono::steady_clock::now() + std::chrono::milliseconds{300});
      } catch (const LiveError& e) {
        status = e.Code() == LiveErrorCode::Internal && std::strstr(e.what(), "poll") ? 0 : 2;
      }
      ::_exit(status);
    }
    int status = -1;
    bool ended = false;
    for (int i = 0; i < 300 && !ended; ++i) {
      ended = ::waitpid(pid, &status, WNOHANG) == pid;
      if (!ended) std::this_thread::sleep_for(std::chrono::milliseconds{10});
    }
    if (!ended) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
    }
    Check(ended, "a read whose poll fails ends (it spun for 3 s)");
    Check(ended && WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "a failing poll is an INTERNAL error naming poll (child status " + std::to_string(status) + ")");
  }
  ::close(wake);
  ::close(srv);
}

}  // namespace

#ifdef DATABENTO_LIVE_HARNESS
TEST("live: a failing poll ends a read with an error") { TestPollFailure(); }
TEST("live: SHA-256 FIPS 180-4 vectors") { TestSha256(); }
TEST("live: CRAM reply vectors") { TestCram(); }
TEST("live: control lines on the wire") { TestLines(); }
TEST("live: sessions against a scripted gateway") { TestSession(); }
#endif

int RunLiveTests() {
  g_failures = 0;
  TestSha256();
  TestCram();
  TestLines();
  TestPollFailure();
  TestSession();
  std::fprintf(stderr, "live tests: %d failure(s)\n", g_failures);
  return g_failures;
}

#ifdef DATABENTO_LIVE_TESTS_MAIN
int main() { return RunLiveTests() == 0 ? 0 : 1; }
#endif
