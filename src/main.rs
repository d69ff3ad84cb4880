//! The `keikaku` binary: parses the command line, hands it to one module of `cmd/` and sets
//! the exit status (0 done, 1 content errors, 2 usage or I/O).

mod cli;
mod cmd;

/// mimalloc: the build allocates many small strings on all cores at once, where the system
/// allocator's locks and fragmentation cost about a fifth of the time.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // No transparent huge pages for this process: mimalloc asks for them on its arenas, and
    // the kernel then zeroes 2 MB at each first touch — 12 % of a 5,000-measure build's
    // processor time went to that, with memory freed and touched again. Without them the
    // build took 1.7–2.9 s instead of 2.4–3.7 s, its load stage 0.2–0.3 s instead of
    // 0.5–1.0 s, and 260–270 MB instead of 290–315 MB (BENCHMARKS.md, session 10).
    #[cfg(target_os = "linux")]
    // SAFETY: prctl with PR_SET_THP_DISABLE only sets a flag of this process.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
    // Twice as many workers as cores: writing thousands of new files blocks in the file
    // system (inode allocation, directory locks) often enough that a third and fourth
    // thread keep the cores busy; the 5,000-measure build into a new folder took 10–25 %
    // less time with 4 threads than with 2 on a 2-core machine. RAYON_NUM_THREADS wins.
    if std::env::var_os("RAYON_NUM_THREADS").is_none() {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
        let _ = rayon::ThreadPoolBuilder::new().num_threads(cores * 2).build_global();
    }
    let cli = match cli::Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let code = match cmd::run(cli.command) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            2
        }
    };
    exit_now(code)
}

/// Ends the process at once, its output flushed. What the build left (the plan, the pages:
/// it forgets them) goes with the address space, and so does the allocator's memory: at a
/// normal exit mimalloc first hands each of its pages back to the system (some 240 calls at
/// 5,000 measures) just before the kernel drops them all anyway. Every command has
/// cleaned up (its scratch files, its lock) by the time it returns.
fn exit_now(code: u8) -> ExitCode {
    use std::io::Write;
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    #[cfg(unix)]
    // SAFETY: _exit ends the process; no Rust code runs after it, so nothing can observe
    // values whose destructors did not run.
    unsafe {
        libc::_exit(i32::from(code))
    }
    #[cfg(not(unix))]
    ExitCode::from(code)
}
