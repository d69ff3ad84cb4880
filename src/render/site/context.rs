//! Render stage (HTML): what every page of the site is made with — the site of one language
//! with its interface strings, a page's context (language switcher, hreflang alternates,
//! navigation, relative root), links between items, the page type and the template engine.
//! Page-specific contexts are built in `pages`, `site_pages` and `targets`; the site is put
//! together in the parent module.

use anyhow::{Context as _, Result};
use serde::Serialize;
use std::sync::OnceLock;

use tera::{Context, Tera, Value};

use crate::model::sdg::SdgRef;
use crate::model::{Item, Kind, Lang, Plan, Referent};
use crate::render::markdown::{Linker, Section, render_sections};
use crate::render::paths::{self, item_path};
use crate::render::{format, pdf};
use crate::text::cat;
use crate::theme::{Strings, Theme};

/// A link to an item, as lists and headers show it.
#[derive(Serialize, Clone)]
pub struct ItemRef {
    /// Id.
    pub id: String,
    /// Kind.
    pub kind: Kind,
    /// Numbered label (施策1-2).
    pub label: String,
    /// Title in the page's language (or Japanese, see `lang`).
    pub title: String,
    /// Relative address.
    pub href: String,
    /// Summary, if any.
    pub summary: Option<String>,
    /// `ja` when the title is Japanese shown on an English page.
    pub lang: Option<&'static str>,
}

/// Everything needed to render pages of one language.
pub struct Site<'a> {
    /// The plan.
    pub plan: &'a Plan,
    /// The language of the pages.
    pub lang: Lang,
    /// Interface strings.
    pub t: &'a Strings,
    /// The part of every page's context that is the same on all pages of the language
    /// (`t`, site title, city, notice), built once and copied per page (tera's values share
    /// their maps and lists, so the copy is cheap).
    pub shared: Context,
    /// The mark of this build (content and theme), which an accessibility test records.
    pub build: String,
    /// The optional parts the plan has (found once: it looks at every target).
    pub parts: crate::model::Parts,
    /// The entries of the site's navigation: (label, language-neutral path).
    pub nav: Vec<(String, &'static str)>,
    /// The navigation as a template value, per depth of page and entry marked as the current
    /// one (none first), made once (see [`PageCtx::nav`]).
    nav_values: Vec<[OnceLock<Value>; LINK_DEPTHS]>,
    /// Each item's link as a template value, per depth of the pages that show it, made once
    /// (see [`PageCtx::link`]).
    links: Vec<[OnceLock<Value>; LINK_DEPTHS]>,
}

/// How deep the pages are whose links to items are shared (`./` … `../../../`).
const LINK_DEPTHS: usize = 4;

impl<'a> Site<'a> {
    /// The pages of `plan` in `lang`.
    pub fn new(plan: &'a Plan, theme: &'a Theme, lang: Lang) -> Self {
        let t = theme.strings(lang);
        let cfg = &plan.config;
        let mut shared = Context::new();
        shared.insert("lang", lang.code());
        shared.insert("other_lang", lang.other().code());
        shared.insert("t", t);
        shared.insert("site_title", &site_title(plan, t, lang));
        shared.insert("city", cfg.city.get(lang));
        shared.insert("notice", &cfg.notice.as_ref().map(|n| n.get(lang)));
        shared.insert("draft", &draft_banner(plan, t, lang));
        let parts = plan.parts();
        shared.insert("parts", &parts);
        let build = format!("{}-{:016x}", plan.content_digest, theme.digest());
        let nav = nav_entries(plan, parts, t);
        Site {
            plan,
            lang,
            t,
            shared,
            build,
            parts,
            nav_values: (0..=nav.len()).map(|_| Default::default()).collect(),
            nav,
            links: plan.items.iter().map(|_| Default::default()).collect(),
        }
    }
}

impl Site<'_> {
    /// The template values the site made once and shared between its pages (the links to
    /// items, the navigation bars), to be freed elsewhere.
    pub fn into_shared_values(self) -> impl Send + 'static {
        (self.links, self.nav_values, self.shared)
    }
}

/// The pages the navigation bar links to, of those the plan has: (label, path).
fn nav_entries(plan: &Plan, parts: crate::model::Parts, t: &Strings) -> Vec<(String, &'static str)> {
    [
        ("nav_vision", "vision/", parts.vision),
        ("nav_pillars", "pillars/", true),
        ("nav_districts", "districts/", parts.districts),
        ("nav_strategy", "strategy/", parts.strategy),
        ("nav_pledges", "pledges/", parts.pledges),
        ("nav_targets", "targets/", true),
        ("nav_implementation", "implementation/", !plan.editions.0.is_empty()),
        ("nav_progress", "progress/", !plan.reports.is_empty()),
        ("nav_sdgs", "sdgs/", true),
        ("nav_policy", "policy/", parts.policy),
        (
            "nav_comment",
            "public-comment/",
            plan.config.draft || !plan.comments.is_empty(),
        ),
        ("nav_revision", "revision/", plan.revision.is_some()),
        ("downloads", "downloads/", true),
    ]
    .into_iter()
    .filter(|(_, _, shown)| *shown)
    .map(|(k, path, _)| (t.get(k).to_string(), path))
    .collect()
}

