//! On top of the pipeline: `keikaku init` writes a new plan for a new municipality that
//! builds at once — the configuration, the vision, one pillar, one measure with the default
//! sections, one targets file and the home page's introduction, in both languages — each
//! with comments saying what to change. It refuses a folder that is not empty.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::model::terms::{Terms, default_sections};
use crate::model::{FiscalYear, Lang};

/// The municipality a new plan is for.
pub struct Municipality {
    /// Its name in Japanese (見本町).
    pub ja: String,
    /// Its name in English (Mihon Town).
    pub en: String,
}

/// The fiscal year a date falls in (April to March).
fn fiscal_year_of(year: i32, month: u32) -> u16 {
    let y = if month >= 4 { year } else { year - 1 };
    u16::try_from(y).unwrap_or(2026)
}

fn config_text(m: &Municipality, from: FiscalYear, to: FiscalYear) -> String {
    let q = crate::new::quote;
    let terms = Terms::default();
    let term_lines: String = terms
        .all()
        .iter()
        .map(|(name, t)| format!("#   {name}: {{ja: {}, en: {}}}\n", t.ja, t.en))
        .collect();
    let section_lines: String = default_sections()
        .iter()
        .map(|s| {
            format!(
                "#   - {{id: {}, ja: {}, en: {}{}}}\n",
                s.id,
                s.ja,
                s.en,
                if s.targets { ", targets: true" } else { "" }
            )
        })
        .collect();
    format!(
        "# keikaku の設定です。このファイルがあるフォルダー全体が一つの計画になります。\n\
         # The configuration of the plan: the whole folder this file is in is one plan.\n\
         # 書き方は docs/editing.ja.md（英語は docs/editing.en.md）にあります。\n\n\
         city: {{ja: {}, en: {}}}\n\n\
         # 計画の名前（表紙・ページの題名）。 The plan's name (covers, page titles).\n\
         title:\n  ja: {}\n  en: {}\n\n\
         # サイトを公開するアドレスに変えてください。 Change to the address the site will have.\n\
         base_url: https://www.example.lg.jp/keikaku/\n\n\
         # 基本計画の期間（和暦 R/H または西暦）。総合戦略があれば strategy_period も書きます。\n\
         # The basic plan's years; add strategy_period when the plan has a strategy.\n\
         plan_period: {{from: {}, to: {}}}\n\n\
         # 計画の用語。書かないものは次の既定の言葉になります。 The plan's words; defaults:\n\
         # terms:\n{term_lines}\n\
         # 施策の節（見出し）。書かないと次の四つです。 The sections of a measure; defaults:\n\
         # measure_sections:\n{section_lines}\n\
         # 中間の階層（基本目標 → 政策 → 施策）を使うときは true にします。\n\
         # middle_level: true\n\n\
         accessibility:\n  level: AA\n\n\
         notice:\n  ja: この計画は作成中です。\n  en: This plan is being drafted.\n",
        q(&m.ja),
        q(&m.en),
        q(&format!("{}総合計画 基本計画", m.ja)),
        q(&format!("{} Comprehensive Plan — Basic Plan", m.en)),
        from.compact(),
        to.compact(),
    )
}

