//! Render stage (PDF): the later basic plan and the comprehensive strategy, each in Japanese
//! and English, each in a screen edition (tagged PDF/UA-1, links, bookmarks) and a print
//! edition (A4 trim, 3 mm bleed, crop marks, CMYK, chapters on odd pages, page references),
//! typeset with embedded typst from the theme's templates and the plan as data.

pub mod data;
mod grey;
mod jobs;
pub mod markdown;
mod operation;
mod print;
pub mod reuse;
pub use jobs::{Job, export_sources, jobs, typeset};
pub mod volumes;
pub mod world;

use std::collections::HashMap;

use anyhow::{Context as _, Result, anyhow};
use typst::WorldExt;
use typst::diag::{Severity, SourceDiagnostic};
use typst::foundations::{Datetime, Label, Smart};
use typst::introspection::Introspector;
use typst::utils::PicoStr;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Diagnostics, Sources};
use crate::model::{Lang, Plan};
use crate::theme::Theme;
use data::{Doc, PlanPage};
use volumes::Volume;
use world::KeikakuWorld;

/// A PDF edition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edition {
    /// For reading on screen: tagged, linked, RGB.
    Screen,
    /// For the print shop: bleed, crop marks, CMYK.
    Print,
}

impl Edition {
    /// `screen` or `print`.
    pub fn name(self) -> &'static str {
        match self {
            Edition::Screen => "screen",
            Edition::Print => "print",
        }
    }
}

/// How the PDFs are typeset: chosen by the command line, not read from the environment here.
#[derive(Clone, Debug)]
pub struct PdfSettings {
    /// How many documents are typeset at once (typst already uses every core for one).
    pub jobs: usize,
    /// The date of the documents when the configuration gives none (`SOURCE_DATE_EPOCH`,
    /// as the command line read it), as seconds since 1970.
    pub source_date_epoch: Option<i64>,
    /// Keep typst's memoised work (layout, evaluation) from one run to the next, as its own
    /// watch mode does: `keikaku serve` typesets the same documents after every edit, and
    /// what did not change is laid out again from the cache. The caller lets go of the work
    /// unused for a while ([`forget_unused`]) when nothing waits for the next run. A build
    /// typesets each document once and drops the cache after each.
    pub keep_caches: bool,
    /// The documents of the run before, to take those made from the same things as they were
    /// (`keikaku serve`).
    pub reuse: Option<std::sync::Arc<reuse::Reuse>>,
}

impl Default for PdfSettings {
    fn default() -> Self {
        PdfSettings {
            jobs: 1,
            source_date_epoch: None,
            keep_caches: false,
            reuse: None,
        }
    }
}

impl PdfSettings {
    /// The settings the environment asks for: `KEIKAKU_PDF_JOBS` and `SOURCE_DATE_EPOCH`.
    pub fn from_env() -> PdfSettings {
        let var = |k: &str| std::env::var(k).ok();
        PdfSettings {
            jobs: var("KEIKAKU_PDF_JOBS")
                .and_then(|v| v.parse::<usize>().ok())
                .map_or(1, |n| n.max(1)),
            source_date_epoch: var("SOURCE_DATE_EPOCH").and_then(|v| v.parse().ok()),
            keep_caches: false,
            reuse: None,
        }
    }
}

/// One PDF made by the build.
#[derive(Clone)]
pub struct PdfFile {
    /// Which document.
    pub doc: Doc,
    /// Language.
    pub lang: Lang,
    /// Edition.
    pub edition: Edition,
    /// The volume and the number of volumes, when the basic plan is in several.
    pub volume: Option<(usize, usize)>,
    /// Path in the output folder.
    pub path: String,
    /// The PDF, kept in a file of the build's scratch folder until the write stage takes
    /// it: the PDFs of a plan of thousands of measures come to hundreds of megabytes.
    pub file: PathBuf,
    /// The hash of its contents (as the write stage's manifest records it).
    pub hash: u64,
    /// Its size in bytes.
    pub size: usize,
    /// Number of pages.
    pub pages: usize,
}

