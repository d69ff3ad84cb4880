//! Model stage: the yearly progress report (進捗状況報告) — for one fiscal year, every
//! target's value that year against its baseline and target, judged by the rule of
//! [`progress`](super::progress), with each measure's evaluation and next steps written by
//! its department (`progress/<year>/<measure>.<lang>.md`) and an introduction
//! (`progress/<year>/index.<lang>.md`).

use super::progress::{self, Status};
use super::{FiscalYear, Lang, Target, YearValue};
use crate::diag::FileId;

/// The headings of an evaluation file's two sections, per language: (evaluation, next steps).
pub fn section_headings(lang: Lang) -> (&'static str, &'static str) {
    match lang {
        Lang::Ja => ("評価", "今後の方向性"),
        Lang::En => ("Evaluation", "Next steps"),
    }
}

/// A measure's evaluation for the year, in one language (Markdown).
#[derive(Clone, Debug)]
pub struct Evaluation {
    /// The measure.
    pub measure: String,
    /// Its language.
    pub lang: Lang,
    /// The file.
    pub file: FileId,
    /// 評価: how the year went (Markdown).
    pub evaluation: String,
    /// 今後の方向性: what the department will do next (Markdown).
    pub next: String,
}

/// The progress report of one fiscal year.
#[derive(Clone, Debug)]
pub struct Report {
    /// The fiscal year it reports on.
    pub year: FiscalYear,
    /// Its introduction per language (Markdown).
    pub intro: Vec<(Lang, FileId, String)>,
    /// Evaluations of measures.
    pub evaluations: Vec<Evaluation>,
}

impl Report {
    /// A measure's evaluation in a language (Japanese when the translation is missing), and
    /// whether it fell back.
    pub fn evaluation(&self, measure: &str, lang: Lang) -> Option<(&Evaluation, bool)> {
        let find = |l: Lang| self.evaluations.iter().find(|e| e.measure == measure && e.lang == l);
        find(lang)
            .map(|e| (e, false))
            .or_else(|| find(Lang::Ja).map(|e| (e, lang != Lang::Ja)))
    }

    /// The introduction in a language (Japanese when the translation is missing), with the
    /// language it is in.
    pub fn intro(&self, lang: Lang) -> Option<(&str, Lang)> {
        let find = |l: Lang| self.intro.iter().find(|i| i.0 == l).map(|i| (i.2.as_str(), l));
        find(lang).or_else(|| find(Lang::Ja))
    }

    /// Its stable address segment: `R6`.
    pub fn id(&self) -> String {
        self.year.compact()
    }
}

/// A target as it stood at the end of a fiscal year: the value reported for that year (or
/// the latest before it), and its status by the rule of [`progress`].
#[derive(Clone, Debug, PartialEq)]
pub struct Standing {
    /// The value of that year, or the latest earlier one after the baseline.
    pub value: Option<YearValue>,
    /// Its status.
    pub status: Status,
}

/// The target as it was known at the end of `year`: its values of later years left out.
pub fn as_of(t: &Target, year: FiscalYear) -> Target {
    let mut upto = t.clone();
    upto.actuals.retain(|a| a.year <= year);
    upto
}

/// How a target stood at the end of `year`: only values up to that year count.
pub fn standing(t: &Target, year: FiscalYear) -> Standing {
    let upto = as_of(t, year);
    let value = upto
        .actuals
        .iter()
        .filter(|a| a.year > t.baseline.year)
        .max_by_key(|a| a.year)
        .cloned();
    Standing {
        status: progress::status(&upto),
        value,
    }
}

/// What a report says of its year as a whole, shared by its page and its PDF: for each
/// pillar, its targets' counts per status (in [`Status::ALL`] order) and their number, and
/// the targets whose status changed since the year before (target, before, now).
pub struct Summary<'a> {
    /// (pillar, counts per status, number of targets), in plan order.
    pub pillars: Vec<(&'a super::Item, [usize; 4], usize)>,
    /// Counts per status over every pillar.
    pub all: [usize; 4],
    /// The targets whose status changed since the year before.
    pub changes: Vec<(&'a Target, Status, Status)>,
}

/// The targets a pillar answers for: its own, then its measures'.
pub fn pillar_targets<'a>(plan: &'a super::Plan, pillar: &'a super::Item) -> Vec<&'a Target> {
    let mut ts: Vec<&Target> = plan.targets_of(&pillar.id).collect();
    ts.extend(plan.measures_of(&pillar.id).flat_map(|m| plan.targets_of(&m.id)));
    ts
}

/// The summary of the report of `year`.
pub fn summary(plan: &super::Plan, year: FiscalYear) -> Summary<'_> {
    let before = FiscalYear(year.0 - 1);
    let mut out = Summary {
        pillars: Vec::new(),
        all: [0; 4],
        changes: Vec::new(),
    };
    for p in plan.of_kind(super::Kind::Pillar) {
        let ts = pillar_targets(plan, p);
        let mut c = [0; 4];
        for t in &ts {
            let now = standing(t, year).status;
            c[Status::ALL.iter().position(|s| *s == now).unwrap_or(3)] += 1;
            let then = standing(t, before).status;
            if then != now {
                out.changes.push((t, then, now));
            }
        }
        for (a, b) in out.all.iter_mut().zip(c) {
            *a += b;
        }
        out.pillars.push((p, c, ts.len()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Bilingual, Direction, TargetType};

    fn target(actuals: &[(u16, f64)]) -> Target {
        let yv = |y: u16, v: f64| YearValue {
            year: FiscalYear(y),
            value: v,
        };
        Target {
            id: "t".into(),
            owner: "m".into(),
            kind: TargetType::Target,
            indicator: Bilingual::default(),
            unit: Bilingual::default(),
            direction: Direction::Up,
            baseline: yv(2022, 0.0),
            target: yv(2027, 50.0),
            actuals: actuals.iter().map(|&(y, v)| yv(y, v)).collect(),
            file: 0,
            span: 0..0,
        }
    }

    #[test]
    fn standing_ignores_later_years() {
        // On the line (10 a year) in 2023, behind in 2024, achieved in 2025.
        let t = target(&[(2023, 10.0), (2024, 12.0), (2025, 55.0)]);
        assert_eq!(standing(&t, FiscalYear(2023)).status, Status::OnTrack);
        assert_eq!(standing(&t, FiscalYear(2024)).status, Status::Behind);
        assert_eq!(standing(&t, FiscalYear(2025)).status, Status::Achieved);
        assert_eq!(standing(&t, FiscalYear(2022)).status, Status::NoData);
        // A year without a value keeps the latest earlier one.
        let s = standing(&t, FiscalYear(2024));
        assert_eq!(s.value.map(|v| v.year), Some(FiscalYear(2024)));
    }
}
