//! Render stage (HTML): the page list and each kind of page's context — home, items
//! (vision, pillar, measure, district, chapter, strategy goal), indexes, pledges and the pages
//! of the data tables (the SDG pages are in `sdg_pages`).

use serde::Serialize;
use tera::Context;

use super::context::{ItemRef, Maker, Page, PageCtx, Site, base_context, t};
use crate::model::sdg::goals;
use crate::model::{Item, Kind, Lang, TableKind, Target, TargetType, TranslationStatus};
use crate::render::{paths, tables};

/// A titled list of links (related items, backlinks).
#[derive(Serialize)]
struct Group {
    title: String,
    href: Option<String>,
    label: Option<String>,
    summary: Option<String>,
    /// Links to the items ([`PageCtx::link`]).
    items: Vec<tera::Value>,
}

/// An SDG goal badge.
#[derive(Serialize)]
pub(super) struct Badge {
    pub(super) number: u8,
    pub(super) name: String,
    colour: String,
    text_colour: &'static str,
    href: String,
    targets: Vec<String>,
}

/// The badge of a goal, linking to its page (no targets listed).
pub(super) fn goal_badge(p: &PageCtx<'_>, g: &crate::model::sdg::SdgGoal) -> Badge {
    Badge {
        number: g.number,
        name: g.name(p.site.lang).to_string(),
        colour: g.colour.clone(),
        text_colour: g.text_colour,
        href: p.href(&paths::sdg_path(g.number)),
        targets: Vec::new(),
    }
}

/// The pages that show an item's body: its own page, or the pledges page for a pledge.
pub fn own_pages(site: &Site<'_>, item: &Item) -> Vec<Page> {
    match item.kind {
        Kind::Pledge => vec![pledges(site)],
        _ => vec![item_page(site, item)],
    }
}

