//! Render stage (HTML): the pages about the site rather than the plan — downloads (PDFs
//! and open data), search, and the accessibility statement.

use serde::Serialize;

use super::context::{Download, Page, PageCtx, Site, base_context, t};
use crate::render::pdf::volumes;

/// The downloads page: every PDF with its size and page count.
pub fn downloads(site: &Site<'_>, list: Option<&[Download]>) -> Page {
    let p = PageCtx::new(site, "downloads/");
    let mut c = base_context(&p, &t(site, "downloads"), None, false);
    #[derive(Serialize)]
    struct Row {
        doc: String,
        edition: String,
        lang: &'static str,
        lang_name: &'static str,
        href: String,
        size: String,
        pages: usize,
    }
    let rows: Option<Vec<Row>> = list.map(|l| {
        l.iter()
            .map(|d| Row {
                doc: {
                    let name = t(site, &format!("doc_{}", d.doc));
                    let name = match site.plan.config.draft {
                        true => format!("{name}{}", t(site, "draft_suffix")),
                        false => name,
                    };
                    let name = match d.years {
                        Some((a, b)) if a == b => format!("{} {name}", crate::render::format::year(a, site.lang)),
                        Some((a, b)) => {
                            let years =
                                crate::render::format::period(&crate::model::YearRange { from: a, to: b }, site.lang);
                            match site.lang {
                                crate::model::Lang::Ja => format!("{name}（{years}）"),
                                crate::model::Lang::En => format!("{name} ({years})"),
                            }
                        }
                        None => name,
                    };
                    match d.volume {
                        Some((n, count)) => format!("{name} {}", volumes::label(&t(site, "volume_of"), n, count)),
                        None => name,
                    }
                },
                edition: t(site, &format!("edition_{}", d.edition)),
                lang: d.lang,
                lang_name: if d.lang == "ja" { "日本語" } else { "English" },
                href: format!("{}{}", p.root, d.path),
                size: if d.bytes >= 1024 * 1024 {
                    format!("{:.1} MB", d.bytes as f64 / (1024.0 * 1024.0))
                } else {
                    format!("{} KB", d.bytes.div_ceil(1024))
                },
                pages: d.pages,
            })
            .collect()
    });
    c.insert("intro", &t(site, "downloads_intro"));
    // The open data of the plan in operation, when it has an implementation plan or reports.
    let reports: Vec<(String, String, String)> = site
        .plan
        .reports
        .iter()
        .map(|r| {
            let file = crate::render::opendata_ops::report_file(r.year);
            let name = file.trim_start_matches("data/").to_string();
            (file, name, crate::render::format::year(r.year, site.lang))
        })
        .collect();
    c.insert(
        "parts_ops",
        &serde_json::json!({"projects": !site.plan.editions.0.is_empty(), "comments": !site.plan.comments.is_empty(), "reports": reports}),
    );
    c.insert("rows", &rows);
    Page {
        path: "downloads/".into(),
        template: "downloads.html",
        context: c,
        in_sitemap: true,
    }
}

/// The search page: a form that works as a plain GET, and results drawn by `assets/search.js`.
pub fn search(site: &Site<'_>) -> Page {
    let p = PageCtx::new(site, "search/");
    let mut c = base_context(&p, &t(site, "search"), None, false);
    let strings = serde_json::json!({"count": t(site, "search_count"), "about": t(site, "search_count_about"), "more": t(site, "search_more")});
    c.insert("search_strings", &strings.to_string());
    Page {
        path: "search/".into(),
        template: "search.html",
        context: c,
        in_sitemap: true,
    }
}

/// The test results in the form of JIS X 8341-3 annex JB: date, standard, level and the
/// conformance wording computed from the criteria's results, technologies, method, pages and
/// the checklist of success criteria.
fn results(site: &Site<'_>, r: &crate::model::A11yResults) -> serde_json::Value {
    use crate::model::wcag::{self, Conformance, Outcome};
    let (cfg, lang) = (&site.plan.config, site.lang);
    let level = cfg.accessibility.level.as_str();
    let rows: Vec<(&wcag::Criterion, Outcome, Vec<String>)> = wcag::up_to(level)
        .map(|c| {
            let found = r.criteria.get(c.number);
            let outcome = wcag::outcome(c.number, found.map(|f| f.found), found.is_some_and(|f| f.by_person));
            (c, outcome, found.map(|f| f.rules.clone()).unwrap_or_default())
        })
        .collect();
    let outcomes: Vec<Outcome> = rows.iter().map(|r| r.1).collect();
    let wording = match wcag::conformance(&outcomes) {
        Conformance::Conforms => t(site, "a11y_conf_conforms"),
        Conformance::PartiallyConforms => t(site, "a11y_conf_partial"),
    };
    let key = |o: Outcome| match o {
        Outcome::Pass => "a11y_outcome_pass",
        Outcome::Fail => "a11y_outcome_fail",
        Outcome::Inapplicable => "a11y_outcome_inapplicable",
        Outcome::Manual => "a11y_outcome_manual",
    };
    let count = |o: Outcome| outcomes.iter().filter(|x| **x == o).count();
    let counts =
        [Outcome::Pass, Outcome::Fail, Outcome::Inapplicable, Outcome::Manual].map(|o| (t(site, key(o)), count(o)));
    let rows: Vec<serde_json::Value> = rows
        .iter()
        .map(|(c, o, rules)| {
            serde_json::json!({
                "number": c.number,
                "name": if lang == crate::model::Lang::Ja { c.ja } else { c.en },
                "level": c.level,
                "outcome": t(site, key(*o)),
                "class": format!("{o:?}").to_lowercase(),
                "rules": rules.join(", "),
            })
        })
        .collect();
    serde_json::json!({
        "date": r.date.to_string(),
        "conformance": wording.replace("{level}", level),
        "counts": counts,
        "tools": r.tools,
        "technologies": r.technologies,
        "method": r.method.as_ref().map(|m| m.get(lang)),
        "pages": r.pages,
        "result": r.result.get(lang),
        "stale": r.build.as_deref().is_some_and(|b| b != site.build),
        "rows": rows,
    })
}

/// The accessibility statement (ウェブアクセシビリティ方針).
pub fn accessibility(site: &Site<'_>) -> Page {
    let p = PageCtx::new(site, "accessibility/");
    let mut c = base_context(&p, &t(site, "a11y_title"), None, false);
    let (cfg, lang) = (&site.plan.config, site.lang);
    c.insert(
        "level",
        &t(site, "a11y_level").replace("{level}", &cfg.accessibility.level),
    );
    c.insert("policy", &cfg.accessibility.policy.as_ref().map(|p| p.get(lang)));
    let contact = match &cfg.accessibility.contact {
        Some(x) => x.get(lang).to_string(),
        None => t(site, "a11y_contact"),
    };
    c.insert("contact", &contact);
    // Only results the content records: a build that was not tested says so.
    c.insert("build_mark", &site.build);
    let results = site.plan.tables.accessibility.as_ref().map(|r| results(site, r));
    c.insert("results", &results);
    let split = |k: &str| t(site, k).split('|').map(str::to_string).collect::<Vec<_>>();
    c.insert("design_items", &split("a11y_design"));
    Page {
        path: "accessibility/".into(),
        template: "accessibility.html",
        context: c,
        in_sitemap: true,
    }
}
