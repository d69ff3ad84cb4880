//! Bad input is normal input: every malformed file, unknown reference or wrong type gives a
//! diagnostic with file:line:column, a hint, exit status 1 and no panic — all of them in one
//! run.

use crate::harness::Fixture;

#[test]
fn malformed_yaml() {
    let f = Fixture::new("small");
    f.edit("measures/kodomo-1.ja.md", "number: 1", "number: [1");
    f.build()
        .fails_with("error[yaml-syntax]: front-matter:")
        .says("measures/kodomo-1.ja.md:4:");
}

#[test]
fn wrong_type() {
    let f = Fixture::new("small");
    f.edit("measures/kodomo-1.ja.md", "number: 1", "number: いち");
    f.build()
        .fails_with("error[wrong-type]")
        .says("measures/kodomo-1.ja.md:4:9")
        .says("hint:");
}

#[test]
fn missing_required_field() {
    let f = Fixture::new("small");
    f.edit("measures/kodomo-1.ja.md", "department: 保健福祉部 保育課\n", "");
    f.build()
        .fails_with("error[missing-field]: the front-matter has no `department`")
        .says("measures/kodomo-1.ja.md:1:1")
        .says("hint: add the responsible department");
}

#[test]
fn unknown_field_with_its_name() {
    let f = Fixture::new("small");
    f.edit("measures/kodomo-1.ja.md", "number: 1", "number: 1\ntitel: x");
    f.build()
        .fails_with("error[unknown-field]: front-matter: unknown field `titel`")
        .says("measures/kodomo-1.ja.md:5:1");
}

#[test]
fn duplicate_id() {
    let f = Fixture::new("small");
    let text = std::fs::read_to_string(f.content().join("districts/kita.ja.md")).unwrap();
    f.write("districts/north/kodomo-1.ja.md", text);
    f.build()
        .fails_with("error[duplicate-id]: the id `kodomo-1` is used twice")
        .says("districts/north/kodomo-1.ja.md")
        .says("measures/kodomo-1.ja.md");
}

#[test]
fn measure_in_unknown_pillar() {
    let f = Fixture::new("small");
    f.edit("measures/kodomo-1.ja.md", "pillar: kodomo", "pillar: kodom");
    f.build()
        .fails_with("error[unknown-reference]: there is no pillar (柱・基本目標) with the id `kodom`")
        .says("measures/kodomo-1.ja.md:3:9")
        .says("did you mean `pillar: kodomo`?");
}

#[test]
fn reference_to_the_wrong_kind() {
    let f = Fixture::new("small");
    f.edit(
        "strategy/goal-1.ja.md",
        "measures: [kodomo-1, kodomo-2]",
        "measures: [kodomo-1, kodomo]",
    );
    f.build()
        .fails_with("error[wrong-kind]: `kodomo` is a pillar (柱・基本目標), not a measure (施策)")
        .says("strategy/goal-1.ja.md:5:22");
}

#[test]
fn unknown_reference_in_prose_suggests_the_near_miss() {
    let f = Fixture::new("small");
    f.edit("pillars/kodomo.ja.md", "[](measure:kodomo-2)", "[](measure:kodomo-3)");
    f.build()
        .fails_with("error[unknown-reference]: there is no measure (施策) with the id `kodomo-3`")
        .says("pillars/kodomo.ja.md:6:")
        .says("did you mean [](measure:kodomo-1)?");
}

#[test]
fn unknown_sdg_target() {
    let f = Fixture::new("small");
    f.edit(
        "measures/kodomo-1.ja.md",
        r#"sdgs: ["4.2", "5.4"]"#,
        r#"sdgs: ["4.2", "3.14"]"#,
    );
    f.build()
        .fails_with("error[unknown-sdg]: `3.14` is not an SDG goal or target")
        .says("goal 3 has no target 3.14");
}

#[test]
fn broken_link() {
    let f = Fixture::new("small");
    #[cfg(unix)]
    std::os::unix::fs::symlink("/nonexistent/keikaku-test", f.content().join("districts/gone.ja.md")).unwrap();
    #[cfg(unix)]
    f.build()
        .fails_with("error[broken-link]: this is a link to a file that does not exist")
        .says("districts/gone.ja.md");
}

#[test]
#[cfg(unix)]
fn a_link_out_of_the_content_folder_is_neither_read_nor_published() {
    let f = Fixture::new("small");
    std::os::unix::fs::symlink("/etc/passwd", f.content().join("static/passwd")).unwrap();
    let outside = f.output().with_file_name("outside.ja.md");
    std::fs::write(&outside, f.read_content("districts/kita.ja.md")).unwrap();
    std::os::unix::fs::symlink(&outside, f.content().join("districts/minami.ja.md")).unwrap();
    let r = f.run(&["check"]);
    r.fails_with("error[link-outside-content]: this is a link to /etc/passwd, outside the content folder")
        .says("static/passwd")
        .says("districts/minami.ja.md");
    f.build().fails_with("link-outside-content");
    assert!(!f.exists("passwd"));
}

