//! Serve (incremental rebuilds): when an editor saves the text of pages, only what shows that
//! text is made again — the item's own page in both languages and the search index — from
//! the plan of the last good build, with that item replaced. This is safe only when nothing
//! another page shows has changed, so the fast path checks that the item's *card* (ids,
//! titles, summaries, front-matter, references and headings of the body: everything other
//! pages, lists, backlinks and checks read) is the same before and after, and that the file
//! has no diagnostics before or after. Anything else — a new or deleted file, a title, a
//! reference, data, configuration, the theme, a file with problems — takes a full build.
//! The integration tests check that the result is byte-identical to a full build.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use crate::diag::{Diagnostics, FileId, Sources};
use crate::load::markdown::{h2_headings, refs};
use crate::load::{self, Relevance};
use crate::model::{Body, Item, Plan, TranslationStatus};
use crate::timings::Timings;
use crate::write::{self, Manifest};

/// What the last good build left for the next one to start from.
pub struct Last {
    /// The theme it was built with.
    pub theme: crate::theme::Theme,
    /// Every source file, as last read.
    pub sources: Sources,
    /// The diagnostics of that build (warnings only: it succeeded).
    pub diags: Diagnostics,
    /// The resolved plan.
    pub plan: Plan,
    /// The theme's templates, compiled.
    pub tera: tera::Tera,
    /// The search index, made at the first edit and kept up to date with each.
    pub search: Option<crate::render::search::Index>,
}

/// What an incremental rebuild did.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing the build reads changed (an editor's backup file, a save without changes).
    Nothing,
    /// The pages of these items were made again: (items, files written).
    Rebuilt(usize, usize),
    /// The change needs a full build, for this reason.
    Full(&'static str),
}

/// Everything other pages and checks can see of an item: the whole item (every field, so
/// a field added to [`Item`] one day is on the card without anyone remembering it) but for
/// its body text — of the body only the references, pictures and second-level headings
/// count — and
/// the state of its translation, which only its own page shows.
fn card(item: &Item) -> String {
    let skeleton = |b: &Body| {
        let mut s = String::new();
        for r in refs(b) {
            let _ = write!(s, "ref {}:{};", r.kind, r.id);
        }
        for (h, _) in h2_headings(b) {
            let _ = write!(s, "h2 {h};");
        }
        // Pictures are checked (and decoded for the PDFs) by a full build.
        for (e, _) in b.links() {
            if let pulldown_cmark::Event::Start(pulldown_cmark::Tag::Image { dest_url, .. }) = e {
                let _ = write!(s, "img {dest_url};");
            }
        }
        s
    };
    let mut c = item.clone();
    let ja = skeleton(&c.ja.body);
    let en = c.en.as_ref().map(|e| skeleton(&e.body));
    c.ja.body = Body::default();
    if let Some(e) = c.en.as_mut() {
        e.body = Body::default();
    }
    c.translation = TranslationStatus::Missing;
    c.digest.clear();
    c.source_changed = None;
    c.translated_from = None;
    format!("{c:?}|{ja}|{en:?}")
}

/// Load, for the changed files: the page files whose text changed, by item, with their new
/// text put in `last.sources`. `Err` with the reason when the change needs a full build.
fn changed_pages(
    content: &Path,
    last: &mut Last,
    paths: &[PathBuf],
) -> Result<std::result::Result<BTreeMap<String, Vec<FileId>>, &'static str>> {
    let root = content.canonicalize()?;
    let mut items: BTreeMap<String, Vec<FileId>> = BTreeMap::new();
    for p in paths {
        let p = p.canonicalize().unwrap_or_else(|_| p.clone());
        let Ok(rel) = p.strip_prefix(&root) else {
            return Ok(Err("a file outside the content folder (the theme) changed"));
        };
        // Hidden folders (.git) and editors' scratch files change nothing.
        if load::is_hidden(rel) || load::is_editor_scratch(rel) {
            continue;
        }
        // A new folder may hold files the watcher has not reported yet.
        if p.is_dir() || (!p.exists() && rel.extension().is_none()) {
            return Ok(Err("a folder was added or removed"));
        }
        let kind = match load::relevance(rel) {
            Relevance::None => continue,
            Relevance::Other => return Ok(Err("a configuration, data or static file changed")),
            Relevance::Page(kind) => kind,
        };
        let Some(file) = last.sources.find(rel) else {
            return Ok(Err("a page file was added"));
        };
        let Some(item) = last
            .plan
            .items
            .iter()
            .find(|i| i.kind == kind && (i.ja.file == file || i.en.as_ref().is_some_and(|e| e.file == file)))
        else {
            return Ok(Err("the file is not an item of the plan"));
        };
        if last.diags.touches(file) {
            return Ok(Err("the file had problems"));
        }
        let Some(text) = load::reread(content, rel) else {
            return Ok(Err("a page file was deleted or cannot be read"));
        };
        if text != last.sources.text(file) {
            last.sources.replace(file, text);
            items.entry(item.id.clone()).or_default().push(file);
        }
    }
    Ok(Ok(items))
}