/// The files of a new plan: (path in the folder, text).
fn files(m: &Municipality, from: FiscalYear, to: FiscalYear) -> Vec<(String, String)> {
    let mut measure_ja = String::from(
        "---\n# 施策のファイルです。pillar は属する柱の id、number は柱の中の順番です。\ntitle: （施策の題名）\npillar: pillar-1\nnumber: 1\ndepartment: （担当課）\nsummary: （この施策を一文で書きます。）\n---\n",
    );
    measure_ja.push_str(&crate::new::measure_body(
        &default_sections(),
        Lang::Ja,
        Some("pillar-1-1-1"),
    ));
    let mut measure_en = String::from(
        "---\n# The English translation: text fields only (the structure is in the Japanese file).\ntitle: (title of the measure)\ndepartment: (responsible division)\nsummary: (the measure in one sentence)\n---\n",
    );
    measure_en.push_str(&crate::new::measure_body(
        &default_sections(),
        Lang::En,
        Some("pillar-1-1-1"),
    ));
    let years: Vec<String> = (from.0 - 1..=to.0).map(|y| FiscalYear(y).compact()).collect();
    let csv = format!(
        "id,owner,type,indicator_ja,indicator_en,unit_ja,unit_en,direction,baseline_year,baseline,target_year,target,{}\n\
         pillar-1-1-1,pillar-1-1,,（指標の名前）,(name of the indicator),%,%,up,{},50,{},60,50{}\n",
        years.join(","),
        FiscalYear(from.0 - 1).compact(),
        to.compact(),
        ",".repeat(years.len() - 1)
    );
    vec![
        ("keikaku.yaml".into(), config_text(m, from, to)),
        (
            "vision/vision.ja.md".into(),
            "---\n# 基本構想の将来像です。 The vision of the basic plan.\ntitle: 将来像\ncatchphrase: （将来像を一言で）\nsummary: （将来像を一文で書きます。）\n---\n\n## 将来像\n\n（将来の姿を書きます。）\n".into(),
        ),
        (
            "vision/vision.en.md".into(),
            "---\ntitle: Our vision\ncatchphrase: (the vision in a few words)\nsummary: (the vision in one sentence)\n---\n\n## Our vision\n\n(The future the plan aims for.)\n".into(),
        ),
        (
            "pillars/pillar-1.ja.md".into(),
            "---\n# 第一の階層（柱・基本目標）です。ファイル名（pillar-1）が id です。\ntitle: （柱の題名）\nshort: （分野の短い名前）\nnumber: 1\nsummary: （この柱を一文で書きます。）\n---\n\n（この柱の基本方針を書きます。）\n".into(),
        ),
        (
            "pillars/pillar-1.en.md".into(),
            "---\ntitle: (title of the pillar)\nshort: (short name of the field)\nsummary: (the pillar in one sentence)\n---\n\n(The pillar's basic policy.)\n".into(),
        ),
        ("measures/pillar-1/pillar-1-1.ja.md".into(), measure_ja),
        ("measures/pillar-1/pillar-1-1.en.md".into(), measure_en),
        ("data/targets/targets.csv".into(), csv),
        (
            "intros/home.ja.md".into(),
            "{city}の{plan}（{plan_period}）の{pillar}・{measure}・{target}を、だれでも確かめられるようにまとめました。\n".into(),
        ),
        (
            "intros/home.en.md".into(),
            "The {pillars}, {measures} and {targets} of the {plan} of {city} ({plan_period}), open for everyone to check.\n".into(),
        ),
    ]
}

/// Writes a new plan into `dir` (created if missing; refused unless empty); returns the
/// files written. The plan's period is the four fiscal years from the one after `today`.
pub fn init(dir: &Path, m: &Municipality, today: (i32, u32)) -> Result<Vec<PathBuf>> {
    if m.ja.trim().is_empty() || m.en.trim().is_empty() || m.ja.chars().chain(m.en.chars()).any(char::is_control) {
        bail!("give the municipality's name in Japanese and in English, each on one line");
    }
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))?;
        if entries.next().is_some() {
            bail!(
                "{} is not empty: keikaku init writes a new plan into an empty or new folder only",
                dir.display()
            );
        }
    }
    let from = FiscalYear(fiscal_year_of(today.0, today.1) + 1);
    let to = FiscalYear(from.0 + 3);
    let mut written = Vec::new();
    for (rel, text) in files(m, from, to) {
        let path = dir.join(&rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_plan_checks_without_errors_and_a_full_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let plan = dir.path().join("plan");
        let m = Municipality {
            ja: "見本町".into(),
            en: "Mihon Town".into(),
        };
        init(&plan, &m, (2026, 12)).unwrap();
        let checked = crate::check(&plan, &crate::timings::Timings::default()).unwrap();
        let text = crate::diag::render_plain(&checked.sources, &checked.diags);
        assert_eq!(checked.diags.counts().0, 0, "{text}");
        let config = std::fs::read_to_string(plan.join("keikaku.yaml")).unwrap();
        assert!(config.contains("plan_period: {from: R9, to: R12}"), "{config}");
        assert!(init(&plan, &m, (2026, 12)).is_err(), "a folder with files is refused");
    }
}