#[test]
#[cfg(unix)]
fn a_link_inside_the_content_folder_is_read() {
    let f = Fixture::new("small");
    std::os::unix::fs::symlink(
        f.content().join("static/robots.txt"),
        f.content().join("static/robots-copy.txt"),
    )
    .unwrap();
    f.build_ok();
    assert!(f.exists("robots-copy.txt"));
}

#[test]
#[cfg(unix)]
fn a_named_pipe_is_a_diagnostic_not_a_hang() {
    let f = Fixture::new("small");
    let fifo = f.content().join("measures/pipe.ja.md");
    let ok = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success();
    assert!(ok);
    std::os::unix::fs::symlink(&fifo, f.content().join("static/pipe")).unwrap();
    f.run(&["check"])
        .fails_with("error[special-file]: this is a named pipe (FIFO), not a file")
        .says("measures/pipe.ja.md")
        .says("static/pipe");
}

#[test]
fn a_publication_date_that_does_not_exist_is_caught_by_check() {
    let f = Fixture::new("small");
    let cfg = f.read_content("keikaku.yaml");
    let cfg = match cfg.find("published:") {
        Some(_) => cfg
            .lines()
            .map(|l| {
                if l.starts_with("published:") {
                    "published: \"2025-02-30\""
                } else {
                    l
                }
            })
            .collect::<Vec<_>>()
            .join("\n"),
        None => format!("{cfg}\npublished: \"2025-02-30\"\n"),
    };
    f.write("keikaku.yaml", cfg);
    f.run(&["check"])
        .fails_with("`2025-02-30` is not a date")
        .says("keikaku.yaml:");
    f.write(
        "keikaku.yaml",
        f.read_content("keikaku.yaml")
            .replace("2025-02-30", "<script>alert(1)</script>"),
    );
    f.run(&["check"]).fails_with("is not a date");
}

#[test]
fn invalid_utf8() {
    let f = Fixture::new("small");
    f.write("districts/minami.ja.md", b"---\ntitle: \x93\xec\n---\n".as_slice());
    f.build()
        .fails_with("error[invalid-utf8]: the file is not valid UTF-8 text")
        .says("districts/minami.ja.md:2:8")
        .says("UTF-8");
}

#[test]
fn structure_in_a_translation() {
    let f = Fixture::new("small");
    f.edit(
        "measures/kodomo-1.en.md",
        "title: Better childcare",
        "title: Better childcare\npillar: kodomo",
    );
    f.build()
        .fails_with("error[structure-in-translation]: `pillar` belongs in the Japanese file")
        .says("measures/kodomo-1.en.md:3:9");
}

#[test]
fn translation_without_source() {
    let f = Fixture::new("small");
    f.write("districts/higashi.en.md", "---\ntitle: East\n---\nText\n");
    f.build()
        .fails_with("error[translation-without-source]: `higashi.en.md` has no Japanese source");
}

#[test]
fn missing_measure_section() {
    let f = Fixture::new("small");
    f.edit("measures/kodomo-1.ja.md", "## 方針（目的）", "## 方針");
    f.build()
        .fails_with("error[measure-sections]: this section should be `## 方針（目的）`")
        .says("measures/kodomo-1.ja.md:13:1");
}

#[test]
fn targets_table_errors_point_at_the_cell() {
    let f = Fixture::new("small");
    f.edit(
        "data/targets/all.csv",
        "k2-1,kodomo-2,,学校が楽しいと答えた児童の割合,Pupils who enjoy school,%,%,up,R4,80",
        "k2-1,kodomo-2,,学校が楽しいと答えた児童の割合,Pupils who enjoy school,%,%,up,R4,八十",
    );
    f.edit(
        "data/targets/all.csv",
        "v-1,vision,,総人口,Population,人,people,up,R2,40991,R9,38279,40180,39870,",
        "v-1,vision,,総人口,Population,人,people,up,R2,40991,R9,38279,40180",
    );
    f.build()
        .fails_with("error[not-a-number]: `八十` is not a number")
        .says("data/targets/all.csv:4:66")
        .says("error[wrong-column-count]: this row has 13 columns but the header has 15")
        .says("data/targets/all.csv:2:1");
}

#[test]
fn targets_csv_in_shift_jis_is_read() {
    let f = Fixture::new("small");
    let text = std::fs::read_to_string(f.content().join("data/targets/all.csv")).unwrap();
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(&text);
    f.write("data/targets/all.csv", sjis.as_ref());
    f.build_ok();
    assert!(f.read("measures/kodomo-1/index.html").contains("待機児童数"));
}