impl PdfFile {
    /// Keeps a PDF in the scratch folder.
    fn stage(
        scratch: &Path,
        path: String,
        (doc, lang, edition): (Doc, Lang, Edition),
        volume: Option<(usize, usize)>,
        bytes: &[u8],
        pages: usize,
    ) -> Result<PdfFile> {
        let file = scratch.join(path.replace('/', "-"));
        std::fs::write(&file, bytes).with_context(|| format!("keeping {path} in {}", file.display()))?;
        Ok(PdfFile {
            doc,
            lang,
            edition,
            volume,
            path,
            file,
            hash: crate::write::hash(bytes),
            size: bytes.len(),
            pages,
        })
    }
}

/// The file name of a PDF in the output folder; a volume of a plan in several is named
/// with its number (`basic-plan-ja-vol02.pdf`). The names start with the slug of the
/// plan's term for the document (`terms.plan.slug`).
pub fn file_name(plan: &Plan, doc: Doc, lang: Lang, edition: Edition, volume: Option<(usize, usize)>) -> String {
    let terms = &plan.terms;
    let term = match doc {
        Doc::Plan => &terms.plan,
        Doc::Strategy => &terms.strategy,
        Doc::Implementation(..) => &terms.implementation,
        Doc::Progress(_) => &terms.progress_report,
        Doc::Revision => &terms.plan,
    };
    let fallback = match doc {
        Doc::Plan => "basic-plan",
        Doc::Strategy => "comprehensive-strategy",
        Doc::Implementation(..) => "implementation-plan",
        Doc::Progress(_) => "progress-report",
        Doc::Revision => "basic-plan",
    };
    let d = term.slug.as_deref().unwrap_or(fallback);
    // A year's or an edition's document is named with its years, so each keeps its address.
    let d = match doc {
        Doc::Implementation(a, b) => format!("{d}-{}-{}", a.compact(), b.compact()),
        Doc::Progress(y) => format!("{d}-{}", y.compact()),
        Doc::Revision => format!("{d}-comparison"),
        _ => d.to_string(),
    };
    let vol = volume.map_or(String::new(), |(n, count)| {
        format!("-vol{n:0w$}", w = count.to_string().len().max(2))
    });
    // A draft's files say so, so that no copy of one is taken for the adopted plan.
    let draft = if plan.config.draft { "-draft" } else { "" };
    match edition {
        Edition::Screen => format!("downloads/{d}-{}{vol}{draft}.pdf", lang.code()),
        Edition::Print => format!("downloads/{d}-{}{vol}-print{draft}.pdf", lang.code()),
    }
}

/// Turns typst's errors and warnings into diagnostics on the theme's template files.
fn report(world: &KeikakuWorld, list: &[SourceDiagnostic], sources: &mut Sources, diags: &mut Diagnostics, main: &str) {
    for d in list {
        // An unknown font would silently change the typeface: treat it as an error.
        let fatal = d.severity == Severity::Error || d.message.contains("unknown font family");
        let mut out = if fatal {
            Diagnostic::error("pdf-typesetting", d.message.to_string())
        } else {
            Diagnostic::warning("pdf-typesetting", d.message.to_string())
        };
        if let Some(id) = d.span.id()
            && let Some((path, text)) = world.template_text(id)
            && let Some(range) = world.range(d.span)
        {
            let display = Path::new("themes/default/typst").join(path.trim_start_matches('/'));
            let file = sources
                .find(&display)
                .unwrap_or_else(|| sources.add(&display, text.to_string()));
            out = out.at(file, range, "here");
        } else {
            out = out.hint(format!("while typesetting {main}"));
        }
        for h in &d.hints {
            out = out.hint(h.v.to_string());
        }
        diags.push(out);
    }
}

/// The character the PDFs show in place of one their fonts lack: 〓 (geta), the mark
/// Japanese typesetting has long used for a character that cannot be set. `check` warns of
/// each such character with its place; the PDFs are still made (PDF/A refuses text it cannot
/// show with an embedded font).
pub const MISSING_GLYPH: char = '〓';

