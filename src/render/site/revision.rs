//! Render stage (HTML): the 新旧対照表 — the plan beside an earlier edition: the counts of
//! items added (新設), changed (変更) and removed (削除) on top, then each item that differs
//! with its sections new | old, the changed runs marked (`<ins>` in the new text, `<del>` in
//! the old, both underlined as such tables are), unchanged sections shortened to （略）, and
//! its targets' changed fields.

use serde::Serialize;

use super::context::{Maker, Page, PageCtx, Site, base_context};
use crate::model::revision::{Change, ItemDiff, Segment};
use crate::render::markdown::escape;

/// Segments as HTML: changed runs in `tag` (`ins` or `del`), line breaks kept.
fn html(segments: &[Segment], tag: &str) -> String {
    let mut out = String::new();
    for s in segments {
        let text = escape(&s.text).replace('\n', "<br>");
        if s.changed {
            out.push_str(&format!("<{tag}>{text}</{tag}>"));
        } else {
            out.push_str(&text);
        }
    }
    out
}

#[derive(Serialize)]
struct Row {
    title: String,
    new: Option<String>,
    old: Option<String>,
    same: bool,
}

#[derive(Serialize)]
struct ItemView {
    id: String,
    change: Change,
    change_label: String,
    label: String,
    title_new: String,
    title_old: String,
    href: Option<String>,
    moved: Option<String>,
    rows: Vec<Row>,
    targets: Vec<(String, String, String, String)>,
}

fn item_view(p: &PageCtx<'_>, d: &ItemDiff) -> ItemView {
    let t = |k: &str| p.site.t.get(k).to_string();
    let field = |f: &str| match f {
        "indicator" | "unit" | "baseline" | "target" => t(&format!("revision_field_{f}")),
        year => year.to_string(),
    };
    let mut targets = Vec::new();
    for td in &d.targets {
        match td.change {
            Change::Changed => targets.extend(
                td.fields
                    .iter()
                    .map(|f| (td.indicator.clone(), field(&f.field), f.new.clone(), f.old.clone())),
            ),
            c => targets.push((
                td.indicator.clone(),
                t(&format!("revision_{}", slug(c))),
                String::new(),
                String::new(),
            )),
        }
    }
    ItemView {
        id: d.id.clone(),
        change: d.change,
        change_label: t(&format!("revision_{}", slug(d.change))),
        label: d.label.clone(),
        title_new: html(&d.title.0, "ins"),
        title_old: html(&d.title.1, "del"),
        href: p.site.plan.item(&d.id).map(|i| p.item_ref(i).href),
        moved: d.moved_from.as_ref().map(|m| t("revision_moved").replace("{from}", m)),
        rows: d
            .sections
            .iter()
            .map(|s| Row {
                title: s.title.clone().unwrap_or_else(|| t("revision_intro")),
                new: s.new.as_ref().map(|x| html(x, "ins")),
                old: s.old.as_ref().map(|x| html(x, "del")),
                same: s.same,
            })
            .collect(),
        targets,
    }
}

fn slug(c: Change) -> &'static str {
    match c {
        Change::Added => "added",
        Change::Changed => "changed",
        Change::Removed => "removed",
    }
}

/// The page of the 新旧対照表.
fn page(site: &Site<'_>) -> Option<Page> {
    let rev = &site.plan.revision.as_ref()?[site.lang as usize];
    let path = "revision/".to_string();
    let p = PageCtx::new(site, &path);
    let t = |k: &str| site.t.get(k).to_string();
    let mut c = base_context(&p, &t("revision_title"), None, false);
    let (a, ch, r) = rev.counts();
    c.insert(
        "lead",
        &t("revision_lead")
            .replace("{old}", &rev.old_name)
            .replace("{added}", &a.to_string())
            .replace("{changed}", &ch.to_string())
            .replace("{removed}", &r.to_string()),
    );
    c.insert(
        "counts",
        &[
            (t("revision_added"), a),
            (t("revision_changed"), ch),
            (t("revision_removed"), r),
        ],
    );
    c.insert("items", &rev.items.iter().map(|d| item_view(&p, d)).collect::<Vec<_>>());
    Some(Page {
        path,
        template: "revision.html",
        context: c,
        in_sitemap: true,
    })
}

/// The maker of the page (none when no earlier edition is compared).
pub fn makers<'a>(site: &'a Site<'a>) -> Vec<Maker<'a>> {
    if site.plan.revision.is_none() {
        return Vec::new();
    }
    vec![Box::new(move || page(site).into_iter().collect())]
}