#[test]
fn missing_config() {
    let f = Fixture::new("small");
    f.remove("keikaku.yaml");
    f.build()
        .fails_with("error[missing-config]: the content folder has no keikaku.yaml");
}

#[test]
fn bad_fiscal_year_in_a_data_table() {
    let f = Fixture::new("small");
    f.edit("data/schedule.yaml", "{fy: R6, month: 6,", "{fy: R6x, month: 6,");
    f.build()
        .fails_with("`R6x` is not a fiscal year")
        .says("data/schedule.yaml:6:");
}

#[test]
fn missing_content_folder_is_an_io_error() {
    let f = Fixture::new("small");
    std::fs::remove_dir_all(f.content()).unwrap();
    let r = f.build();
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("does not exist"));
}

/// Several problems in one build are all reported, in a stable order; the snapshot makes any
/// change to the messages deliberate.
#[test]
fn all_errors_of_a_build_are_reported_together() {
    let f = Fixture::new("small");
    f.edit("measures/kodomo-1.ja.md", "pillar: kodomo", "pillar: kodom");
    f.edit("measures/kodomo-2.ja.md", r#"sdgs: ["4"]"#, r#"sdgs: ["18"]"#);
    f.edit("districts/kita.ja.md", "[](pillar:kodomo)", "[](measure:kodomo)");
    f.edit("strategy/goal-1.ja.md", "number: 1", "number: one");
    f.edit("data/targets/all.csv", "k2-1,kodomo-2,", "k2-1,kodomo-9,");
    let r = f.build();
    assert_eq!(r.code, 1);
    let errors = r.stderr.matches("\nerror[").count() + usize::from(r.stderr.starts_with("error["));
    assert_eq!(errors, 5, "{}", r.stderr);
    let stderr = r.stderr.replace(&f.output().display().to_string(), "[output]");
    insta::assert_snapshot!("mixed_errors", stderr);
}

#[test]
fn check_reports_json_for_ci() {
    let f = Fixture::new("small");
    f.edit("measures/kodomo-1.ja.md", "pillar: kodomo", "pillar: kodom");
    let r = f.run(&["check", "--format", "json"]);
    assert_eq!(r.code, 1);
    let first: serde_json::Value = serde_json::from_str(r.stdout.lines().next().unwrap()).unwrap();
    assert_eq!(first["severity"], "error");
    assert_eq!(first["code"], "unknown-reference");
    assert_eq!(first["file"], "measures/kodomo-1.ja.md");
    assert_eq!(first["line"], 3);
    assert_eq!(first["column"], 9);
}

/// The number of errors `check` reports.
fn error_count(stderr: &str) -> usize {
    stderr.lines().filter(|l| l.starts_with("error[")).count()
}

#[test]
fn a_page_saved_as_shift_jis_is_one_error_not_one_per_reference() {
    let f = Fixture::new("bundled");
    let rel = "measures/kosodate/kosodate-1.ja.md";
    let text = f.read_content(rel);
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(&text);
    f.write(rel, sjis.as_ref());
    let r = f.run(&["check"]);
    r.fails_with("error[invalid-utf8]").says(rel);
    assert_eq!(error_count(&r.stderr), 1, "{}", r.stderr);
}

#[test]
fn a_targets_table_with_a_bad_byte_is_one_error_not_one_per_reference() {
    let f = Fixture::new("bundled");
    let dir = f.content().join("data/targets");
    let csv = std::fs::read_dir(&dir).unwrap().next().unwrap().unwrap().path();
    let mut bytes = std::fs::read(&csv).unwrap();
    let at = bytes.len() / 2;
    bytes.splice(at..at, [0xFF, 0xFE, 0xFF]);
    std::fs::write(&csv, bytes).unwrap();
    let r = f.run(&["check"]);
    r.fails_with("error[invalid-utf8]");
    assert_eq!(error_count(&r.stderr), 1, "{}", r.stderr);
}

/// Accepted by each field alone, wrong together: each is now a located error.
#[test]
fn two_measures_with_one_number_in_a_pillar() {
    let f = Fixture::new("small");
    f.edit("measures/kodomo-2.ja.md", "number: 2", "number: 1");
    f.run(&["check"])
        .fails_with("error[duplicate-number]: the measure (施策) `kodomo-2` has the same number, 1, as `kodomo-1`")
        .says("measures/kodomo-2.ja.md:");
}

#[test]
fn a_plan_period_that_ends_before_it_begins() {
    let f = Fixture::new("small");
    f.edit(
        "keikaku.yaml",
        "plan_period: {from: R6, to: R9}",
        "plan_period: {from: R9, to: R6}",
    );
    f.run(&["check"])
        .fails_with("error[period-backwards]: `plan_period` ends (R6) before it begins (R9)")
        .says("keikaku.yaml:4:1");
}

#[test]
fn a_second_vision() {
    let f = Fixture::new("small");
    f.write("vision/vision2.ja.md", f.read_content("vision/vision.ja.md"));
    f.run(&["check"])
        .fails_with("error[second-vision]")
        .says("vision/vision2.ja.md");
}

#[test]
fn a_targets_column_twice() {
    let f = Fixture::new("small");
    let csv = f.read_content("data/targets/all.csv");
    f.write(
        "data/targets/all.csv",
        csv.replacen(",R5,", ",R5,R5,", 1).replace(",40180,", ",40180,40180,"),
    );
    f.run(&["check"])
        .fails_with("error[duplicate-column]: the column `R5` appears twice")
        .says("data/targets/all.csv:1:");
}

#[test]
fn a_target_id_that_is_a_path() {
    let f = Fixture::new("small");
    f.edit("data/targets/all.csv", "v-1,", "Kosodate 1/../x,");
    f.run(&["check"])
        .fails_with("error[bad-target-id]: `Kosodate 1/../x` cannot be a target id")
        .says("data/targets/all.csv:2:1");
}

#[test]
fn a_value_too_large_to_show() {
    let f = Fixture::new("small");
    f.edit("data/targets/all.csv", ",40991,", ",1e308,");
    f.run(&["check"])
        .fails_with("error[number-too-large]")
        .says("data/targets/all.csv:2:");
}

#[test]
fn new_refuses_a_title_with_a_line_break() {
    let f = Fixture::new("small");
    let r = f.run(&[
        "new",
        "measure",
        "kodomo-9",
        "--pillar",
        "kodomo",
        "--title",
        "一行目\n二行目",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("line break"), "{}", r.stderr);
    assert!(!f.content().join("measures/kodomo-9.ja.md").exists());
}

#[test]
fn a_theme_missing_interface_strings_builds_with_the_built_in_ones() {
    let f = Fixture::new("small");
    let theme = f.output().with_file_name("theme");
    std::fs::create_dir_all(&theme).unwrap();
    std::fs::write(theme.join("i18n.yaml"), "home: {ja: トップ, en: Top}\n").unwrap();
    let r = f.run(&["build", "--no-pdf", "--theme", theme.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(f.read("measures/kodomo-1/index.html").contains("トップ"));
}

#[test]
fn a_quote_left_open_is_reported_where_it_opens() {
    let f = Fixture::new("small");
    f.edit("measures/kodomo-1.ja.md", "title: 保育の充実", "title: \"保育の充実");
    f.run(&["check"])
        .fails_with("error[yaml-syntax]: front-matter: a quoted value is not closed on its line")
        .says("measures/kodomo-1.ja.md:2:8")
        .says("add the closing quote");
}

#[test]
fn periods_of_one_row_that_overlap() {
    let f = Fixture::new("bundled");
    f.edit(
        "data/periods.yaml",
        "{from: R2, to: R5, ja: 中期基本計画4年",
        "{from: R1, to: R5, ja: 中期基本計画4年",
    );
    f.run(&["check"])
        .fails_with("error[overlapping-periods]: the periods 「前期基本計画4年」 (H28–R1) and 「中期基本計画4年」 (R1–R5) share years")
        .says("data/periods.yaml:");
}

#[test]
fn a_control_character_in_a_title_is_caught_by_check() {
    let f = Fixture::new("small");
    f.edit("measures/kodomo-1.ja.md", "title: 保育の充実", "title: 保育の\u{1}充実");
    f.run(&["check"])
        .fails_with("error[control-character]: the file has an invisible control character (U+0001)")
        .says("measures/kodomo-1.ja.md:2:");
}

#[test]
fn ten_thousand_nested_quotes_build_the_site_and_the_pdfs() {
    let f = Fixture::new("small");
    let page = f.read_content("chapters/kosei.ja.md");
    f.write(
        "chapters/kosei.ja.md",
        format!("{page}\n{}深い引用\n", "> ".repeat(10_000)),
    );
    f.build_with_pdf();
    assert!(f.read("policy/kosei/index.html").contains("深い引用"));
}

#[test]
fn a_base_url_that_is_not_a_web_address() {
    let f = Fixture::new("small");
    f.edit(
        "keikaku.yaml",
        "base_url: https://example.jp/keikaku",
        "base_url: \"javascript:alert(1)\"",
    );
    f.run(&["check"])
        .fails_with("error[bad-base-url]: `javascript:alert(1)` is not a web address")
        .says("keikaku.yaml:3:1");
}
