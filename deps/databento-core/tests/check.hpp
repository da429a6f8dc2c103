#pragma once

// A minimal test harness for the core's own test executable: TEST cases
// register themselves, CHECK records a failure and carries on.

#include <functional>
#include <iostream>
#include <string>
#include <vector>

namespace databento::test {

struct Case {
  const char* name;
  std::function<void()> fn;
};

inline std::vector<Case>& Cases() {
  static std::vector<Case> cases;
  return cases;
}

inline int& Failures() {
  static int failures = 0;
  return failures;
}

struct Register {
  Register(const char* name, std::function<void()> fn) {
    Cases().push_back({name, std::move(fn)});
  }
};

}  // namespace databento::test

#define DBN_CAT2(a, b) a##b
#define DBN_CAT(a, b) DBN_CAT2(a, b)
#define TEST(name)                                                      \
  static void DBN_CAT(test_fn_, __LINE__)();                            \
  static ::databento::test::Register DBN_CAT(test_reg_, __LINE__){      \
      name, DBN_CAT(test_fn_, __LINE__)};                               \
  static void DBN_CAT(test_fn_, __LINE__)()

#define CHECK(cond)                                                      \
  do {                                                                   \
    if (!(cond)) {                                                       \
      ++::databento::test::Failures();                                   \
      std::cerr << __FILE__ << ":" << __LINE__ << ": CHECK(" #cond ") failed\n"; \
    }                                                                    \
  } while (0)
