// Compiles the generated layout static_asserts (sizes and offsets of every
// record struct, level struct and enum) into every build of the core, so a
// struct that drifts from the DBN wire layout breaks the build rather than the
// data. This translation unit intentionally defines nothing.
#include "databento/record_layout_checks.hpp"
