//! The website built from a small fixture: both languages, switcher and hreflang, the
//! notice for a missing translation, data tables, relative links and atomic output.

use crate::harness::Fixture;

#[test]
fn builds_both_languages_with_switcher_and_alternates() {
    let f = Fixture::new("small");
    let r = f.build_ok();
    assert!(r.stderr.contains("built"), "{}", r.stderr);
    let ja = f.read("measures/kodomo-1/index.html");
    let en = f.read("en/measures/kodomo-1/index.html");
    assert!(ja.contains("<html lang=\"ja\">"));
    assert!(en.contains("<html lang=\"en\">"));
    assert!(ja.contains("保育の充実") && en.contains("Better childcare"));
    // The switcher goes to the counterpart, relatively, and says which language it is in.
    assert!(
        ja.contains(r#"class="lang-switch" href="../../en/measures/kodomo-1/" hreflang="en" lang="en""#),
        "{ja}"
    );
    assert!(
        en.contains(r#"class="lang-switch" href="../../../measures/kodomo-1/" hreflang="ja" lang="ja""#),
        "{en}"
    );
    for page in [&ja, &en] {
        assert!(
            page.contains(
                r#"<link rel="alternate" hreflang="ja" href="https://example.jp/keikaku/measures/kodomo-1/">"#
            )
        );
        assert!(page.contains(
            r#"<link rel="alternate" hreflang="en" href="https://example.jp/keikaku/en/measures/kodomo-1/">"#
        ));
    }
}

#[test]
fn soft_line_breaks_in_japanese_leave_no_space() {
    let f = Fixture::new("small");
    f.build_ok();
    assert!(f.read("measures/kodomo-1/index.html").contains("待機児童はゼロです。"));
    assert!(
        f.read("en/measures/kodomo-1/index.html")
            .contains("No child is waiting for a place.")
    );
}

#[test]
fn missing_translation_is_published_in_japanese_with_a_notice() {
    let f = Fixture::new("small");
    let r = f.build_ok();
    assert!(
        r.stderr.contains("missing-translation"),
        "a warning names the missing translation:\n{}",
        r.stderr
    );
    let en = f.read("en/measures/kodomo-2/index.html");
    assert!(en.contains("<html lang=\"en\">"));
    assert!(en.contains("has not been translated into English yet"), "{en}");
    assert!(
        en.contains(r#"<article class="item item-measure" lang="ja">"#),
        "the Japanese text is marked as Japanese"
    );
    assert!(en.contains("英語版がまだない施策です。"));
}

#[test]
fn references_become_links_titled_in_the_page_language() {
    let f = Fixture::new("small");
    f.build_ok();
    let ja = f.read("pillars/kodomo/index.html");
    assert!(
        ja.contains(r#"<a class="ref ref-measure" href="../../measures/kodomo-1/">保育の充実</a>"#),
        "{ja}"
    );
    let en = f.read("en/pillars/kodomo/index.html");
    assert!(
        en.contains(r#"<a class="ref ref-measure" href="../../../en/measures/kodomo-1/">Better childcare</a>"#),
        "{en}"
    );
    let t = f.read("measures/kodomo-1/index.html");
    assert!(
        t.contains(r##"href="../../measures/kodomo-1/#target-k1-1">待機児童数</a>"##),
        "{t}"
    );
    assert!(t.contains(r#"<tr id="target-k1-1">"#));
}

#[test]
fn measure_shows_targets_strategy_and_pledges() {
    let f = Fixture::new("small");
    f.build_ok();
    let m = f.read("measures/kodomo-1/index.html");
    assert!(m.contains("施策1-1"));
    assert!(m.contains("保健福祉部 保育課"));
    assert!(m.contains("子育ての希望をかなえる"), "strategy goal it serves");
    assert!(m.contains("保育料の負担軽減"), "pledge it carries");
    assert!(m.contains("sdg-badge sdg-4"));
    // Baseline R4 3, actuals R5..R7, target R9 0.
    for v in ["3人", "1人", "0人", "R4", "R9"] {
        assert!(m.contains(v), "{v} missing");
    }
    // The pager walks the measures of the pillar: the first has a next and no previous one.
    assert!(m.contains(r#"rel="next" href="../../measures/kodomo-2/""#));
    assert!(!m.contains(r#"rel="prev""#));
    let m2 = f.read("measures/kodomo-2/index.html");
    assert!(m2.contains(r#"rel="prev" href="../../measures/kodomo-1/""#));
    let en = f.read("en/measures/kodomo-1/index.html");
    assert!(
        en.contains("FY2022") && en.contains("FY2027") && en.contains("3 children"),
        "English shows FY years"
    );
}

#[test]
fn an_item_that_refers_to_a_measure_is_listed_there_once() {
    let f = Fixture::new("small");
    // Two references in each language from the same district: one backlink.
    for file in ["districts/kita.ja.md", "districts/kita.en.md"] {
        let text = f.read_content(file);
        f.write(file, format!("{text}\n[](measure:kodomo-1) [](measure:kodomo-1)\n"));
    }
    f.build_ok();
    let m = f.read("measures/kodomo-1/index.html");
    assert_eq!(m.matches(r#"href="../../districts/kita/""#).count(), 1, "{m}");
    let m2 = f.read("measures/kodomo-2/index.html");
    assert!(!m2.contains("districts/kita/"), "no reference to kodomo-2");
}

#[test]
fn targets_index_filters_by_status_on_one_page() {
    let f = Fixture::new("small");
    f.build_ok();
    let t = f.read("targets/index.html");
    let rows = t.matches("<tr data-status=").count();
    let csv = std::fs::read_to_string(f.output().join("data/targets.csv")).unwrap();
    assert_eq!(rows, csv.lines().count() - 1, "each target once");
    for s in ["achieved", "on-track", "behind", "no-data"] {
        assert!(t.contains(&format!(r##"<a href="#only-{s}">"##)), "filter {s}");
        assert!(t.contains(&format!(r#"id="only-{s}""#)), "anchor {s}");
        assert!(!f.output().join(format!("targets/{s}")).exists(), "no page per status");
    }
    let pillar = f.read("pillars/kodomo/index.html");
    assert!(
        pillar.contains(r##"href="../../targets/#only-"##),
        "overview links into the filter"
    );
}

#[test]
fn data_tables_are_accessible_html_with_every_fact() {
    let f = Fixture::new("small");
    f.build_ok();
    let p = f.read("structure/index.html");
    assert!(p.contains("<caption>計画の構成と期間</caption>"));
    assert!(
        p.contains(r#"<th scope="col"><abbr title="平成27年度">H27</abbr></th>"#),
        "{p}"
    );
    assert!(
        p.contains(r#"<td colspan="6" class="span"><span class="span-label">第1期総合戦略6年(延長1年)</span>"#),
        "{p}"
    );
    assert!(p.contains(r#"<td colspan="12" class="span">"#));
    let b = f.read("bodies/index.html");
    for fact in [
        "総合計画審議会",
        "見本市総合計画審議会条例",
        "13名以内",
        "公募による市民代表",
        "政策会議",
        "総務部企画課",
        "市民意識調査",
    ] {
        assert!(b.contains(fact), "{fact} missing from bodies");
    }
    assert!(b.contains(r#"<th scope="row">人数</th>"#));
    let s = f.read("schedule/index.html");
    assert!(
        s.contains(r#"<th scope="rowgroup" rowspan="12" class="fy">令和5年度</th>"#),
        "{s}"
    );
    assert!(s.contains("パブリックコメント") && s.contains("議決"));
    let s_en = f.read("en/schedule/index.html");
    assert!(
        s_en.contains("FY2024")
            && s_en.contains("Public comment")
            && s_en.contains(r#"<th scope="col">City Council</th>"#)
    );
    // The chapter that lists the tables shows them too.
    assert!(
        f.read("policy/kosei/index.html")
            .contains("<caption>策定スケジュール</caption>")
    );
}

#[test]
fn writes_every_kind_of_page_a_404_and_a_sitemap() {
    let f = Fixture::new("small");
    f.build_ok();
    for p in [
        "index.html",
        "vision/index.html",
        "pillars/index.html",
        "pillars/kodomo/index.html",
        "measures/kodomo-1/index.html",
        "districts/index.html",
        "districts/kita/index.html",
        "policy/index.html",
        "policy/kosei/index.html",
        "strategy/index.html",
        "strategy/goal-1/index.html",
        "pledges/index.html",
        "sdgs/index.html",
        "sdgs/4/index.html",
        "structure/index.html",
        "bodies/index.html",
        "schedule/index.html",
        "404.html",
        "assets/style.css",
        "robots.txt",
    ] {
        assert!(f.exists(p), "{p} missing");
        if p.ends_with(".html") {
            assert!(f.exists(&format!("en/{p}")), "en/{p} missing");
        }
    }
    let sm = f.read("sitemap.xml");
    assert!(sm.contains("<loc>https://example.jp/keikaku/measures/kodomo-1/</loc>"));
    assert!(sm.contains("<loc>https://example.jp/keikaku/en/measures/kodomo-1/</loc>"));
    assert!(!sm.contains("404"));
    // The 404 page works at any address, so its links start from the site's path.
    let nf = f.read("404.html");
    assert!(nf.contains(r#"href="/keikaku/assets/style.css""#), "{nf}");
}

#[test]
fn pages_make_no_request_to_another_host() {
    let f = Fixture::new("small");
    f.build_ok();
    for e in walkdir::WalkDir::new(f.output()) {
        let e = e.unwrap();
        if e.path().extension().is_some_and(|x| x == "html" || x == "css") {
            let s = std::fs::read_to_string(e.path()).unwrap();
            // No other host, and no inline script (a strict Content-Security-Policy works).
            for bad in [
                "src=\"http",
                "src=\"//",
                "@import",
                "url(http",
                "<script>",
                "onclick=",
                "javascript:",
            ] {
                assert!(!s.contains(bad), "{} contains {bad}", e.path().display());
            }
            for line in s.lines().filter(|l| l.contains("<link ")) {
                assert!(
                    line.contains("rel=\"alternate\"") || line.contains("rel=\"canonical\"") || !line.contains("http"),
                    "{line}"
                );
            }
        }
    }
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let f = Fixture::new("small");
    f.build_ok();
    let before = f.read("measures/kodomo-1/index.html");
    std::fs::write(f.output().join("google1234.html"), "verification").unwrap();
    f.edit(
        "measures/kodomo-1.ja.md",
        "title: 保育の充実",
        "title: 新しい題名\nnumber: [",
    );
    f.build().fails_with("the build stopped with");
    assert_eq!(f.read("measures/kodomo-1/index.html"), before);
    assert!(f.exists("google1234.html"));
    let mut beside: Vec<_> = std::fs::read_dir(f.output().parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    beside.sort();
    assert_eq!(
        beside,
        [".output.staging", "content", "output"],
        "nothing else is left beside the output"
    );
    let mut work: Vec<_> = std::fs::read_dir(f.output().with_file_name(".output.staging"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    work.sort();
    assert_eq!(
        work,
        ["lock", "spare"],
        "the work folder holds the build before, and no scratch file"
    );
}

#[test]
fn files_keikaku_did_not_write_are_kept_and_named() {
    let f = Fixture::new("small");
    f.build_ok();
    std::fs::write(f.output().join(".htaccess"), "Options -Indexes").unwrap();
    let r = f.build_ok();
    assert!(r.stderr.contains("kept .htaccess"), "{}", r.stderr);
    assert_eq!(f.read(".htaccess"), "Options -Indexes");
}

#[test]
fn a_page_removed_from_the_content_leaves_the_output() {
    let f = Fixture::new("small");
    f.build_ok();
    assert!(f.exists("districts/kita/index.html"));
    f.remove("districts/kita.ja.md").remove("districts/kita.en.md");
    f.build_ok();
    assert!(!f.exists("districts/kita/index.html"));
}

#[test]
fn stale_translation_is_warned_and_noticed() {
    let f = Fixture::new("small");
    f.run(&["translations", "--mark-current", "kita"]);
    f.build_ok();
    assert!(
        !f.read("en/districts/kita/index.html")
            .contains("was updated after this translation")
    );
    f.edit("districts/kita.ja.md", "北地区は", "北地区（山側）は");
    let r = f.build_ok();
    r.says("stale-translation");
    assert!(
        f.read("en/districts/kita/index.html")
            .contains("The Japanese original was updated after this translation")
    );
    let list = f.run(&["translations"]);
    assert!(
        list.stdout.contains("stale        districts/kita.en.md"),
        "{}",
        list.stdout
    );
    assert!(
        list.stdout.contains("missing      measures/kodomo-2.ja.md"),
        "{}",
        list.stdout
    );
}

#[test]
fn help_and_version_work() {
    let f = Fixture::new("small");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_keikaku"))
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(
        help.contains("build") && help.contains("check") && help.contains("Exit status"),
        "{help}"
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_keikaku"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("keikaku "));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_keikaku"))
        .arg("bild")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "a usage error exits 2");
    let _ = f;
}

#[test]
fn stale_notice_is_dated_and_the_change_is_shown_from_git() {
    let f = Fixture::new("small");
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(f.content())
            .args([
                "-c",
                "user.name=Editor",
                "-c",
                "user.email=editor@example.jp",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    git(&["init", "-q"]);
    f.run(&["translations", "--mark-current", "kita"]);
    git(&["add", "-A"]);
    git(&["commit", "-qm", "first"]);
    f.edit("districts/kita.ja.md", "北地区は", "山あいの北地区は");
    git(&["commit", "-qam", "change the Japanese text"]);
    let date = git(&["log", "-1", "--format=%cs"]).trim().to_string();
    f.build_ok();
    let en = f.read("en/districts/kita/index.html");
    assert!(
        en.contains(&format!("The Japanese original was updated on {date}")),
        "{en}"
    );
    let list = f.run(&["translations"]);
    assert!(list.stdout.contains("changes since:"), "{}", list.stdout);
    assert!(list.stdout.contains("+山あいの北地区は"), "{}", list.stdout);
}

#[test]
fn open_data_as_json_and_excel_ready_csv() {
    let f = Fixture::new("small");
    f.build_ok();
    let json: serde_json::Value = serde_json::from_str(&f.read("data/plan.json")).unwrap();
    assert_eq!(json["schema_version"], 1);
    assert_eq!(json["measures"].as_array().unwrap().len(), 2);
    let m = &json["measures"][0];
    assert_eq!(m["id"], "kodomo-1");
    assert_eq!(m["title"]["ja"], "保育の充実");
    assert_eq!(m["title"]["en"], "Better childcare");
    assert_eq!(m["sdgs"], serde_json::json!(["4.2", "5.4"]));
    assert_eq!(m["strategy_goals"], serde_json::json!(["goal-1"]));
    let t = json["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "k1-1")
        .unwrap();
    assert_eq!(t["baseline"]["year"]["label_ja"], "令和4年度");
    assert_eq!(t["actuals"].as_array().unwrap().len(), 3);
    assert_eq!(t["status"], "achieved");
    let csv = std::fs::read(f.output().join("data/targets.csv")).unwrap();
    assert!(csv.starts_with(b"\xEF\xBB\xBF"), "BOM for Excel");
    let text = String::from_utf8(csv[3..].to_vec()).unwrap();
    assert!(text.starts_with("id,owner_kind,owner_id"));
    assert!(
        text.contains("k1-1,measure,kodomo-1,保育の充実,Better childcare,target,待機児童数"),
        "{text}"
    );
    let sdg = f.read("data/sdg-mapping.csv");
    assert!(
        sdg.contains("kodomo-1,保育の充実,Better childcare,kodomo,4,4.2,質の高い教育をみんなに,Quality Education"),
        "{sdg}"
    );
    assert!(f.read("downloads/index.html").contains("href=\"../data/targets.csv\""));
}

#[test]
fn raw_html_is_text_unless_the_site_trusts_its_editors() {
    let f = Fixture::new("small");
    f.edit(
        "districts/kita.ja.md",
        "北地区は",
        "<script>alert(1)</script><b onclick=\"x()\">北地区</b>は",
    );
    f.build_ok();
    let page = f.read("districts/kita/index.html");
    assert!(
        !page.contains("<script>") && !page.contains("<b onclick"),
        "raw HTML is not run by default"
    );
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "it is shown as text"
    );
    f.edit(
        "keikaku.yaml",
        "published: \"2025-03-31\"",
        "published: \"2025-03-31\"\nallow_raw_html: true",
    );
    f.build_ok();
    assert!(
        f.read("districts/kita/index.html")
            .contains("<b onclick=\"x()\">北地区</b>"),
        "a trusted site publishes it"
    );
}

#[test]
fn the_accessibility_page_states_recorded_results_in_the_form_of_annex_jb_and_says_when_they_are_old() {
    let f = Fixture::new("small");
    f.build_ok();
    let page = f.read("accessibility/index.html");
    assert!(
        page.contains("試験結果は、まだ公表していません"),
        "no results recorded, none claimed"
    );
    let mark = page
        .split("name=\"keikaku-build\" content=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let results = |build: &str| {
        format!(
            "date: \"2026-11-30\"\nbuild: \"{build}\"\ntools: [\"axe-core 4.14.1\", \"Nu HTML Checker\"]\n\
             technologies: [HTML, CSS]\nmethod: {{ja: すべてのページ, en: Every page}}\nresult: {{ja: 違反なし, en: No violations}}\n\
             pages: [\"\", \"measures/kodomo-1/\"]\ncriteria:\n  \"1.1.1\": {{found: fail, rules: [image-alt], failed_pages: 1}}\n\
             \x20 \"1.2.1\": {{found: inapplicable}}\n  \"1.4.3\": {{found: pass, rules: [color-contrast]}}\n\
             \x20 \"4.1.1\": {{found: pass, rules: [Nu HTML Checker]}}\n  \"2.4.5\": {{found: pass, by_person: true}}\n"
        )
    };
    f.write("data/accessibility.yaml", results(&mark));
    f.build_ok();
    let page = f.read("accessibility/index.html");
    assert!(
        page.contains("適合レベル AA に一部準拠"),
        "a failure: partial conformance"
    );
    assert!(!page.contains("以前に作ったサイト"), "the results are of this build");
    let row = |n: &str| {
        page.split(&format!("<td>{n}</td>"))
            .nth(1)
            .unwrap()
            .split("</tr>")
            .next()
            .unwrap()
            .to_string()
    };
    assert!(row("1.1.1").contains("不適合") && row("1.1.1").contains("image-alt"));
    assert!(row("1.2.1").contains("非適用"));
    assert!(
        row("1.4.3").contains("要人手確認"),
        "a clean contrast check is not proof"
    );
    assert!(row("4.1.1").contains("<td>適合</td>"));
    assert!(row("2.4.5").contains("<td>適合</td>"), "a person's check decides");
    assert!(row("3.3.4").contains("要人手確認"), "a criterion nobody checked");
    assert_eq!(
        page.matches("<tr class=\"outcome-").count(),
        38,
        "every criterion of A and AA"
    );
    // The content changes after the test: the page says its results are from an earlier build.
    f.edit(
        "measures/kodomo-1.ja.md",
        "## 現状と課題",
        "## 現状と課題\n\n一文を加えました。",
    );
    f.build_ok();
    assert!(f.read("accessibility/index.html").contains("以前に作ったサイト"));
    assert!(
        f.read("en/accessibility/index.html")
            .contains("Partially conforms to level AA")
    );
}
