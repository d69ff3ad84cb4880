//! keikaku: a static publishing pipeline for a Japanese municipality's comprehensive plan.
//!
//! The pipeline is `load → resolve → render → write`, each stage a value in and a value out:
//! [`load()`] reads the content folder into a [`Loaded`]; [`resolve()`] checks it (references,
//! glyphs the PDF fonts lack, translation status) and builds the [`model::Plan`] into a
//! [`Checked`]; [`render()`] turns the plan into pages, search index, open data and PDFs,
//! handing each file to a [`write::Staging`] beside the output folder; [`write::Staging::commit`]
//! swaps the staged build in. `check` is load and resolve; `serve` calls the same stages.
//! Problems an editor can fix are [`diag::Diagnostic`]s; everything else is an `anyhow` error.
//! Nothing here is global: the theme, the timings and the options travel as values, so two
//! plans can be built in one process at once.

pub mod diag;
pub mod earlier;
pub use model::config;
pub mod init;
pub mod load;
pub mod model;
pub mod new;
pub mod render;
pub mod resolve;
pub mod serve;
pub mod text;
pub mod theme;
pub mod timings;
pub mod translations;
pub mod write;

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Result;

use diag::{Diagnostics, Sources};
use model::Plan;
use render::pdf::{PdfFile, PdfSettings};
use theme::Theme;
use timings::Timings;

/// The content folder as read: its sources (for printing diagnostics), the problems found
/// so far and what was read.
pub struct Loaded {
    /// The content folder.
    pub content: PathBuf,
    /// Every file read.
    pub sources: Sources,
    /// Every problem found while reading.
    pub diags: Diagnostics,
    /// What was read.
    pub loaded: load::Loaded,
}

/// The result of checking a content folder: its sources, the diagnostics, and the plan when
/// there were no errors.
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

/// Load stage: reads a content folder.
pub fn load(content: &Path, timings: &Timings) -> Result<Loaded> {
    let mut sources = Sources::default();
    let mut diags = Diagnostics::default();
    let loaded = timings.time("load", || load::load(content, &mut sources, &mut diags))?;
    Ok(Loaded {
        content: content.to_path_buf(),
        sources,
        diags,
        loaded,
    })
}

/// Resolve stage: checks everything that was read and builds the plan — references, the
/// characters the PDF fonts lack, and when the Japanese text behind each stale translation
/// changed (git is asked once per build).
pub fn resolve(loaded: Loaded, timings: &Timings) -> Checked {
    let Loaded {
        content,
        sources,
        mut diags,
        loaded,
    } = loaded;
    let static_files = loaded.static_files.clone();
    // A file that is not UTF-8 has its one error; its garbled text is not checked again.
    let garbled = diags.files_with("invalid-utf8");
    let files: Vec<_> = sources.ids().filter(|f| !garbled.contains(f)).collect();
    // The glyph coverage reads only the sources, so it runs beside the reference checks,
    // whose steps keep a single core busy part of the time: at 5,000 measures it took
    // 12–20 ms of its own after them.
    let (mut plan, glyphs) = rayon::join(
        || timings.time("resolve", || resolve::resolve(loaded, &sources, &mut diags)),
        || {
            timings.time("glyph coverage", || {
                let mut found = Diagnostics::default();
                resolve::glyphs::check(&sources, files, &mut found);
                found
            })
        },
    );
    diags.append(glyphs);
    if let Some(plan) = plan.as_mut() {
        plan.static_files = static_files
            .iter()
            .map(|(rel, out)| {
                let site: Vec<String> = out
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                (site.join("/"), content.join(rel))
            })
            .collect();
        plan.pdf_images = timings.time("images", || resolve::images::check(plan, &mut diags));
        plan.content_digest = content_digest(&sources, plan);
        timings.time("translation dates", || {
            resolve::stale::date_stale(&content, &sources, plan)
        });
    }
    let plan = if diags.has_errors() { None } else { plan };
    Checked {
        sources,
        diags,
        plan,
        static_files,
    }
}

/// Reads and checks a content folder without rendering or writing anything.
pub fn check(content: &Path, timings: &Timings) -> Result<Checked> {
    Ok(resolve(load(content, timings)?, timings))
}

/// A progress report: (step number, number of steps, what the step does).
pub type Progress<'a> = dyn Fn(usize, usize, &str) + 'a;