/// Resolve, for one changed item: the item made again from its files, put in place of the
/// old one when nothing other pages show changed. Returns its position in the plan, or the
/// reason a full build is needed.
fn remake(content: &Path, last: &mut Last, id: &str, files: &[FileId]) -> std::result::Result<usize, &'static str> {
    let &n = last.plan.index.get(id).ok_or("an item is not in the plan")?;
    let old = &last.plan.items[n];
    let mut d = Diagnostics::default();
    let parse =
        |file: FileId, d: &mut Diagnostics| load::load_page(last.sources.path(file), old.kind, &last.sources, file, d);
    let ja = parse(old.ja.file, &mut d);
    let en = old.en.as_ref().and_then(|e| parse(e.file, &mut d));
    let (Some(ja), true) = (ja, old.en.is_none() || en.is_some()) else {
        return Err("a page file cannot be read");
    };
    if ja.broken || en.as_ref().is_some_and(|e| e.broken) {
        return Err("a front-matter cannot be read");
    }
    let mut new = crate::resolve::make_item(ja, en, &last.sources, &mut d);
    crate::resolve::glyphs::check(&last.sources, files.iter().copied(), &mut d);
    crate::resolve::refs::check_item_addresses(&new, &mut d);
    crate::resolve::checks::check_headings_of(&new, &mut d);
    if d.counts() != (0, 0) {
        return Err("the edited file has problems");
    }
    if card(&new) != card(old) {
        return Err("something other pages show changed (front-matter, references or headings)");
    }
    if new.translation == TranslationStatus::Stale {
        let history = crate::load::history::History::read(content);
        let info = crate::resolve::stale::stale_info(&history, &last.sources, &[&new], None);
        new.source_changed = info.into_iter().next().and_then(|i| i.changed_on);
    }
    last.plan.items[n] = new;
    Ok(n)
}

/// Tries to rebuild after `paths` (absolute, as the watcher saw them) changed: the same
/// stages as a full build (load, resolve, render, write), given only what changed.
/// [`Outcome::Full`] means the change needs a full build; `last` may then be half-updated
/// and must be replaced by that build.
/// `manifest` is what the preview folder holds; the files written are added to it.
/// `ready` is called with the new plan as soon as it is made, before its pages are.
pub fn rebuild(
    content: &Path,
    output: &Path,
    timings: &Timings,
    last: &mut Last,
    manifest: &mut Manifest,
    paths: &[PathBuf],
    ready: &dyn Fn(&Last),
) -> Result<Outcome> {
    // The 新旧対照表 compares every item: an edit of one changes it too.
    if last.plan.revision.is_some() {
        return Ok(Outcome::Full("the plan is compared with an earlier edition"));
    }
    let items = match timings.time("read", || changed_pages(content, last, paths))? {
        Ok(items) => items,
        Err(why) => return Ok(Outcome::Full(why)),
    };
    if items.is_empty() {
        return Ok(Outcome::Nothing);
    }
    let mut changed: Vec<usize> = Vec::new();
    for (id, files) in &items {
        match remake(content, last, id, files) {
            Ok(n) => changed.push(n),
            Err(why) => return Ok(Outcome::Full(why)),
        }
    }
    // The build's mark (on the accessibility page) follows every edit, as in a full build.
    last.plan.content_digest = crate::content_digest(&last.sources, &last.plan);
    ready(last);
    let mut files = timings.time("pages", || {
        crate::render::site::render_accessibility_pages(&last.tera, &last.plan, &last.theme)
    })?;
    for &n in &changed {
        let pages = timings.time("pages", || {
            crate::render::site::render_item_pages(&last.tera, &last.plan, &last.theme, &last.plan.items[n])
        })?;
        files.extend(pages);
    }
    files.extend(timings.time("search index", || match &mut last.search {
        Some(index) => index.update(&last.plan, &last.theme, &changed),
        None => {
            let (index, files) = crate::render::search::Index::new(&last.plan, &last.theme);
            last.search = Some(index);
            files
        }
    }));
    let written = timings.time("write", || write::update(output, files, manifest))?;
    Ok(Outcome::Rebuilt(changed.len(), written))
}

/// Puts a run's PDFs into the preview folder with the page that lists them (the downloads
/// page, the only one that shows them), as a full build with those PDFs writes them: the
/// other pages do not change. Only PDFs that differ from the folder's are read and written.
/// Returns how many files were written.
pub fn publish_pdfs(
    output: &Path,
    last: &Last,
    manifest: &mut Manifest,
    pdfs: &[crate::render::pdf::PdfFile],
) -> Result<usize> {
    use crate::render::site::{Download, render_downloads_pages};
    let list: Vec<Download> = pdfs.iter().map(Download::of).collect();
    let mut files = render_downloads_pages(&last.tera, &last.plan, &last.theme, &list)?;
    for p in pdfs {
        if manifest
            .entries
            .get(Path::new(&p.path))
            .is_some_and(|e| e.hash == p.hash)
        {
            continue;
        }
        let bytes = std::fs::read(&p.file).with_context(|| format!("reading {}", p.file.display()))?;
        files.push(crate::render::OutputFile {
            path: PathBuf::from(&p.path),
            bytes,
        });
    }
    write::update(output, files, manifest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;

    #[test]
    fn the_card_ignores_body_text_but_not_references_or_headings() {
        let parse = |md: &str| load::markdown::parse(md, 0);
        let mut item = Item {
            kind: Kind::Measure,
            id: "m".into(),
            number: 1,
            pillar: None,
            group: None,
            sdgs: Vec::new(),
            measures: Vec::new(),
            tables: Vec::new(),
            ja: crate::model::Version {
                lang: crate::model::Lang::Ja,
                file: 0,
                texts: Default::default(),
                body: parse("## 現状と課題\n\n本文です。\n"),
            },
            en: None,
            translation: TranslationStatus::Missing,
            digest: String::new(),
            source_changed: None,
            translated_from: None,
        };
        let before = card(&item);
        item.ja.body = parse("## 現状と課題\n\n本文を書き直しました。\n");
        assert_eq!(card(&item), before, "the body text is not on the card");
        item.ja.body = parse("## 現状と課題\n\n[](measure:other) を参照。\n");
        assert_ne!(card(&item), before, "a reference is");
        item.ja.body = parse("## 施策の方向\n\n本文です。\n");
        assert_ne!(card(&item), before, "a heading is");
    }
}
