//! Model stage: the implementation plan (実施計画) — the projects (事業) that carry out the
//! measures, with their cost (事業費, in thousands of yen) and its funding for each fiscal year
//! of an edition. The plan is revised every year (ローリング方式): each year's edition
//! (R7–R9, then R8–R10, …) is kept, side by side, in `data/projects/<from>-<to>.csv`.

use std::ops::Range;

use serde::Serialize;

use super::{Bilingual, FiscalYear};
use crate::diag::FileId;

/// What an edition does with a project (事業区分).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProjectKind {
    /// 新規: starts in this edition.
    New,
    /// 拡充: continued and enlarged.
    Expanded,
    /// 継続: continued.
    Continued,
    /// 終了: ends within this edition.
    Ended,
}

impl ProjectKind {
    /// Every kind, in the order tables list them.
    pub const ALL: [ProjectKind; 4] = [
        ProjectKind::New,
        ProjectKind::Expanded,
        ProjectKind::Continued,
        ProjectKind::Ended,
    ];

    /// The word in the CSV and the open data: `new`, `expanded`, `continued`, `ended`.
    pub fn slug(self) -> &'static str {
        match self {
            ProjectKind::New => "new",
            ProjectKind::Expanded => "expanded",
            ProjectKind::Continued => "continued",
            ProjectKind::Ended => "ended",
        }
    }

    /// How the kind is written in a city's table (and in the bundled CSV): 新規 …
    pub fn ja(self) -> &'static str {
        match self {
            ProjectKind::New => "新規",
            ProjectKind::Expanded => "拡充",
            ProjectKind::Continued => "継続",
            ProjectKind::Ended => "終了",
        }
    }

    /// Reads a kind as written in Japanese or English.
    pub fn parse(s: &str) -> Option<ProjectKind> {
        ProjectKind::ALL
            .into_iter()
            .find(|k| k.ja() == s || k.slug().eq_ignore_ascii_case(s))
    }
}

/// The sources of funding of a year's cost (財源内訳), in thousands of yen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Funding {
    /// 国・県支出金: national and prefectural disbursements.
    pub grants: i64,
    /// 地方債: municipal bonds.
    pub bonds: i64,
    /// その他: other sources (fees, funds, donations).
    pub other: i64,
    /// 一般財源: general revenue.
    pub general: i64,
}

impl Funding {
    /// The names of the four sources, as CSV column suffixes and open-data keys, in order.
    pub const SOURCES: [&'static str; 4] = ["grants", "bonds", "other", "general"];

    /// The parts, in [`Funding::SOURCES`] order.
    pub fn parts(&self) -> [i64; 4] {
        [self.grants, self.bonds, self.other, self.general]
    }

    /// The sum of the parts.
    pub fn sum(&self) -> i64 {
        self.parts().iter().sum()
    }

    /// Adds another year's or project's funding to this one.
    pub fn add(&mut self, o: &Funding) {
        self.grants += o.grants;
        self.bonds += o.bonds;
        self.other += o.other;
        self.general += o.general;
    }
}

/// A project's cost in one fiscal year.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct YearCost {
    /// The fiscal year.
    pub year: FiscalYear,
    /// 事業費, thousands of yen.
    pub total: i64,
    /// Its funding; the parts add up to `total`.
    pub funding: Funding,
}

/// An activity indicator of a project (活動指標): what it does, counted.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Activity {
    /// What is counted.
    pub name: Bilingual,
    /// Its unit.
    pub unit: Bilingual,
    /// The value planned for the edition's last year.
    pub target: f64,
}

/// A project (事業) of one edition.
#[derive(Clone, Debug, Serialize)]
pub struct Project {
    /// Id, stable from edition to edition.
    pub id: String,
    /// The measure it carries out.
    pub measure: String,
    /// The strategy goal it also belongs to, if any.
    pub strategy: Option<String>,
    /// 新規 / 拡充 / 継続 / 終了.
    pub kind: ProjectKind,
    /// Name.
    pub name: Bilingual,
    /// Department in charge.
    pub department: Bilingual,
    /// What it does and what for (事業概要).
    pub outline: Bilingual,
    /// Cost per fiscal year of the edition (years without cost are left out).
    pub costs: Vec<YearCost>,
    /// Activity indicator.
    pub activity: Option<Activity>,
    /// The row it was read from.
    #[serde(skip)]
    pub file: FileId,
    /// Byte range of the row.
    #[serde(skip)]
    pub span: Range<usize>,
    /// Byte ranges of the `measure` and `strategy` cells, for diagnostics.
    #[serde(skip)]
    pub ref_spans: [Range<usize>; 2],
}

impl Project {
    /// The cost in a year (0 when the project has none that year).
    pub fn cost(&self, year: FiscalYear) -> i64 {
        self.costs.iter().find(|c| c.year == year).map_or(0, |c| c.total)
    }

    /// The cost over the whole edition.
    pub fn total(&self) -> i64 {
        self.costs.iter().map(|c| c.total).sum()
    }
}

/// One edition of the implementation plan: its years and projects, as read.
#[derive(Clone, Debug, Serialize)]
pub struct Edition {
    /// First fiscal year.
    pub from: FiscalYear,
    /// Last fiscal year.
    pub to: FiscalYear,
    /// Projects, in file order.
    pub projects: Vec<Project>,
    /// The file (`data/projects/R7-R9.csv`).
    #[serde(skip)]
    pub file: FileId,
    /// Which optional columns the file has (`activity_*`, `outline_*`), so that an export
    /// writes the same columns back.
    #[serde(skip)]
    pub columns: Vec<String>,
}