/// What to do about the PDFs in a build.
#[derive(Clone, Copy)]
pub enum Pdfs<'a> {
    /// Typeset them.
    Make(&'a PdfSettings),
    /// Leave them out (a quick preview).
    Skip,
    /// Publish these, made earlier (`serve` rebuilds pages while PDFs follow in the background).
    Reuse(&'a [PdfFile]),
}

/// What to build, and with what.
#[derive(Clone, Copy)]
pub struct BuildOptions<'a> {
    /// The theme.
    pub theme: &'a Theme,
    /// The PDFs.
    pub pdfs: Pdfs<'a>,
    /// Where stage timings are recorded.
    pub timings: &'a Timings,
    /// Told each step as it starts: (step number, number of steps, what).
    pub progress: Option<&'a Progress<'a>>,
    /// Told each event of the write stage (a file staged, the swap).
    pub observer: Option<&'a write::Observer<'a>>,
    /// Build the draft (案) whatever `keikaku.yaml` says (`keikaku build --draft`).
    pub draft: bool,
    /// Compare with this earlier edition whatever `keikaku.yaml` says (`--compare-with`), a
    /// folder relative to the working folder or `git:<revision>`.
    pub compare_with: Option<&'a str>,
}

/// What the render stage made.
pub struct Rendered {
    /// Pages per language (ja, en).
    pub pages: (usize, usize),
    /// The PDFs (in the scratch folder until the staging takes them).
    pub pdfs: Vec<PdfFile>,
    /// Problems found while rendering (typst's) and the theme files they point into.
    pub problems: (Sources, Diagnostics),
}

/// A digest of what the pages are made from: every content file (the accessibility results
/// aside, which a test writes after the build it tested), the names and sizes of the static
/// files, and keikaku's version.
pub fn content_digest(sources: &Sources, plan: &model::Plan) -> String {
    // Streamed: the whole content is not copied into one buffer.
    let mut all = xxhash_rust::xxh3::Xxh3::new();
    all.update(env!("CARGO_PKG_VERSION").as_bytes());
    for id in sources.ids() {
        let path = sources.path(id);
        if path == Path::new("data/accessibility.yaml") {
            continue;
        }
        all.update(path.to_string_lossy().as_bytes());
        all.update(b"\0");
        all.update(sources.text(id).as_bytes());
        all.update(b"\0");
    }
    let mut files: Vec<(&String, u64)> = plan
        .static_files
        .iter()
        .map(|(name, path)| (name, std::fs::metadata(path).map_or(0, |m| m.len())))
        .collect();
    files.sort();
    for (name, len) in files {
        all.update(format!("{name}\0{len}\0").as_bytes());
    }
    format!("{:016x}", all.digest())
}

/// Render stage: the PDFs (into `staging`'s scratch folder), then every page, the search
/// index, open data and static files of the site, each handed to `staging` as it is made.
/// `Err` with the problems when the PDFs could not be typeset. The plan is the checked one;
/// a plan with errors is not rendered.
pub fn render(
    checked: &Checked,
    content: &Path,
    options: &BuildOptions<'_>,
    staging: &write::Staging<'_>,
    step: &dyn Fn(&str),
) -> Result<std::result::Result<Rendered, (Sources, Diagnostics)>> {
    let Some(plan) = checked.plan.as_ref() else {
        anyhow::bail!("the content has errors: there is no plan to render");
    };
    // The theme in the plan's own words (its terms and `strings:`).
    let theme = &options.theme.for_plan(&plan.config, &plan.terms);
    let mut problems = (Sources::default(), Diagnostics::default());
    let pdfs = match options.pdfs {
        Pdfs::Make(settings) => {
            step("typesetting the PDFs");
            let (s, d) = (&mut problems.0, &mut problems.1);
            let made = options.timings.time("pdf", || {
                render::pdf::render_pdfs(plan, theme, settings, &staging.scratch(), s, d)
            })?;
            match made {
                Some(p) => p,
                None => return Ok(Err(problems)),
            }
        }
        Pdfs::Skip => Vec::new(),
        Pdfs::Reuse(p) => p.to_vec(),
    };
    step("rendering the pages");
    let listed = !matches!(options.pdfs, Pdfs::Skip);
    let downloads: Vec<render::site::Download> = pdfs.iter().map(render::site::Download::of).collect();
    let pages = render::site::render_site(
        plan,
        theme,
        options.timings,
        listed.then_some(downloads.as_slice()),
        &|f| staging.put(f),
    )?;
    for p in &pdfs {
        staging.put_file(Path::new(&p.path), &p.file, p.hash)?;
    }
    for (src, dst) in &checked.static_files {
        let bytes = std::fs::read(content.join(src))
            .map_err(|e| anyhow::anyhow!("reading {}: {e}", content.join(src).display()))?;
        staging.put(render::OutputFile {
            path: dst.clone(),
            bytes,
        })?;
    }
    Ok(Ok(Rendered { pages, pdfs, problems }))
}

