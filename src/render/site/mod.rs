//! Render stage (HTML): puts the site together — every page of both languages (made and
//! rendered on all cores), the search index, open data, static files and the sitemap, each
//! handed to the sink as soon as it is made. What pages are made with is in `context`; the
//! pages themselves in `pages`, `site_pages` and `targets`.

pub mod comments;
pub mod context;
pub mod implementation;
mod intro;
pub mod pages;
pub mod progress;
mod revision;
mod sdg_pages;
mod site_pages;
mod targets;

use anyhow::{Context as _, Result};
use rayon::prelude::*;
use tera::Tera;

use crate::model::sdg::goals;
use crate::model::{Item, Lang, Plan};
use crate::render::OutputFile;
use crate::theme::Theme;
use crate::timings::Timings;
pub use context::{Download, ItemRef, Page, PageCtx, Site};

/// Where rendered files go: the staging, as soon as each is made (from any thread).
pub type Sink<'a> = dyn Fn(OutputFile) -> Result<()> + Sync + 'a;

/// Every maker of the pages of one language.
fn makers<'a>(site: &'a Site<'a>, downloads: Option<&'a [Download]>) -> Vec<context::Maker<'a>> {
    let mut m = pages::makers(site);
    m.extend(targets::makers(site));
    m.extend(implementation::makers(site));
    m.extend(progress::makers(site));
    m.extend(comments::makers(site));
    m.extend(revision::makers(site));
    m.push(Box::new(move || {
        vec![
            site_pages::search(site),
            site_pages::accessibility(site),
            site_pages::downloads(site, downloads),
        ]
    }));
    m
}

/// The interface strings of both languages, read once per build.
fn sites<'a>(plan: &'a Plan, theme: &'a Theme) -> Vec<Site<'a>> {
    Lang::ALL.iter().map(|&lang| Site::new(plan, theme, lang)).collect()
}

/// Renders every page of the site in both languages, plus the sitemap, static files, search
/// index and open data, handing each file to `sink` as soon as it is made. `downloads` lists
/// the PDFs of this build (`None` when they were skipped). Returns the number of pages per
/// language (ja, en).
pub fn render_site(
    plan: &Plan,
    theme: &Theme,
    timings: &Timings,
    downloads: Option<&[Download]>,
    sink: &Sink<'_>,
) -> Result<(usize, usize)> {
    let tera = context::engine(theme)?;
    let sites = sites(plan, theme);
    // Every page of both languages, made, rendered and written on all cores: the pages of
    // the whole site first (the targets index, the SDG and index pages take tens of
    // milliseconds each), then the items' pages, so that no large page is left to one core
    // at the end.
    let makers: Vec<(&Site, context::Maker)> = sites
        .iter()
        .flat_map(|site| makers(site, downloads).into_iter().map(move |m| (site, m)))
        .chain(
            sites
                .iter()
                .flat_map(|site| pages::item_makers(site).into_iter().map(move |m| (site, m))),
        )
        .collect();
    // Open data and the search index first (each made and written on all cores: the 4,560
    // files of the index at 5,000 measures took about 70 ms on one core), then the pages: one
    // after the other, so `--timings` shows each stage's own time.
    timings.time("open data", || {
        crate::render::opendata::files(plan).into_par_iter().try_for_each(sink)
    })?;
    timings.time("search index", || {
        crate::render::search::files(plan, theme)
            .into_par_iter()
            .try_for_each(sink)
    })?;
    let urls = timings.time("pages", || {
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
    // In address order, whatever the order the pages were made in.
    let mut urls: Vec<String> = urls.into_iter().filter_map(|(_, u)| u).collect();
    urls.sort_unstable();
    for (path, text) in &theme.static_files {
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
            path: path.into(),
            bytes: css.into_bytes(),
        })?;
    }
    // A draft is not for search engines: its pages say `noindex`, and it has no sitemap.
    if !plan.config.draft {
        sink(OutputFile {
            path: "sitemap.xml".into(),
            bytes: sitemap(plan, &urls).into_bytes(),
        })?;
    }
    // The values the pages shared (tens of thousands of small maps at 5,000 measures) are
    // freed by an idle worker while the build goes on: freeing them here took 13–15 ms, all
    // of it on the way to the end of the build.
    drop(makers);
    let shared: Vec<_> = sites.into_iter().map(Site::into_shared_values).collect();
    rayon::spawn(move || drop(shared));
    Ok(pages)
}

/// Renders the pages that show an item's body, in both languages: its own page (the
/// pledges page for a pledge). Used by incremental rebuilds.
pub fn render_item_pages(tera: &Tera, plan: &Plan, theme: &Theme, item: &Item) -> Result<Vec<OutputFile>> {
    let sites = sites(plan, theme);
    let mut out = Vec::new();
    for site in &sites {
        for page in pages::own_pages(site, item) {
            out.push(render_page(tera, site, page)?.0);
        }
    }
    Ok(out)
}

/// Renders the accessibility page in both languages: it carries the build's mark, which
/// every edit changes. Used by incremental rebuilds.
pub fn render_accessibility_pages(tera: &Tera, plan: &Plan, theme: &Theme) -> Result<Vec<OutputFile>> {
    sites(plan, theme)
        .iter()
        .map(|site| Ok(render_page(tera, site, site_pages::accessibility(site))?.0))
        .collect()
}

/// Renders the downloads page in both languages: the one page that shows the PDFs (their
/// sizes and pages). Used by `serve` when a run of the PDFs is done.
pub fn render_downloads_pages(tera: &Tera, plan: &Plan, theme: &Theme, list: &[Download]) -> Result<Vec<OutputFile>> {
    sites(plan, theme)
        .iter()
        .map(|site| Ok(render_page(tera, site, site_pages::downloads(site, Some(list)))?.0))
        .collect()
}

/// Renders one page: the file, and its address for the sitemap if it is listed there.
fn render_page(tera: &Tera, site: &Site<'_>, page: Page) -> Result<(OutputFile, Option<String>)> {
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
        // The text of an XML element: `&` and `<` escaped (and `>`, for old readers).
        if u.contains(['&', '<', '>']) {
            s.push_str(&u.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;"));
        } else {
            s.push_str(u);
        }
        s.push_str("</loc>");
        // A checked date (`YYYY-MM-DD`): nothing to escape.
        if let Some(d) = &plan.config.published {
            s.push_str(&format!("<lastmod>{d}</lastmod>"));
        }
        s.push_str("</url>\n");
    }
    s.push_str("</urlset>\n");
    s
}
