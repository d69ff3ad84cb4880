//! The plan in operation, as the finance and planning staff use it: the implementation
//! plan's editions kept in spreadsheets (read as Excel writes them, exported and read back),
//! their pages, the measure and strategy pages that list projects, the open data, and the
//! yearly progress report.

use crate::harness::Fixture;

const HEAD: &str = "id,measure,strategy,kind,name_ja,name_en,department_ja,department_en,outline_ja,outline_en,";

/// The header of an edition's years.
fn years(ys: &[&str]) -> String {
    ys.iter()
        .map(|y| format!("{y},{y}_grants,{y}_bonds,{y}_other,{y}_general"))
        .collect::<Vec<_>>()
        .join(",")
}

/// The small fixture with two editions (R7–R9, R8–R10) and a progress report for R6.
fn with_operation() -> Fixture {
    let f = Fixture::new("small");
    f.write(
        "data/projects/R7-R9.csv",
        format!(
            "{HEAD}{}\n\
             hoiku-seibi,kodomo-1,goal-1,新規,保育所整備事業,Nursery building,保育課,Childcare Division,保育所を建て替えます。,We rebuild a nursery.,\"12,000\",6000,4000,0,2000,20000,10000,8000,0,2000,5000,0,0,0,5000\n\
             gakushu,kodomo-2,,継続,学習支援事業,Study support,学校教育課,School Education Division,,,3000,0,0,0,3000,3000,0,0,0,3000,3000,0,0,0,3000\n",
            years(&["R7", "R8", "R9"])
        ),
    );
    f.write(
        "data/projects/R8-R10.csv",
        format!(
            "{HEAD}{}\n\
             hoiku-seibi,kodomo-1,goal-1,拡充,保育所整備事業,Nursery building,保育課,Childcare Division,保育所を建て替えます。,We rebuild a nursery.,24000,10000,12000,0,2000,9000,0,4000,0,5000,1000,0,0,0,1000\n\
             gakushu,kodomo-2,,継続,学習支援事業,Study support,学校教育課,School Education Division,,,3000,0,0,0,3000,3000,0,0,0,3000,3000,0,0,0,3000\n",
            years(&["R8", "R9", "R10"])
        ),
    );
    f.write(
        "progress/R6/kodomo-1.ja.md",
        "## 評価\n\n待機児童は解消しました。\n\n## 今後の方向性\n\n保育士の確保を続けます。\n",
    );
    f.write("progress/R6/index.ja.md", "令和6年度の実績をまとめました。\n");
    f
}

#[test]
fn editions_have_pages_and_measures_list_their_projects() {
    let f = with_operation();
    f.build_ok();
    // The section shows the latest edition; every edition keeps its own address.
    let latest = f.read("implementation/index.html");
    assert!(latest.contains("実施計画（令和8年度〜令和10年度）"), "{latest}");
    assert!(f.exists("implementation/R7-R9/index.html") && f.exists("implementation/R8-R10/index.html"));
    // Its row shows how the planned cost changed since the previous edition.
    assert!(latest.contains("R8 20,000→24,000"), "{latest}");
    // Totals: R8 = 24,000 + 3,000.
    assert!(latest.contains("27,000"), "{latest}");
    // The chart has a text alternative and its numbers are in a table.
    assert!(latest.contains("<svg class=\"cost-chart\"") && latest.contains("<desc id=\"cost-chart-d\">"));
    // The measure lists its projects; the strategy goal its own.
    let m = f.read("measures/kodomo-1/index.html");
    assert!(m.contains("保育所整備事業") && m.contains("24,000"), "{m}");
    assert!(!m.contains("学習支援事業"));
    let g = f.read("strategy/goal-1/index.html");
    assert!(g.contains("保育所整備事業") && !g.contains("学習支援事業"), "{g}");
    // In English too, with the English names.
    let en = f.read("en/measures/kodomo-1/index.html");
    assert!(en.contains("Nursery building"), "{en}");
    // Open data: every edition in plan.json and a row per project, edition and year in CSV.
    let json = f.read("data/plan.json");
    assert!(json.contains("\"implementation\"") && json.contains("\"R8-R10\""));
    let csv = f.read("data/projects.csv");
    assert_eq!(
        csv.lines().filter(|l| l.starts_with("R8-R10,hoiku-seibi")).count(),
        3,
        "{csv}"
    );
}

