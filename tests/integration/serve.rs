//! `keikaku serve` over HTTP: pages with the reload script, 404, the event stream, a
//! rebuild after an edit, the problems of a broken build with the last good site still
//! served; and `keikaku new`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::Fixture;

struct Serve {
    child: Child,
    port: u16,
    /// What serve printed on stderr so far.
    log: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(f: &Fixture, extra: &[&str]) -> Serve {
    let mut args = vec!["--no-pdf"];
    args.extend(extra);
    serve_with(f, &args)
}

/// serve with these options (PDFs unless `--no-pdf` is one).
fn serve_with(f: &Fixture, extra: &[&str]) -> Serve {
    let mut child = Command::new(env!("CARGO_BIN_EXE_keikaku"))
        .args(["serve", "--port", "0", "--content"])
        .arg(f.content())
        .arg("--output")
        .arg(f.output())
        .args(extra)
        .env("NO_COLOR", "1")
        .stderr(Stdio::piped())
        .spawn()
        .expect("keikaku serve starts");
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let port = read_port(&mut err);
    // Keep reading stderr so the server never blocks on a full pipe.
    let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let l = log.clone();
    std::thread::spawn(move || {
        let mut line = String::new();
        while err.read_line(&mut line).map(|n| n > 0).unwrap_or(false) {
            l.lock().unwrap().push_str(&line);
            line.clear();
        }
    });
    Serve { child, port, log }
}

/// Reads serve's output up to the line that says where it serves; returns the port.
fn read_port(err: &mut impl BufRead) -> u16 {
    let mut line = String::new();
    loop {
        line.clear();
        assert!(
            err.read_line(&mut line).unwrap() > 0,
            "serve stopped before it said where it serves"
        );
        if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
            return rest.split('/').next().unwrap().parse().unwrap();
        }
    }
}

fn get(port: u16, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let code = out.split_whitespace().nth(1).unwrap().parse().unwrap();
    let body = out.split_once("\r\n\r\n").map(|x| x.1.to_string()).unwrap_or_default();
    (code, body)
}

fn wait_until(what: &str, cond: impl FnMut() -> bool) -> Duration {
    wait_until_or(what, cond, String::new)
}

