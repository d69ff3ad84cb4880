//! A corpus of bad inputs: each case breaks the small fixture in one way (the last in several)
//! and snapshots exactly what `keikaku check` prints, so any change to a message is
//! deliberate. Every case must exit with status 1 (or 0 for warning-only cases).

use crate::harness::Fixture;

/// One change to the fixture.
enum Edit {
    /// Replace text in a file.
    Replace(&'static str, &'static str, &'static str),
    /// Write a file.
    Write(&'static str, &'static [u8]),
    /// Remove a file.
    Remove(&'static str),
}
use Edit::*;

fn run_case(name: &str, edits: &[Edit], expect_code: i32) {
    let f = Fixture::new("small");
    for e in edits {
        match e {
            Replace(file, from, to) => {
                f.edit(file, from, to);
            }
            Write(file, bytes) => {
                f.write(file, bytes);
            }
            Remove(file) => {
                f.remove(file);
            }
        }
    }
    let r = f.run(&["check"]);
    assert_eq!(r.code, expect_code, "{name}:\n{}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{name} panicked:\n{}", r.stderr);
    let stderr = r.stderr.replace(&f.content().display().to_string(), "[content]");
    insta::assert_snapshot!(name, stderr);
}

macro_rules! corpus {
    ($($name:ident: $code:expr, [$($edit:expr),* $(,)?];)*) => {
        $(
            #[test]
            fn $name() {
                run_case(stringify!($name), &[$($edit),*], $code);
            }
        )*
    };
}

const M1: &str = "measures/kodomo-1.ja.md";
const CSV: &str = "data/targets/all.csv";

corpus! {
    yaml_unclosed_bracket: 1, [Replace(M1, "number: 1", "number: [1")];
    yaml_tab_indentation: 1, [Replace(M1, "number: 1", "number:\n\t1")];
    yaml_colon_in_value: 1, [Replace("districts/kita.ja.md", "catchphrase: 山と暮らす", "catchphrase: 山と: 暮らす")];
    front_matter_missing: 1, [Write("districts/nishi.ja.md", "title: 西地区\n本文です。\n".as_bytes())];
    front_matter_unclosed: 1, [Write("districts/nishi.ja.md", "---\ntitle: 西地区\nnumber: 2\n本文です。\n".as_bytes())];
    unknown_field_typo: 1, [Replace(M1, "number: 1", "number: 1\ndepartmnet: 保育課")];
    wrong_type_number: 1, [Replace(M1, "number: 1", "number: 一")];
    wrong_type_list_for_text: 1, [Replace(M1, "title: 保育の充実", "title: [保育, 充実]")];
    missing_title: 1, [Replace("districts/kita.ja.md", "title: 北地区\n", "")];
    missing_pillar: 1, [Replace(M1, "pillar: kodomo\n", "")];
    field_not_for_this_kind: 1, [Replace("districts/kita.ja.md", "number: 1", "number: 1\ndepartment: 市民課")];
    structure_in_translation: 1, [Replace("measures/kodomo-1.en.md", "department: Childcare Division", "department: Childcare Division\nsdgs: [\"4.2\"]")];
    translated_from_in_japanese: 1, [Replace("districts/kita.ja.md", "number: 1", "number: 1\ntranslated_from: abc")];
    file_name_without_language: 1, [Write("districts/nishi.md", "---\ntitle: 西地区\nnumber: 2\n---\n".as_bytes())];
    id_with_capitals: 1, [Write("districts/Nishi.ja.md", "---\ntitle: 西地区\nnumber: 2\n---\n".as_bytes())];
    unknown_folder: 1, [Write("measure/kodomo-3.ja.md", "---\ntitle: x\n---\n".as_bytes())];
    duplicate_id_across_kinds: 1, [Write("districts/kodomo.ja.md", "---\ntitle: 子ども地区\nnumber: 2\n---\n".as_bytes())];
    translation_without_source: 1, [Write("districts/higashi.en.md", "---\ntitle: East\n---\n".as_bytes())];
    translation_in_another_folder: 1, [Remove("measures/kodomo-1.en.md"), Write("districts/kodomo-1.en.md", "---\ntitle: Better childcare\n---\nText.\n".as_bytes())];
    translation_written_twice: 1, [Write("districts/kodomo-2.en.md", "---\ntitle: Childcare\n---\n".as_bytes()), Write("measures/kodomo-2.en.md", "---\ntitle: Childcare\ndepartment: Childcare Division\n---\n".as_bytes())];
    unknown_pillar_near_miss: 1, [Replace(M1, "pillar: kodomo", "pillar: kodmo")];
    strategy_lists_a_pillar: 1, [Replace("strategy/goal-1.ja.md", "measures: [kodomo-1, kodomo-2]", "measures: [kodomo, kodomo-2]")];
    pledge_unknown_measure: 1, [Replace("pledges/pledge-1.ja.md", "measures: [kodomo-1]", "measures: [hoiku-1]")];
    prose_unknown_measure: 1, [Replace("pillars/kodomo.ja.md", "[](measure:kodomo-2)", "[](measure:kodomo-5)")];
    prose_wrong_kind: 1, [Replace("districts/kita.ja.md", "[](pillar:kodomo)", "[](district:kodomo)")];
    prose_unknown_kind: 1, [Replace("pillars/kodomo.ja.md", "[](measure:kodomo-1)", "[](meassure:kodomo-1)")];
    prose_unknown_target: 1, [Replace(M1, "[](target:k1-1)", "[](target:k1-2)")];
    prose_sdg_goal_18: 1, [Replace(M1, "[](sdg:4.2)", "[](sdg:18)")];
    sdg_tag_3_14: 1, [Replace(M1, r#"sdgs: ["4.2", "5.4"]"#, r#"sdgs: ["4.2", "3.14"]"#)];
    sdg_tag_17_a: 1, [Replace(M1, r#"sdgs: ["4.2", "5.4"]"#, r#"sdgs: ["17.a"]"#)];
    sdg_tag_not_a_number: 1, [Replace(M1, r#"sdgs: ["4.2", "5.4"]"#, r#"sdgs: ["education"]"#)];
    measure_heading_renamed: 1, [Replace(M1, "## 具体的目標・目標値", "## 目標")];
    measure_section_missing: 1, [Replace(M1, "## SDGsの推進に向けた取り組み\n\n[](sdg:4.2)に貢献します。\n", "")];
    english_measure_heading_wrong: 1, [Replace("measures/kodomo-1.en.md", "## Policy (purpose)", "## Policy")];
    csv_wrong_column_count: 1, [Replace(CSV, "k1-1,kodomo-1,,待機児童数,Children on waiting lists,人,children,down,R4,3,R9,0,1,0,0", "k1-1,kodomo-1,,待機児童数,Children on waiting lists,人,children,down,R4,3,R9,0,1,0,0,0")];
    csv_not_a_number: 1, [Replace(CSV, "down,R4,3,R9,0,1,0,0", "down,R4,3人,R9,0,1,0,0")];
    csv_bad_year: 1, [Replace(CSV, "down,R4,3,R9,0,1,0,0", "down,R4,3,R99x,0,1,0,0")];
    csv_bad_direction: 1, [Replace(CSV, "down,R4,3,R9,0,1,0,0", "less,R4,3,R9,0,1,0,0")];
    csv_unknown_column: 1, [Replace(CSV, "unit_en,direction", "unit_en,directon")];
    csv_missing_value: 1, [Replace(CSV, "down,R4,3,R9,0,1,0,0", "down,R4,,R9,0,1,0,0")];
    csv_duplicate_target_id: 1, [Replace(CSV, "k2-1,kodomo-2", "k1-1,kodomo-2")];
    csv_unknown_owner: 1, [Replace(CSV, "k2-1,kodomo-2,", "k2-1,kodomo-3,")];
    csv_strategy_target_without_type: 1, [Replace(CSV, "g1-n1,goal-1,numeric,", "g1-n1,goal-1,,")];
    csv_measure_target_with_kpi_type: 1, [Replace(CSV, "k1-1,kodomo-1,,", "k1-1,kodomo-1,kpi,")];
    target_due_before_baseline: 1, [Replace(CSV, "down,R4,3,R9,0,1,0,0", "down,R4,3,R3,0,1,0,0")];
    target_year_outside_plan: 0, [Replace(CSV, "down,R4,3,R9,0,1,0,0", "down,R4,3,R12,0,1,0,0")];
    invalid_utf8: 1, [Write("districts/nishi.ja.md", b"---\ntitle: \x90\xbc\n---\n")];
    schedule_unknown_track: 1, [Replace("data/schedule.yaml", "track: council, ja: 議決", "track: gikai, ja: 議決")];
    schedule_bad_month: 1, [Replace("data/schedule.yaml", "month: 12,", "month: 13,")];
    periods_bad_year: 1, [Replace("data/periods.yaml", "{from: R7, to: R9,", "{from: R7, to: R10x,")];
    periods_span_outside_chart: 1, [Replace("data/periods.yaml", "{from: R7, to: R9,", "{from: R7, to: R11,")];
    config_missing_field: 1, [Replace("keikaku.yaml", "base_url: https://example.jp/keikaku\n", "")];
    config_missing: 1, [Remove("keikaku.yaml")];
    chapter_unknown_table: 1, [Replace("chapters/kosei.ja.md", "tables: [periods, bodies, schedule]", "tables: [periods, members]")];
    missing_glyph_warning: 0, [Replace(M1, "保育を充実します。", "保育を充実します\u{1F600}。")];
    empty_pillar_warning: 0, [Write("pillars/kankyo.ja.md", "---\ntitle: 環境を守るまち\nshort: 環境\nnumber: 2\n---\n本文。\n".as_bytes())];
    projects_every_wrong_cell: 1, [Write("data/projects/R7-R8.csv", "id,measure,strategy,kind,name_ja,R7,R7_grants,R7_bonds,R7_other,R7_general,R8,R8_grants,R8_bonds,R8_other,R8_general\nhoiku,kodomo-1,goal-1,続行,保育所整備,100,50,0,0,40,12千,,,,\nhoiku,kodomo-2,,継続,重複,1,0,0,0,1,,,,,\n".as_bytes())];
    projects_year_outside_edition: 1, [Write("data/projects/R7-R8.csv", "id,measure,kind,name_ja,R7,R7_grants,R7_bonds,R7_other,R7_general,R9\n".as_bytes())];
    projects_unknown_measure_and_goal: 1, [Write("data/projects/R7-R7.csv", "id,measure,strategy,kind,name_ja,R7,R7_grants,R7_bonds,R7_other,R7_general\nhoiku,kodomo-3,goal-9,新規,保育所整備,100,0,0,0,100\n".as_bytes())];
    projects_goal_without_the_measure: 0, [
        Replace("strategy/goal-1.ja.md", "measures: [kodomo-1, kodomo-2]", "measures: [kodomo-1]"),
        Write("data/projects/R7-R7.csv", "id,measure,strategy,kind,name_ja,R7,R7_grants,R7_bonds,R7_other,R7_general\nhoiku,kodomo-2,goal-1,新規,保育所整備,100,0,0,0,100\n".as_bytes()),
    ];
    evaluation_wrong_section: 1, [Write("progress/R6/kodomo-1.ja.md", "前置き\n\n## 評価\n\n順調です。\n\n## 課題\n\n人手不足です。\n".as_bytes())];
    evaluation_bad_reference: 1, [Write("progress/R6/kodomo-1.ja.md", "## 評価\n\n[](measure:kodomo-3)と連携しました。\n\n## 今後の方向性\n\n[](target:k9-9)を見直します。\n".as_bytes())];
    evaluation_unknown_measure: 1, [Write("progress/R6/kodomo-9.ja.md", "## 評価\n\n順調です。\n\n## 今後の方向性\n\n続けます。\n".as_bytes())];
    many_errors_at_once: 1, [
        Replace(M1, "pillar: kodomo", "pillar: kodom"),
        Replace("measures/kodomo-2.ja.md", r#"sdgs: ["4"]"#, r#"sdgs: ["18"]"#),
        Replace("districts/kita.ja.md", "[](pillar:kodomo)", "[](measure:kodomo)"),
        Replace("strategy/goal-1.ja.md", "number: 1", "number: one"),
        Replace(CSV, "k2-1,kodomo-2,", "k2-1,kodomo-9,"),
        Write("districts/higashi.en.md", "---\ntitle: East\n---\n".as_bytes()),
    ];
}
