//! Stage timings (across the pipeline): how long load, resolve, each renderer and the write
//! stage took in the last build. `keikaku build --timings` prints them; the benchmark script
//! reads them to time the search index and the pages separately. Recording is always on and
//! costs one lock per stage. For profiling: `KEIKAKU_TIMINGS=1 keikaku serve` prints the
//! stages of each incremental rebuild, `KEIKAKU_TRACE_MEMORY=1` the resident memory after
//! each stage.

use std::sync::Mutex;
use std::time::{Duration, Instant};

static STAGES: Mutex<Vec<(&'static str, Duration)>> = Mutex::new(Vec::new());

/// Resident memory of this process now, in bytes (Linux; `None` elsewhere).
pub fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

/// Runs `f`, recording its wall-clock time under `stage` (times of a stage add up).
pub fn time<T>(stage: &'static str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    record(stage, start.elapsed());
    if std::env::var_os("KEIKAKU_TRACE_MEMORY").is_some() {
        eprintln!("memory after {stage}: {} MB", resident_bytes().unwrap_or(0) / 1_000_000);
    }
    out
}

/// Adds `d` to the time of `stage`.
pub fn record(stage: &'static str, d: Duration) {
    let mut s = STAGES.lock().unwrap_or_else(|e| e.into_inner());
    match s.iter_mut().find(|(n, _)| *n == stage) {
        Some((_, t)) => *t += d,
        None => s.push((stage, d)),
    }
}

/// Takes the recorded stages, in the order they first ran, and starts afresh.
pub fn take() -> Vec<(&'static str, Duration)> {
    std::mem::take(&mut *STAGES.lock().unwrap_or_else(|e| e.into_inner()))
}
