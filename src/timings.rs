//! Stage timings (across the pipeline): how long load, resolve, each renderer and the write
//! stage took in one build. A [`Timings`] travels with the build as a value; `keikaku build
//! --timings` prints it, and the benchmark script reads it to time the search index and the
//! pages separately. Recording costs one lock and two `getrusage` calls per stage.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Resident memory of this process now, in bytes (Linux; `None` elsewhere).
pub fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

/// The processor time this process has used so far (all its threads, user and system).
pub fn cpu_time() -> Duration {
    // SAFETY: getrusage only writes the struct it is given.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) } != 0 {
        return Duration::ZERO;
    }
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(u.ru_utime) + tv(u.ru_stime)
}

/// One stage's times: wall clock, and the processor time of all threads.
#[derive(Clone, Copy, Debug, Default)]
pub struct Stage {
    /// Wall-clock time.
    pub wall: Duration,
    /// Processor time of the whole process meanwhile (so a stage on two cores shows twice its
    /// wall time, one waiting for the disk less).
    pub cpu: Duration,
}

impl Stage {
    /// The line `--timings` prints for the stage `name`: its wall time (what the benchmark
    /// scripts read), then its processor time.
    pub fn line(&self, name: &str) -> String {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        format!(
            "timing: {name:<22} {:>9.1} ms  (cpu {:.1} ms)",
            ms(self.wall),
            ms(self.cpu)
        )
    }
}

/// The time each stage of a build took.
#[derive(Default)]
pub struct Timings {
    stages: Mutex<Vec<(&'static str, Stage)>>,
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

    /// Runs `f`, recording its wall-clock and processor time under `stage` (times of a stage
    /// add up).
    pub fn time<T>(&self, stage: &'static str, f: impl FnOnce() -> T) -> T {
        let (start, cpu) = (Instant::now(), cpu_time());
        let out = f();
        let (wall, cpu) = (start.elapsed(), cpu_time().saturating_sub(cpu));
        {
            let mut s = self.stages.lock().unwrap_or_else(|e| e.into_inner());
            match s.iter_mut().find(|(n, _)| *n == stage) {
                Some((_, t)) => {
                    t.wall += wall;
                    t.cpu += cpu;
                }
                None => s.push((stage, Stage { wall, cpu })),
            }
        }
        if self.trace_memory {
            eprintln!("memory after {stage}: {} MB", resident_bytes().unwrap_or(0) / 1_000_000);
        }
        out
    }

    /// Takes the recorded stages, in the order they first ran, and starts afresh.
    pub fn take(&self) -> Vec<(&'static str, Stage)> {
        std::mem::take(&mut *self.stages.lock().unwrap_or_else(|e| e.into_inner()))
    }
}