/// The site's title; a draft's says so on every page (第5次…基本計画（案）).
pub fn site_title(plan: &Plan, t: &Strings, lang: Lang) -> String {
    let title = plan.config.title.get(lang);
    match plan.config.draft {
        true => format!("{title}{}", t.get("draft_suffix")),
        false => title.to_string(),
    }
}

/// What the banner of a draft says (`None` for the adopted plan): that the plan is a draft,
/// and until when comments are taken.
fn draft_banner(plan: &Plan, t: &Strings, lang: Lang) -> Option<String> {
    if !plan.config.draft {
        return None;
    }
    Some(match &plan.config.public_comment {
        Some(pc) => t
            .get("draft_banner_open")
            .replace("{from}", &format::date(pc.from, lang))
            .replace("{until}", &format::date(pc.until, lang)),
        None => t.get("draft_banner").to_string(),
    })
}

/// A page being rendered: its language-neutral path and its relative root.
pub struct PageCtx<'a> {
    /// The site.
    pub site: &'a Site<'a>,
    /// Language-neutral path (`measures/kosodate-1/`).
    pub path: String,
    /// Relative address of the output root from this page (`../../`).
    pub root: String,
    /// How many folders deep the page is, when its root is the usual one (`None` for a fixed
    /// root): pages at the same depth share their links to items.
    depth: Option<usize>,
}

impl<'a> PageCtx<'a> {
    /// A page at `path` in the site's language.
    pub fn new(site: &'a Site<'a>, path: &str) -> Self {
        let depth = site.lang.prefix().matches('/').count() + path.matches('/').count();
        let root = if depth == 0 {
            "./".to_string()
        } else {
            "../".repeat(depth)
        };
        PageCtx {
            site,
            path: path.to_string(),
            root,
            depth: Some(depth),
        }
    }

    /// A page whose links start from a fixed root (the 404 page, shown at any address).
    pub fn with_root(site: &'a Site<'a>, path: &str, root: String) -> Self {
        PageCtx {
            site,
            path: path.to_string(),
            root,
            depth: None,
        }
    }

    /// Relative address of a language-neutral path in this page's language.
    pub fn href(&self, path: &str) -> String {
        cat(&[&self.root, self.site.lang.prefix(), path])
    }

    /// A link to an item.
    pub fn item_ref(&self, item: &Item) -> ItemRef {
        let lang = self.site.lang;
        let (_, fallback) = item.version(lang);
        ItemRef {
            id: item.id.clone(),
            kind: item.kind,
            label: self.site.plan.label(item, lang),
            title: item.title(lang).to_string(),
            href: self.href(&item_path(item)),
            summary: item.text(lang, |t| &t.summary).map(|(s, _)| s.to_string()),
            lang: fallback.then_some("ja"),
        }
    }

    /// A link to an item as a template value ([`PageCtx::item_ref`], serialised): made once
    /// per depth of page and shared, for the lists, neighbours and tables that show the same
    /// items on many pages (a copy of a template value shares its contents).
    pub fn link(&self, item: &Item) -> Value {
        let cells = self.site.plan.index.get(&item.id).and_then(|&n| self.site.links.get(n));
        self.shared(cells, || Value::from_serializable(&self.item_ref(item)))
    }

    /// A template value made once per depth of page in `cells` (one cell per depth) and
    /// copied from there, or made here for a page too deep or with a fixed root, or when
    /// there are no cells for it.
    fn shared(&self, cells: Option<&[OnceLock<Value>; LINK_DEPTHS]>, make: impl FnOnce() -> Value) -> Value {
        match self.depth.zip(cells).and_then(|(d, cells)| cells.get(d)) {
            Some(cell) => cell.get_or_init(make).clone(),
            None => make(),
        }
    }

    /// The navigation bar as a template value: each entry's (label, address, whether the
    /// page is in its part of the site). Made once per depth of page and current entry and
    /// shared, as [`PageCtx::link`] is: every page shows it.
    pub fn nav(&self) -> Value {
        let make = || {
            let nav: Vec<(&str, String, bool)> = self
                .site
                .nav
                .iter()
                .map(|(label, path)| (label.as_str(), self.href(path), self.path.starts_with(path)))
                .collect();
            Value::from_serializable(&nav)
        };
        let mut current = self
            .site
            .nav
            .iter()
            .enumerate()
            .filter(|(_, (_, path))| self.path.starts_with(path));
        let slot = match (current.next(), current.next()) {
            (None, _) => Some(0),
            (Some((n, _)), None) => Some(n + 1),
            // More than one entry holds the page: made each time, as the rare case it is.
            (Some(_), Some(_)) => None,
        };
        self.shared(slot.map(|n| &self.site.nav_values[n]), make)
    }

