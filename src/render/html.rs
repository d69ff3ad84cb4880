//! Render stage (HTML): the page list of the site, the context every page shares (language
//! switcher, hreflang alternates, navigation, relative root), links between items, and the
//! sitemap. Page-specific contexts are built in `pages`.

use std::collections::HashMap;

use anyhow::{Context as _, Result};
use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use super::markdown::{Linker, Section, render_sections};
use super::{OutputFile, format, pages, theme};
use crate::model::sdg::{SdgRef, goals};
use crate::model::{Item, Kind, Lang, Plan};

/// The path of an item's page, relative to a language root (`measures/kosodate-1/`).
pub fn item_path(item: &Item) -> String {
    match item.kind {
        Kind::Vision => "vision/".into(),
        Kind::Pillar => format!("pillars/{}/", item.id),
        Kind::Measure => format!("measures/{}/", item.id),
        Kind::District => format!("districts/{}/", item.id),
        Kind::Chapter => format!("policy/{}/", item.id),
        Kind::Strategy => format!("strategy/{}/", item.id),
        Kind::Pledge => format!("pledges/#{}", item.id),
    }
}

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
    pub t: HashMap<String, String>,
    /// The part of every page's context that is the same on all pages of the language
    /// (`t`, site title, city, notice), built once and copied per page (tera's values share
    /// their maps and lists, so the copy is cheap).
    pub shared: Context,
}

impl<'a> Site<'a> {
    /// The pages of `plan` in `lang`.
    pub fn new(plan: &'a Plan, lang: Lang) -> Self {
        let t = theme::strings(lang);
        let cfg = &plan.config;
        let mut shared = Context::new();
        shared.insert("lang", lang.code());
        shared.insert("other_lang", lang.other().code());
        shared.insert("t", &t);
        shared.insert("site_title", cfg.title.get(lang));
        shared.insert("city", cfg.city.get(lang));
        shared.insert("notice", &cfg.notice.as_ref().map(|n| n.get(lang)));
        Site { plan, lang, t, shared }
    }
}

/// A page being rendered: its language-neutral path and its relative root.
pub struct PageCtx<'a> {
    /// The site.
    pub site: &'a Site<'a>,
    /// Language-neutral path (`measures/kosodate-1/`).
    pub path: String,
    /// Relative address of the output root from this page (`../../`).
    pub root: String,
}

impl<'a> PageCtx<'a> {
    /// A page at `path` in the site's language.
    pub fn new(site: &'a Site<'a>, path: &str) -> Self {
        let full = format!("{}{}", site.lang.prefix(), path);
        let depth = full.matches('/').count();
        let root = if depth == 0 {
            "./".to_string()
        } else {
            "../".repeat(depth)
        };
        PageCtx {
            site,
            path: path.to_string(),
            root,
        }
    }

    /// A page whose links start from a fixed root (the 404 page, shown at any address).
    pub fn with_root(site: &'a Site<'a>, path: &str, root: String) -> Self {
        PageCtx {
            site,
            path: path.to_string(),
            root,
        }
    }

    /// Relative address of a language-neutral path in this page's language.
    pub fn href(&self, path: &str) -> String {
        format!("{}{}{}", self.root, self.site.lang.prefix(), path)
    }

