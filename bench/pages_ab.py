#!/usr/bin/env python3
"""Issue 21.4's figure for one or more keikaku binaries, alternating: the HTML pages of a
generated plan (the build's wall time less its search index and open data stages, as
bench/bench.py counts it), with a Hugo build of the same pages after each set of runs, so
that a busy disk or a noisy neighbour falls on every binary and on Hugo alike. Prints, per
binary, the medians of the figure and of each stage, Hugo's median and the ratio.

    python3 bench/pages_ab.py PLAN_DIR HUGO_SITE BINARY [BINARY ...]

PLAN_DIR and HUGO_SITE as made by
`cargo run --release --example genplan -- --measures 5000 --out PLAN_DIR --hugo HUGO_SITE`.
The binaries take turns building first in each round. Environment: RUNS (default 6); OUT, where the builds go (default a new folder under the
system's temporary folder; /dev/shm to leave the disk out); HUGO=0 to leave Hugo out. Every
build goes into a new folder, after `sync` and a second's pause, and nothing is deleted until
the end: deleting thousands of files makes ext4 without a journal slower at creating them for
five minutes, so a run waits until five minutes have passed since an earlier benchmark deleted
its outputs (bench/bench.py's wait_for_freed_inodes; NO_WAIT=1 to skip).
"""
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import hugo_binary, remove_trees, wait_for_freed_inodes  # noqa: E402  (the same Hugo as bench/run.sh)

STAGES = ["load", "resolve", "glyph coverage", "open data", "search index", "pages", "write (finish)"]


def build(binary, plan, out):
    t = time.perf_counter()
    p = subprocess.run(
        [binary, "build", "--no-pdf", "--timings", "--content", plan, "--output", out],
        capture_output=True,
        text=True,
    )
    wall = (time.perf_counter() - t) * 1000
    if p.returncode != 0:
        sys.exit(f"{binary} failed:\n{p.stderr}")
    stages = {m.group(1).strip(): float(m.group(2)) for m in re.finditer(r"timing: (.+?)\s+([\d.]+) ms", p.stderr)}
    stages["wall"] = wall
    stages["figure"] = wall - stages.get("search index", 0) - stages.get("open data", 0)
    return stages


def settle():
    os.sync()
    time.sleep(1)


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    plan, hugo_site, binaries = sys.argv[1], sys.argv[2], sys.argv[3:]
    runs = int(os.environ.get("RUNS", "6"))
    base = tempfile.mkdtemp(prefix="keikaku-pages-ab-", dir=os.environ.get("OUT"))
    wait_for_freed_inodes(base)
    hugo = hugo_binary() if os.environ.get("HUGO", "1") != "0" else None
    results = {b: [] for b in binaries}
    hugo_ms = []
    n = 0
    try:
        for i in range(runs):
            # The order turns each round, so that no binary always builds first after Hugo.
            for b in binaries[i % len(binaries):] + binaries[: i % len(binaries)]:
                n += 1
                settle()
                results[b].append(build(b, plan, os.path.join(base, f"k{n}")))
            if hugo:
                n += 1
                settle()
                t = time.perf_counter()
                subprocess.run(
                    [hugo, "--quiet", "--source", hugo_site, "--destination", os.path.join(base, f"h{n}")],
                    check=True,
                    cwd="/",
                )
                hugo_ms.append((time.perf_counter() - t) * 1000)
            line = " ".join(f"{results[b][-1]['figure']:.0f}" for b in binaries)
            print(f"run {i + 1}: {line}" + (f" | Hugo {hugo_ms[-1]:.0f}" if hugo else ""), file=sys.stderr, flush=True)
    finally:
        remove_trees([base])
    h = statistics.median(hugo_ms) if hugo_ms else None
    print(f"medians of {runs} runs (ms)" + (f"; Hugo {h:,.0f} ms" if h else ""))
    for b in binaries:
        med = {k: statistics.median(r.get(k, 0) for r in results[b]) for k in ["wall", "figure", *STAGES]}
        line = f"{b}: figure {med['figure']:,.0f}, wall {med['wall']:,.0f}; " + ", ".join(
            f"{k} {med[k]:,.0f}" for k in STAGES
        )
        if h:
            pairs = statistics.median(r["figure"] / x for r, x in zip(results[b], hugo_ms))
            line += f" | / Hugo {med['figure'] / h:.3f} (run by run {pairs:.3f})"
        print(line)


if __name__ == "__main__":
    main()