    /// Renders an item's body in this page's language.
    pub fn sections(&self, item: &Item, ids: &[&str]) -> Vec<Section> {
        let (v, _) = item.version(self.site.lang);
        render_sections(&v.body, self, ids)
    }
}

impl Linker for PageCtx<'_> {
    fn root(&self) -> &str {
        &self.root
    }

    fn raw_html(&self) -> bool {
        self.site.plan.config.allow_raw_html
    }

    fn resolve(&self, kind: &str, id: &str) -> Option<(String, String)> {
        let referent = self.site.plan.referent(kind, id)?;
        let href = match &referent {
            Referent::Sdg(r, g) => {
                let page = self.href(&paths::sdg_path(g.number));
                match r {
                    SdgRef::Goal(_) => page,
                    SdgRef::Target(..) => cat(&[&page, "#", &paths::sdg_target_anchor(&r.id())]),
                }
            }
            Referent::Target(t, owner) => cat(&[&self.href(&item_path(owner)), "#", &paths::target_anchor(&t.id)]),
            Referent::Item(item) => self.href(&item_path(item)),
        };
        Some((href, format::referent_label(&referent, self.site.lang)))
    }
}

/// Builds the tera engine with the theme's templates (components of `macros.html` are
/// usable in every template). Escaping of `.html` templates is tera's, which escapes what HTML
/// needs (`& < > "` and `'`) and leaves `/` alone, so addresses stay readable.
pub fn engine(theme: &Theme) -> Result<Tera> {
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html"]);
    tera.add_raw_templates(theme.templates.iter().map(|(n, s)| (*n, s.as_str())))
        .context("compiling the theme's templates")?;
    Ok(tera)
}

/// The context every page shares.
pub fn base_context(p: &PageCtx<'_>, title: &str, description: Option<&str>, fallback: bool) -> Context {
    let site = p.site;
    let plan = site.plan;
    let lang = site.lang;
    let cfg = &plan.config;
    let mut c = site.shared.clone();
    c.insert("root", &p.root);
    c.insert("home", &p.href(""));
    c.insert("page_title", title);
    c.insert("description", &description.unwrap_or(cfg.title.get(lang)));
    c.insert("fallback", &fallback);
    c.insert("canonical", &cfg.absolute(lang, &p.path));
    c.insert("switch_href", &cat(&[&p.root, lang.other().prefix(), &p.path]));
    c.insert(
        "alternates",
        &Lang::ALL
            .iter()
            .map(|l| (l.code(), cfg.absolute(*l, &p.path)))
            .collect::<Vec<_>>(),
    );
    c.insert("x_default", &cfg.absolute(Lang::Ja, &p.path));
    c.insert_value("nav", p.nav());
    if plan.config.draft {
        c.insert("comment_href", &p.href("public-comment/"));
    }
    c
}

impl Download {
    /// The entry of a PDF the build made.
    pub fn of(p: &pdf::PdfFile) -> Download {
        Download {
            doc: p.doc.slug(),
            years: p.doc.years(),
            lang: p.lang.code(),
            edition: p.edition.name(),
            volume: p.volume,
            path: p.path.clone(),
            bytes: p.size,
            pages: p.pages,
        }
    }
}

/// A PDF on the downloads page.
#[derive(Clone, Debug, Serialize)]
pub struct Download {
    /// `plan`, `strategy`, `implementation` or `progress`.
    pub doc: &'static str,
    /// The years of an edition of the implementation plan or of a progress report.
    pub years: Option<(crate::model::FiscalYear, crate::model::FiscalYear)>,
    /// Language code.
    pub lang: &'static str,
    /// `screen` or `print`.
    pub edition: &'static str,
    /// The volume and the number of volumes, when the basic plan is in several.
    pub volume: Option<(usize, usize)>,
    /// Path in the output folder.
    pub path: String,
    /// Size in bytes.
    pub bytes: usize,
    /// Number of pages.
    pub pages: usize,
}

/// A page to render.
pub struct Page {
    /// Language-neutral path (`measures/kosodate-1/` or `404.html`).
    pub path: String,
    /// Template name.
    pub template: &'static str,
    /// Template context.
    pub context: Context,
    /// Whether the page is listed in the sitemap.
    pub in_sitemap: bool,
}

/// Makes some pages of a site; many of them run in parallel.
pub type Maker<'a> = Box<dyn Fn() -> Vec<Page> + Send + Sync + 'a>;

/// An interface string in the site's language.
pub fn t(site: &Site<'_>, key: &str) -> String {
    site.t.get(key).to_string()
}
