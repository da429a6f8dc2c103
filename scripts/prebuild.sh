#!/usr/bin/env bash
# Makes the prebuilt binaries that ship in the npm package, named as
# node-gyp-build looks for them:
#   prebuilds/linux-x64/databento-node.glibc.node     always
#   prebuilds/linux-arm64/databento-node.glibc.node   with Debian's cross compiler
#                                                     g++-aarch64-linux-gnu, installed first
#                                                     when missing (as root, with apt-get),
#                                                     then tested under qemu-user
#                                                     (scripts/test-arm64.sh)
# Each is `prebuildify --napi --strip --tag-libc`: one N-API 8 binary for every
# Node >= 20 and Electron, stripped, tagged glibc (musl systems build from source).
#
# Usage: scripts/prebuild.sh [--arch=x64|arm64|all] [--from-build] [--check]
#   --arch        which prebuilds to make (default all: x64, plus arm64 if it can be cross-compiled)
#   --no-test     skip the qemu test of the arm64 binary
#   --from-build  x64 only: reuse build/Release/databento.node (strip and copy) instead of
#                 compiling again; it is the same binding.gyp build. Fails if there is none.
#   --check       make nothing; fail unless both prebuilds exist and are newer than every
#                 C++ source (run before publishing).
#
# The x64 build runs node-gyp in the repository (build/ then holds that build);
# the arm64 build runs in a temporary copy of the sources so build/ never holds
# a binary this machine cannot load.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

arch=all
from_build=0
check=0
test_arm64=1
for arg in "$@"; do
  case "$arg" in
    --arch=x64 | --arch=arm64 | --arch=all) arch=${arg#--arch=} ;;
    --from-build) from_build=1 ;;
    --check) check=1 ;;
    --no-test) test_arm64=0 ;;
    *) echo "usage: $0 [--arch=x64|arm64|all] [--from-build] [--check] [--no-test]" >&2; exit 2 ;;
  esac
done

name=databento-node.glibc.node

if [ "$check" = 1 ]; then
  status=0
  for dir in linux-x64 linux-arm64; do
    file=prebuilds/$dir/$name
    if [ ! -f "$file" ]; then
      echo "prebuild: $file is missing (npm run prebuild)" >&2; status=1; continue
    fi
    newer=$(find binding.gyp cpp deps/databento-core/include deps/databento-core/src -newer "$file" -type f | head -n 3)
    if [ -n "$newer" ]; then
      echo "prebuild: $file is older than $(echo $newer) (npm run prebuild)" >&2; status=1; continue
    fi
    echo "prebuild: $file ok, glibc floor $("$root/scripts/glibc-floor.sh" "$file")"
  done
  exit $status
fi
prebuildify=(node "$root/node_modules/prebuildify/bin.js" --napi --strip --tag-libc)

# Build against the headers installed with this Node when they exist, so that
# node-gyp downloads nothing.
node_prefix=$(dirname "$(dirname "$(command -v node)")")
if [ -z "${npm_config_nodedir:-}" ] && [ -f "$node_prefix/include/node/node_api.h" ]; then
  export npm_config_nodedir="$node_prefix"
fi

build_x64() {
  local out=prebuilds/linux-x64
  if [ "$from_build" = 1 ]; then
    [ -f build/Release/databento.node ] || { echo "prebuild: no build/Release/databento.node to reuse" >&2; exit 1; }
    mkdir -p "$out"
    # Write then rename, so a concurrent reader never sees half a binary.
    cp build/Release/databento.node "$out/.$name.tmp"
    strip --strip-all "$out/.$name.tmp"
    mv -f "$out/.$name.tmp" "$out/$name"
  else
    "${prebuildify[@]}" --arch=x64
    # prebuildify moves the binary out of build/Release; put it back so the
    # repository keeps loading the build it just made.
    cp "$out/$name" build/Release/databento.node
  fi
  echo "prebuild: $out/$name ($(stat -c %s "$out/$name") bytes, glibc floor $("$root/scripts/glibc-floor.sh" "$out/$name"))"
}

build_arm64() {
  local cxx=aarch64-linux-gnu-g++
  if ! command -v "$cxx" >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "prebuild: installing the arm64 cross compiler (g++-aarch64-linux-gnu)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      g++-aarch64-linux-gnu binutils-aarch64-linux-gnu >/dev/null
  fi
  if ! command -v "$cxx" >/dev/null; then
    echo "prebuild: skipping linux-arm64: $cxx not found (apt-get install g++-aarch64-linux-gnu, as root)" >&2
    [ "$arch" = arm64 ] && exit 1
    return 0
  fi
  local stage
  stage=$(mktemp -d "${TMPDIR:-/tmp}/databento-prebuild-arm64.XXXXXX")
  trap 'rm -rf "$stage"' RETURN
  mkdir -p "$stage/deps/databento-core" "$stage/scripts"
  cp -r binding.gyp package.json cpp "$stage/"
  cp -r deps/databento-core/include deps/databento-core/src "$stage/deps/databento-core/"
  cp scripts/sources.mjs "$stage/scripts/"
  ln -s "$root/node_modules" "$stage/node_modules"
  (
    cd "$stage"
    CC=aarch64-linux-gnu-gcc CXX=$cxx \
      "${prebuildify[@]}" --arch=arm64 --strip-bin=aarch64-linux-gnu-strip --out="$root"
  )
  local out=prebuilds/linux-arm64/$name
  echo "prebuild: $out ($(stat -c %s "$out") bytes, glibc floor $("$root/scripts/glibc-floor.sh" "$out"))"
  if [ "$test_arm64" = 1 ]; then
    # Exit 2: qemu or the arm64 runtime cannot be installed here; say so, go on.
    "$root/scripts/test-arm64.sh" || { [ $? = 2 ] && echo "prebuild: linux-arm64 not tested (no qemu)" >&2; } || exit 1
  fi
}

case "$arch" in
  x64) build_x64 ;;
  arm64) build_arm64 ;;
  all) build_x64; build_arm64 ;;
esac
