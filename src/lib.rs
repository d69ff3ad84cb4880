//! keikaku: a static publishing pipeline for a Japanese municipality's comprehensive plan.
//!
//! The pipeline is `load → resolve → render → write`:
//! [`load`] reads the content folder, [`resolve`] checks it and builds the [`model::Plan`],
//! [`render`] turns the plan into files, [`write`] puts those that changed on disk (nothing
//! at all when the content has errors).
//! Problems an editor can fix are [`diag::Diagnostic`]s; everything else is an `anyhow` error.

pub mod config;
pub mod diag;
pub mod load;
pub mod model;
pub mod new;
pub mod render;
pub mod resolve;
pub mod serve;
pub mod timings;
pub mod translations;
pub mod write;

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Result;

use diag::{Diagnostics, Sources};
use model::Plan;

/// The result of checking a content folder: its sources (for printing diagnostics), the
/// diagnostics, and the plan when there were no errors.
pub struct Checked {
    /// Every file read.
    pub sources: Sources,
    /// Every problem found.
    pub diags: Diagnostics,
    /// The resolved plan, if the content has no errors.
    pub plan: Option<Plan>,
    /// Files of `static/` to copy: (path in content, path in output).
    pub static_files: Vec<(PathBuf, PathBuf)>,
}

/// Reads and checks a content folder without writing anything.
pub fn check(content: &Path) -> Result<Checked> {
    let mut sources = Sources::default();
    let mut diags = Diagnostics::default();
    let loaded = timings::time("load", || load::load(content, &mut sources, &mut diags))?;
    let static_files = loaded.static_files.clone();
    let mut plan = timings::time("resolve", || resolve::resolve(loaded, &sources, &mut diags));
    // Characters the PDF fonts cannot show, with their place in the content.
    timings::time("glyph coverage", || {
        render::pdf::coverage::check(&sources, sources.ids(), &mut diags)
    });
    if let Some(plan) = plan.as_mut() {
        // Date the Japanese change behind each stale translation (from git, when there).
        for item in plan
            .items
            .iter_mut()
            .filter(|i| i.translation == model::TranslationStatus::Stale)
        {
            item.source_changed = translations::stale_info(content, &sources, item).changed_on;
        }
    }
    let plan = if diags.has_errors() { None } else { plan };
    Ok(Checked {
        sources,
        diags,
        plan,
        static_files,
    })
}

/// A progress report: (step number, number of steps, what the step does).
pub type Progress<'a> = dyn Fn(usize, usize, &str) + 'a;

/// What to build.
#[derive(Clone, Copy)]
pub struct BuildOptions<'a> {
    /// Typeset the PDFs (off for a quick preview).
    pub pdf: bool,
    /// Told each step as it starts: (step number, number of steps, what).
    pub progress: Option<&'a Progress<'a>>,
}

/// What a build produced.
pub struct Built {
    /// The check result (diagnostics and sources).
    pub checked: Checked,
    /// Pages written per language (ja, en), when the build succeeded.
    pub pages: Option<(usize, usize)>,
    /// PDFs written.
    pub pdfs: usize,
    /// What the write stage did.
    pub report: Option<write::WriteReport>,
    /// How long the build took.
    pub elapsed: std::time::Duration,
    /// What the output folder now holds (for the next build of a `serve` session).
    pub manifest: Option<write::Manifest>,
}

/// Builds the site (and the PDFs) from `content` into `output`. When the content has errors
/// nothing is written and the previous output stays as it was.
pub fn build(content: &Path, output: &Path, options: BuildOptions<'_>) -> Result<Built> {
    build_with(
        content,
        output,
        if options.pdf { Pdfs::Make } else { Pdfs::Skip },
        options.progress,
    )
}

/// What to do about the PDFs in a build.
pub enum Pdfs<'a> {
    /// Typeset them.
    Make,
    /// Leave them out (a quick preview).
    Skip,
    /// Publish these, made earlier (`serve` rebuilds pages while PDFs follow in the background).
    Reuse(&'a [render::pdf::PdfFile]),
}

/// Builds the site from `content` into `output`, with the PDFs as `pdfs` says.
pub fn build_with(content: &Path, output: &Path, pdfs: Pdfs<'_>, progress: Option<&Progress<'_>>) -> Result<Built> {
    build_full(content, output, pdfs, progress, None)
}

/// Builds the site from `content` into `output`. With `previous` (the manifest of the last
/// build into `output`, kept in memory by `serve`), the output folder is trusted to hold
/// what that build wrote, so unchanged files are not even looked at.
pub fn build_full(
    content: &Path,
    output: &Path,
    pdfs: Pdfs<'_>,
    progress: Option<&Progress<'_>>,
    previous: Option<write::Manifest>,
) -> Result<Built> {
    let start = Instant::now();
    let steps = if matches!(pdfs, Pdfs::Make) { 4 } else { 3 };
    let step = |n: usize, what: &str| {
        if let Some(p) = progress {
            p(n, steps, what);
        }
    };
    step(1, "reading and checking the content");
    let mut checked = check(content)?;
    let failed = |checked: Checked| Built {
        checked,
        pages: None,
        pdfs: 0,
        report: None,
        elapsed: start.elapsed(),
        manifest: None,
    };
    let Checked {
        sources, diags, plan, ..
    } = &mut checked;
    let Some(plan) = plan.as_ref() else {
        return Ok(failed(checked));
    };
    let listed = !matches!(pdfs, Pdfs::Skip);
    let pdfs = match pdfs {
        Pdfs::Make => {
            step(2, "typesetting the PDFs");
            timings::time("pdf", || render::pdf::render_pdfs(plan, sources, diags))?
        }
        Pdfs::Skip => Some(Vec::new()),
        Pdfs::Reuse(p) => Some(p.to_vec()),
    };
    let Some(pdfs) = pdfs else { return Ok(failed(checked)) };
    let downloads: Vec<render::html::Download> = pdfs
        .iter()
        .map(|p| render::html::Download {
            doc: match p.doc {
                render::pdf::data::Doc::Plan => "plan",
                render::pdf::data::Doc::Strategy => "strategy",
            },
            lang: p.lang.code(),
            edition: p.edition.name(),
            volume: p.volume,
            path: p.path.clone(),
            bytes: p.size,
            pages: p.pages,
        })
        .collect();
    step(steps - 1, "rendering the pages");
    let mode = if previous.is_some() {
        write::Mode::Trust
    } else {
        write::Mode::Check
    };
    let writer = write::Writer::new(output, previous, mode)?;
    let pages = render::html::render_site(plan, listed.then_some(downloads.as_slice()), &|f| writer.put(f))?;
    let pdf_count = pdfs.len();
    for p in pdfs {
        // One at a time from its temporary file, so that a large plan's PDFs never sit in
        // memory together.
        writer.put(render::OutputFile {
            bytes: p.bytes()?,
            path: p.path.into(),
        })?;
    }
    for (src, dst) in &checked.static_files {
        writer.copy(&content.join(src), dst)?;
    }
    step(steps, "writing the output folder");
    let (report, manifest) = timings::time("write (finish)", || writer.finish())?;
    Ok(Built {
        checked,
        pages: Some(pages),
        pdfs: pdf_count,
        report: Some(report),
        elapsed: start.elapsed(),
        manifest: Some(manifest),
    })
}
