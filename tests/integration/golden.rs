//! Golden pages: the main content of every page of the `small` fixture plan, in both
//! languages, compared with the expected files kept in `tests/golden/` (as mdBook's test suite
//! does). The test fails on any difference and on an expected file that the build no longer
//! produces. After a change that is meant, update them with one command:
//!
//! ```sh
//! UPDATE_GOLDEN=1 cargo test --test integration golden
//! ```
//!
//! and read the diff of `tests/golden/` before committing it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::harness::Fixture;

/// The `<main>` element of a page (the whole page when it has none).
fn main_of(html: &str) -> &str {
    match (html.find("<main"), html.rfind("</main>")) {
        (Some(a), Some(b)) if a < b => &html[a..b + "</main>".len()],
        _ => html,
    }
}

/// Every page of `out` as (path of its expected file, main content).
fn pages(out: &Path) -> BTreeMap<PathBuf, String> {
    let mut pages = BTreeMap::new();
    for e in walkdir::WalkDir::new(out).sort_by_file_name() {
        let e = e.unwrap();
        if e.path().extension().is_some_and(|x| x == "html") {
            let rel = e.path().strip_prefix(out).unwrap().to_path_buf();
            let html = std::fs::read_to_string(e.path()).unwrap();
            pages.insert(rel, format!("{}\n", main_of(&html)));
        }
    }
    pages
}

#[test]
fn golden_pages_of_the_small_plan() {
    let fx = Fixture::new("small");
    fx.build_ok();
    let made = pages(&fx.output());
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/small");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    if update {
        let _ = std::fs::remove_dir_all(&golden);
        for (rel, text) in &made {
            let p = golden.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        return;
    }
    let mut problems = Vec::new();
    for e in walkdir::WalkDir::new(&golden).sort_by_file_name() {
        let e = e.unwrap();
        if !e.file_type().is_file() {
            continue;
        }
        let rel = e.path().strip_prefix(&golden).unwrap();
        let expected = std::fs::read_to_string(e.path()).unwrap();
        match made.get(rel) {
            None => problems.push(format!("{}: expected, but the build did not make it", rel.display())),
            Some(got) if *got != expected => {
                let line = expected
                    .lines()
                    .zip(got.lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or_else(|| expected.lines().count().min(got.lines().count()));
                problems.push(format!(
                    "{}: differs from line {}:\n  expected: {}\n  got:      {}",
                    rel.display(),
                    line + 1,
                    expected.lines().nth(line).unwrap_or("(end)"),
                    got.lines().nth(line).unwrap_or("(end)")
                ));
            }
            Some(_) => {}
        }
    }
    for rel in made.keys() {
        if !golden.join(rel).exists() {
            problems.push(format!("{}: made, but there is no expected file", rel.display()));
        }
    }
    assert!(
        problems.is_empty(),
        "{} golden page(s) differ (if the change is meant: UPDATE_GOLDEN=1 cargo test --test integration golden):\n{}",
        problems.len(),
        problems.join("\n")
    );
}
