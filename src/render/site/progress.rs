//! Render stage (HTML): the yearly progress reports (進捗状況報告) — an index of the years,
//! and a page per fiscal year (`progress/R6/`): the rule progress is judged by, the counts
//! per status and pillar, what changed since the year before, and for each measure its
//! targets as they stood that year with the department's evaluation and next steps.

use serde::Serialize;

use super::context::{ItemRef, Maker, Page, PageCtx, Site, base_context};
use crate::model::progress::Status;
use crate::model::report::{self, Report};
use crate::model::{Kind, Lang};
use crate::render::format;
use crate::render::markdown::render_sections;
use crate::render::tables::Figures;

/// The address of a year's report.
pub fn report_path(r: &Report) -> String {
    format!("progress/{}/", r.id())
}

/// A report's title in a language (令和6年度 進捗状況報告).
pub fn title(site: &Site<'_>, r: &Report) -> String {
    site.t
        .get("progress_title")
        .replace("{year}", &format::year(r.year, site.lang))
}

/// Markdown of a report as HTML, marked as Japanese on an English page that shows it.
fn html(p: &PageCtx<'_>, text: &str, shown: Lang) -> String {
    let body = crate::load::markdown::parse(text, 0);
    let html: String = render_sections(&body, p, &[]).into_iter().map(|s| s.html).collect();
    if shown == p.site.lang {
        html
    } else {
        format!("<div lang=\"{}\">{html}</div>", shown.code())
    }
}

/// A measure in the report: its targets as they stood that year, and its evaluation.
#[derive(Serialize)]
struct MeasureView {
    measure: ItemRef,
    rows: Vec<Figures>,
    evaluation: Option<String>,
    next: Option<String>,
}

#[derive(Serialize)]
struct PillarView {
    pillar: ItemRef,
    measures: Vec<MeasureView>,
}

/// A target whose status changed since the year before.
#[derive(Serialize)]
struct Change {
    indicator: String,
    href: String,
    owner: String,
    before: Status,
    now: Status,
}

/// Counts per status for each pillar, and for all: (label, counts, total).
fn counts(site: &Site<'_>, sum: &report::Summary<'_>) -> Vec<(String, [usize; 4], usize)> {
    let (plan, lang) = (site.plan, site.lang);
    let mut rows: Vec<(String, [usize; 4], usize)> = sum
        .pillars
        .iter()
        .map(|(p, c, n)| (format!("{} {}", plan.label(p, lang), p.title(lang)), *c, *n))
        .collect();
    rows.push((site.t.get("total").to_string(), sum.all, sum.all.iter().sum()));
    rows
}

/// The targets whose status changed since the year before.
fn changes(p: &PageCtx<'_>, sum: &report::Summary<'_>) -> Vec<Change> {
    let plan = p.site.plan;
    let lang = p.site.lang;
    sum.changes
        .iter()
        .filter_map(|&(t, before, now)| {
            let owner = plan.item(&t.owner)?;
            Some(Change {
                indicator: t.indicator.get(lang).to_string(),
                href: format!(
                    "{}#{}",
                    p.href(&crate::render::paths::item_path(owner)),
                    crate::render::paths::target_anchor(&t.id)
                ),
                owner: format!("{} {}", plan.label(owner, lang), owner.title(lang)),
                before,
                now,
            })
        })
        .collect()
}

/// The pillars and measures of the report.
fn pillars(p: &PageCtx<'_>, r: &Report) -> Vec<PillarView> {
    let plan = p.site.plan;
    let lang = p.site.lang;
    plan.of_kind(Kind::Pillar)
        .map(|pillar| PillarView {
            pillar: p.item_ref(pillar),
            measures: plan
                .measures_of(&pillar.id)
                .map(|m| {
                    let e = r.evaluation(&m.id, lang);
                    MeasureView {
                        measure: p.item_ref(m),
                        rows: plan
                            .targets_of(&m.id)
                            .map(|t| Figures::of(&report::as_of(t, r.year), lang))
                            .collect(),
                        evaluation: e.map(|(e, _)| html(p, &e.evaluation, e.lang)),
                        next: e.map(|(e, _)| html(p, &e.next, e.lang)),
                    }
                })
                .collect(),
        })
        .collect()
}

/// A year's report.
fn report_page(site: &Site<'_>, r: &Report) -> Page {
    let path = report_path(r);
    let p = PageCtx::new(site, &path);
    let lang = site.lang;
    let plan = site.plan;
    let mut c = base_context(&p, &title(site, r), None, false);
    c.insert("intro", &r.intro(lang).map(|(text, shown)| html(&p, text, shown)));
    c.insert("year", &format::year(r.year, lang));
    c.insert(
        "previous_year",
        &format::year(crate::model::FiscalYear(r.year.0 - 1), lang),
    );
    let sum = report::summary(plan, r.year);
    c.insert("counts", &counts(site, &sum));
    c.insert("changes", &changes(&p, &sum));
    c.insert("pillars", &pillars(&p, r));
    let before = plan.reports.iter().rev().find(|x| x.year < r.year);
    c.insert("previous", &before.map(|b| (title(site, b), p.href(&report_path(b)))));
    c.insert("index_href", &p.href("progress/"));
    c.insert("statuses", &Status::ALL.iter().map(|s| s.slug()).collect::<Vec<_>>());
    Page {
        path,
        template: "progress.html",
        context: c,
        in_sitemap: true,
    }
}

/// The list of reports.
fn index_page(site: &Site<'_>) -> Page {
    let path = "progress/".to_string();
    let p = PageCtx::new(site, &path);
    let mut c = base_context(&p, site.t.get("nav_progress"), None, false);
    c.insert("intro", &super::intro::intro_html(&p, "progress"));
    let reports: Vec<(String, String)> = site
        .plan
        .reports
        .iter()
        .rev()
        .map(|r| (title(site, r), p.href(&report_path(r))))
        .collect();
    c.insert("reports", &reports);
    Page {
        path,
        template: "progress-index.html",
        context: c,
        in_sitemap: true,
    }
}

/// The makers of the reports' pages (none when the plan has no report).
pub fn makers<'a>(site: &'a Site<'a>) -> Vec<Maker<'a>> {
    if site.plan.reports.is_empty() {
        return Vec::new();
    }
    let mut m: Vec<Maker<'a>> = vec![Box::new(move || vec![index_page(site)])];
    for r in &site.plan.reports {
        m.push(Box::new(move || vec![report_page(site, r)]));
    }
    m
}
