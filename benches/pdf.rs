//! PDF benchmark: the time to produce each PDF of the bundled plan in process (typeset and
//! export, as `keikaku build` does), next to the typst command line compiling the same
//! document (same templates, fonts and data). Prints medians of several runs.
//!
//! Every run of keikaku starts with typst's memoisation cache emptied, so each figure is a
//! cold typesetting of that document, as in a build; fonts are parsed once per process.
//!
//! Run with `cargo bench --bench pdf`. The typst CLI is taken from `$TYPST` or `PATH`
//! (`cargo install typst-cli --version 0.15.1 --locked`); without it only keikaku's times
//! are printed.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn typst_cli() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("TYPST") {
        return Some(PathBuf::from(p));
    }
    let out = Command::new("typst").arg("--version").output().ok()?;
    out.status.success().then(|| PathBuf::from("typst"))
}

fn main() {
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let theme = keikaku::theme::Theme::builtin();
    let checked =
        keikaku::check(&content, &keikaku::timings::Timings::default()).expect("the bundled plan can be read");
    let plan = checked.plan.expect("the bundled plan has no errors");
    let jobs = keikaku::render::pdf::jobs(&plan, &theme).expect("jobs");
    let cli = typst_cli();
    let cli_version = cli
        .as_ref()
        .and_then(|c| Command::new(c).arg("--version").output().ok())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    println!(
        "PDF benchmark — bundled plan, median of {runs} runs, {} cores",
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
    );
    println!(
        "typst CLI: {}",
        cli_version
            .as_deref()
            .unwrap_or("not found (set TYPST or install typst-cli 0.15.1)")
    );
    println!(
        "{:<42} {:>6} {:>12} {:>12} {:>7}",
        "document", "KiB", "keikaku", "typst CLI", "ratio"
    );
    let dir = tempfile::tempdir().expect("temp dir");
    // Warm up: fonts are parsed once per process, as in a real build.
    let _ = keikaku::render::pdf::typeset(&plan, &theme, &jobs[0]);
    let (mut total_k, mut total_c) = (Duration::ZERO, Duration::ZERO);
    for job in &jobs {
        let mut times = Vec::new();
        let mut bytes = Vec::new();
        for _ in 0..runs {
            // Each run starts cold, as in a build: typst's memoisation cache is emptied
            // (the fonts stay parsed, as they are once per build).
            typst::comemo::evict(0);
            let t = Instant::now();
            bytes = keikaku::render::pdf::typeset(&plan, &theme, job).expect("typeset");
            times.push(t.elapsed());
        }
        let k = median(times);
        total_k += k;
        let c = cli.as_ref().map(|cli| {
            let work = dir.path().join(job.name.replace('/', "_"));
            keikaku::render::pdf::export_sources(&work, &theme, job).expect("export sources");
            let main = work.join(job.main.trim_start_matches('/'));
            let mut times = Vec::new();
            for _ in 0..runs {
                let t = Instant::now();
                let out = Command::new(cli)
                    .args(["compile", "--ignore-system-fonts", "--font-path"])
                    .arg(work.join("fonts"))
                    .arg("--root")
                    .arg(&work)
                    .args(["--input", &format!("edition={}", job.edition.name())])
                    .arg(&main)
                    .arg(work.join("out.pdf"))
                    .output()
                    .expect("typst runs");
                assert!(
                    out.status.success(),
                    "typst CLI failed: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                times.push(t.elapsed());
            }
            median(times)
        });
        if let Some(c) = c {
            total_c += c;
        }
        println!(
            "{:<42} {:>6} {:>10.0}ms {:>12} {:>7}",
            job.name,
            bytes.len() / 1024,
            k.as_secs_f64() * 1000.0,
            c.map(|c| format!("{:.0}ms", c.as_secs_f64() * 1000.0))
                .unwrap_or_else(|| "—".into()),
            c.map(|c| format!("{:.2}", k.as_secs_f64() / c.as_secs_f64()))
                .unwrap_or_else(|| "—".into()),
        );
    }
    println!(
        "{:<42} {:>6} {:>10.0}ms {:>12} {:>7}",
        "all eight",
        "",
        total_k.as_secs_f64() * 1000.0,
        if cli.is_some() {
            format!("{:.0}ms", total_c.as_secs_f64() * 1000.0)
        } else {
            "—".into()
        },
        if cli.is_some() {
            format!("{:.2}", total_k.as_secs_f64() / total_c.as_secs_f64())
        } else {
            "—".into()
        },
    );
    println!("(the second column is the PDF size in KiB; ratio = keikaku / typst CLI, below 1 is faster)");
}
