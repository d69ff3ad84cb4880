//! Resolve stage: the plan in operation — the implementation plan's editions (each project
//! carries out a measure that exists, and belongs to a strategy goal that exists and covers
//! that measure) and the progress reports (each evaluates a measure that exists, in a year
//! of the plan).

use crate::diag::{Diagnostic, Diagnostics, FileId, Sources, did_you_mean};
use crate::model::{Kind, Plan};

/// A reference from a data row to an item of `kind` that does not exist.
fn unknown(plan: &Plan, kind: Kind, id: &str, file: FileId, span: std::ops::Range<usize>, what: &str) -> Diagnostic {
    let ids: Vec<&str> = plan.of_kind(kind).map(|i| i.id.as_str()).collect();
    let d = Diagnostic::error("unknown-reference", format!("{what} `{id}`, which does not exist")).at(
        file,
        span,
        format!("no {} has this id", kind.describe()),
    );
    match did_you_mean(id, ids.iter().copied()) {
        Some(s) => d.hint(format!("did you mean `{s}`?")),
        None => d.hint(format!(
            "write the id of a {} (its file name without .ja.md), e.g. {}",
            kind.describe(),
            ids.iter().take(3).copied().collect::<Vec<_>>().join(", ")
        )),
    }
}

/// Checks every edition of the implementation plan.
pub fn check_editions(plan: &Plan, sources: &Sources, diags: &mut Diagnostics) {
    for (i, e) in plan.editions.0.iter().enumerate() {
        if let Some(before) = plan.editions.0[..i].iter().find(|b| b.from == e.from) {
            diags.push(
                Diagnostic::error(
                    "duplicate-edition",
                    format!("two editions of the implementation plan start in {}", e.from.ja()),
                )
                .at(e.file, 0..0, "this file")
                .also(before.file, 0..0, "and this one")
                .hint("each year's revision is one file named after its years (R7-R9.csv, R8-R10.csv); remove or rename one"),
            );
        }
        for p in &e.projects {
            match plan.item(&p.measure).map(|m| m.kind) {
                Some(Kind::Measure) => {}
                _ if plan.broken.contains(&p.measure) => {}
                _ => diags.push(unknown(
                    plan,
                    Kind::Measure,
                    &p.measure,
                    p.file,
                    p.ref_spans[0].clone(),
                    &format!("the project `{}` carries out the measure", p.id),
                )),
            }
            let Some(goal) = &p.strategy else { continue };
            match plan.item(goal) {
                Some(g) if g.kind == Kind::Strategy => {
                    if !g.measures.contains(&p.measure) && plan.item(&p.measure).is_some() {
                        diags.push(
                            Diagnostic::warning(
                                "project-outside-goal",
                                format!("the strategy goal `{goal}` does not list the measure `{}` of the project `{}`", p.measure, p.id),
                            )
                            .at(p.file, p.ref_spans[1].clone(), "this goal")
                            .hint(format!(
                                "a project of the strategy carries out one of its goal's measures: add `{}` to `measures:` in {}, or give the project another goal",
                                p.measure,
                                sources.path(g.ja.file).display()
                            )),
                        );
                    }
                }
                _ if plan.broken.contains(goal) => {}
                _ => diags.push(unknown(
                    plan,
                    Kind::Strategy,
                    goal,
                    p.file,
                    p.ref_spans[1].clone(),
                    &format!("the project `{}` belongs to the strategy goal", p.id),
                )),
            }
        }
    }
}

/// Checks every progress report: its year lies in the plan, its evaluations name measures
/// and refer to what exists, and every measure with targets is evaluated.
pub fn check_reports(plan: &Plan, sources: &Sources, diags: &mut Diagnostics) {
    let period = &plan.config.plan_period;
    for r in &plan.reports {
        let first_file = r.intro.first().map(|i| i.1).or(r.evaluations.first().map(|e| e.file));
        if (r.year < period.from || r.year > period.to)
            && let Some(f) = first_file
        {
            diags.push(
                Diagnostic::error(
                    "report-outside-plan",
                    format!("{} is not a year of the plan ({}–{})", r.year.ja(), period.from.ja(), period.to.ja()),
                )
                .at(f, 0..0, "in this report")
                .hint("a progress report reports on a fiscal year of the plan period; check the folder's name (progress/R6/)"),
            );
        }
        for (_, file, _) in &r.intro {
            super::refs::check_text_refs(plan, sources.text(*file), *file, diags);
        }
        for e in &r.evaluations {
            super::refs::check_text_refs(plan, sources.text(e.file), e.file, diags);
            match plan.item(&e.measure).map(|m| m.kind) {
                Some(Kind::Measure) => {}
                _ if plan.broken.contains(&e.measure) => {}
                _ => diags.push(unknown(
                    plan,
                    Kind::Measure,
                    &e.measure,
                    e.file,
                    0..0,
                    "this file evaluates the measure",
                )),
            }
        }
        let missing: Vec<&str> = plan
            .of_kind(Kind::Measure)
            .filter(|m| plan.targets_of(&m.id).next().is_some())
            .filter(|m| r.evaluation(&m.id, crate::model::Lang::Ja).is_none())
            .map(|m| m.id.as_str())
            .collect();
        if let (false, Some(f)) = (missing.is_empty(), first_file) {
            diags.push(
                Diagnostic::warning(
                    "missing-evaluation",
                    format!("the report for {} has no evaluation of {}", r.year.ja(), missing.join(", ")),
                )
                .at(f, 0..0, "in this report")
                .hint(format!(
                    "write progress/{}/<measure>.ja.md with the sections `## 評価` and `## 今後の方向性` for each; until then the report shows the figures alone",
                    r.year.compact()
                )),
            );
        }
    }
}