#[test]
fn a_cost_changed_in_a_spreadsheet_reaches_pages_totals_chart_and_open_data() {
    let f = with_operation();
    f.build_ok();
    // As Excel writes a CSV in Japan: Shift_JIS, CRLF, thousands in quotes.
    let text = f
        .read_content("data/projects/R8-R10.csv")
        .replace("24000,10000,12000,0,2000", "\"31,000\",10000,12000,0,\"9,000\"")
        .replace('\n', "\r\n");
    let (sjis, _, bad) = encoding_rs::SHIFT_JIS.encode(&text);
    assert!(!bad);
    f.write("data/projects/R8-R10.csv", sjis.as_ref());
    f.build_ok();
    let m = f.read("measures/kodomo-1/index.html");
    assert!(m.contains("31,000"), "{m}");
    let all = f.read("implementation/index.html");
    // The project's row, and the pillar's total of R8 (31,000 + 3,000) in the table and on
    // its bar in the chart.
    assert!(
        all.contains("31,000") && all.contains("<td>34,000</td>") && all.contains(">34,000</text>"),
        "{all}"
    );
    assert!(
        f.read("data/projects.csv")
            .contains("R8-R10,hoiku-seibi,kodomo-1,goal-1,expanded")
    );
    assert!(f.read("data/plan.json").contains("\"total\": 31000"));
}

#[test]
fn export_writes_the_tables_back_as_they_are_read() {
    let f = with_operation();
    let out = f.output();
    let r = f.run(&["export", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let exported = std::fs::read(out.join("data/projects/R8-R10.csv")).unwrap();
    assert!(exported.starts_with(b"\xEF\xBB\xBF") && exported.ends_with(b"\r\n"));
    // Put back in place of the originals, they build the same site.
    f.build_ok();
    let before = f.read("implementation/index.html");
    for t in [
        "data/projects/R7-R9.csv",
        "data/projects/R8-R10.csv",
        "data/targets/all.csv",
    ] {
        f.write(t, std::fs::read(out.join(t)).unwrap());
    }
    f.build_ok();
    assert_eq!(before, f.read("implementation/index.html"));
    // Exporting what was exported gives the same bytes.
    let again = f.output().with_file_name("again");
    f.run(&["export", again.to_str().unwrap()]);
    assert_eq!(exported, std::fs::read(again.join("data/projects/R8-R10.csv")).unwrap());
}

#[test]
fn the_bundled_tables_are_in_the_form_export_writes() {
    let f = Fixture::new("bundled");
    let out = f.output();
    let r = f.run(&["export", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut n = 0;
    for e in walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
    {
        let rel = e.path().strip_prefix(&out).unwrap();
        let own = std::fs::read(f.content().join(rel)).unwrap();
        assert!(
            own == std::fs::read(e.path()).unwrap(),
            "{} differs from its export",
            rel.display()
        );
        n += 1;
    }
    // Eight targets files, two editions and the comments.
    assert_eq!(n, 11);
}

#[test]
fn export_refuses_content_with_errors() {
    let f = with_operation();
    f.edit("data/projects/R7-R9.csv", "3000,0,0,0,3000", "3000,0,0,0,2000");
    let out = f.output();
    let r = f.run(&["export", out.to_str().unwrap()]);
    r.fails_with("funding-mismatch").says("nothing exported");
    assert!(!out.exists());
}

#[test]
fn the_progress_report_states_its_rule_counts_and_evaluations() {
    let f = with_operation();
    f.build_ok();
    let r = f.read("progress/R6/index.html");
    assert!(r.contains("令和6年度 進捗状況報告"), "{r}");
    assert!(r.contains("令和6年度の実績をまとめました。"));
    // The rule, on the page.
    assert!(r.contains("基準値と目標値を結ぶ直線"));
    assert!(r.contains("待機児童は解消しました。") && r.contains("保育士の確保を続けます。"));
    // kodomo-2 has no evaluation yet: the page says so.
    assert!(r.contains("評価は、まだ書かれていません"), "{r}");
    // The year's values only: R7's are not counted in R6's report.
    assert!(f.read("data/progress-R6.csv").lines().count() > 1);
    // The English page falls back to the Japanese evaluation, marked as Japanese.
    let en = f.read("en/progress/R6/index.html");
    assert!(en.contains("<div lang=\"ja\"><p>待機児童は解消しました。</p>"), "{en}");
    // check warns that a measure with targets has no evaluation.
    f.run(&["check"]).says("missing-evaluation");
}

#[test]
fn a_project_of_an_unknown_measure_or_a_goal_without_it_is_reported() {
    let f = with_operation();
    f.edit(
        "data/projects/R7-R9.csv",
        "gakushu,kodomo-2,,",
        "gakushu,kodomo-3,goal-2,",
    );
    f.build()
        .fails_with("the project `gakushu` carries out the measure `kodomo-3`, which does not exist")
        .says("data/projects/R7-R9.csv:3:9")
        .says("did you mean `kodomo-")
        .says("the project `gakushu` belongs to the strategy goal `goal-2`, which does not exist");
}
