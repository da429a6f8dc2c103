#!/usr/bin/env bash
# Prints the oldest glibc a native binary loads on: the highest GLIBC_x.y
# symbol version it needs. Also fails if the binary still needs libstdc++,
# which the prebuilds link statically so that GLIBCXX versions never matter
# (libgcc_s.so.1 stays dynamic: every glibc system has it, and its static
# unwinder would need glibc 2.35).
# Usage: scripts/glibc-floor.sh [binary]   (default: prebuilds/linux-x64/databento-node.glibc.node,
#                                            else build/Release/databento.node)
set -euo pipefail
cd "$(dirname "$0")/.."

file=${1:-}
if [ -z "$file" ]; then
  for f in prebuilds/linux-x64/databento-node.glibc.node build/Release/databento.node; do
    if [ -f "$f" ]; then file=$f; break; fi
  done
fi
[ -n "$file" ] && [ -f "$file" ] || { echo "glibc-floor: no binary (run npm run prebuild)" >&2; exit 1; }

# objdump reads foreign-architecture ELF files too (the arm64 prebuild).
if objdump -p "$file" | grep -E 'NEEDED +libstdc\+\+' >&2; then
  echo "glibc-floor: $file links libstdc++ dynamically; binding.gyp must link it statically" >&2
  exit 1
fi
floor=$(objdump -T "$file" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/^GLIBC_//' | sort -uV | tail -n 1)
[ -n "$floor" ] || { echo "glibc-floor: no GLIBC symbol versions in $file" >&2; exit 1; }
echo "$floor"
