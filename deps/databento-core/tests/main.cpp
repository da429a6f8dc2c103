// The core's test executable: runs every registered TEST and prints a
// summary line of the form "N passed, M failed".

#include <exception>
#include <iostream>

#include "check.hpp"

int main() {
  using namespace databento::test;
  int passed = 0;
  int failed = 0;
  for (const auto& c : Cases()) {
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
