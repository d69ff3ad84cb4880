//! Render stage (PDF): the data of the documents of the plan in operation — the latest
//! edition of the implementation plan (its totals, cost per pillar and year, and every
//! project by pillar and measure, each measure with its page in the basic plan) and a
//! year's progress report (counts per status and pillar, changes since the year before,
//! each measure's targets that year with its evaluation).

use std::collections::HashMap;

use serde_json::{Value, json};

use super::data::{Linker, PlanPage};
use super::markdown::to_nodes;
use super::volumes;
use crate::model::progress::Status;
use crate::model::projects::{Edition, Funding, Project};
use crate::model::report;
use crate::model::{FiscalYear, Item, Kind, Lang};
use crate::render::{format, tables};

fn amount(v: i64) -> String {
    if v == 0 { "—".into() } else { format::number(v as f64) }
}

/// A measure's heading data: label, title, web address, and its page (and volume) in the
/// basic plan, which the template writes as the strategy does (`基本計画 p.34`).
fn measure_head(l: &Linker<'_>, m: &Item, plan_pages: &HashMap<String, PlanPage>, volume_n: &str) -> Value {
    let mut r = l.item_ref(m);
    let at = plan_pages.get(&m.id);
    r["page"] = json!(at.map(|a| a.page));
    r["volume"] = json!(
        at.and_then(|a| a.volume)
            .map(|(n, count)| volumes::label(volume_n, n, count))
    );
    r
}

fn project_row(l: &Linker<'_>, e: &Edition, p: &Project, s: &dyn Fn(&str) -> String) -> Value {
    let lang = l.lang;
    let changes: Vec<String> = l
        .plan
        .editions
        .changes(e, p)
        .into_iter()
        .map(|(y, a, b)| {
            s("impl_change_row")
                .replace("{year}", &format::year_short(y, lang))
                .replace("{before}", &format::number(a as f64))
                .replace("{now}", &format::number(b as f64))
        })
        .collect();
    json!({
        "id": p.id,
        "name": p.name.get(lang),
        "outline": p.outline.get(lang),
        "department": p.department.get(lang),
        "kind": p.kind.slug(),
        "strategy": p.strategy.as_ref().and_then(|g| l.plan.item(g)).map(|g| l.plan.label(g, lang)),
        "activity": p.activity.as_ref().map(|a| s("impl_activity_value")
            .replace("{name}", a.name.get(lang))
            .replace("{value}", &format::with_unit(a.target, a.unit.get(lang), lang))
            .replace("{year}", &format::year_short(e.to, lang))),
        "changes": if changes.is_empty() { Value::Null } else { json!(changes.join(&s("list_sep"))) },
        "costs": e.years().into_iter().map(|y| amount(p.cost(y))).collect::<Vec<_>>(),
        "total": amount(p.total()),
    })
}

fn totals_row(label: String, costs: &[crate::model::projects::YearCost]) -> Value {
    json!({
        "label": label,
        "values": costs.iter().map(|c| amount(c.total)).collect::<Vec<_>>(),
        "total": amount(costs.iter().map(|c| c.total).sum()),
        "raw": costs.iter().map(|c| c.total).collect::<Vec<_>>(),
    })
}

