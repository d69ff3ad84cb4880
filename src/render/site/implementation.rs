//! Render stage (HTML): the implementation plan (実施計画) — the section's page, which shows
//! the latest edition, and a page per edition at a stable address (`implementation/R7-R9/`),
//! each with its totals per year and source of funding, the chart of cost per pillar and
//! year with its numbers, and every project by pillar and measure (filterable by kind with
//! no script, like the targets index). Measure and strategy-goal pages list their projects
//! with [`projects_of`].

use serde::Serialize;

use super::context::{ItemRef, Maker, Page, PageCtx, Site, base_context};
use crate::model::projects::{Edition, Funding, Project, ProjectKind};
use crate::model::{Item, Kind, Lang};
use crate::render::cost_chart;
use crate::render::format;

/// A project as a row of a table.
#[derive(Serialize)]
pub struct ProjectRow {
    /// Anchor (`project-<id>`).
    anchor: String,
    /// Name in the page's language.
    name: String,
    /// `ja` when the name is Japanese on an English page.
    lang: Option<&'static str>,
    /// `new`, `expanded` …
    kind: &'static str,
    /// 新規 …
    kind_label: String,
    department: String,
    outline: String,
    /// The measure (on the section's pages, where rows are grouped by measure, `None`).
    measure: Option<ItemRef>,
    /// The strategy goal it belongs to.
    strategy: Option<ItemRef>,
    /// Cost per year of the edition, formatted (`—` for none).
    costs: Vec<String>,
    total: String,
    /// How its planned cost changed since the previous edition.
    changes: Option<String>,
    activity: Option<String>,
}

/// Some projects of an edition as a table.
#[derive(Serialize)]
pub struct ProjectTable {
    caption: String,
    /// Year column headings.
    years: Vec<String>,
    rows: Vec<ProjectRow>,
    /// Totals per year, and over the edition.
    totals: Vec<String>,
    total: String,
    /// Where the whole edition is.
    href: String,
}

fn amount(v: i64) -> String {
    if v == 0 { "—".into() } else { format::number(v as f64) }
}

fn text(b: &crate::model::Bilingual, lang: Lang) -> (String, bool) {
    (
        b.get(lang).to_string(),
        lang == Lang::En && b.en.is_empty() && !b.ja.is_empty(),
    )
}

/// The edition's years as one phrase (令和7年度〜令和9年度), as every period is written.
pub fn years_phrase(e: &Edition, lang: Lang) -> String {
    format::period(&crate::model::YearRange { from: e.from, to: e.to }, lang)
}

/// A row of a project.
fn row(p: &PageCtx<'_>, e: &Edition, pr: &Project, with_measure: bool) -> ProjectRow {
    let site = p.site;
    let lang = site.lang;
    let plan = site.plan;
    let (name, fallback) = text(&pr.name, lang);
    let changes = plan
        .editions
        .changes(e, pr)
        .into_iter()
        .map(|(y, before, now)| {
            site.t
                .get("impl_change_row")
                .replace("{year}", &format::year_short(y, lang))
                .replace("{before}", &format::number(before as f64))
                .replace("{now}", &format::number(now as f64))
        })
        .collect::<Vec<_>>();
    let changes = (!changes.is_empty()).then(|| changes.join(site.t.get("list_sep")));
    let activity = pr.activity.as_ref().map(|a| {
        site.t
            .get("impl_activity_value")
            .replace("{name}", a.name.get(lang))
            .replace("{value}", &format::with_unit(a.target, a.unit.get(lang), lang))
            .replace("{year}", &format::year_short(e.to, lang))
    });
    ProjectRow {
        anchor: format!("project-{}", pr.id),
        name,
        lang: fallback.then_some("ja"),
        kind: pr.kind.slug(),
        kind_label: site.t.get(&format!("project_kind_{}", pr.kind.slug())).to_string(),
        department: pr.department.get(lang).to_string(),
        outline: pr.outline.get(lang).to_string(),
        measure: with_measure
            .then(|| plan.item(&pr.measure).map(|m| p.item_ref(m)))
            .flatten(),
        strategy: pr.strategy.as_ref().and_then(|g| plan.item(g)).map(|g| p.item_ref(g)),
        costs: e.years().into_iter().map(|y| amount(pr.cost(y))).collect(),
        total: amount(pr.total()),
        changes,
        activity,
    }
}

