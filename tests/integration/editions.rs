//! Editions of a plan: the draft (案) put out for public comment — marked on every page and
//! PDF, kept from search engines, named apart — and the comments with the city's answers.

use std::path::Path;

use crate::harness::Fixture;

/// Every file of a built site (but the write stage's own list), by path.
fn files(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().display().to_string(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .filter(|(p, _)| !p.starts_with(".keikaku"))
        .collect()
}

/// The text of a PDF, by poppler's pdftotext (which scripts/test.sh installs).
fn pdf_text(path: &Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

const PERIOD: &str = "public_comment:\n  from: 2024-06-03\n  until: 2024-07-02\n  people: 2\n  how:\n    ja: 企画課へメールでお寄せください。\n    en: Please send your comments to the Planning Division by e-mail.\n";

#[test]
fn a_draft_says_so_on_every_page_and_pdf_and_turning_it_off_gives_the_adopted_build() {
    let f = Fixture::new("small");
    f.edit("keikaku.yaml", "published:", &format!("{PERIOD}published:"));
    f.build_with_pdf();
    let adopted = files(&f.output());
    let r = f.run(&["build", "--draft"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let draft = files(&f.output());
    let pages: Vec<(&String, String)> = draft
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p, String::from_utf8_lossy(b).into_owned()))
        .collect();
    assert!(pages.len() > 30);
    for (p, html) in &pages {
        assert!(
            html.contains("<meta name=\"robots\" content=\"noindex\">"),
            "{p} is not noindex"
        );
        if p.as_str() != "404.html" && p.as_str() != "en/404.html" {
            assert!(html.contains("class=\"draft-banner\""), "{p} has no banner");
        }
    }
    let home = String::from_utf8_lossy(&draft["index.html"]).into_owned();
    assert!(
        home.contains("令和6年6月3日から令和6年7月2日まで、ご意見を募集しています。"),
        "{home}"
    );
    assert!(home.contains("href=\"./public-comment/\">ご意見の出し方</a>"), "{home}");
    assert!(home.contains("（案）</title>"), "{home}");
    let how = String::from_utf8_lossy(&draft["public-comment/index.html"]).into_owned();
    assert!(how.contains("企画課へメールでお寄せください。"), "{how}");
    assert!(!draft.contains_key("sitemap.xml"), "a draft has no sitemap");
    // The PDFs are named as drafts, and say so on the cover and in the running head.
    assert!(draft.contains_key("downloads/basic-plan-ja-draft.pdf"));
    assert!(draft.contains_key("downloads/basic-plan-ja-print-draft.pdf"));
    assert!(!draft.contains_key("downloads/basic-plan-ja.pdf"));
    let text = pdf_text(&f.output().join("downloads/basic-plan-ja-draft.pdf"));
    let pages: Vec<&str> = text.split('\u{c}').filter(|p| !p.trim().is_empty()).collect();
    assert!(pages.len() > 3);
    for (i, page) in pages.iter().enumerate() {
        assert!(
            page.contains('案'),
            "page {} of the draft PDF does not say 案:\n{page}",
            i + 1
        );
    }
    let en = pdf_text(&f.output().join("downloads/basic-plan-en-draft.pdf"));
    assert!(en.contains("DRAFT") && en.contains("(draft)"), "{en}");
    // Off again: exactly the adopted build.
    f.build_with_pdf();
    assert!(
        adopted == files(&f.output()),
        "the build after the draft differs from the adopted build"
    );
}

/// The small fixture with a public comment and its results.
fn with_comments() -> Fixture {
    let f = Fixture::new("small");
    f.edit("keikaku.yaml", "published:", &format!("{PERIOD}published:"));
    f.write(
        "data/comments.csv",
        "number,item,section,summary_ja,summary_en,answer_ja,answer_en,reflection\n\
         1,kodomo-1,policy,病児保育を増やしてほしい。,We need more sick-child care.,方針に病児保育の拡充を追記しました。,We added more sick-child care to the policy.,反映\n\
         2,kodomo-1,,保育料をもっと下げてほしい。,Lower the fees.,国の制度に沿って進めるため、原案のとおりとします。,The plan keeps to the national scheme.,反映なし\n\
         3,vision,,将来像が分かりにくい。,The vision is hard to grasp.,説明を補いました。,We explained it further.,一部反映\n",
    );
    f
}

#[test]
fn the_results_of_the_public_comment_are_published_and_linked() {
    let f = with_comments();
    f.build_with_pdf();
    let page = f.read("public-comment/index.html");
    assert!(page.contains("3件（2人）"), "{page}");
    assert!(page.contains("令和6年6月3日〜令和6年7月2日"), "{page}");
    // Each comment links the measure's section it is about.
    assert!(
        page.contains("id=\"comment-1\"") && page.contains("href=\"../measures/kodomo-1/#policy\""),
        "{page}"
    );
    assert!(page.contains("方針（目的）"));
    // Once adopted, how to comment is no longer shown.
    assert!(!page.contains("企画課へメールでお寄せください。"));
    // The measure links its comments; the vision its own.
    let m = f.read("measures/kodomo-1/index.html");
    assert!(
        m.contains("この項目へのご意見（2件）") && m.contains("public-comment/#comment-2"),
        "{m}"
    );
    let en = f.read("en/public-comment/index.html");
    assert!(
        en.contains("We need more sick-child care.") && en.contains("3 comments from 2 people"),
        "{en}"
    );
    let csv = f.read("data/public-comments.csv");
    assert!(csv.contains("1,kodomo-1,") && csv.contains(",reflected"), "{csv}");
    // A section of the basic plan's PDF.
    let text = pdf_text(&f.output().join("downloads/basic-plan-ja.pdf"));
    assert!(
        text.contains("パブリックコメントの結果") && text.contains("病児保育を増やしてほしい。"),
        "{text}"
    );
}

#[test]
fn wrong_comments_are_reported() {
    let f = with_comments();
    f.edit("data/comments.csv", "2,kodomo-1,,", "2,kodomo-9,,");
    f.edit("data/comments.csv", "3,vision,,", "3,vision,policy,");
    let csv = f.read_content("data/comments.csv");
    f.write("data/comments.csv", format!("{csv}4,kodomo-2,,意見,,考え方,,検討中\n"));
    f.build()
        .fails_with("comment 2 is about `kodomo-9`, which does not exist")
        .says("`検討中` is not a way a comment was reflected")
        .says("`policy` is not a section of vision")
        .says("data/comments.csv:5:");
}

/// The small fixture and an earlier edition of it beside it (`../earlier`): there, a measure's
/// text said 2 where it now says 3, the second measure had another number, a measure was
/// later removed, a target had another value; the new edition adds a measure.
fn two_editions() -> (Fixture, std::path::PathBuf) {
    let f = Fixture::new("small");
    let earlier = f.content().with_file_name("earlier");
    let copy = std::process::Command::new("cp")
        .arg("-r")
        .arg(f.content())
        .arg(&earlier)
        .status()
        .unwrap();
    assert!(copy.success());
    let edit = |rel: &str, from: &str, to: &str| {
        let p = earlier.join(rel);
        let s = std::fs::read_to_string(&p).unwrap();
        assert!(s.contains(from), "{rel} lacks {from}");
        std::fs::write(p, s.replacen(from, to, 1)).unwrap();
    };
    edit(
        "measures/kodomo-1.ja.md",
        "保育を充実します。",
        "保育を少し充実します。",
    );
    edit("measures/kodomo-2.ja.md", "number: 2", "number: 3");
    edit(
        "data/targets/all.csv",
        "k2-1,kodomo-2,,学校が楽しいと答えた児童の割合,Pupils who enjoy school,%,%,up,R4,80,R9,90",
        "k2-1,kodomo-2,,学校が楽しいと答えた児童の割合,Pupils who enjoy school,%,%,up,R4,80,R9,85",
    );
    let old_measure = std::fs::read_to_string(earlier.join("measures/kodomo-2.ja.md"))
        .unwrap()
        .replace("title: 学校教育の充実", "title: 放課後の居場所づくり")
        .replace("number: 3", "number: 4")
        .replace("[](target:k2-1)を高めます。", "居場所を増やします。");
    std::fs::write(earlier.join("measures/kodomo-9.ja.md"), old_measure).unwrap();
    f.write(
        "measures/kodomo-3.ja.md",
        "---\ntitle: 若者の参画\npillar: kodomo\nnumber: 3\ndepartment: 企画課\nsdgs: [\"16\"]\n---\n## 現状と課題\n\n若者の声を聞きます。\n\n## 方針（目的）\n\n参画を進めます。\n\n## 具体的目標・目標値\n\n検討します。\n\n## SDGsの推進に向けた取り組み\n\n目標16に貢献します。\n",
    );
    (f, earlier)
}

#[test]
fn the_comparison_with_an_earlier_edition_marks_what_changed() {
    let (f, earlier) = two_editions();
    let r = f.run(&["build", "--no-pdf", "--compare-with", earlier.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let page = f.read("revision/index.html");
    // The counts on top.
    assert!(page.contains("新設1件、変更2件、削除1件"), "{page}");
    // A changed word, underlined in both columns; the unchanged sections shortened.
    assert!(
        page.contains("保育を<del>少し</del>充実します。") || page.contains("<del>少し</del>"),
        "{page}"
    );
    assert!(page.contains("（略）"));
    // The renumbered measure is the same measure, moved.
    assert!(page.contains("（施策1-3から移動）"), "{page}");
    // The target's value, field by field.
    assert!(
        page.contains("<ins>90 (R9)</ins>") && page.contains("<del>85 (R9)</del>"),
        "{page}"
    );
    // The new and the removed measure.
    assert!(
        page.contains("若者の参画") && page.contains("放課後の居場所づくり"),
        "{page}"
    );
    // In English too, of the English texts (kodomo-1's English text did not change).
    let en = f.read("en/revision/index.html");
    assert!(en.contains("1 added, 1 changed, 1 removed"), "{en}");
    // The quick command prints the Japanese comparison in short.
    let q = f.run(&["compare", earlier.to_str().unwrap()]);
    assert!(
        q.stdout.contains("1 added (新設), 2 changed (変更), 1 removed (削除)"),
        "{}{}",
        q.stdout,
        q.stderr
    );
    assert!(q.stdout.contains("〔少し〕"), "{}", q.stdout);
}

#[test]
fn an_earlier_edition_with_errors_is_refused() {
    let (f, earlier) = two_editions();
    let p = earlier.join("measures/kodomo-1.ja.md");
    let s = std::fs::read_to_string(&p)
        .unwrap()
        .replace("pillar: kodomo", "pillar: nowhere");
    std::fs::write(p, s).unwrap();
    let r = f.run(&["build", "--no-pdf", "--compare-with", earlier.to_str().unwrap()]);
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("has 1 error"), "{}", r.stderr);
    assert!(!f.output().exists(), "nothing is written");
}

#[test]
fn an_earlier_edition_can_be_a_git_revision() {
    let f = Fixture::new("small");
    let root = f.content().parent().unwrap().to_path_buf();
    let git = |args: &[&str]| {
        let ok = std::process::Command::new("git")
            .arg("-C")
            .arg(&root)
            .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid"])
            .args(args)
            .output()
            .unwrap();
        assert!(
            ok.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&ok.stderr)
        );
    };
    git(&["init", "-q"]);
    git(&["add", "content"]);
    git(&["commit", "-q", "-m", "adopted"]);
    git(&["tag", "r6"]);
    f.edit(
        "measures/kodomo-1.ja.md",
        "保育を充実します。",
        "保育をさらに充実します。",
    );
    let q = f.run(&["compare", "git:r6"]);
    assert_eq!(q.code, 0, "{}", q.stderr);
    assert!(
        q.stdout.contains("git:r6 (") && q.stdout.contains("0 added (新設), 1 changed (変更), 0 removed"),
        "{}",
        q.stdout
    );
    assert!(q.stdout.contains("保育を【さらに】充実します。"), "{}", q.stdout);
    let bad = f.run(&["compare", "git:no-such-tag"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("no-such-tag"), "{}", bad.stderr);
}

#[test]
fn the_bundled_plan_compares_with_its_draft_kept_in_the_repository() {
    let f = Fixture::new("bundled");
    let draft = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/draft-2024-06");
    let r = f.run(&["build", "--no-pdf", "--compare-with", draft.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let page = f.read("revision/index.html");
    // The draft as put out for comment: what the answers to the comments added is underlined.
    assert!(
        page.contains("後期基本計画（案）の版と比べて、新設0件、変更8件、削除0件です。"),
        "{page}"
    );
    assert!(page.contains("<ins>、学校での防災教育</ins>"), "{page}");
    // References read as the titles they show, on both sides.
    assert!(!page.contains("、、"), "{page}");
}
