//! keikaku: a static publishing pipeline for a Japanese municipality's comprehensive plan.
//!
//! The pipeline is `load → resolve → render → write`:
//! [`load`] reads the content folder, [`resolve`] checks it and builds the [`model::Plan`],
//! [`render`] turns the plan into files, [`write`] puts them on disk atomically.
//! Problems an editor can fix are [`diag::Diagnostic`]s; everything else is an `anyhow` error.

pub mod config;
pub mod diag;
pub mod load;
pub mod model;
pub mod render;
pub mod resolve;
pub mod translations;
pub mod write;

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Result;

use diag::{Diagnostics, Sources};
use model::{Lang, Plan};

/// The result of checking a content folder: its sources (for printing diagnostics), the
/// diagnostics, and the plan when there were no errors.
pub struct Checked {
    /// Every file read.
    pub sources: Sources,
    /// Every problem found.
    pub diags: Diagnostics,
    /// The resolved plan, if the content has no errors.
    pub plan: Option<Plan>,
}

/// Reads and checks a content folder without writing anything.
pub fn check(content: &Path) -> Result<Checked> {
    let mut sources = Sources::default();
    let mut diags = Diagnostics::default();
    let loaded = load::load(content, &mut sources, &mut diags)?;
    let mut plan = resolve::resolve(loaded, &sources, &mut diags);
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
    Ok(Checked { sources, diags, plan })
}

/// What a build produced.
pub struct Built {
    /// The check result (diagnostics and sources).
    pub checked: Checked,
    /// Pages written per language (ja, en), when the build succeeded.
    pub pages: Option<(usize, usize)>,
    /// What the write stage did.
    pub report: Option<write::WriteReport>,
    /// How long the build took.
    pub elapsed: std::time::Duration,
}

/// Builds the site from `content` into `output`. When the content has errors nothing is
/// written and the previous output stays as it was.
pub fn build(content: &Path, output: &Path) -> Result<Built> {
    let start = Instant::now();
    let checked = check(content)?;
    let Some(plan) = &checked.plan else {
        return Ok(Built {
            checked,
            pages: None,
            report: None,
            elapsed: start.elapsed(),
        });
    };
    let files = render::html::render_site(plan)?;
    let count = |l: Lang| {
        files
            .iter()
            .filter(|f| f.path.extension().is_some_and(|e| e == "html"))
            .filter(|f| (l == Lang::En) == f.path.starts_with("en"))
            .count()
    };
    let pages = (count(Lang::Ja), count(Lang::En));
    let copies: Vec<(PathBuf, PathBuf)> = load::load(content, &mut Sources::default(), &mut Diagnostics::default())?
        .static_files
        .into_iter()
        .map(|(src, dst)| (content.join(src), dst))
        .collect();
    let report = write::write_atomic(output, &files, &copies)?;
    Ok(Built {
        checked,
        pages: Some(pages),
        report: Some(report),
        elapsed: start.elapsed(),
    })
}
