// The core's test executable: runs every registered TEST and prints a
// summary line of the form "N passed, M failed". An argument runs only the
// tests whose name contains it.

#include <exception>
#include <iostream>
#include <string>

#include "check.hpp"

int main(int argc, char** argv) {
  using namespace databento::test;
  const std::string filter = argc > 1 ? argv[1] : "";
  int passed = 0;
  int failed = 0;
  for (const auto& c : Cases()) {
    if (std::string{c.name}.find(filter) == std::string::npos) continue;
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
