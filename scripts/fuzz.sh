#!/usr/bin/env bash
# Fuzzes the DBN push decoder with libFuzzer under AddressSanitizer and UBSan
# (deps/databento-core/fuzz/dbn_decoder_fuzz.cpp), seeded from the DBN
# fixtures. Needs clang and its libFuzzer runtime (Debian: clang libclang-rt-dev).
#
# Usage: scripts/fuzz.sh [seconds] [libFuzzer flags...]     (npm run fuzz -- 600)
#   seconds  how long to run (default 60)
# The build, the growing corpus and any crash (crash-*, timeout-*, oom-*) stay
# in .fuzz/; rerun one with .fuzz/build/dbn_decoder_fuzz .fuzz/crash-…
# Exits non-zero when the fuzzer found a fault.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

seconds=${1:-60}
[ $# -gt 0 ] && shift
case "$seconds" in
  '' | *[!0-9]*) echo "usage: $0 [seconds] [libFuzzer flags...]" >&2; exit 2 ;;
esac
if ! command -v clang++ >/dev/null; then
  echo "fuzz: clang++ not found (apt-get install clang libclang-rt-dev)" >&2
  exit 2
fi

out=${DATABENTO_FUZZ_DIR:-$root/.fuzz}
mkdir -p "$out/corpus" "$out/seeds"
cmake -S deps/databento-core -B "$out/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER=clang++ -DDATABENTO_SANITIZE=ON -DDATABENTO_FUZZ=ON >/dev/null
cmake --build "$out/build" --target dbn_decoder_fuzz -j 2 >/dev/null

# Seeds: every fixture behind control bytes that decode it as it is meant
# to be (fragments with their version), plain and zstd-wrapped, with both
# read-buffer sizes and each upgrade policy (see the harness's header).
node --input-type=module - "$out/seeds" <<'JS'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
const dir = 'test/fixtures/dbn';
const seeds = process.argv[2];
for (const name of readdirSync(dir)) {
  if (!name.includes('.dbn') && !name.endsWith('.dbz')) continue;
  const bytes = readFileSync(`${dir}/${name}`);
  const fragment = name.includes('.frag');
  const version = /\.v1\./.test(name) ? 1 : /\.v2\./.test(name) ? 2 : 3;
  for (let policy = 0; policy < 3; policy++) {
    for (const extra of [0, 0x40, 0x80]) {
      if (extra === 0x40 && name.endsWith('.zst')) continue;
      const mode = policy | (fragment ? 0x04 | ((version - 1) << 3) : 0) | extra;
      const seed = Buffer.concat([Buffer.from([mode, policy * 31 + extra, 7, 1]), bytes]);
      writeFileSync(`${seeds}/${name}.${mode.toString(16)}`, seed);
    }
  }
}
JS

echo "fuzz: running dbn_decoder_fuzz for ${seconds}s (corpus $out/corpus)"
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1} \
  "$out/build/dbn_decoder_fuzz" -max_total_time="$seconds" -print_final_stats=1 -rss_limit_mb=2048 \
  -max_len=65536 -timeout=30 -artifact_prefix="$out/" "$@" "$out/corpus" "$out/seeds"