/// A table of some projects of an edition.
fn table(p: &PageCtx<'_>, e: &Edition, projects: Vec<&Project>, caption: String, with_measure: bool) -> ProjectTable {
    let lang = p.site.lang;
    let totals = e.totals(projects.iter().copied());
    ProjectTable {
        caption,
        years: e.years().into_iter().map(|y| format::year_short(y, lang)).collect(),
        rows: projects.iter().map(|pr| row(p, e, pr, with_measure)).collect(),
        total: amount(totals.iter().map(|t| t.total).sum()),
        totals: totals.iter().map(|t| amount(t.total)).collect(),
        href: p.href(&edition_path(e)),
    }
}

/// The address of an edition's page.
pub fn edition_path(e: &Edition) -> String {
    format!("implementation/{}/", e.id())
}

/// The projects of the latest edition that carry out a measure or belong to a strategy
/// goal, for its page; `None` when there are none.
pub fn projects_of(p: &PageCtx<'_>, item: &Item) -> Option<ProjectTable> {
    let plan = p.site.plan;
    let e = plan.editions.latest()?;
    let projects: Vec<&Project> = match item.kind {
        Kind::Measure => e.of_measure(&item.id).collect(),
        Kind::Strategy => e
            .projects
            .iter()
            .filter(|pr| pr.strategy.as_deref() == Some(&item.id))
            .collect(),
        _ => return None,
    };
    if projects.is_empty() {
        return None;
    }
    let caption = p
        .site
        .t
        .get(if item.kind == Kind::Measure {
            "impl_of_measure"
        } else {
            "impl_of_goal"
        })
        .replace("{years}", &years_phrase(e, p.site.lang));
    Some(table(p, e, projects, caption, item.kind == Kind::Strategy))
}

/// A pillar's projects, measure by measure.
#[derive(Serialize)]
struct PillarView {
    pillar: ItemRef,
    measures: Vec<(ItemRef, ProjectTable)>,
}

/// A row of the totals by source of funding.
#[derive(Serialize)]
struct FundingRow {
    label: String,
    values: Vec<String>,
    total: String,
}

fn funding_rows(p: &PageCtx<'_>, e: &Edition) -> Vec<FundingRow> {
    let totals = e.totals(&e.projects);
    let mut rows: Vec<FundingRow> = Funding::SOURCES
        .iter()
        .enumerate()
        .map(|(k, source)| {
            let values: Vec<i64> = totals.iter().map(|t| t.funding.parts()[k]).collect();
            FundingRow {
                label: p.site.t.get(&format!("funding_{source}")).to_string(),
                total: amount(values.iter().sum()),
                values: values.into_iter().map(amount).collect(),
            }
        })
        .collect();
    rows.push(FundingRow {
        label: p.site.t.get("total").to_string(),
        values: totals.iter().map(|t| amount(t.total)).collect(),
        total: amount(totals.iter().map(|t| t.total).sum()),
    });
    rows
}

/// The chart of cost per pillar and year, and the same numbers as table rows.
fn chart(p: &PageCtx<'_>, e: &Edition) -> (String, Vec<FundingRow>) {
    let site = p.site;
    let lang = site.lang;
    let plan = site.plan;
    let mut groups = Vec::new();
    let mut rows = Vec::new();
    for pillar in plan.of_kind(Kind::Pillar) {
        let projects: Vec<&Project> = plan.measures_of(&pillar.id).flat_map(|m| e.of_measure(&m.id)).collect();
        let totals = e.totals(projects);
        // The pillar's short name where it has one: the chart and its table stay readable on a
        // phone (the full titles head the lists of projects below).
        let name = pillar.text(lang, |t| &t.short).map_or(pillar.title(lang), |x| x.0);
        let label = format!("{} {name}", plan.label(pillar, lang));
        groups.push(cost_chart::Group {
            label: label.clone(),
            bars: totals
                .iter()
                .map(|t| (format::year_short(t.year, lang), t.total))
                .collect(),
        });
        rows.push(FundingRow {
            label,
            values: totals.iter().map(|t| amount(t.total)).collect(),
            total: amount(totals.iter().map(|t| t.total).sum()),
        });
    }
    let svg = cost_chart::svg(
        &groups,
        site.t.get("impl_chart"),
        site.t.get("impl_chart_desc"),
        "cost-chart",
    );
    (svg, rows)
}

