//! No panic, no hang, no crash on any input: thousands of content folders, each the `small`
//! fixture with one file mutated (bytes flipped, inserted, deleted or cut, or a token that
//! Markdown, YAML or CSV gives a meaning pasted in), go through `check`, and some through
//! `build --no-pdf`, in this process. Any panic fails the test with the mutation that caused
//! it; a hang is caught by a generous deadline per case (a guard, not a synchronisation).
//! The mutations come from a fixed seed, so a failure is reproducible. Themes (`--theme`) are
//! mutated the same way: a theme that cannot be read or rendered is an error, never a panic.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use keikaku::theme::Theme;
use keikaku::timings::Timings;
use keikaku::{BuildOptions, Pdfs};

use crate::harness::Fixture;

/// xorshift64*: a small, fixed generator, so that every run mutates alike.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Pieces with a meaning in the content's formats.
const TOKENS: &[&str] = &[
    "---",
    "\n---\n",
    "[",
    "]",
    "(",
    ")",
    "{",
    "}",
    ":",
    ": ",
    "\"",
    "'",
    ",",
    "\n",
    "\r\n",
    "\t",
    "#",
    "## ",
    "- ",
    "> ",
    "```",
    "|",
    "*",
    "_",
    "~~",
    "[](measure:",
    "[](target:",
    "[](sdg:99.9)",
    "![x](",
    "<script>",
    "&#0;",
    "\u{0}",
    "\u{FEFF}",
    "\u{202E}",
    "\u{FFFD}",
    "𠮷",
    "😀",
    "1e308",
    "-0",
    "NaN",
    "R99",
    "H0",
    "令和元年度",
    "number: ",
    "pillar: ",
    "sdgs: [",
    "id,owner",
    "{#x onclick=1}",
    "\\",
    "%",
    "&",
    "null",
    "~",
    "!!binary",
    "*anchor",
    "&anchor",
];

/// One mutation of `bytes`, with what it was.
fn mutate(rng: &mut Rng, bytes: &[u8]) -> (Vec<u8>, String) {
    let mut b = bytes.to_vec();
    let at = rng.below(b.len() + 1);
    let what = match rng.below(6) {
        0 if !b.is_empty() => {
            let i = at.min(b.len() - 1);
            b[i] ^= 1 << rng.below(8);
            format!("flip a bit at {i}")
        }
        1 => {
            let v = rng.next() as u8;
            b.insert(at, v);
            format!("insert byte {v:#04x} at {at}")
        }
        2 if !b.is_empty() => {
            let n = 1 + rng.below(16);
            let end = (at + n).min(b.len());
            b.drain(at.min(b.len())..end);
            format!("delete {n} bytes at {at}")
        }
        3 => {
            b.truncate(at);
            format!("cut at {at}")
        }
        _ => {
            let t = TOKENS[rng.below(TOKENS.len())];
            b.splice(at..at, t.bytes());
            format!("insert {t:?} at {at}")
        }
    };
    (b, what)
}

fn files(root: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect()
}

/// `keikaku build --no-pdf` in this process.
fn build_pages(content: &Path, output: &Path, theme: &Theme) -> anyhow::Result<keikaku::Built> {
    let timings = Timings::default();
    let options = BuildOptions {
        theme,
        pdfs: Pdfs::Skip,
        timings: &timings,
        progress: None,
        observer: None,
        draft: false,
        compare_with: None,
    };
    keikaku::build(content, output, &options, None)
}

/// Runs `f` on its own thread; the case fails on a panic and on no answer within the
/// deadline.
fn within(deadline: Duration, what: &str, f: impl FnOnce() + Send + 'static) {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
        let _ = tx.send(r.is_ok());
    });
    match rx.recv_timeout(deadline) {
        Ok(true) => {}
        Ok(false) => panic!("panicked on: {what}"),
        Err(_) => panic!("no answer in {deadline:?} on: {what}"),
    }
}

#[test]
fn thousands_of_mutated_content_folders_never_panic_or_hang() {
    let fx = Fixture::new("small");
    let content = fx.content();
    let output = fx.output();
    let list = files(&content);
    let originals: Vec<Vec<u8>> = list.iter().map(|p| std::fs::read(p).unwrap()).collect();
    let mut rng = Rng(0x5EED_2026_1201_0001);
    let cases = 3000;
    let (mut checked, mut built) = (0, 0);
    for case in 0..cases {
        let i = rng.below(list.len());
        let (bytes, how) = mutate(&mut rng, &originals[i]);
        std::fs::write(&list[i], &bytes).unwrap();
        let rel = list[i].strip_prefix(&content).unwrap().display().to_string();
        let what = format!("case {case}: {rel}: {how}");
        let build = case % 5 == 0;
        let (c, o) = (content.clone(), output.clone());
        within(Duration::from_secs(60), &what, move || {
            let timings = Timings::default();
            let checked = keikaku::check(&c, &timings).expect("the content folder can be read");
            if build && checked.plan.is_some() {
                let built = build_pages(&c, &o, &Theme::builtin()).expect("what check accepts, build builds");
                assert!(built.pages.is_some(), "check accepted it but the build failed");
            }
        });
        checked += 1;
        if build {
            built += 1;
        }
        std::fs::write(&list[i], &originals[i]).unwrap();
    }
    eprintln!("{checked} mutated folders checked, {built} of them built");
}

#[test]
fn two_hundred_mutated_themes_never_panic_or_hang() {
    let fx = Fixture::new("small");
    let theme_dir = fx.output().with_file_name("theme");
    let builtin = Theme::builtin();
    let mut files: Vec<(PathBuf, Vec<u8>)> = vec![(
        theme_dir.join("i18n.yaml"),
        include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/i18n.yaml")).to_vec(),
    )];
    for (name, text) in &builtin.templates {
        files.push((theme_dir.join("templates").join(name), text.clone().into_bytes()));
    }
    for (path, text) in &builtin.static_files {
        files.push((
            theme_dir.join("static").join(path.trim_start_matches("assets/")),
            text.clone().into_bytes(),
        ));
    }
    for (p, bytes) in &files {
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    let mut rng = Rng(0x7E3E_2026_1201_0002);
    for case in 0..200 {
        let i = rng.below(files.len());
        let (bytes, how) = mutate(&mut rng, &files[i].1);
        std::fs::write(&files[i].0, &bytes).unwrap();
        let what = format!("theme case {case}: {}: {how}", files[i].0.display());
        let (c, o, t) = (fx.content(), fx.output(), theme_dir.clone());
        within(Duration::from_secs(60), &what, move || {
            // A theme that cannot be read, or a template that cannot be rendered, is an error
            // to report; nothing more.
            let Ok(theme) = Theme::read(Some(&t)) else { return };
            let _ = build_pages(&c, &o, &theme);
        });
        std::fs::write(&files[i].0, &files[i].1).unwrap();
    }
}
