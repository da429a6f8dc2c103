// The core's test executable: runs every registered TEST and prints a
// summary line of the form "N passed, M failed". Arguments run only the
// tests whose name contains one of them.

#include <exception>
#include <iostream>
#include <string>

#include "check.hpp"

int main(int argc, char** argv) {
  using namespace databento::test;
  auto selected = [&](const std::string& name) {
    for (int i = 1; i < argc; ++i) {
      if (name.find(argv[i]) != std::string::npos) return true;
    }
    return argc <= 1;
  };
  int passed = 0;
  int failed = 0;
  for (const auto& c : Cases()) {
    if (!selected(c.name)) continue;
    const int before = Failures();
    try {
      c.fn();
    } catch (const std::exception& e) {
      ++Failures();
      std::cerr << c.name << ": unexpected exception: " << e.what() << "\n";
    }
    if (Failures() == before) {
      ++passed;
    } else {
      ++failed;
      std::cerr << "FAILED: " << c.name << "\n";
    }
  }
  std::cout << passed << " passed, " << failed << " failed\n";
  return failed == 0 ? 0 : 1;
}