impl Edition {
    /// Its stable id and address segment: `R7-R9`.
    pub fn id(&self) -> String {
        format!("{}-{}", self.from.compact(), self.to.compact())
    }

    /// Its fiscal years, in order.
    pub fn years(&self) -> Vec<FiscalYear> {
        self.from.through(self.to).collect()
    }

    /// The project with this id.
    pub fn project(&self, id: &str) -> Option<&Project> {
        self.projects.iter().find(|p| p.id == id)
    }

    /// The projects of a measure, in file order.
    pub fn of_measure<'a>(&'a self, measure: &'a str) -> impl Iterator<Item = &'a Project> + 'a {
        self.projects.iter().filter(move |p| p.measure == measure)
    }

    /// The projects of each measure, looked up once (for pages that need many measures').
    pub fn by_measure(&self) -> std::collections::HashMap<&str, Vec<&Project>> {
        let mut m: std::collections::HashMap<&str, Vec<&Project>> = std::collections::HashMap::new();
        for p in &self.projects {
            m.entry(p.measure.as_str()).or_default().push(p);
        }
        m
    }

    /// Total cost and funding per year, over some projects.
    pub fn totals<'a>(&self, projects: impl IntoIterator<Item = &'a Project>) -> Vec<YearCost> {
        let mut out: Vec<YearCost> = self
            .years()
            .into_iter()
            .map(|year| YearCost {
                year,
                total: 0,
                funding: Funding::default(),
            })
            .collect();
        for p in projects {
            for c in &p.costs {
                if let Some(t) = out.iter_mut().find(|t| t.year == c.year) {
                    t.total += c.total;
                    t.funding.add(&c.funding);
                }
            }
        }
        out
    }
}

/// Every edition of the implementation plan, oldest first.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Editions(pub Vec<Edition>);

impl Editions {
    /// The latest edition (the one the site shows first).
    pub fn latest(&self) -> Option<&Edition> {
        self.0.last()
    }

    /// The edition with this id (`R7-R9`).
    pub fn get(&self, id: &str) -> Option<&Edition> {
        self.0.iter().find(|e| e.id() == id)
    }

    /// The edition before this one, if any.
    pub fn previous(&self, e: &Edition) -> Option<&Edition> {
        let i = self.0.iter().position(|x| x.from == e.from)?;
        i.checked_sub(1).map(|i| &self.0[i])
    }

    /// How a project's planned cost changed from the previous edition to `e`: for each year
    /// both editions plan, (year, cost before, cost now) where they differ.
    pub fn changes(&self, e: &Edition, p: &Project) -> Vec<(FiscalYear, i64, i64)> {
        let Some(prev) = self.previous(e) else {
            return Vec::new();
        };
        let Some(before) = prev.project(&p.id) else {
            return Vec::new();
        };
        e.years()
            .into_iter()
            .filter(|y| *y <= prev.to)
            .map(|y| (y, before.cost(y), p.cost(y)))
            .filter(|(_, a, b)| a != b)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(id: &str, costs: &[(u16, i64)]) -> Project {
        Project {
            id: id.into(),
            measure: "m-1".into(),
            strategy: None,
            kind: ProjectKind::Continued,
            name: Bilingual::default(),
            department: Bilingual::default(),
            outline: Bilingual::default(),
            costs: costs
                .iter()
                .map(|&(y, total)| YearCost {
                    year: FiscalYear(y),
                    total,
                    funding: Funding {
                        general: total,
                        ..Funding::default()
                    },
                })
                .collect(),
            activity: None,
            file: FileId::default(),
            span: 0..0,
            ref_spans: [0..0, 0..0],
        }
    }

    fn edition(from: u16, projects: Vec<Project>) -> Edition {
        Edition {
            from: FiscalYear(from),
            to: FiscalYear(from + 2),
            projects,
            file: FileId::default(),
            columns: Vec::new(),
        }
    }

    #[test]
    fn kinds_read_in_both_languages() {
        assert_eq!(ProjectKind::parse("拡充"), Some(ProjectKind::Expanded));
        assert_eq!(ProjectKind::parse("New"), Some(ProjectKind::New));
        assert_eq!(ProjectKind::parse("続行"), None);
    }

    #[test]
    fn totals_add_each_year_and_source() {
        let e = edition(
            2025,
            vec![project("a", &[(2025, 10), (2026, 20)]), project("b", &[(2026, 5)])],
        );
        let t = e.totals(&e.projects);
        assert_eq!(t.iter().map(|c| c.total).collect::<Vec<_>>(), [10, 25, 0]);
        assert_eq!(t[1].funding.general, 25);
        assert_eq!(e.id(), "R7-R9");
    }

    #[test]
    fn changes_compare_the_years_both_editions_plan() {
        let old = edition(2025, vec![project("a", &[(2025, 10), (2026, 20), (2027, 30)])]);
        let new = edition(2026, vec![project("a", &[(2026, 25), (2027, 30), (2028, 40)])]);
        let eds = Editions(vec![old, new]);
        let e = &eds.0[1];
        assert_eq!(eds.changes(e, &e.projects[0]), [(FiscalYear(2026), 20, 25)]);
        assert!(eds.changes(&eds.0[0], &eds.0[0].projects[0]).is_empty());
    }
}
