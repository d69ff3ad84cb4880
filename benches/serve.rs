//! Edit-to-ready latency of `keikaku serve`: after a one-file edit, how long until the
//! served page shows it (file event, debounce, rebuild, write), on the bundled plan and on a
//! generated plan of 1,000 measures. Prints medians and the slowest run.
//!
//! Run with `cargo bench --bench serve` (set `SERVE_MEASURES` for another size). With
//! `SERVE_PDF_EDITS=200` it first measures the PDFs: edit → every PDF on disk (median of ten
//! edits) and the resident memory after 10, 50, 100 and 200 edits (`SERVE_PDF_ONLY=1` for
//! that alone).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn get(addr: SocketAddr, path: &str) -> String {
    let mut s = TcpStream::connect(addr).expect("server");
    write!(s, "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    out
}

fn copy(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let dst = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dst).unwrap();
        } else {
            std::fs::copy(e.path(), &dst).unwrap();
        }
    }
}

fn measure(name: &str, content: &Path, file: &str, page: &str, runs: usize) {
    let out = tempfile::tempdir().unwrap();
    let options = keikaku::serve::ServeOptions {
        content: content.to_path_buf(),
        output: out.path().to_path_buf(),
        addr: "127.0.0.1:0".parse().unwrap(),
        open: false,
        poll: false,
        pdf: false,
        theme: None,
        timings: false,
    };
    let t = Instant::now();
    let preview = keikaku::serve::start(&options).expect("serve starts");
    let first = t.elapsed();
    let path = content.join(file);
    let original = std::fs::read_to_string(&path).unwrap();
    let mut times = Vec::new();
    for i in 0..runs {
        let marker = format!("計測{i}回目");
        std::fs::write(
            &path,
            original.replacen("## 方針（目的）\n\n", &format!("## 方針（目的）\n\n{marker}。"), 1),
        )
        .unwrap();
        let t = Instant::now();
        while !get(preview.addr, page).contains(&marker) {
            assert!(t.elapsed() < Duration::from_secs(30), "the edit never showed");
            std::thread::sleep(Duration::from_millis(10));
        }
        times.push(t.elapsed());
        std::thread::sleep(Duration::from_millis(150));
    }
    std::fs::write(&path, original).unwrap();
    times.sort();
    println!(
        "{name:<34} first build {:>6.0} ms   edit→ready median {:>5.0} ms   slowest {:>5.0} ms   ({runs} edits)",
        first.as_secs_f64() * 1000.0,
        times[times.len() / 2].as_secs_f64() * 1000.0,
        times[times.len() - 1].as_secs_f64() * 1000.0,
    );
}

/// The resident memory of a process, in MB.
fn rss_mb(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// With PDFs, in the real `keikaku serve` (its own process and allocator): after a
/// one-paragraph edit of a measure, how long until every PDF of the plan is on disk again
/// (the `pdfs` count of `/__keikaku/status` goes up), median of the first ten edits; then
/// serve's resident memory as the session goes on, to `edits` edits.
fn measure_pdfs(content: &Path, file: &str, edits: usize) {
    use std::io::BufRead;
    let out = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_keikaku"))
        .args(["serve", "--port", "0", "--content"])
        .arg(content)
        .arg("--output")
        .arg(out.path().join("site"))
        .env("NO_COLOR", "1")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("keikaku serve starts");
    let mut err = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    let port: u16 = loop {
        line.clear();
        assert!(err.read_line(&mut line).unwrap() > 0, "serve stopped");
        if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
            break rest.split('/').next().unwrap().parse().unwrap();
        }
    };
    std::thread::spawn(move || std::io::copy(&mut err, &mut std::io::sink()));
    let addr: SocketAddr = ([127, 0, 0, 1], port).into();
    let pdfs = || {
        let status = get(addr, "/__keikaku/status");
        let body = status.split_once("\r\n\r\n").map_or("", |x| x.1).to_string();
        serde_json::from_str::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| v["pdfs"].as_u64())
            .unwrap_or(0)
    };
    let wait_for = |n: u64| {
        let t = Instant::now();
        while pdfs() < n {
            assert!(t.elapsed() < Duration::from_secs(120), "the PDFs never came");
            std::thread::sleep(Duration::from_millis(2));
        }
    };
    let t = Instant::now();
    wait_for(1);
    let first = t.elapsed();
    let count = std::fs::read_dir(out.path().join("site/downloads"))
        .map(|d| {
            d.flatten()
                .filter(|e| e.path().extension().is_some_and(|x| x == "pdf"))
                .count()
        })
        .unwrap_or(0);
    let path = content.join(file);
    let original = std::fs::read_to_string(&path).unwrap();
    let mut times = Vec::new();
    let mut memory = vec![format!("start {:.0} MB", rss_mb(child.id()))];
    for i in 0..edits {
        let before = pdfs();
        std::fs::write(
            &path,
            original.replacen(
                "## 方針（目的）\n\n",
                &format!("## 方針（目的）\n\n計測{i}回目の一文です。"),
                1,
            ),
        )
        .unwrap();
        let t = Instant::now();
        wait_for(before + 1);
        if i < 10 {
            times.push(t.elapsed());
        }
        if [10, 50, 100, 200].contains(&(i + 1)) || i + 1 == edits {
            memory.push(format!("{} edits {:.0} MB", i + 1, rss_mb(child.id())));
        }
    }
    std::fs::write(&path, original).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    times.sort();
    println!(
        "PDFs of the bundled plan ({count} files)   first {:>6.0} ms   edit→all PDFs on disk median {:>5.0} ms   slowest {:>5.0} ms   (10 edits of {file})",
        first.as_secs_f64() * 1000.0,
        times[times.len() / 2].as_secs_f64() * 1000.0,
        times[times.len() - 1].as_secs_f64() * 1000.0,
    );
    println!("serve's resident memory: {}", memory.join(", "));
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    println!(
        "serve latency — {} cores; the watcher's debounce (30 ms) included",
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
    );
    let bundled = tempfile::tempdir().unwrap();
    copy(&root.join("content"), bundled.path());
    if std::env::var("SERVE_PDF_ONLY").is_ok() || std::env::var("SERVE_PDF_EDITS").is_ok() {
        let edits = std::env::var("SERVE_PDF_EDITS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(200);
        measure_pdfs(
            bundled.path(),
            &std::env::var("SERVE_PDF_FILE").unwrap_or("measures/kosodate/kosodate-1.ja.md".into()),
            edits.max(10),
        );
        if std::env::var("SERVE_PDF_ONLY").is_ok() {
            return;
        }
    }
    measure(
        "bundled plan (24 measures)",
        bundled.path(),
        "measures/kosodate/kosodate-1.ja.md",
        "/measures/kosodate-1/",
        15,
    );
    let n: usize = std::env::var("SERVE_MEASURES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    let generated = tempfile::tempdir().unwrap();
    let status = Command::new(env!("CARGO"))
        .args([
            "run",
            "--quiet",
            "--release",
            "--example",
            "genplan",
            "--",
            "--measures",
            &n.to_string(),
            "--out",
        ])
        .arg(generated.path())
        .current_dir(root)
        .status()
        .expect("genplan runs");
    assert!(status.success());
    measure(
        &format!("generated plan ({n} measures)"),
        generated.path(),
        "measures/kosodate/kosodate-1.ja.md",
        "/measures/kosodate-1/",
        10,
    );
}