/// The counts of a filter by kind: (slug, label, n, note).
fn filters(p: &PageCtx<'_>, e: &Edition) -> Vec<(&'static str, String, usize, String)> {
    ProjectKind::ALL
        .iter()
        .map(|k| {
            let label = p.site.t.get(&format!("project_kind_{}", k.slug())).to_string();
            let n = e.projects.iter().filter(|pr| pr.kind == *k).count();
            let note = p
                .site
                .t
                .get("impl_only")
                .replace("{kind}", &label)
                .replace("{n}", &n.to_string());
            (k.slug(), label, n, note)
        })
        .filter(|f| f.2 > 0)
        .collect()
}

/// An edition's page (or the section's page, which shows the latest).
fn edition_page(site: &Site<'_>, e: &Edition, path: String) -> Page {
    let lang = site.lang;
    let plan = site.plan;
    let p = PageCtx::new(site, &path);
    let years = years_phrase(e, lang);
    let title = site.t.get("impl_edition_title").replace("{years}", &years);
    let mut c = base_context(&p, &title, None, false);
    let total: i64 = e.projects.iter().map(Project::total).sum();
    c.insert(
        "lead",
        &site
            .t
            .get("impl_lead")
            .replace("{years}", &years)
            .replace("{n}", &e.projects.len().to_string())
            .replace("{total}", &format::number(total as f64)),
    );
    c.insert(
        "year_heads",
        &e.years()
            .into_iter()
            .map(|y| format::year_short(y, lang))
            .collect::<Vec<_>>(),
    );
    c.insert("funding", &funding_rows(&p, e));
    let (svg, by_pillar) = chart(&p, e);
    c.insert("chart", &svg);
    c.insert("by_pillar", &by_pillar);
    c.insert("filters", &filters(&p, e));
    c.insert("all_href", &p.href(&path));
    let pillars: Vec<PillarView> = plan
        .of_kind(Kind::Pillar)
        .map(|pillar| PillarView {
            pillar: p.item_ref(pillar),
            measures: plan
                .measures_of(&pillar.id)
                .filter_map(|m| {
                    let projects: Vec<&Project> = e.of_measure(&m.id).collect();
                    (!projects.is_empty()).then(|| {
                        let r = p.item_ref(m);
                        let caption = format!("{} {}", r.label, r.title);
                        (r, table(&p, e, projects, caption, false))
                    })
                })
                .collect(),
        })
        .filter(|v| !v.measures.is_empty())
        .collect();
    c.insert("pillars", &pillars);
    let latest = plan.editions.latest().map(Edition::id);
    let editions: Vec<(String, String, bool, bool)> = plan
        .editions
        .0
        .iter()
        .rev()
        .map(|x| {
            let id = x.id();
            let current = id == e.id();
            (
                years_phrase(x, lang),
                p.href(&edition_path(x)),
                current,
                Some(&id) == latest.as_ref(),
            )
        })
        .collect();
    c.insert("editions", &editions);
    c.insert("previous", &plan.editions.previous(e).map(|b| years_phrase(b, lang)));
    c.insert("intro", &super::intro::intro_html(&p, "implementation"));
    Page {
        path,
        template: "implementation.html",
        context: c,
        in_sitemap: true,
    }
}

/// The makers of the section's pages (none when the plan has no implementation plan).
pub fn makers<'a>(site: &'a Site<'a>) -> Vec<Maker<'a>> {
    let Some(latest) = site.plan.editions.latest() else {
        return Vec::new();
    };
    let mut m: Vec<Maker<'a>> = vec![Box::new(move || {
        vec![edition_page(site, latest, "implementation/".into())]
    })];
    for e in &site.plan.editions.0 {
        m.push(Box::new(move || vec![edition_page(site, e, edition_path(e))]));
    }
    m
}