/// Waits for `cond`; on a timeout, fails with `context()` (what serve printed).
fn wait_until_or(what: &str, mut cond: impl FnMut() -> bool, context: impl Fn() -> String) -> Duration {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(20) {
        if cond() {
            return start.elapsed();
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    panic!("timed out waiting for {what}\n{}", context());
}

#[test]
fn serves_pages_with_the_reload_script_and_a_404() {
    let f = Fixture::new("small");
    let s = serve(&f, &[]);
    let (code, body) = get(s.port, "/measures/kodomo-1/");
    assert_eq!(code, 200);
    assert!(body.contains("保育の充実"));
    assert!(body.contains(r#"<script src="/__keikaku/reload.js"></script></body>"#));
    let (code, js) = get(s.port, "/__keikaku/reload.js");
    assert_eq!(code, 200);
    assert!(js.contains("EventSource"));
    let (code, body) = get(s.port, "/en/no-such-page/");
    assert_eq!(code, 404);
    assert!(body.contains("Page not found"));
    let (code, _) = get(s.port, "/../../etc/passwd");
    assert_eq!(code, 404);
    // The built files themselves contain no script.
    assert!(!f.read("measures/kodomo-1/index.html").contains("<script"));
}

#[test]
fn an_edit_rebuilds_and_the_event_stream_says_reload() {
    let f = Fixture::new("small");
    let s = serve(&f, &[]);
    let mut events = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    write!(events, "GET /__keikaku/events HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
    events.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut reader = BufReader::new(events);
    let mut line = String::new();
    while !line.starts_with(": connected") {
        line.clear();
        reader.read_line(&mut line).unwrap();
    }
    f.edit(
        "measures/kodomo-1.ja.md",
        "保育を充実します。",
        "保育を大きく充実します。",
    );
    let log = s.log.clone();
    wait_until_or(
        "the page to change",
        || {
            get(s.port, "/measures/kodomo-1/")
                .1
                .contains("保育を大きく充実します。")
        },
        || log.lock().unwrap().clone(),
    );
    loop {
        line.clear();
        reader.read_line(&mut line).unwrap();
        if line.starts_with("event:") {
            assert_eq!(line.trim(), "event: reload");
            break;
        }
    }
    // A new file in a new folder is picked up too.
    f.write(
        "districts/more/minami.ja.md",
        "---\ntitle: 南地区\nnumber: 2\n---\n南の地区です。\n",
    );
    wait_until("the new page", || get(s.port, "/districts/minami/").0 == 200);
}

#[test]
fn a_broken_file_keeps_the_last_good_site_and_reports_the_problem() {
    let f = Fixture::new("small");
    let s = serve(&f, &["--poll"]);
    f.edit("measures/kodomo-1.ja.md", "pillar: kodomo", "pillar: kodom");
    wait_until("the failed status", || {
        get(s.port, "/__keikaku/status").1.contains("\"failed\":true")
    });
    let (_, status) = get(s.port, "/__keikaku/status");
    assert!(status.contains("\"file\":\"measures/kodomo-1.ja.md\""), "{status}");
    assert!(status.contains("\"line\":3"), "{status}");
    assert!(status.contains("did you mean"), "{status}");
    let (code, page) = get(s.port, "/measures/kodomo-1/");
    assert_eq!(code, 200, "the last good page is still served");
    assert!(page.contains("保育の充実"));
    f.edit("measures/kodomo-1.ja.md", "pillar: kodom", "pillar: kodomo");
    wait_until("the fixed status", || {
        get(s.port, "/__keikaku/status").1.contains("\"failed\":false")
    });
}

#[test]
fn new_creates_a_measure_that_checks_and_refuses_a_used_id() {
    let f = Fixture::new("small");
    let r = f.run(&[
        "new",
        "measure",
        "kodomo-3",
        "--pillar",
        "kodomo",
        "--title",
        "読書活動の推進",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let ja = std::fs::read_to_string(f.content().join("measures/kodomo/kodomo-3.ja.md")).unwrap();
    assert!(
        ja.contains("title: \"読書活動の推進\"") && ja.contains("pillar: kodomo") && ja.contains("number: 3"),
        "{ja}"
    );
    assert!(ja.contains("## 具体的目標・目標値"));
    assert!(f.content().join("measures/kodomo/kodomo-3.en.md").exists());
    let check = f.run(&["check"]);
    assert_eq!(check.code, 0, "a new measure checks without errors:\n{}", check.stderr);
    let again = f.run(&["new", "measure", "kodomo-3", "--pillar", "kodomo"]);
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("already used"));
    let bad = f.run(&["new", "measure", "kodomo-9", "--pillar", "nopillar"]);
    assert!(bad.stderr.contains("there is no pillar `nopillar`"), "{}", bad.stderr);
    for (kind, id) in [("pillar", "kankyo"), ("district", "higashi"), ("chapter", "keii")] {
        let r = f.run(&["new", kind, id]);
        assert_eq!(r.code, 0, "{kind}: {}", r.stderr);
    }
    assert_eq!(f.run(&["check"]).code, 0);
}

#[test]
fn a_theme_folder_is_read_and_watched() {
    let f = Fixture::new("small");
    let theme = f.content().parent().unwrap().join("theme");
    std::fs::create_dir_all(theme.join("templates")).unwrap();
    let base = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/base.html"),
    )
    .unwrap();
    std::fs::write(
        theme.join("templates/base.html"),
        base.replace(
            "<footer class=\"site-footer\">",
            "<footer class=\"site-footer\"><p>THEME-ONE</p>",
        ),
    )
    .unwrap();
    let s = serve(&f, &["--theme", theme.to_str().unwrap()]);
    assert!(
        get(s.port, "/").1.contains("THEME-ONE"),
        "the theme folder's template is used"
    );
    std::fs::write(
        theme.join("templates/base.html"),
        base.replace(
            "<footer class=\"site-footer\">",
            "<footer class=\"site-footer\"><p>THEME-TWO</p>",
        ),
    )
    .unwrap();
    wait_until("the theme edit", || get(s.port, "/").1.contains("THEME-TWO"));
    // Files the folder does not have come from the built-in theme.
    assert!(get(s.port, "/assets/style.css").1.contains(".site-header"));
}

/// Every file of an output folder but the manifest (which records write times), by path.
fn tree(dir: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file() && e.file_name() != ".keikaku-manifest")
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

fn generation(port: u16) -> u64 {
    let (_, status) = get(port, "/__keikaku/status");
    let v: serde_json::Value = serde_json::from_str(&status).unwrap();
    v["generation"].as_u64().unwrap()
}

#[test]
fn incremental_rebuilds_write_exactly_what_a_full_build_writes() {
    let f = Fixture::new("bundled");
    let s = serve(&f, &[]);
    let append = |rel: &str, text: &str| {
        let mut t = f.read_content(rel);
        t.push_str(text);
        f.write(rel, t);
    };
    let ja = "measures/kankyo/kankyo-1.ja.md";
    let en = "measures/kankyo/kankyo-1.en.md";
    // (what the editor does, whether serve may rebuild only the item's pages)
    type Step<'a> = (&'a str, Box<dyn Fn() + 'a>, bool);
    let steps: Vec<Step> = vec![
        (
            "edit Japanese text (the translation becomes stale)",
            Box::new(|| append(ja, "\n市民の皆さんと一緒に取り組みます。\n")),
            true,
        ),
        (
            "edit the English text",
            Box::new(|| append(en, "\nWe will work on this together with residents.\n")),
            true,
        ),
        (
            "edit the text of a pledge",
            Box::new(|| append("pledges/pledge-1.ja.md", "\n追記の一文です。\n")),
            true,
        ),
        (
            "edit Japanese text again",
            Box::new(|| {
                f.edit(ja, "全庁を挙げて", "全庁を挙げて着実に");
            }),
            true,
        ),
        (
            "change a title",
            Box::new(|| {
                f.edit(ja, "ゼロカーボンシティの実現\"", "ゼロカーボンシティの推進\"");
            }),
            false,
        ),
        (
            "add a reference",
            Box::new(|| append(ja, "\n[](measure:kiban-2)とも連携します。\n")),
            false,
        ),
        (
            "edit text after a full build",
            Box::new(|| append(ja, "\n最後の一文です。\n")),
            true,
        ),
    ];
    for (what, change, fast) in steps {
        let before = generation(s.port);
        let log_before = s.log.lock().unwrap().len();
        change();
        wait_until(what, || generation(s.port) > before);
        // The status page can answer before serve's report of the rebuild reaches the log.
        wait_until(&format!("the log of: {what}"), || {
            let log = s.log.lock().unwrap();
            log[log_before..].contains("rebuilt ")
        });
        let log = s.log.lock().unwrap()[log_before..].to_string();
        assert_eq!(
            log.contains("rebuilt 1 page"),
            fast,
            "{what}: expected {} rebuild, serve said:\n{log}",
            if fast { "an incremental" } else { "a full" }
        );
        let full = tempfile::tempdir().unwrap();
        let r = Command::new(env!("CARGO_BIN_EXE_keikaku"))
            .args(["build", "--no-pdf", "--content"])
            .arg(f.content())
            .arg("--output")
            .arg(full.path())
            .output()
            .unwrap();
        assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
        let (a, b) = (tree(&f.output()), tree(full.path()));
        let differ: Vec<&String> = a.keys().chain(b.keys()).filter(|k| a.get(*k) != b.get(*k)).collect();
        assert!(
            differ.is_empty(),
            "{what}: serve's output differs from a full build in {differ:?}"
        );
    }
}

#[test]
fn a_vim_style_save_is_one_incremental_rebuild_and_scratch_files_start_no_build() {
    let f = Fixture::new("small");
    let s = serve(&f, &[]);
    let dir = f.content().join("measures");
    let before = generation(s.port);
    let log_before = s.log.lock().unwrap().len();
    // What an editor writes beside the file, and a change under .git: no build of their own.
    std::fs::write(dir.join("4913"), "").unwrap();
    std::fs::remove_file(dir.join("4913")).unwrap();
    std::fs::write(dir.join(".kodomo-1.ja.md.swp"), "swap").unwrap();
    std::fs::create_dir_all(f.content().join(".git")).unwrap();
    std::fs::write(f.content().join(".git/index"), "index").unwrap();
    // vim's save: the old file kept as a backup by a rename, the new one written, the
    // backup removed.
    let text = f
        .read_content("measures/kodomo-1.ja.md")
        .replace("保育を充実します。", "保育をさらに充実します。");
    std::fs::rename(dir.join("kodomo-1.ja.md"), dir.join("kodomo-1.ja.md~")).unwrap();
    std::fs::write(dir.join("kodomo-1.ja.md"), text).unwrap();
    std::fs::remove_file(dir.join("kodomo-1.ja.md~")).unwrap();
    wait_until("the rebuild after the save", || {
        s.log.lock().unwrap()[log_before..].contains("rebuilt ")
    });
    let log = s.log.lock().unwrap()[log_before..].to_string();
    assert!(log.contains("rebuilt 1 page"), "an incremental rebuild:\n{log}");
    assert!(!log.contains("building everything"), "no full build:\n{log}");
    assert_eq!(generation(s.port), before + 1, "one rebuild in all:\n{log}");
    std::fs::remove_file(dir.join(".kodomo-1.ja.md.swp")).unwrap();
    assert!(
        get(s.port, "/measures/kodomo-1/")
            .1
            .contains("保育をさらに充実します。")
    );
}

#[test]
fn serve_of_the_current_folder_does_not_rebuild_itself() {
    let f = Fixture::new("small");
    let mut child = Command::new(env!("CARGO_BIN_EXE_keikaku"))
        .args(["serve", "--port", "0", "--no-pdf", "--content", "."])
        .current_dir(f.content())
        .env("NO_COLOR", "1")
        .stderr(Stdio::piped())
        .spawn()
        .expect("keikaku serve starts");
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    let port: u16 = loop {
        line.clear();
        assert!(
            err.read_line(&mut line).unwrap() > 0,
            "serve stopped before it said where it serves"
        );
        if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
            break rest.split('/').next().unwrap().parse().unwrap();
        }
    };
    std::thread::spawn(move || {
        let mut sink = String::new();
        while err.read_line(&mut sink).map(|n| n > 0).unwrap_or(false) {
            sink.clear();
        }
    });
    let first = generation(port);
    f.edit("measures/kodomo-1.ja.md", "保育を充実します。", "保育を充実させます。");
    wait_until("the rebuild after the edit", || generation(port) > first);
    assert!(get(port, "/measures/kodomo-1/").1.contains("保育を充実させます。"));
    assert_eq!(
        generation(port),
        first + 1,
        "one build for one edit, and none of its own output"
    );
    assert!(
        !f.content().join("target").exists(),
        "nothing written into the content folder"
    );
    let _ = child.kill();
    let _ = child.wait();
    // The preview went to the temporary folder serve chooses: leave nothing behind there.
    let preview = keikaku::serve::default_output(&f.content());
    let staging = preview.with_file_name(format!(".{}.staging", preview.file_name().unwrap().to_string_lossy()));
    for dir in [&preview, &staging] {
        let _ = std::fs::remove_dir_all(dir);
    }
}

#[test]
fn head_gets_the_headers_only_and_an_oversized_request_is_refused() {
    let f = Fixture::new("small");
    let s = serve(&f, &[]);
    let mut c = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    write!(c, "HEAD /measures/kodomo-1/ HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
    let mut out = String::new();
    c.read_to_string(&mut out).unwrap();
    let (head, body) = out.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(head.contains("Content-Type: text/html; charset=utf-8"), "{head}");
    assert!(body.is_empty(), "HEAD has no body, got {} bytes", body.len());
    // A request line of 20 KB: refused once the bounded head is full, not read for ever.
    let mut c = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    let long = format!("GET /{} HTTP/1.1\r\n", "a".repeat(20 * 1024));
    let _ = c.write_all(long.as_bytes());
    let mut out = String::new();
    match c.read_to_string(&mut out) {
        Ok(_) => assert!(out.starts_with("HTTP/1.1 431"), "{out}"),
        // The server may close with bytes unread, which resets the connection.
        Err(e) => assert_eq!(e.kind(), std::io::ErrorKind::ConnectionReset, "{e}"),
    }
    // A request without its end waits no longer than the head's deadline; meanwhile the
    // others are served.
    let mut slow = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    write!(slow, "GET / HTTP/1.1\r\n").unwrap();
    assert_eq!(get(s.port, "/measures/kodomo-1/").0, 200);
    assert_eq!(get(s.port, "/no-such-page/").0, 404);
}

/// How many times serve has put the PDFs of the content as it then was on disk.
fn pdf_runs(port: u16) -> u64 {
    let (_, status) = get(port, "/__keikaku/status");
    let v: serde_json::Value = serde_json::from_str(&status).unwrap();
    v["pdfs"].as_u64().unwrap()
}

/// Every PDF of an output folder, by name.
fn pdfs_of(dir: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    tree(&dir.join("downloads"))
        .into_iter()
        .filter(|(k, _)| k.ends_with(".pdf"))
        .collect()
}

#[test]
fn the_pdfs_serve_makes_after_an_edit_are_those_of_a_full_build() {
    // serve keeps typst's caches and the documents of the run before from one edit to the
    // next: what it puts on disk must still be what a full build writes, byte for byte.
    let f = Fixture::new("small");
    let s = serve_with(&f, &[]);
    // Typesetting takes long in a debug build on a busy machine: a generous guard only.
    let wait = |what: &str, n: u64| {
        let start = Instant::now();
        while pdf_runs(s.port) < n {
            assert!(
                start.elapsed() < Duration::from_secs(600),
                "timed out waiting for {what}\n{}",
                s.log.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    };
    wait("the first PDFs", 1);
    let rel = "measures/kodomo-1.ja.md";
    for (i, sentence) in [
        "",
        "\n保護者の声を聞きながら進めます。\n",
        "\n毎年、進み具合を公表します。\n",
    ]
    .iter()
    .enumerate()
    {
        if i > 0 {
            let before = pdf_runs(s.port);
            let mut text = f.read_content(rel);
            text.push_str(sentence);
            f.write(rel, text);
            wait(&format!("the PDFs after edit {i}"), before + 1);
        }
        let full = tempfile::tempdir().unwrap();
        let r = Command::new(env!("CARGO_BIN_EXE_keikaku"))
            .args(["build", "--content"])
            .arg(f.content())
            .arg("--output")
            .arg(full.path())
            .env_remove("SOURCE_DATE_EPOCH")
            .output()
            .unwrap();
        assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
        let (served, built) = (pdfs_of(&f.output()), pdfs_of(full.path()));
        assert!(
            !built.is_empty() && built.len() == served.len(),
            "{:?} against {:?}",
            served.keys(),
            built.keys()
        );
        for (name, bytes) in &built {
            assert!(
                served.get(name) == Some(bytes),
                "after {i} edits: {name} differs from a full build's"
            );
        }
        // After a run of the PDFs serve writes only them and the downloads page: the whole
        // folder is still the full build's, byte for byte (the sizes on that page included).
        let (served, built) = (tree(&f.output()), tree(full.path()));
        let differ: std::collections::BTreeSet<&String> = built
            .keys()
            .chain(served.keys())
            .filter(|k| built.get(*k) != served.get(*k))
            .collect();
        assert!(
            differ.is_empty(),
            "after {i} edits these files differ from a full build's: {differ:?}"
        );
    }
}
