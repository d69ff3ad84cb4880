#!/usr/bin/env python3
"""A/B timing of two keikaku binaries on the same generated plan: full build into a new
folder, no-change rebuild and one-file rebuild (`build --no-pdf`), alternating the two
binaries run by run so that the machine's mood falls on both alike. Prints a Markdown
table of medians (ms).

    python3 bench/rebuild_ab.py OLD_BINARY NEW_BINARY PLAN_DIR [RUNS]

PLAN_DIR is a content folder, e.g. one made by
`cargo run --release --example genplan -- --measures 5000 --out /tmp/plan5000`. Each full
build goes into a new folder and nothing is deleted until the end, and the runs wait until
five minutes have passed since a benchmark last deleted its outputs (see bench/bench.py's
wait_for_freed_inodes: deleted files make ext4 without a journal slower at creating new ones).
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import remove_trees, wait_for_freed_inodes  # noqa: E402


def timed(cmd):
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (time.perf_counter() - t) * 1000


def one_measure(plan):
    for root, _, files in sorted(os.walk(os.path.join(plan, "measures"))):
        for f in sorted(files):
            if f.endswith(".ja.md"):
                return os.path.join(root, f)
    sys.exit("no measure in the plan")


def main():
    old, new, plan = sys.argv[1:4]
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    work = tempfile.mkdtemp(prefix="keikaku-ab-")
    content = os.path.join(work, "content")
    shutil.copytree(plan, content)
    measure = one_measure(content)
    wait_for_freed_inodes(work)
    text = open(measure, encoding="utf-8").read()
    results = {name: {"full": [], "same": [], "one": []} for name in ("old", "new")}
    for i in range(runs):
        for name, binary in (("old", old), ("new", new)) if i % 2 == 0 else (("new", new), ("old", old)):
            # A new folder, with nothing beside it (keikaku keeps its spare there).
            out = os.path.join(work, f"out-{name}-{i}")
            build = [binary, "build", "--no-pdf", "--content", content, "--output", out]
            results[name]["full"].append(timed(build))
            results[name]["same"].append(timed(build))
            with open(measure, "w", encoding="utf-8") as f:
                f.write(text + f"\n追記 {i} {name}。\n")
            results[name]["one"].append(timed(build))
            with open(measure, "w", encoding="utf-8") as f:
                f.write(text)
            timed(build)
    remove_trees([work])
    print(f"{runs} runs each, alternating; medians in ms ({os.cpu_count()} cores)\n")
    print("| | full build (new folder) | no-change rebuild | one-file rebuild |")
    print("| --- | ---: | ---: | ---: |")
    for name, binary in (("old", old), ("new", new)):
        r = results[name]
        row = " | ".join(f"{statistics.median(r[k]):.0f}" for k in ("full", "same", "one"))
        print(f"| {name} (`{binary}`) | {row} |")


if __name__ == "__main__":
    main()