    /// A link to an item.
    pub fn item_ref(&self, item: &Item) -> ItemRef {
        let lang = self.site.lang;
        let pillar_number = item
            .pillar
            .as_ref()
            .and_then(|p| self.site.plan.item(p))
            .map(|p| p.number);
        let (_, fallback) = item.version(lang);
        ItemRef {
            id: item.id.clone(),
            kind: item.kind,
            label: format::item_label(item.kind, item.number, pillar_number, lang),
            title: item.title(lang).to_string(),
            href: self.href(&item_path(item)),
            summary: item.text(lang, |t| &t.summary).map(|(s, _)| s.to_string()),
            lang: fallback.then_some("ja"),
        }
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
        let plan = self.site.plan;
        let lang = self.site.lang;
        match kind {
            "sdg" => {
                let r = SdgRef::parse(id).ok()?;
                let g = goals().iter().find(|g| g.number == r.goal())?;
                let page = self.href(&format!("sdgs/{}/", g.number));
                Some(match &r {
                    SdgRef::Goal(n) => {
                        let name = g.name(lang);
                        let label = if lang == Lang::Ja {
                            format!("SDGs目標{n}「{name}」")
                        } else {
                            format!("SDG {n}: {name}")
                        };
                        (page, label)
                    }
                    SdgRef::Target(..) => {
                        let label = if lang == Lang::Ja {
                            format!("SDGsターゲット{}", r.id())
                        } else {
                            format!("SDG target {}", r.id())
                        };
                        (format!("{page}#target-{}", r.id().replace('.', "-")), label)
                    }
                })
            }
            "target" => {
                let t = plan.target(id)?;
                let owner = plan.item(&t.owner)?;
                Some((
                    format!("{}#target-{}", self.href(&item_path(owner)), t.id),
                    t.indicator.get(lang).to_string(),
                ))
            }
            _ => {
                let item = plan.item(id)?;
                (item.kind.ref_name() == kind).then(|| (self.href(&item_path(item)), item.title(lang).to_string()))
            }
        }
    }
}

/// Builds the tera engine with the theme's templates (components of `macros.html` are
/// usable in every template). Escaping of `.html` templates is tera's, which escapes what HTML
/// needs (`& < > "` and `'`) and leaves `/` alone, so addresses stay readable.
pub fn engine() -> Result<Tera> {
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html"]);
    tera.add_raw_templates(theme::templates())
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
    c.insert("switch_href", &format!("{}{}{}", p.root, lang.other().prefix(), p.path));
    c.insert(
        "alternates",
        &Lang::ALL
            .iter()
            .map(|l| (l.code(), cfg.absolute(*l, &p.path)))
            .collect::<Vec<_>>(),
    );
    c.insert("x_default", &cfg.absolute(Lang::Ja, &p.path));
    let nav: Vec<(String, String, bool)> = [
        ("nav_vision", "vision/"),
        ("nav_pillars", "pillars/"),
        ("nav_districts", "districts/"),
        ("nav_strategy", "strategy/"),
        ("nav_pledges", "pledges/"),
        ("nav_targets", "targets/"),
        ("nav_sdgs", "sdgs/"),
        ("nav_policy", "policy/"),
        ("downloads", "downloads/"),
    ]
    .iter()
    .map(|(k, path)| {
        let current = p.path.starts_with(path);
        (site.t.get(*k).cloned().unwrap_or_default(), p.href(path), current)
    })
    .collect();
    c.insert("nav", &nav);
    c
}

/// A PDF on the downloads page.
#[derive(Clone, Debug, Serialize)]
pub struct Download {
    /// `plan` or `strategy`.
    pub doc: &'static str,
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

/// Where rendered files go: the writer, as soon as each is made (from any thread).
pub type Sink<'a> = dyn Fn(OutputFile) -> Result<()> + Sync + 'a;

/// The interface strings of both languages, read once per build.
fn sites(plan: &Plan) -> Vec<Site<'_>> {
    Lang::ALL.iter().map(|&lang| Site::new(plan, lang)).collect()
}

