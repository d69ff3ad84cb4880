//! Stage timings (across the pipeline): how long load, resolve, each renderer and the write
//! stage took in one build. A [`Timings`] travels with the build as a value; `keikaku build
//! --timings` prints it, and the benchmark script reads it to time the search index and the
//! pages separately. Recording costs one lock per stage.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Resident memory of this process now, in bytes (Linux; `None` elsewhere).
pub fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

/// The time each stage of a build took.
#[derive(Default)]
pub struct Timings {
    stages: Mutex<Vec<(&'static str, Duration)>>,
    /// Print the resident memory after each stage (for profiling).
    pub trace_memory: bool,
}

impl Timings {
    /// Timings that also print the resident memory after each stage.
    pub fn tracing_memory() -> Timings {
        Timings {
            trace_memory: true,
            ..Timings::default()
        }
    }

    /// Runs `f`, recording its wall-clock time under `stage` (times of a stage add up).
    pub fn time<T>(&self, stage: &'static str, f: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let out = f();
        self.record(stage, start.elapsed());
        if self.trace_memory {
            eprintln!("memory after {stage}: {} MB", resident_bytes().unwrap_or(0) / 1_000_000);
        }
        out
    }

    /// Adds `d` to the time of `stage`.
    pub fn record(&self, stage: &'static str, d: Duration) {
        let mut s = self.stages.lock().unwrap_or_else(|e| e.into_inner());
        match s.iter_mut().find(|(n, _)| *n == stage) {
            Some((_, t)) => *t += d,
            None => s.push((stage, d)),
        }
    }

    /// Takes the recorded stages, in the order they first ran, and starts afresh.
    pub fn take(&self) -> Vec<(&'static str, Duration)> {
        std::mem::take(&mut *self.stages.lock().unwrap_or_else(|e| e.into_inner()))
    }
}