/// The parts of the implementation plan's latest edition.
pub fn implementation_parts(out: &mut Value, l: &Linker<'_>, plan_pages: &HashMap<String, PlanPage>) {
    let (plan, lang) = (l.plan, l.lang);
    let Some(e) = plan.editions.latest() else { return };
    let strings = &out["strings"];
    let s = |k: &str| strings[k].as_str().unwrap_or("").to_string();
    let totals = e.totals(&e.projects);
    let mut funding: Vec<Value> = Funding::SOURCES
        .iter()
        .enumerate()
        .map(|(k, source)| {
            let v: Vec<i64> = totals.iter().map(|c| c.funding.parts()[k]).collect();
            json!({"label": s(&format!("funding_{source}")), "values": v.iter().map(|x| amount(*x)).collect::<Vec<_>>(), "total": amount(v.iter().sum())})
        })
        .collect();
    funding.push(totals_row(s("total"), &totals));
    let pillars: Vec<Value> = plan
        .of_kind(Kind::Pillar)
        .map(|p| {
            let projects: Vec<&Project> = plan.measures_of(&p.id).flat_map(|m| e.of_measure(&m.id)).collect();
            let mut row = totals_row(
                format!("{} {}", plan.label(p, lang), p.title(lang)),
                &e.totals(projects),
            );
            row["id"] = json!(p.id);
            row["title"] = json!(p.title(lang));
            row["label_short"] = json!(plan.label(p, lang));
            row["measures"] = json!(
                plan.measures_of(&p.id)
                    .filter(|m| e.of_measure(&m.id).next().is_some())
                    .map(|m| {
                        let projects: Vec<&Project> = e.of_measure(&m.id).collect();
                        let mut head = measure_head(l, m, plan_pages, &s("volume_n"));
                        head["projects"] =
                            json!(projects.iter().map(|pr| project_row(l, e, pr, &s)).collect::<Vec<_>>());
                        head["totals"] = totals_row(s("total"), &e.totals(projects));
                        head
                    })
                    .collect::<Vec<_>>()
            );
            row
        })
        .collect();
    let pillar_max = pillars
        .iter()
        .flat_map(|p| p["raw"].as_array().into_iter().flatten().filter_map(Value::as_i64))
        .max()
        .unwrap_or(0);
    let years = e.years();
    let total: i64 = e.projects.iter().map(Project::total).sum();
    let years_phrase = crate::render::site::implementation::years_phrase(e, lang);
    out["edition"] = json!({
        "id": e.id(),
        "years": years.iter().map(|y| format::year_short(*y, lang)).collect::<Vec<_>>(),
        "lead": s("impl_lead").replace("{years}", &years_phrase).replace("{n}", &e.projects.len().to_string()).replace("{total}", &format::number(total as f64)),
        "intro": s("implementation_intro"),
        "previous": plan.editions.previous(e).map(|b| crate::render::site::implementation::years_phrase(b, lang)),
        "funding": funding,
        "pillars": pillars,
        "max": pillar_max,
    });
}

/// The parts of a year's progress report.
pub fn progress_parts(out: &mut Value, l: &Linker<'_>, year: FiscalYear, plan_pages: &HashMap<String, PlanPage>) {
    let (plan, lang) = (l.plan, l.lang);
    let Some(r) = plan.reports.iter().find(|r| r.year == year) else {
        return;
    };
    let before = FiscalYear(year.0 - 1);
    let md = |text: &str| to_nodes(&crate::load::markdown::parse(text, 0), l);
    let volume_n = out["strings"]["volume_n"].as_str().unwrap_or("").to_string();
    let sum = report::summary(plan, year);
    let label = |p: &Item| format!("{} {}", plan.label(p, lang), p.title(lang));
    let mut counts: Vec<Value> = sum
        .pillars
        .iter()
        .map(|(p, c, n)| json!({"label": label(p), "n": c, "total": n}))
        .collect();
    counts.push(json!({"label": out["strings"]["total"], "n": sum.all, "total": sum.all.iter().sum::<usize>()}));
    let changes: Vec<Value> = sum
        .changes
        .iter()
        .filter_map(|&(t, then, now)| {
            let owner = plan.item(&t.owner)?;
            Some(json!({"indicator": t.indicator.get(lang), "owner": label(owner), "before": then, "now": now}))
        })
        .collect();
    let pillars: Vec<Value> = sum
        .pillars
        .iter()
        .map(|(p, _, _)| {
            let measures: Vec<Value> = plan
                .measures_of(&p.id)
                .map(|m| {
                    let list: Vec<_> = plan.targets_of(&m.id).map(|t| report::as_of(t, year)).collect();
                    let refs: Vec<_> = list.iter().collect();
                    let mut head = measure_head(l, m, plan_pages, &volume_n);
                    head["targets"] =
                        serde_json::to_value(tables::targets(&refs, lang, tables::Medium::Pdf)).unwrap_or(Value::Null);
                    let e = r.evaluation(&m.id, lang);
                    head["evaluation"] = e.map_or(Value::Null, |(e, _)| json!(md(&e.evaluation)));
                    head["next"] = e.map_or(Value::Null, |(e, _)| json!(md(&e.next)));
                    head["eval_lang"] = json!(e.map(|(e, _)| e.lang.code()));
                    head
                })
                .collect();
            json!({"id": p.id, "label": plan.label(p, lang), "title": p.title(lang), "measures": measures})
        })
        .collect();
    out["report"] = json!({
        "year": format::year(year, lang),
        "previous_year": format::year(before, lang),
        "intro": r.intro(lang).map(|(text, l2)| json!({"nodes": md(text), "lang": l2.code()})),
        "counts": counts,
        "statuses": Status::ALL.iter().map(|s| s.slug()).collect::<Vec<_>>(),
        "changes": changes,
        "pillars": pillars,
    });
}

