//! Render stage (HTML): the targets index (目標値一覧) — every target with its owner,
//! baseline, latest actual, target and progress status, grouped by pillar. Filtering by
//! status needs no script: each filter links to an anchor of the page (`#only-behind`), and
//! the stylesheet hides the other rows while that anchor is the page's target. One page
//! holds every row once (a page per status held each row a second time: at 5,000 measures
//! that was 20 MB of HTML and a quarter of the pages' build time).

use serde::Serialize;

use super::context::{Maker, Page, PageCtx, Site, base_context};
use crate::model::progress::{self, Status};
use crate::model::{Item, Kind, Target};
use crate::render::paths::{self, item_path};
use crate::render::tables::Figures;

struct Row {
    id: String,
    href: String,
    /// The link to its owner ([`PageCtx::link`]).
    owner: tera::Value,
    figures: Figures,
}

impl Serialize for Row {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut row = s.serialize_struct("Row", 3 + Figures::FIELDS)?;
        row.serialize_field("id", &self.id)?;
        row.serialize_field("href", &self.href)?;
        row.serialize_field("owner", &self.owner)?;
        self.figures.serialize_fields(&mut row)?;
        row.end()
    }
}

#[derive(Serialize)]
struct Group {
    title: String,
    href: Option<String>,
    rows: Vec<Row>,
}

/// Counts of targets per status, in [`Status::ALL`] order.
fn counts<'a>(targets: impl IntoIterator<Item = &'a Target>) -> [usize; 4] {
    let mut c = [0; 4];
    for t in targets {
        let s = progress::status(t);
        c[Status::ALL.iter().position(|x| *x == s).unwrap_or(3)] += 1;
    }
    c
}

fn row(p: &PageCtx<'_>, t: &Target, owner: &Item) -> Row {
    Row {
        id: t.id.clone(),
        href: crate::text::cat(&[&p.href(&item_path(owner)), "#", &paths::target_anchor(&t.id)]),
        owner: p.link(owner),
        figures: Figures::of(t, p.site.lang),
    }
}

/// A status in words, in the site's language.
fn status_label(site: &Site<'_>, s: Status) -> String {
    site.t.get(&crate::text::cat(&["status_", s.slug()])).to_string()
}

fn groups(p: &PageCtx<'_>) -> Vec<Group> {
    let plan = p.site.plan;
    let rows_of = |owners: Vec<&Item>| -> Vec<Row> {
        owners
            .into_iter()
            .flat_map(|o| plan.targets_of(&o.id).map(move |t| (t, o)))
            .map(|(t, o)| row(p, t, o))
            .collect()
    };
    let t = |k: &str| p.site.t.get(k).to_string();
    let mut out = Vec::new();
    let vision: Vec<&Item> = plan.of_kind(Kind::Vision).collect();
    out.push(Group {
        title: t("group_vision"),
        href: Some(p.href("vision/")),
        rows: rows_of(vision),
    });
    for pillar in plan.of_kind(Kind::Pillar) {
        let r = p.item_ref(pillar);
        let mut owners = vec![pillar];
        owners.extend(plan.measures_of(&pillar.id));
        out.push(Group {
            title: crate::text::cat(&[&r.label, " ", &r.title]),
            href: Some(r.href),
            rows: rows_of(owners),
        });
    }
    out.push(Group {
        title: t("group_strategy"),
        href: Some(p.href("strategy/")),
        rows: rows_of(plan.of_kind(Kind::Strategy).collect()),
    });
    out.retain(|g| !g.rows.is_empty());
    out
}

/// A filter of the targets index: all targets, or those of one status (the theme links it
/// to the anchor `#only-<slug>`).
#[derive(Serialize)]
struct Filter {
    label: String,
    n: usize,
    /// The status, for one status; `None` for all.
    slug: Option<&'static str>,
    /// What the page says while the filter is on.
    note: Option<String>,
}

/// The maker of the targets index.
pub fn makers<'a>(site: &'a Site<'a>) -> Vec<Maker<'a>> {
    vec![Box::new(move || vec![page(site)])]
}

/// The targets index.
fn page(site: &Site<'_>) -> Page {
    let t = |k: &str| site.t.get(k).to_string();
    let path = "targets/".to_string();
    let p = PageCtx::new(site, &path);
    let mut c = base_context(&p, &t("nav_targets"), None, false);
    c.insert("groups", &groups(&p));
    c.insert("intro", &super::intro::intro_html(&p, "targets"));
    let all = Filter {
        label: t("status_all"),
        n: site.plan.targets.len(),
        slug: None,
        note: None,
    };
    let filters: Vec<Filter> = std::iter::once(all)
        .chain(overview(site, &site.plan.targets).into_iter().map(|(slug, label, n)| {
            Filter {
                note: Some(
                    t("targets_only")
                        .replace("{status}", &label)
                        .replace("{n}", &n.to_string()),
                ),
                label,
                n,
                slug: Some(slug),
            }
        }))
        .collect();
    c.insert("filters", &filters);
    c.insert("all_href", &p.href("targets/"));
    Page {
        path,
        template: "targets.html",
        context: c,
        in_sitemap: true,
    }
}

/// The progress overview of some targets, for pillar and home pages: (status, label, count).
pub fn overview<'a>(
    site: &Site<'_>,
    targets: impl IntoIterator<Item = &'a Target>,
) -> Vec<(&'static str, String, usize)> {
    let c = counts(targets);
    Status::ALL
        .iter()
        .enumerate()
        .map(|(i, s)| (s.slug(), status_label(site, *s), c[i]))
        .collect()
}
