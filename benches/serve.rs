//! Edit-to-ready latency of `keikaku serve`: after a one-file edit, how long until the
//! served page shows it (file event, debounce, rebuild, write), on the bundled plan and on a
//! generated plan of 1,000 measures. Prints medians and the slowest run.
//!
//! Run with `cargo bench --bench serve` (set `SERVE_MEASURES` for another size).

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

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    println!(
        "serve latency — {} cores; debounce 80 ms included",
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
    );
    let bundled = tempfile::tempdir().unwrap();
    copy(&root.join("content"), bundled.path());
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
