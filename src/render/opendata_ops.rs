//! Render stage (open data): the plan in operation — the implementation plan's editions and
//! the yearly progress reports, in `data/plan.json` (`implementation`, `progress_reports`)
//! and as CSV (`data/projects.csv`, a row per project, edition and year;
//! `data/progress-<year>.csv`, a row per target as it stood that year). The layout is
//! documented in `docs/open-data.md`.

use serde::Serialize;

use super::OutputFile;
use super::opendata::{Both, Point, Year, bilingual, csv_bytes, point, year};
use crate::model::progress::Status;
use crate::model::projects::{Edition, Funding, Project, YearCost};
use crate::model::report::{self, Report};
use crate::model::{FiscalYear, Plan};

/// A year's cost and its funding, in thousands of yen.
#[derive(Serialize)]
pub struct CostJson {
    bonds: i64,
    general: i64,
    grants: i64,
    other: i64,
    total: i64,
    year: Year,
}

fn cost(c: &YearCost) -> CostJson {
    CostJson {
        bonds: c.funding.bonds,
        general: c.funding.general,
        grants: c.funding.grants,
        other: c.funding.other,
        total: c.total,
        year: year(c.year),
    }
}

/// A change of a project's planned cost since the previous edition.
#[derive(Serialize)]
pub struct ChangeJson {
    before: i64,
    now: i64,
    year: Year,
}

/// An activity indicator.
#[derive(Serialize)]
pub struct ActivityJson<'a> {
    name: Both<'a>,
    target: f64,
    unit: Both<'a>,
}

/// A project of an edition.
#[derive(Serialize)]
pub struct ProjectJson<'a> {
    activity: Option<ActivityJson<'a>>,
    changed_since_previous: Vec<ChangeJson>,
    costs: Vec<CostJson>,
    department: Both<'a>,
    id: &'a str,
    kind: &'static str,
    measure: &'a str,
    name: Both<'a>,
    outline: Both<'a>,
    strategy_goal: Option<&'a str>,
}

/// An edition of the implementation plan.
#[derive(Serialize)]
pub struct EditionJson<'a> {
    from: Year,
    id: String,
    projects: Vec<ProjectJson<'a>>,
    to: Year,
    totals: Vec<CostJson>,
}

fn project<'a>(plan: &Plan, e: &Edition, p: &'a Project) -> ProjectJson<'a> {
    ProjectJson {
        activity: p.activity.as_ref().map(|a| ActivityJson {
            name: bilingual(&a.name),
            target: a.target,
            unit: bilingual(&a.unit),
        }),
        changed_since_previous: plan
            .editions
            .changes(e, p)
            .into_iter()
            .map(|(y, before, now)| ChangeJson {
                before,
                now,
                year: year(y),
            })
            .collect(),
        costs: p.costs.iter().map(cost).collect(),
        department: bilingual(&p.department),
        id: &p.id,
        kind: p.kind.slug(),
        measure: &p.measure,
        name: bilingual(&p.name),
        outline: bilingual(&p.outline),
        strategy_goal: p.strategy.as_deref(),
    }
}

/// Every edition, for `plan.json`.
pub fn editions(plan: &Plan) -> Vec<EditionJson<'_>> {
    plan.editions
        .0
        .iter()
        .map(|e| EditionJson {
            from: year(e.from),
            id: e.id(),
            projects: e.projects.iter().map(|p| project(plan, e, p)).collect(),
            to: year(e.to),
            totals: e.totals(&e.projects).iter().map(cost).collect(),
        })
        .collect()
}

/// A target as it stood in a report's year.
#[derive(Serialize)]
pub struct StandingJson<'a> {
    id: &'a str,
    status: Status,
    value: Option<Point>,
}

/// A progress report.
#[derive(Serialize)]
pub struct ReportJson<'a> {
    /// Targets per status.
    counts: std::collections::BTreeMap<&'static str, usize>,
    /// Measures with an evaluation in Japanese.
    evaluated_measures: Vec<&'a str>,
    targets: Vec<StandingJson<'a>>,
    year: Year,
}

/// Every progress report, for `plan.json`.
pub fn reports(plan: &Plan) -> Vec<ReportJson<'_>> {
    plan.reports
        .iter()
        .map(|r| {
            let targets: Vec<StandingJson> = plan
                .targets
                .iter()
                .map(|t| {
                    let s = report::standing(t, r.year);
                    StandingJson {
                        id: &t.id,
                        status: s.status,
                        value: s.value.as_ref().map(point),
                    }
                })
                .collect();
            let counts = Status::ALL
                .iter()
                .map(|s| (s.slug(), targets.iter().filter(|t| t.status == *s).count()))
                .collect();
            ReportJson {
                counts,
                evaluated_measures: r
                    .evaluations
                    .iter()
                    .filter(|e| e.lang == crate::model::Lang::Ja)
                    .map(|e| e.measure.as_str())
                    .collect(),
                targets,
                year: year(r.year),
            }
        })
        .collect()
}