/// What a build produced.
pub struct Built {
    /// Every problem of the build (checks and rendering) with the files they point into.
    pub checked: Checked,
    /// Pages written per language (ja, en), when the build succeeded.
    pub pages: Option<(usize, usize)>,
    /// The PDFs published.
    pub pdfs: Vec<PdfFile>,
    /// What the write stage did.
    pub report: Option<write::WriteReport>,
    /// How long the build took.
    pub elapsed: std::time::Duration,
    /// What the output folder now holds (for the next build of a `serve` session).
    pub manifest: Option<write::Manifest>,
}

/// Builds the site (and the PDFs) from `content` into `output`: load → resolve → render →
/// write. On any error the output folder stays exactly as it was. With `previous` (the
/// manifest of the last build into `output`, kept in memory by `serve`), the output folder
/// is trusted to hold what that build wrote, so unchanged files are not even looked at.
pub fn build(
    content: &Path,
    output: &Path,
    options: &BuildOptions<'_>,
    previous: Option<write::Manifest>,
) -> Result<Built> {
    let start = Instant::now();
    let steps = if matches!(options.pdfs, Pdfs::Make(_)) { 4 } else { 3 };
    let n = std::cell::Cell::new(0);
    let step = |what: &str| {
        n.set(n.get() + 1);
        if let Some(p) = options.progress {
            p(n.get(), steps, what);
        }
    };
    // The write stage prepares its folder first: where the output has no spare yet, one is
    // made in the background while the content is read and checked.
    let folder = write::OutputFolder::new(output)?;
    refuse_output_in_content(content, &folder.dir)?;
    let mode = if previous.is_some() {
        write::Mode::Trust
    } else {
        write::Mode::Check
    };
    let staging = write::Staging::begin(&folder, previous, mode, options.observer)?;
    step("reading and checking the content");
    let mut checked = check(content, options.timings)?;
    if options.draft
        && let Some(plan) = checked.plan.as_mut()
    {
        plan.config.draft = true;
    }
    // The 新旧対照表: the option's folder is the working folder's, the configuration's the
    // content folder's.
    let spec = match (
        options.compare_with,
        checked.plan.as_ref().and_then(|p| p.config.compare_with.clone()),
    ) {
        (Some(s), _) => Some((s.to_string(), PathBuf::from("."))),
        (None, Some(s)) => Some((s, content.to_path_buf())),
        (None, None) => None,
    };
    if let (Some((spec, base)), Some(plan)) = (spec, checked.plan.as_mut()) {
        let revision = options
            .timings
            .time("compare", || earlier::compare(plan, content, &spec, &base))?;
        plan.revision = Some(Box::new(revision));
    }
    let failed = |checked: Checked| Built {
        checked,
        pages: None,
        pdfs: Vec::new(),
        report: None,
        elapsed: start.elapsed(),
        manifest: None,
    };
    if checked.plan.is_none() {
        return Ok(failed(checked));
    }
    let rendered = render(&checked, content, options, &staging, &step)?;
    let Checked { sources, diags, .. } = &mut checked;
    let (pages, pdfs) = match rendered {
        Ok(Rendered { pages, pdfs, problems }) => {
            diags.absorb(&problems.0, problems.1, sources);
            (pages, pdfs)
        }
        Err(problems) => {
            diags.absorb(&problems.0, problems.1, sources);
            return Ok(failed(checked));
        }
    };
    step("writing the output folder");
    let (report, manifest) = options.timings.time("write (finish)", || staging.commit())?;
    Ok(Built {
        checked,
        pages: Some(pages),
        pdfs,
        report: Some(report),
        elapsed: start.elapsed(),
        manifest: Some(manifest),
    })
}

/// Refuses an output folder that is the content folder or inside it (a build would write
/// into the plan's sources, and copy itself into `static/` on every run), except the
/// preview folder `serve` keeps beside the build cache.
fn refuse_output_in_content(content: &Path, output: &Path) -> Result<()> {
    let content = std::path::absolute(content)?;
    let content = content.canonicalize().unwrap_or(content);
    if output == content || output.starts_with(&content) {
        anyhow::bail!(
            "the output folder {} is inside the content folder {}: choose a folder outside it (for example `--output output` beside the content)",
            output.display(),
            content.display()
        );
    }
    Ok(())
}