/// The document data with every character the fonts lack replaced by [`MISSING_GLYPH`]
/// (including those that only appear once entities are decoded, such as `&HilbertSpace;`).
fn with_glyphs(data: &serde_json::Value) -> std::borrow::Cow<'_, serde_json::Value> {
    use serde_json::Value;
    fn clean(s: &str) -> Option<String> {
        let bad = |c: char| !(c.is_whitespace() || crate::resolve::glyphs::covered(c));
        s.contains(bad)
            .then(|| s.chars().map(|c| if bad(c) { MISSING_GLYPH } else { c }).collect())
    }
    fn walk(v: &mut Value) {
        match v {
            Value::String(s) => {
                if let Some(c) = clean(s) {
                    *s = c;
                }
            }
            Value::Array(a) => a.iter_mut().for_each(walk),
            Value::Object(o) => o.values_mut().for_each(walk),
            _ => {}
        }
    }
    fn needs(v: &Value) -> bool {
        match v {
            Value::String(s) => clean(s).is_some(),
            Value::Array(a) => a.iter().any(needs),
            Value::Object(o) => o.values().any(needs),
            _ => false,
        }
    }
    if !needs(data) {
        return std::borrow::Cow::Borrowed(data);
    }
    let mut v = data.clone();
    walk(&mut v);
    std::borrow::Cow::Owned(v)
}

/// Compiles one document. Problems are recorded in `diags`; `None` when it failed.
fn compile(
    theme: &Theme,
    main: &str,
    data: &serde_json::Value,
    edition: Edition,
    today: (i32, u8, u8),
    sources: &mut Sources,
    diags: &mut Diagnostics,
) -> Result<Option<PagedDocument>> {
    let json = serde_json::to_vec(&with_glyphs(data)).context("serialising the document data")?;
    let mut images = Vec::new();
    for i in data["images"].as_array().into_iter().flatten() {
        let (Some(path), Some(file)) = (i["path"].as_str(), i["file"].as_str()) else {
            continue;
        };
        let bytes = std::fs::read(file).with_context(|| format!("reading the image {file}"))?;
        // The print edition's pictures are grey (see `grey`), under their own name.
        let (path, bytes) = match edition {
            Edition::Print => (
                format!("{path}.print.png"),
                grey::greyscale_png_cached(&bytes).with_context(|| format!("the print edition's picture of {file}"))?,
            ),
            Edition::Screen => (path.to_string(), typst::foundations::Bytes::new(bytes)),
        };
        images.push((path, bytes));
    }
    let world = KeikakuWorld::new(theme, main, json, &[("edition", edition.name())], today).with_files(images);
    let warned = typst::compile::<PagedDocument>(&world);
    report(&world, &warned.warnings, sources, diags, main);
    match warned.output {
        Ok(doc)
            if !warned
                .warnings
                .iter()
                .any(|w| w.message.contains("unknown font family")) =>
        {
            Ok(Some(doc))
        }
        Ok(_) => Ok(None),
        Err(errs) => {
            report(&world, &errs, sources, diags, main);
            Ok(None)
        }
    }
}