/// `data/projects.csv`: a row per edition, project and fiscal year.
pub fn projects_csv(plan: &Plan) -> Vec<u8> {
    let mut rows = vec![
        [
            "edition",
            "project_id",
            "measure_id",
            "strategy_goal_id",
            "kind",
            "name_ja",
            "name_en",
            "department_ja",
            "department_en",
            "fiscal_year",
            "year_ja",
            "cost",
        ]
        .iter()
        .map(|s| s.to_string())
        .chain(Funding::SOURCES.iter().map(|s| s.to_string()))
        .collect::<Vec<String>>(),
    ];
    for e in &plan.editions.0 {
        for p in &e.projects {
            for c in &p.costs {
                let mut row = vec![
                    e.id(),
                    p.id.clone(),
                    p.measure.clone(),
                    p.strategy.clone().unwrap_or_default(),
                    p.kind.slug().to_string(),
                    p.name.ja.clone(),
                    p.name.en.clone(),
                    p.department.ja.clone(),
                    p.department.en.clone(),
                    c.year.0.to_string(),
                    c.year.ja(),
                    c.total.to_string(),
                ];
                row.extend(c.funding.parts().iter().map(i64::to_string));
                rows.push(row);
            }
        }
    }
    csv_bytes(rows)
}

/// `data/progress-<year>.csv`: every target as it stood in the report's year.
pub fn report_csv(plan: &Plan, r: &Report) -> Vec<u8> {
    let mut rows: Vec<Vec<String>> = vec![
        [
            "target_id",
            "owner_id",
            "indicator_ja",
            "indicator_en",
            "unit_ja",
            "unit_en",
            "direction",
            "baseline_fiscal_year",
            "baseline",
            "value_fiscal_year",
            "value",
            "target_fiscal_year",
            "target",
            "status",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
    ];
    let num = |v: f64| super::export::number(v);
    for t in &plan.targets {
        let s = report::standing(t, r.year);
        rows.push(vec![
            t.id.clone(),
            t.owner.clone(),
            t.indicator.ja.clone(),
            t.indicator.en.clone(),
            t.unit.ja.clone(),
            t.unit.en.clone(),
            format!("{:?}", t.direction).to_lowercase(),
            t.baseline.year.0.to_string(),
            num(t.baseline.value),
            s.value.as_ref().map(|v| v.year.0.to_string()).unwrap_or_default(),
            s.value.as_ref().map(|v| num(v.value)).unwrap_or_default(),
            t.target.year.0.to_string(),
            num(t.target.value),
            s.status.slug().to_string(),
        ]);
    }
    csv_bytes(rows)
}

/// `data/public-comments.csv`: a row per comment, with the city's answer.
pub fn comments_csv(plan: &Plan) -> Vec<u8> {
    let mut rows: Vec<Vec<String>> = vec![
        [
            "number",
            "item_id",
            "item_title_ja",
            "item_title_en",
            "section",
            "summary_ja",
            "summary_en",
            "answer_ja",
            "answer_en",
            "reflection",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
    ];
    for c in &plan.comments {
        let item = plan.item(&c.item);
        let title = |l| item.map(|i| i.title(l).to_string()).unwrap_or_default();
        rows.push(vec![
            c.number.to_string(),
            c.item.clone(),
            title(crate::model::Lang::Ja),
            title(crate::model::Lang::En),
            c.section.clone().unwrap_or_default(),
            c.summary.ja.clone(),
            c.summary.en.clone(),
            c.answer.ja.clone(),
            c.answer.en.clone(),
            c.reflection.slug().to_string(),
        ]);
    }
    csv_bytes(rows)
}

/// The open-data files of the plan in operation.
pub fn files(plan: &Plan) -> Vec<OutputFile> {
    let mut out = Vec::new();
    if !plan.comments.is_empty() {
        out.push(OutputFile {
            path: "data/public-comments.csv".into(),
            bytes: comments_csv(plan),
        });
    }
    if !plan.editions.0.is_empty() {
        out.push(OutputFile {
            path: "data/projects.csv".into(),
            bytes: projects_csv(plan),
        });
    }
    for r in &plan.reports {
        out.push(OutputFile {
            path: report_file(r.year).into(),
            bytes: report_csv(plan, r),
        });
    }
    out
}

/// The open-data file of a year's report: `data/progress-R6.csv`.
pub fn report_file(y: FiscalYear) -> String {
    format!("data/progress-{}.csv", y.compact())
}
