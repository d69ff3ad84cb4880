//! What `check` accepts, `build` builds: every example of the CommonMark specification (npm
//! `commonmark-spec`, installed by `scripts/test.sh` in `tests/browser/`) and of the Markdown
//! extensions the guide documents, used as the body of a chapter and as a section of a
//! measure, either builds — HTML and the screen and print PDFs — or is refused by `check`
//! with a file, line and column. Nothing fails later, in the PDF step, without a place.

use std::collections::BTreeSet;
use std::path::Path;

use crate::harness::Fixture;

/// The examples of `spec.txt`: (number, Markdown), tabs written → in the file.
fn spec_examples() -> Vec<(usize, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/node_modules/commonmark-spec/spec.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}\n(install it with `npm ci` in tests/browser; scripts/test.sh does)",
            path.display()
        )
    });
    let fence = format!("{} example", "`".repeat(32));
    let end = "`".repeat(32);
    let mut out = Vec::new();
    let mut lines = text.lines();
    while let Some(l) = lines.next() {
        if l != fence {
            continue;
        }
        let mut md = String::new();
        for l in lines.by_ref() {
            if l == "." {
                break;
            }
            md.push_str(l);
            md.push('\n');
        }
        for l in lines.by_ref() {
            if l == end {
                break;
            }
        }
        out.push((out.len() + 1, md.replace('→', "\t")));
    }
    out
}

/// Examples of the extensions the guide documents (tables, footnotes, strikethrough, task
/// lists, heading attributes, nesting).
const EXTENSIONS: &[&str] = &[
    "| 年度 | 件数 |\n| --- | ---: |\n| R6 | 12 |\n| R7 | 15 |\n",
    "| a |\n| - |\n",
    "本文[^1]。\n\n[^1]: 注の本文。\n",
    "~~取り消し~~と~二重~\n",
    "- [ ] 未完了\n- [x] 完了\n",
    "### 見出し {#anchor .note}\n",
    "- 一\n  - 二\n    - 三\n      - 四\n",
    "1. 一\n   1. 二\n      - 三\n",
    "> 引用\n> > 入れ子\n> > > 三重\n",
];

fn chapter(n: usize, md: &str) -> String {
    format!("---\ntitle: \"例{n}\"\nnumber: {}\n---\n{md}", 100 + n)
}

fn measure(n: usize, md: &str) -> String {
    format!(
        "---\ntitle: \"施策の例{n}\"\npillar: kodomo\nnumber: {}\ndepartment: 総務部\n---\n## 現状と課題\n\n{md}\n\n## 方針（目的）\n\n方針。\n\n## 具体的目標・目標値\n\n目標。\n\n## SDGsの推進に向けた取り組み\n\n取り組み。\n",
        100 + n
    )
}

#[test]
fn every_commonmark_example_builds_or_is_refused_with_its_place() {
    let mut examples = spec_examples();
    assert_eq!(examples.len(), 652, "the specification's examples");
    let n = examples.len();
    examples.extend(EXTENSIONS.iter().enumerate().map(|(i, md)| (n + 1 + i, md.to_string())));
    let fx = Fixture::new("small");
    // Volumes of 200 measures: the PDFs of a plan of 700 small measures in a few parts.
    let cfg = fx.read_content("keikaku.yaml");
    fx.write("keikaku.yaml", format!("{cfg}measures_per_pdf_volume: 400\n"));
    for (i, md) in &examples {
        fx.write(&format!("chapters/cm-{i}.ja.md"), chapter(*i, md));
        fx.write(&format!("measures/cmm-{i}.ja.md"), measure(*i, md));
    }
    let r = fx.run(&["check", "--format", "json"]);
    let mut refused = BTreeSet::new();
    for line in r.stdout.lines() {
        let d: serde_json::Value = serde_json::from_str(line).unwrap();
        if d["severity"] != "error" {
            continue;
        }
        let file = d["file"].as_str().unwrap_or_default().to_string();
        assert!(
            file.starts_with("chapters/cm-") || file.starts_with("measures/cmm-"),
            "an error outside the examples: {line}"
        );
        assert!(
            d["line"].as_u64().is_some() && d["column"].as_u64().is_some(),
            "no place: {line}"
        );
        refused.insert(file);
    }
    // The examples check refuses go; every other one must build, PDFs included.
    for f in &refused {
        fx.remove(f);
    }
    eprintln!(
        "{} of {} example files refused by check with their place",
        refused.len(),
        2 * examples.len()
    );
    if std::env::var_os("KEIKAKU_TEST_VERBOSE").is_some() {
        eprintln!("{}", r.stdout);
    }
    let r = fx.run(&["build"]);
    assert_eq!(
        r.code, 0,
        "check accepted these examples but the build failed:\n{}",
        r.stderr
    );
    assert!(fx.exists("policy/cm-1/index.html"));
    assert!(fx.exists("downloads/basic-plan-ja.pdf") || fx.exists("downloads/basic-plan-ja-vol01.pdf"));
}

/// A body keeps its events compactly (its texts by their place in it) and hands them back
/// as pulldown-cmark's: for every example of the specification and the extensions, the
/// events and ranges it gives back are those of parsing the text again.
#[test]
fn every_example_s_kept_events_are_the_parser_s() {
    use pulldown_cmark::Parser;
    let examples = spec_examples()
        .into_iter()
        .map(|(_, md)| md)
        .chain(EXTENSIONS.iter().map(|s| s.to_string()));
    for md in examples {
        let body = keikaku::load::markdown::parse(&md, 3);
        let kept: Vec<_> = body.events().collect();
        let fresh: Vec<_> = Parser::new_ext(&md, keikaku::load::markdown::options())
            .into_offset_iter()
            .map(|(e, r)| (e, r.start + 3..r.end + 3))
            .collect();
        assert_eq!(kept, fresh, "{md:?}");
    }
}