fn export(doc: &PagedDocument, ident: String, edition: Edition, today: (i32, u8, u8)) -> Result<Vec<u8>> {
    let standards = match edition {
        Edition::Screen => PdfStandards::new(&[PdfStandard::Ua_1, PdfStandard::A_2b])
            .or_else(|_| PdfStandards::new(&[PdfStandard::Ua_1]))
            .map_err(|e| anyhow!("choosing PDF standards: {}", e.message()))?,
        Edition::Print => PdfStandards::default(),
    };
    let stamp = Datetime::from_ymd_hms(today.0, today.1, today.2, 0, 0, 0).map(Timestamp::new_utc);
    let options = PdfOptions {
        ident: Smart::Custom(ident),
        creator: Smart::Custom(Some("keikaku".into())),
        timestamp: stamp,
        standards,
        tagged: edition == Edition::Screen,
        ..PdfOptions::default()
    };
    let bytes = typst_pdf::pdf(doc, &options).map_err(|errs| {
        anyhow!(
            "writing the PDF failed:\n{}",
            errs.iter()
                .map(|e| e.message.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        )
    })?;
    match edition {
        Edition::Screen => Ok(bytes),
        Edition::Print => print::set_page_boxes(&bytes),
    }
}

/// The page of each measure in a compiled basic plan.
fn measure_pages(doc: &PagedDocument, volume: &Volume) -> HashMap<String, PlanPage> {
    let Some(label) = Label::new(PicoStr::intern("measure-pages")) else {
        return HashMap::new();
    };
    let Ok(content) = doc.introspector().query_label(label) else {
        return HashMap::new();
    };
    let Ok(value) = content.get_by_name("value") else {
        return HashMap::new();
    };
    let pages: HashMap<String, u64> = serde_json::to_value(&value)
        .ok()
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default();
    let volume = volume.split();
    pages
        .into_iter()
        .map(|(id, page)| (id, PlanPage { volume, page }))
        .collect()
}

/// The fixed date of the documents: the configuration's publication date, else
/// `SOURCE_DATE_EPOCH` (from the settings), else 1 January 2025.
fn fixed_date(plan: &Plan, settings: &PdfSettings) -> (i32, u8, u8) {
    if let Some(d) = plan.config.published {
        return (i32::from(d.year), d.month, d.day);
    }
    if let Some(secs) = settings.source_date_epoch {
        let (y, m, d) = crate::model::date::civil_from_days(secs.div_euclid(86_400));
        return (y, m as u8, d as u8);
    }
    (2025, 1, 1)
}

/// What all the documents of one build are typeset from and with.
struct Typesetting<'a> {
    plan: &'a Plan,
    theme: &'a Theme,
    /// Where the PDFs wait for the write stage.
    scratch: &'a Path,
    volumes: &'a [Volume],
    today: (i32, u8, u8),
    /// Whether typst's caches are kept between documents and runs (see [`PdfSettings`]).
    keep_caches: bool,
    /// The documents of the run before, and the theme's digest that is part of their keys.
    reuse: Option<(&'a reuse::Reuse, u64)>,
}

impl Typesetting<'_> {
    /// Drops typst's memoised work after a document, unless it is kept for the next run.
    fn forget(&self) {
        if !self.keep_caches {
            typst::comemo::evict(0);
        }
    }
}

/// Typesets the basic plan (volume by volume) and the strategy in one language and edition.
/// Each document is exported and its layout dropped before the next is typeset, so that only
/// one is held at a time.
fn typeset_pair(
    run: &Typesetting<'_>,
    lang: Lang,
    edition: Edition,
    sources: &mut Sources,
    diags: &mut Diagnostics,
) -> Result<Option<Vec<PdfFile>>> {
    let plan = run.plan;
    let mut out = Vec::new();
    let mut pages = HashMap::new();
    for v in run.volumes {
        let data = data::document(plan, run.theme, lang, Doc::Plan, v, &HashMap::new());
        let Some((file, measures)) =
            typeset_one(run, (Doc::Plan, lang, edition), v, "/plan.typ", data, sources, diags)?
        else {
            return Ok(None);
        };
        pages.extend(measures);
        out.push(file);
    }
    // The documents that cite the basic plan's pages, each when the plan has it.
    for (doc, main) in cited_documents(plan) {
        let whole = Volume::whole();
        let data = data::document(plan, run.theme, lang, doc, &whole, &pages);
        let Some((file, _)) = typeset_one(run, (doc, lang, edition), &whole, main, data, sources, diags)? else {
            return Ok(None);
        };
        out.push(file);
    }
    Ok(Some(out))
}

/// A PDF kept for the write stage, and for a basic plan the page of each measure.
type Typeset = (PdfFile, HashMap<String, PlanPage>);

/// Typesets and exports one document, and drops its layout (nothing of it is reused by the
/// next document) — or takes it from the run before, made from the same things.
fn typeset_one(
    run: &Typesetting<'_>,
    id: (Doc, Lang, Edition),
    volume: &Volume,
    main: &str,
    data: serde_json::Value,
    sources: &mut Sources,
    diags: &mut Diagnostics,
) -> Result<Option<Typeset>> {
    let path = file_name(run.plan, id.0, id.1, id.2, volume.split());
    let key = run
        .reuse
        .map(|(r, theme)| (r, reuse::key(main, &path, id.2, run.today, theme, &data)));
    if let Some(kept) = key.and_then(|(r, k)| r.get(k)) {
        let file = PdfFile::stage(run.scratch, path, id, volume.split(), &kept.bytes, kept.pages)?;
        return Ok(Some((file, kept.measure_pages)));
    }
    let Some(doc) = compile(run.theme, main, &data, id.2, run.today, sources, diags)? else {
        return Ok(None);
    };
    drop(data);
    let measures = match id.0 {
        Doc::Plan => measure_pages(&doc, volume),
        _ => HashMap::new(),
    };
    let bytes = export(&doc, path.clone(), id.2, run.today).with_context(|| format!("writing {path}"))?;
    let pages = doc.pages().len();
    drop(doc);
    run.forget();
    let file = PdfFile::stage(run.scratch, path, id, volume.split(), &bytes, pages)?;
    if let Some((r, k)) = key {
        let kept = reuse::Kept {
            bytes: std::sync::Arc::new(bytes),
            pages,
            measure_pages: measures.clone(),
        };
        r.put(k, kept);
    }
    Ok(Some((file, measures)))
}