/// Renders every page of the site in both languages, plus the sitemap, static files, search
/// index and open data, handing each file to `sink` as soon as it is made. `downloads` lists
/// the PDFs of this build (`None` when they were skipped). Returns the number of pages per
/// language (ja, en).
pub fn render_site(plan: &Plan, downloads: Option<&[Download]>, sink: &Sink<'_>) -> Result<(usize, usize)> {
    let tera = engine()?;
    let sites = sites(plan);
    // Every page of both languages, made, rendered and written on all cores.
    let makers: Vec<(&Site, pages::Maker)> = sites
        .iter()
        .flat_map(|site| {
            let mut m = pages::makers(site);
            m.push(Box::new(move || vec![super::site_pages::downloads(site, downloads)]));
            m.into_iter().map(move |m| (site, m))
        })
        .collect();
    // Open data and the search index first (each on all cores), then the pages: one after
    // the other, so `--timings` shows each stage's own time.
    crate::timings::time("open data", || {
        super::opendata::files(plan).into_iter().try_for_each(sink)
    })?;
    crate::timings::time("search index", || {
        super::search::files(plan).into_iter().try_for_each(sink)
    })?;
    let urls = crate::timings::time("pages", || {
        makers
            .par_iter()
            .map(|(site, make)| {
                let mut urls = Vec::new();
                for page in make() {
                    let (file, url) = render_page(&tera, site, page)?;
                    urls.push((site.lang, url));
                    sink(file)?;
                }
                Ok(urls)
            })
            .collect::<Result<Vec<_>>>()
    });
    let urls: Vec<(Lang, Option<String>)> = urls?.into_iter().flatten().collect();
    let count = |l: Lang| urls.iter().filter(|(lang, _)| *lang == l).count();
    let pages = (count(Lang::Ja), count(Lang::En));
    let urls: Vec<String> = urls.into_iter().filter_map(|(_, u)| u).collect();
    for (path, text) in theme::static_files() {
        let mut css = text.to_string();
        if path.ends_with("style.css") {
            // SDG colours as classes, so pages need no inline styles (strict CSP).
            css.push_str("\n/* SDG goal colours (generated from the bundled SDG table) */\n");
            for g in goals() {
                css.push_str(&format!(
                    ".sdg-{} {{ background: {}; color: {}; }}\n",
                    g.number, g.colour, g.text_colour
                ));
            }
        }
        sink(OutputFile {
            path: (*path).into(),
            bytes: css.into_bytes(),
        })?;
    }
    sink(OutputFile {
        path: "sitemap.xml".into(),
        bytes: sitemap(plan, &urls).into_bytes(),
    })?;
    Ok(pages)
}

/// Renders the pages that show an item's body, in both languages: its own page (the
/// pledges page for a pledge). Used by incremental rebuilds.
pub fn render_item_pages(tera: &Tera, plan: &Plan, item: &Item) -> Result<Vec<OutputFile>> {
    let sites = sites(plan);
    let mut out = Vec::new();
    for site in &sites {
        for page in pages::own_pages(site, item) {
            out.push(render_page(tera, site, page)?.0);
        }
    }
    Ok(out)
}

/// Renders one page: the file, and its address for the sitemap if it is listed there.
fn render_page(tera: &Tera, site: &Site<'_>, page: pages::Page) -> Result<(OutputFile, Option<String>)> {
    let lang = site.lang;
    // Straight into bytes, sized for a measure page: no growing from empty and no UTF-8
    // check of the whole page afterwards (tera writes only strings).
    let mut html = Vec::with_capacity(16 * 1024);
    tera.render_to(page.template, &page.context, &mut html)
        .with_context(|| format!("rendering {}{} with {}", lang.prefix(), page.path, page.template))?;
    let file = if page.path.ends_with(".html") {
        format!("{}{}", lang.prefix(), page.path)
    } else {
        format!("{}{}index.html", lang.prefix(), page.path)
    };
    let url = page.in_sitemap.then(|| site.plan.config.absolute(lang, &page.path));
    Ok((
        OutputFile {
            path: file.into(),
            bytes: html,
        },
        url,
    ))
}

fn sitemap(plan: &Plan, urls: &[String]) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for u in urls {
        s.push_str("  <url><loc>");
        s.push_str(&u.replace('&', "&amp;"));
        s.push_str("</loc>");
        if let Some(d) = &plan.config.published {
            s.push_str(&format!("<lastmod>{d}</lastmod>"));
        }
        s.push_str("</url>\n");
    }
    s.push_str("</urlset>\n");
    s
}