/// The public comment's results for the basic plan's appendix: period, totals, counts per
/// way of reflection, and each comment with its item and the city's answer.
pub fn comments(l: &Linker<'_>, t: &crate::theme::Strings) -> Value {
    use crate::model::comments::{Reflection, counts};
    let (plan, lang) = (l.plan, l.lang);
    let c = counts(&plan.comments);
    json!({
        "title": t.get("comment_results_title"),
        "period": crate::render::site::comments::period(plan, lang),
        "total": crate::render::site::comments::total(plan, t),
        "by_reflection": Reflection::ALL.iter().enumerate().map(|(i, r)| (t.get(&format!("reflection_{}", r.slug())).to_string(), c[i])).collect::<Vec<_>>(),
        "rows": plan.comments.iter().map(|c| {
            let section = c.section.as_ref().and_then(|id| plan.sections.iter().find(|s| &s.id == id)).map(|s| if lang == Lang::Ja { s.ja.clone() } else { s.en.clone() });
            json!({
                "number": c.number,
                "item": plan.item(&c.item).map(|i| l.item_ref(i)),
                "section": section,
                "summary": c.summary.get(lang),
                "answer": c.answer.get(lang),
                "reflection": t.get(&format!("reflection_{}", c.reflection.slug())),
            })
        }).collect::<Vec<_>>(),
    })
}

/// The parts of the 新旧対照表: the counts, then each item that differs with its sections new
/// beside old (changed runs underlined) and its targets' changed fields.
pub fn revision_parts(out: &mut Value, l: &Linker<'_>, t: &crate::theme::Strings) {
    use crate::model::revision::Change;
    let Some(revs) = l.plan.revision.as_ref() else { return };
    let rev = &revs[l.lang as usize];
    let (a, ch, r) = rev.counts();
    let word = |c: Change| match c {
        Change::Added => t.get("revision_added"),
        Change::Changed => t.get("revision_changed"),
        Change::Removed => t.get("revision_removed"),
    };
    out["revision"] = json!({
        "lead": t.get("revision_lead").replace("{old}", &rev.old_name).replace("{added}", &a.to_string()).replace("{changed}", &ch.to_string()).replace("{removed}", &r.to_string()),
        "items": rev.items.iter().map(|i| json!({
            "id": i.id,
            "change": word(i.change),
            "label": i.label,
            "title": if i.change == Change::Removed { &i.title.1 } else { &i.title.0 },
            "moved": i.moved_from.as_ref().map(|m| t.get("revision_moved").replace("{from}", m)),
            "rows": i.sections.iter().map(|s| json!({
                "title": s.title.clone().unwrap_or_else(|| t.get("revision_intro").to_string()),
                "same": s.same,
                "new": s.new,
                "old": s.old,
            })).collect::<Vec<_>>(),
            "targets": i.targets.iter().flat_map(|td| {
                let rows: Vec<Value> = match td.change {
                    Change::Changed => td.fields.iter().map(|f| json!([td.indicator, match f.field.as_str() {
                        "indicator" | "unit" | "baseline" | "target" => t.get(&format!("revision_field_{}", f.field)).to_string(),
                        y => y.to_string(),
                    }, f.new, f.old])).collect(),
                    c => vec![json!([td.indicator, word(c), "", ""])],
                };
                rows
            }).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    });
}