/// The makers of the items' own pages in the site's language, one per page, so they can be
/// shared among threads.
pub fn item_makers<'a>(site: &'a Site<'a>) -> Vec<Maker<'a>> {
    let items = site.plan.items.iter().filter(|i| i.kind != Kind::Pledge);
    items
        .map(|item| -> Maker<'a> { Box::new(move || vec![item_page(site, item)]) })
        .collect()
}

/// The makers of the plan's other pages in the site's language: one per page or group of
/// pages.
pub fn makers<'a>(site: &'a Site<'a>) -> Vec<Maker<'a>> {
    let plan = site.plan;
    let mut pages: Vec<Maker<'a>> = vec![Box::new(move || vec![home(site)])];
    pages.push(Box::new(move || {
        vec![index(
            site,
            "pillars/",
            "nav_pillars",
            "pillars",
            pillar_groups(&PageCtx::new(site, "pillars/")),
        )]
    }));
    for (path, title, intro, kind) in [
        ("districts/", "nav_districts", "districts", Kind::District),
        ("strategy/", "nav_strategy", "strategy", Kind::Strategy),
        ("policy/", "nav_policy", "policy", Kind::Chapter),
    ] {
        // A plan without districts, strategy or chapters has no page for them.
        if plan.of_kind(kind).next().is_none() {
            continue;
        }
        pages.push(Box::new(move || {
            let p = PageCtx::new(site, path);
            let items = plan.of_kind(kind).map(|i| p.link(i)).collect();
            let groups = vec![Group {
                title: String::new(),
                href: None,
                label: None,
                summary: None,
                items,
            }];
            vec![index(site, path, title, intro, groups)]
        }));
    }
    if plan.parts().pledges {
        pages.push(Box::new(move || vec![pledges(site)]));
    }
    pages.push(Box::new(move || vec![super::sdg_pages::sdgs(site)]));
    for g in goals() {
        pages.push(Box::new(move || vec![super::sdg_pages::sdg_goal(site, g.number)]));
    }
    pages.push(Box::new(move || table_pages(site)));
    pages
}

/// The pages of the data tables the plan has, and the 404 page.
fn table_pages(site: &Site<'_>) -> Vec<Page> {
    let plan = site.plan;
    let mut out = Vec::new();
    let parts = plan.parts();
    for (path, kind, title, _) in [
        ("structure/", TableKind::Periods, "table_periods", parts.periods),
        ("bodies/", TableKind::Bodies, "table_bodies", parts.bodies),
        ("schedule/", TableKind::Schedule, "table_schedule", parts.schedule),
    ]
    .into_iter()
    .filter(|x| x.3)
    {
        let p = PageCtx::new(site, path);
        let mut c = base_context(&p, &t(site, title), None, false);
        insert_tables(&mut c, site, &[kind]);
        let chapter = plan
            .of_kind(Kind::Chapter)
            .find(|ch| ch.tables.contains(&kind))
            .map(|ch| p.item_ref(ch));
        c.insert("chapter", &chapter);
        out.push(Page {
            path: path.into(),
            template: "table-page.html",
            context: c,
            in_sitemap: true,
        });
    }
    // The 404 page is served at any address, so its links start from the site's path.
    let p = PageCtx::with_root(site, "404.html", plan.config.base_path());
    let mut c = base_context(&p, &t(site, "not_found_title"), None, false);
    c.insert("switch_href", &format!("{}{}", p.root, site.lang.other().prefix()));
    out.push(Page {
        path: "404.html".into(),
        template: "404.html",
        context: c,
        in_sitemap: false,
    });
    out
}

fn home(site: &Site<'_>) -> Page {
    let plan = site.plan;
    let p = PageCtx::new(site, "");
    let mut c = base_context(&p, &super::context::site_title(plan, site.t, site.lang), None, false);
    if let Some(v) = plan.of_kind(Kind::Vision).next() {
        c.insert("vision", &p.item_ref(v));
        c.insert("catchphrase", &v.text(site.lang, |t| &t.catchphrase).map(|x| x.0));
        let ts: Vec<&Target> = plan.targets_of(&v.id).collect();
        c.insert("vision_targets", &tables::targets(&ts, site.lang, tables::Medium::Web));
    }
    c.insert("pillars", &pillar_groups(&p));
    c.insert(
        "strategy",
        &plan.of_kind(Kind::Strategy).map(|i| p.item_ref(i)).collect::<Vec<_>>(),
    );
    // The counters of the parts this plan has.
    let n = |k: Kind| plan.of_kind(k).count();
    let terms = &plan.terms;
    // (count, its word when there is one, when there are more).
    let counts: Vec<(usize, String)> = [
        (n(Kind::Pillar), &terms.pillar),
        (n(Kind::Group), &terms.group),
        (n(Kind::Measure), &terms.measure),
    ]
    .into_iter()
    .map(|(n, term)| (n, term.get(site.lang).to_string(), term.plural_of(site.lang)))
    .chain([
        (plan.targets.len(), t(site, "count_target"), t(site, "count_targets")),
        (
            n(Kind::District),
            terms.district.get(site.lang).to_string(),
            terms.district.plural_of(site.lang),
        ),
    ])
    .filter(|(n, ..)| *n > 0)
    .map(|(n, one, many)| (n, if n == 1 { one } else { many }))
    .collect();
    c.insert("counts", &counts);
    c.insert("intro", &super::intro::intro_html(&p, "home"));
    Page {
        path: String::new(),
        template: "home.html",
        context: c,
        in_sitemap: true,
    }
}

fn pillar_groups(p: &PageCtx<'_>) -> Vec<Group> {
    let site = p.site;
    site.plan
        .of_kind(Kind::Pillar)
        .map(|pillar| {
            let r = p.item_ref(pillar);
            Group {
                title: r.title.clone(),
                href: Some(r.href.clone()),
                label: Some(format!(
                    "{} {}",
                    r.label,
                    pillar.text(site.lang, |t| &t.short).map(|x| x.0).unwrap_or("")
                )),
                summary: r.summary.clone(),
                items: site.plan.measures_of(&pillar.id).map(|m| p.link(m)).collect(),
            }
        })
        .collect()
}

fn index(site: &Site<'_>, path: &str, title: &str, intro: &str, groups: Vec<Group>) -> Page {
    let p = PageCtx::new(site, path);
    let mut c = base_context(&p, &t(site, title), None, false);
    c.insert("intro", &super::intro::intro_html(&p, intro));
    c.insert("groups", &groups);
    if path == "policy/" {
        let parts = site.parts;
        let links: Vec<(String, String)> = [
            ("table_periods", "structure/", parts.periods),
            ("table_bodies", "bodies/", parts.bodies),
            ("table_schedule", "schedule/", parts.schedule),
        ]
        .iter()
        .filter(|x| x.2)
        .map(|(k, path, _)| (*k, *path))
        .map(|(k, path)| (t(site, k), p.href(path)))
        .collect();
        c.insert("extra_links", &links);
    }
    Page {
        path: path.into(),
        template: "index.html",
        context: c,
        in_sitemap: true,
    }
}

fn insert_tables(c: &mut Context, site: &Site<'_>, kinds: &[TableKind]) {
    let tb = &site.plan.tables;
    for k in kinds {
        match k {
            TableKind::Periods => c.insert("periods", &tb.periods.as_ref().map(|x| tables::periods(x, site.lang))),
            TableKind::Bodies => c.insert("bodies", &tb.bodies.as_ref().map(|x| tables::bodies(x, site.lang))),
            TableKind::Schedule => c.insert(
                "schedule",
                &tb.schedule.as_ref().map(|x| tables::schedule(x, site.lang)),
            ),
        }
    }
}

fn item_page(site: &Site<'_>, item: &Item) -> Page {
    let plan = site.plan;
    let lang = site.lang;
    let path = paths::item_path(item);
    let p = PageCtx::new(site, &path);
    let (_, fallback) = item.version(lang);
    let me = p.item_ref(item);
    let mut c = base_context(&p, &me.title, me.summary.as_deref(), fallback);
    let ids: Vec<String> = if item.kind == Kind::Measure {
        plan.section_ids(item.version(lang).0)
    } else {
        Vec::new()
    };
    c.insert("targets_after", &plan.targets_after(&ids));
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    c.insert("item", &me);
    let sections = p.sections(item, &ids);
    // The tables after the text: under its level-2 sections, or right under the title.
    c.insert(
        "table_h",
        &if sections.iter().any(|s| s.title.is_some()) {
            3
        } else {
            2
        },
    );
    c.insert("sections", &sections);
    c.insert("source_changed", &item.source_changed);
    c.insert(
        "stale",
        &(lang == Lang::En && item.translation == TranslationStatus::Stale),
    );
    c.insert("meta", &meta(&p, item));
    c.insert("target_tables", &target_tables(site, item));
    if item.kind == Kind::Pillar {
        // The pillar's own targets and its measures', in file order.
        let mut ts: Vec<&Target> = plan.targets_of(&item.id).collect();
        ts.extend(plan.measures_of(&item.id).flat_map(|m| plan.targets_of(&m.id)));
        ts.sort_by_key(|t| plan.target_index.get(&t.id).copied().unwrap_or(usize::MAX));
        c.insert("overview", &super::targets::overview(site, ts));
        c.insert("targets_href", &p.href("targets/"));
    }
    c.insert("badges", &badges(&p, item));
    c.insert("projects", &super::implementation::projects_of(&p, item));
    c.insert("comments_of", &super::comments::of_item(&p, item));
    insert_tables(&mut c, site, &item.tables);
    c.insert("related", &related(&p, item));
    let (prev, next) = plan.neighbours(item);
    c.insert("prev", &prev.map(|s| p.link(s)));
    c.insert("next", &next.map(|s| p.link(s)));
    c.insert("crumbs", &crumbs(&p, item));
    Page {
        path,
        template: "item.html",
        context: c,
        in_sitemap: true,
    }
}

/// The facts under an item's title: its pillar, department, area or catchphrase —
/// (name, value, link, whether the value is the Japanese text on an English page).
fn meta(p: &PageCtx<'_>, item: &Item) -> Vec<(String, String, Option<String>, bool)> {
    let (site, plan, lang) = (p.site, p.site.plan, p.site.lang);
    let mut meta: Vec<(String, String, Option<String>, bool)> = Vec::new();
    for (key, parent) in [("meta_pillar", &item.pillar), ("meta_group", &item.group)] {
        if let Some(parent) = parent.as_ref().and_then(|id| plan.item(id)) {
            let r = p.item_ref(parent);
            meta.push((
                t(site, key),
                format!("{} {}", r.label, r.title),
                Some(r.href),
                r.lang.is_some(),
            ));
        }
    }
    for (key, field) in [
        (
            "meta_department",
            (|t: &crate::model::Texts| &t.department) as fn(&crate::model::Texts) -> &Option<String>,
        ),
        ("meta_area", |t| &t.area),
        ("meta_catchphrase", |t| &t.catchphrase),
    ] {
        if let Some((v, fb)) = item.text(lang, field) {
            meta.push((t(site, key), v.to_string(), None, fb));
        }
    }
    meta
}

/// The tables of the targets an item owns, one per type of target.
fn target_tables(site: &Site<'_>, item: &Item) -> Vec<(String, tables::TargetTable)> {
    let (plan, lang) = (site.plan, site.lang);
    // Targets owned by this item, split by type.
    let own: Vec<&Target> = plan.targets_of(&item.id).collect();
    let by = |k: TargetType| -> Vec<&Target> { own.iter().copied().filter(|t| t.kind == k).collect() };
    let mut target_tables = Vec::new();
    for (k, title) in [
        (TargetType::Target, "targets_title"),
        (TargetType::Mezasou, "mezasou_title"),
        (TargetType::Numeric, "numeric_title"),
        (TargetType::Kpi, "kpi_title"),
    ] {
        let list = by(k);
        if !list.is_empty() {
            target_tables.push((t(site, title), tables::targets(&list, lang, tables::Medium::Web)));
        }
    }
    target_tables
}

/// The breadcrumbs above an item: the section it belongs to and its pillar.
fn crumbs(p: &PageCtx<'_>, item: &Item) -> Vec<(String, String, bool)> {
    let (site, plan, lang) = (p.site, p.site.plan, p.site.lang);
    let mut crumbs: Vec<(String, String, bool)> = Vec::new();
    let section = match item.kind {
        Kind::Measure | Kind::Group | Kind::Pillar => Some(("nav_pillars", "pillars/")),
        Kind::District => Some(("nav_districts", "districts/")),
        Kind::Chapter => Some(("nav_policy", "policy/")),
        Kind::Strategy => Some(("nav_strategy", "strategy/")),
        Kind::Vision | Kind::Pledge => None,
    };
    if let Some((key, path)) = section {
        crumbs.push((t(site, key), p.href(path), false));
    }
    if let Some(pillar) = item.pillar.as_ref().and_then(|id| plan.item(id)) {
        let r = p.item_ref(pillar);
        crumbs.push((
            format!(
                "{} {}",
                r.label,
                pillar.text(lang, |t| &t.short).map(|x| x.0).unwrap_or(&r.title)
            ),
            r.href,
            r.lang.is_some(),
        ));
    }
    if let Some(group) = item.group.as_ref().and_then(|id| plan.item(id)) {
        let r = p.item_ref(group);
        crumbs.push((format!("{} {}", r.label, r.title), r.href, r.lang.is_some()));
    }
    crumbs
}

fn badges(p: &PageCtx<'_>, item: &Item) -> Vec<Badge> {
    item.sdg_goals()
        .into_iter()
        .filter_map(|n| goals().iter().find(|g| g.number == n))
        .map(|g| Badge {
            targets: item
                .sdgs
                .iter()
                .filter(|s| s.goal() == g.number && matches!(s, crate::model::sdg::SdgRef::Target(..)))
                .map(|s| s.id())
                .collect(),
            ..goal_badge(p, g)
        })
        .collect()
}

fn related<'a>(p: &PageCtx<'a>, item: &'a Item) -> Vec<Group> {
    let (plan, site) = (p.site.plan, p.site);
    // (title, link of the title, items) of each list.
    let mut lists: Vec<(String, Option<String>, Vec<&'a Item>)> = Vec::new();
    let named = |key: &str, items: Vec<&'a Item>| (t(site, key), None, items);
    match item.kind {
        Kind::Pillar if plan.config.middle_level => {
            for g in plan.groups_of(&item.id) {
                let r = p.item_ref(g);
                let measures = plan.measures_of_group(&g.id).collect();
                lists.push((format!("{} {}", r.label, r.title), Some(r.href), measures));
            }
        }
        Kind::Pillar => lists.push(named("rel_measures", plan.measures_of(&item.id).collect())),
        Kind::Group => lists.push(named("rel_group_measures", plan.measures_of_group(&item.id).collect())),
        Kind::Strategy | Kind::Pledge => lists.push(named(
            "rel_made_of",
            item.measures.iter().filter_map(|m| plan.item(m)).collect(),
        )),
        Kind::Measure => {
            lists.push(named("rel_strategy", plan.listing(Kind::Strategy, &item.id).collect()));
            lists.push(named("rel_pledges", plan.listing(Kind::Pledge, &item.id).collect()));
        }
        _ => {}
    }
    // Backlinks, but not to the items already listed.
    let shown: Vec<&str> = lists.iter().flat_map(|l| l.2.iter().map(|i| i.id.as_str())).collect();
    let back: Vec<&Item> = plan
        .backlinks
        .get(&item.id)
        .into_iter()
        .flatten()
        .filter(|b| !shown.contains(&b.from.as_str()))
        .filter_map(|b| plan.item(&b.from))
        .collect();
    lists.push(named("rel_backlinks", back));
    lists
        .into_iter()
        // A group of the middle level is shown even when it has no measures yet.
        .filter(|(_, href, items)| href.is_some() || !items.is_empty())
        .map(|(title, href, items)| Group {
            title,
            href,
            label: None,
            summary: None,
            items: items.into_iter().map(|i| p.link(i)).collect(),
        })
        .collect()
}

fn pledges(site: &Site<'_>) -> Page {
    let p = PageCtx::new(site, "pledges/");
    let mut c = base_context(&p, &t(site, "nav_pledges"), None, false);
    #[derive(Serialize)]
    struct PledgeView {
        item: ItemRef,
        sections: Vec<crate::render::markdown::Section>,
        measures: Vec<ItemRef>,
    }
    let list: Vec<PledgeView> = site
        .plan
        .of_kind(Kind::Pledge)
        .map(|pl| PledgeView {
            item: p.item_ref(pl),
            sections: p.sections(pl, &[]),
            measures: pl
                .measures
                .iter()
                .filter_map(|m| site.plan.item(m))
                .map(|m| p.item_ref(m))
                .collect(),
        })
        .collect();
    c.insert("intro", &super::intro::intro_html(&p, "pledges"));
    c.insert("pledges", &list);
    Page {
        path: "pledges/".into(),
        template: "pledges.html",
        context: c,
        in_sitemap: true,
    }
}