/// The documents typeset after the basic plan, citing its pages, with their main templates:
/// the strategy, the latest edition of the implementation plan and each progress report,
/// each only when the plan has it.
fn cited_documents(plan: &Plan) -> Vec<(Doc, &'static str)> {
    let mut out = Vec::new();
    if plan.parts().strategy {
        out.push((Doc::Strategy, "/strategy.typ"));
    }
    if let Some(e) = plan.editions.latest() {
        out.push((Doc::Implementation(e.from, e.to), "/implementation.typ"));
    }
    for r in &plan.reports {
        out.push((Doc::Progress(r.year), "/progress.typ"));
    }
    if plan.revision.is_some() {
        out.push((Doc::Revision, "/revision.typ"));
    }
    out
}

/// Lets go of typst's memoised work that the last two runs did not use, so that the cache
/// kept between runs ([`PdfSettings::keep_caches`]) holds about two runs' work however long
/// the session. It walks the whole cache: call it when nothing waits for the next run.
pub fn forget_unused() {
    typst::comemo::evict(2);
}

/// Typesets every PDF: for each language and edition (in parallel, one thread per core),
/// the basic plan, then the strategy (which cites the plan's page numbers). Typst's problems
/// are recorded in `diags`; `None` when a document could not be typeset.
pub fn render_pdfs(
    plan: &Plan,
    theme: &Theme,
    settings: &PdfSettings,
    scratch: &Path,
    sources: &mut Sources,
    diags: &mut Diagnostics,
) -> Result<Option<Vec<PdfFile>>> {
    let volumes = volumes::volumes(plan);
    let run = Typesetting {
        plan,
        theme,
        scratch,
        volumes: &volumes,
        today: fixed_date(plan, settings),
        keep_caches: settings.keep_caches,
        reuse: settings.reuse.as_deref().map(|r| (r, theme.digest())),
    };
    let tasks: Vec<(Lang, Edition)> = Lang::ALL
        .into_iter()
        .flat_map(|l| [Edition::Screen, Edition::Print].map(|e| (l, e)))
        .collect();
    // One document at a time: typst already lays a document out on all cores, so two at once
    // took as long on two cores and needed 525 MB instead of 335 MB for the bundled plan.
    // `settings.jobs` > 1 typesets several at once (for machines with many cores and memory).
    let threads = settings.jobs.clamp(1, tasks.len());
    let next = std::sync::atomic::AtomicUsize::new(0);
    type Done = (usize, Sources, Diagnostics, Result<Option<Vec<PdfFile>>>);
    let results: Vec<Done> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        let Some(&(lang, edition)) = tasks.get(i) else { break };
                        let (mut s, mut d) = (Sources::default(), Diagnostics::default());
                        let r = typeset_pair(&run, lang, edition, &mut s, &mut d);
                        done.push((i, s, d, r));
                        // Typst memoises layout across runs; on a plan of thousands of
                        // measures that cache reached gigabytes. Nothing is reused between
                        // these documents, so drop it after each (unless kept for serve).
                        run.forget();
                    }
                    done
                })
            })
            .collect();
        // A worker only panics on a bug; surface it rather than hide it.
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("a PDF worker panicked"))
            .collect()
    });
    if let Some(r) = &settings.reuse {
        r.end_run();
    }
    let mut results = results;
    results.sort_by_key(|r| r.0);
    let mut out = Vec::new();
    let mut failed = false;
    for (_, s, d, r) in results {
        diags.absorb(&s, d, sources);
        match r? {
            Some(files) => out.extend(files),
            None => failed = true,
        }
    }
    Ok((!failed).then_some(out))
}
