#!/usr/bin/env bash
# Search benchmark (see bench/search.mjs and BENCHMARKS.md): builds the bundled plan and the
# generated plans of 1,000 and 5,000 measures, indexes each with Pagefind as well, and
# prints bytes, time to results and queries found for twenty queries a language.
#   bash bench/search.sh                 # all three
#   SIZES="bundled 5000" bash bench/search.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work="${WORK:-/tmp/keikaku-search-bench}"
mkdir -p "$work"
# Pagefind (extended build, npm) and playwright-core, for the benchmark only.
[ -x bench/node_modules/@pagefind/linux-x64/bin/pagefind_extended ] ||
  npm install --prefix bench --no-save --no-package-lock pagefind@1.6.0 >&2
[ -d tests/browser/node_modules/playwright-core ] ||
  npm install --prefix tests/browser --no-save --no-package-lock playwright-core >&2
cargo build --release --bins --examples >&2
sites=()
for size in ${SIZES:-bundled 1000 5000}; do
  if [ "$size" = bundled ]; then content=content; else
    content="$work/plan$size"
    target/release/examples/genplan --measures "$size" --out "$content" >&2
  fi
  target/release/keikaku build --no-pdf --content "$content" --output "$work/site-$size/keikaku" >&2
  sites+=("$size=$work/site-$size/keikaku")
done
echo "# $(date -u +%F), $(nproc) cores, Chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}'), Pagefind 1.6.0"
node bench/search.mjs "${sites[@]}"
