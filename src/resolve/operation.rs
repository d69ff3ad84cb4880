//! Resolve stage: the plan's life around its text — the public comments on the draft (each
//! about an item and section that exist), the implementation plan's editions (each project
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

/// Checks the public comments: each is about an item that exists, and a section of it that
/// exists; comments and a draft need the period of the public comment.
pub fn check_comments(plan: &Plan, diags: &mut Diagnostics) {
    let section_ids: Vec<&str> = plan.sections.iter().map(|s| s.id.as_str()).collect();
    for c in &plan.comments {
        let Some(item) = plan.item(&c.item) else {
            if !plan.broken.contains(&c.item) {
                let ids: Vec<&str> = plan.items.iter().map(|i| i.id.as_str()).collect();
                let d = Diagnostic::error(
                    "unknown-reference",
                    format!("comment {} is about `{}`, which does not exist", c.number, c.item),
                )
                .at(c.file, c.ref_spans[0].clone(), "no item has this id");
                diags.push(match did_you_mean(&c.item, ids.iter().copied()) {
                    Some(s) => d.hint(format!("did you mean `{s}`?")),
                    None => d.hint("write the id of the measure, pillar, chapter or other item the comment is about (its file name without .ja.md)"),
                });
            }
            continue;
        };
        let Some(section) = &c.section else { continue };
        if item.kind != Kind::Measure || !section_ids.contains(&section.as_str()) {
            let d = Diagnostic::error(
                "unknown-section",
                format!("`{section}` is not a section of {} `{}`", item.kind.describe(), item.id),
            )
            .at(c.file, c.ref_spans[1].clone(), "unknown section");
            diags.push(if item.kind == Kind::Measure {
                d.hint(format!("a measure's sections are {}", section_ids.join(", ")))
            } else {
                d.hint("only a measure's sections can be named; leave `section` empty for other items")
            });
        }
    }
    if plan.config.public_comment.is_none() && !plan.comments.is_empty() {
        diags.push(
            Diagnostic::warning("missing-comment-period", "there are comments but no period of the public comment")
                .at(plan.comments[0].file, 0..0, "these comments")
                .hint("add `public_comment: {from: 2024-06-01, until: 2024-06-30, people: 14}` to keikaku.yaml, so the results say when comments were taken and by how many people"),
        );
    }
}
