//! Serve (on top of the pipeline): `keikaku serve` builds the plan into a preview folder,
//! serves it on 127.0.0.1, watches the content and rebuilds on every change. Pages are
//! rebuilt first (well under a second); the PDFs follow in the background, so a save never
//! waits for typst. A failed build keeps the last good site and shows its problems in the
//! terminal and in an overlay on the open page, which disappears once the file is fixed.

pub mod incremental;
mod server;
pub mod watch;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{RecvTimeoutError, Sender, channel};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use anyhow::Result;

use crate::diag::{Diagnostics, Sources};
use crate::render::pdf::{PdfFile, PdfSettings};
use crate::theme::Theme;
use crate::timings::Timings;
use crate::{BuildOptions, Pdfs, diag};
pub use server::{Shared, Status};
use watch::Batch;

/// Options of `keikaku serve`.
pub struct ServeOptions {
    /// The content folder.
    pub content: PathBuf,
    /// Where the preview site is written.
    pub output: PathBuf,
    /// Address to listen on.
    pub addr: SocketAddr,
    /// Open the browser.
    pub open: bool,
    /// Poll the folder instead of waiting for file events.
    pub poll: bool,
    /// Typeset the PDFs in the background.
    pub pdf: bool,
    /// A theme folder to read and watch (`None`: the built-in theme).
    pub theme: Option<PathBuf>,
    /// Print the stage timings of each incremental rebuild (for profiling).
    pub timings: bool,
}

/// A running preview: the address it serves and the shared build state.
pub struct Preview {
    /// The address.
    pub addr: SocketAddr,
    /// Build state (generation, problems).
    pub shared: Arc<Shared>,
    /// Whether file events or polling is used.
    pub polling: bool,
}

/// How long the folder must be quiet before a rebuild. The watcher's debouncer already
/// gathers each file's events (20 ms) and stitches renames; this gathers several files
/// changed together (a git checkout, a save of several files) into one rebuild.
const QUIET: Duration = Duration::from_millis(10);

/// How long the PDF thread waits for another edit before it lets go of typst's unused work.
const PAUSE: Duration = Duration::from_secs(1);
/// After how many runs without a pause it lets go of that work all the same.
const RUNS_BEFORE_FORGETTING: u32 = 4;

struct Builder {
    content: PathBuf,
    output: PathBuf,
    /// The theme folder, read again by each full build (`None`: the built-in theme).
    theme: Option<PathBuf>,
    /// Print the stage timings of each incremental rebuild.
    timings: bool,
    /// Where the PDFs of each background run wait, one folder per run.
    pdf_scratch: PathBuf,
    shared: Arc<Shared>,
    /// The last PDFs, reused by page rebuilds until new ones are ready.
    pdfs: Mutex<Option<Vec<PdfFile>>>,
    /// The documents of the last PDF run, taken as they were when made from the same things.
    pdf_reuse: Arc<crate::render::pdf::reuse::Reuse>,
    /// One write to the preview folder at a time.
    writing: Mutex<()>,
    /// Bumped by every change of the content; a PDF run for an older one is discarded.
    content_generation: Mutex<u64>,
    /// The last good build, for incremental rebuilds (`None` after a failed one).
    last: Mutex<Option<incremental::Last>>,
    /// What the preview folder holds (`None` after a failed build: the next one reads the
    /// list on disk).
    manifest: Mutex<Option<crate::write::Manifest>>,
    /// Starts a run of the PDFs (set once the thread that typesets them runs; never when
    /// serve makes no PDFs).
    pdf_tx: std::sync::OnceLock<Sender<PdfRun>>,
}

/// What a run of the PDFs is typeset from: the plan an incremental rebuild has just made
/// (sent before its pages are written, so that both go on at once), or `None` for the last
/// good build's.
type PdfRun = Option<Box<(crate::model::Plan, Theme)>>;

impl Builder {
    /// Rebuilds after `batch` changed: incrementally when the change allows it, else in full.
    /// Returns whether the site is good.
    fn rebuild(&self, batch: &Batch) -> bool {
        let start = Instant::now();
        if !batch.unknown {
            let _w = self.writing.lock().unwrap_or_else(|e| e.into_inner());
            let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
            let mut manifest = self.manifest.lock().unwrap_or_else(|e| e.into_inner());
            if let (Some(l), Some(m)) = (last.as_mut(), manifest.as_mut()) {
                let paths: Vec<PathBuf> = batch.paths.iter().cloned().collect();
                let timings = Timings::default();
                // The PDFs start from the new plan while its pages are made and written.
                let sent = std::cell::Cell::new(false);
                let ready = |l: &incremental::Last| {
                    if let Some(tx) = self.pdf_tx.get() {
                        sent.set(tx.send(Some(Box::new((l.plan.clone(), l.theme.clone())))).is_ok());
                    }
                };
                match incremental::rebuild(&self.content, &self.output, &timings, l, m, &paths, &ready) {
                    Ok(incremental::Outcome::Full(why)) => {
                        eprintln!("building everything: {why}");
                        *last = None;
                    }
                    Ok(outcome) => {
                        if self.timings {
                            for (stage, d) in timings.take() {
                                eprintln!("{}", d.line(stage));
                            }
                        }
                        if let incremental::Outcome::Rebuilt(items, files) = outcome {
                            eprintln!(
                                "rebuilt {items} page{} ({files} files) in {:.0} ms",
                                if items == 1 { "" } else { "s" },
                                start.elapsed().as_secs_f64() * 1000.0
                            );
                            let json = self
                                .shared
                                .status
                                .lock()
                                .unwrap_or_else(|e| e.into_inner())
                                .errors_json
                                .clone();
                            self.shared.publish(false, json);
                        }
                        if !sent.get() && outcome != incremental::Outcome::Nothing {
                            self.start_pdfs();
                        }
                        return true;
                    }
                    Err(e) => {
                        eprintln!("note: incremental rebuild failed ({e:#}); building everything");
                        *last = None;
                    }
                }
            }
        }
        let good = self.pages();
        if good {
            self.start_pdfs();
        }
        good
    }

    /// Starts a run of the PDFs from the last good build (when serve makes them).
    fn start_pdfs(&self) {
        if let Some(tx) = self.pdf_tx.get() {
            let _ = tx.send(None);
        }
    }

    /// Rebuilds all pages (reusing the last PDFs) and publishes the result; `true` if good.
    fn pages(&self) -> bool {
        let start = Instant::now();
        let _w = self.writing.lock().unwrap_or_else(|e| e.into_inner());
        let cached = self.pdfs.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let pdfs = match &cached {
            Some(p) => Pdfs::Reuse(p),
            None => Pdfs::Skip,
        };
        let previous = self.manifest.lock().unwrap_or_else(|e| e.into_inner()).take();
        let built = Theme::read(self.theme.as_deref()).and_then(|theme| {
            let timings = Timings::default();
            let options = BuildOptions {
                theme: &theme,
                pdfs,
                timings: &timings,
                progress: None,
                observer: None,
                draft: false,
                compare_with: None,
            };
            crate::build(&self.content, &self.output, &options, previous).map(|b| (b, theme))
        });
        match built {
            Ok((mut built, theme)) => {
                *self.manifest.lock().unwrap_or_else(|e| e.into_inner()) = built.manifest.take();
                let last = match (built.checked.plan.take(), crate::render::site::context::engine(&theme)) {
                    (Some(plan), Ok(tera)) => Some(incremental::Last {
                        theme: theme.for_plan(&plan.config, &plan.terms),
                        tera,
                        sources: std::mem::take(&mut built.checked.sources),
                        diags: std::mem::take(&mut built.checked.diags),
                        plan,
                        search: None,
                    }),
                    _ => None,
                };
                let c = &built.checked;
                let (sources, diags) = match &last {
                    Some(l) => (&l.sources, &l.diags),
                    None => (&c.sources, &c.diags),
                };
                diag::emit_stderr(sources, diags);
                let json: Vec<String> = diag::to_json(sources, diags)
                    .iter()
                    .filter(|d| d.severity == diag::Severity::Error)
                    .filter_map(|d| serde_json::to_string(d).ok())
                    .collect();
                let ok = built.pages.is_some();
                if ok {
                    eprintln!("rebuilt the pages in {:.0} ms", start.elapsed().as_secs_f64() * 1000.0);
                } else {
                    eprintln!("the build failed; still serving the last good site");
                }
                self.shared.publish(!ok, json.join(","));
                *self.last.lock().unwrap_or_else(|e| e.into_inner()) = last;
                ok
            }
            Err(e) => {
                eprintln!("error: {e:#}");
                let msg =
                    serde_json::json!({"severity": "error", "code": "io", "message": format!("{e:#}"), "hints": []});
                self.shared.publish(true, msg.to_string());
                false
            }
        }
    }

    /// Whether a batch of changes can change the site: not when every path is an editor's
    /// scratch file, in a hidden folder (`.git`) or outside the content and theme folders
    /// (the preview folder, when it lies inside a watched folder).
    fn matters(&self, batch: &Batch) -> bool {
        if batch.unknown {
            return true;
        }
        let real = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
        let content = real(&self.content);
        let theme = self.theme.as_deref().map(real);
        let output = real(&self.output);
        let scratch = real(&self.pdf_scratch);
        batch.paths.iter().any(|p| {
            // A deleted file cannot be made real: its folder can.
            let p = match (p.parent(), p.file_name()) {
                (Some(dir), Some(name)) if !p.exists() => real(dir).join(name),
                _ => real(p),
            };
            if p.starts_with(&output) || p.starts_with(&scratch) {
                return false;
            }
            if let Ok(rel) = p.strip_prefix(&content) {
                // A new folder may hold files whose events never came (they were made before
                // the folder was watched): it matters unless it is hidden.
                let hidden = crate::load::is_hidden(rel);
                return (p.is_dir() && !hidden) || !matches!(crate::load::relevance(rel), crate::load::Relevance::None);
            }
            theme
                .as_ref()
                .is_some_and(|t| p.starts_with(t) && !crate::load::is_editor_scratch(&p))
        })
    }

    /// Typesets the PDFs for the content as it is now, then rewrites the site with them.
    fn pdfs(&self, run: PdfRun) {
        let generation = *self.content_generation.lock().unwrap_or_else(|e| e.into_inner());
        let start = Instant::now();
        // The plan of the last good build (or the one an incremental rebuild sent), which
        // each incremental rebuild keeps up to date: the content need not be read and
        // checked again (a copy, so that the next edit's pages are not kept waiting while
        // the PDFs are typeset).
        let last = run.map(|b| *b).or_else(|| {
            self.last
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .as_ref()
                .map(|l| (l.plan.clone(), l.theme.clone()))
        });
        let (plan, theme, mut sources, mut diags) = match last {
            Some((plan, theme)) => (plan, theme, Sources::default(), Diagnostics::default()),
            None => {
                let Ok(theme) = Theme::read(self.theme.as_deref()) else {
                    return;
                };
                let Ok(checked) = crate::check(&self.content, &Timings::default()) else {
                    return;
                };
                let Some(plan) = checked.plan else { return };
                // The plan's own names in the theme's strings, as the build has them.
                let theme = theme.for_plan(&plan.config, &plan.terms);
                (plan, theme, checked.sources, checked.diags)
            }
        };
        let plan = &plan;
        // Each run's PDFs in a folder of their own: the pages of the site link the last
        // good run's files until this one is done.
        let scratch = self.pdf_scratch.join(generation.to_string());
        let _ = crate::write::folder::remove_tree(&scratch);
        if std::fs::create_dir_all(&scratch).is_err() {
            return;
        }
        let settings = PdfSettings {
            // The edited language's two editions at once, on two cores: most of the work
            // after an edit is writing the PDF, which typst does on one.
            jobs: 2,
            keep_caches: true,
            reuse: Some(self.pdf_reuse.clone()),
            ..PdfSettings::default()
        };
        let Ok(Some(pdfs)) =
            crate::render::pdf::render_pdfs(plan, &theme, &settings, &scratch, &mut sources, &mut diags)
        else {
            diag::emit_stderr(&sources, &diags);
            return;
        };
        if generation != *self.content_generation.lock().unwrap_or_else(|e| e.into_inner()) {
            return; // The content changed meanwhile; a newer run follows.
        }
        let before = self
            .pdfs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .replace(pdfs.clone());
        // The folders of earlier runs are no longer linked from anywhere.
        for e in std::fs::read_dir(&self.pdf_scratch).into_iter().flatten().flatten() {
            if e.path() != scratch {
                let _ = crate::write::folder::remove_tree(&e.path());
            }
        }
        eprintln!("typeset the PDFs in {:.1} s", start.elapsed().as_secs_f64());
        // The same documents as before: only they and the downloads page change. A document
        // more or fewer (or no good site to start from) takes a full rewrite of the pages.
        let paths = |l: &[PdfFile]| l.iter().map(|p| p.path.clone()).collect::<Vec<_>>();
        if before.is_none_or(|b| paths(&b) != paths(&pdfs)) || !self.publish(&pdfs) {
            self.pages();
        }
        self.shared.publish_pdfs();
    }

    /// Writes a run's PDFs and the downloads page into the preview folder, from the last
    /// good build; `false` when there is none (the caller rewrites every page then).
    fn publish(&self, pdfs: &[PdfFile]) -> bool {
        let _w = self.writing.lock().unwrap_or_else(|e| e.into_inner());
        let last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        let mut manifest = self.manifest.lock().unwrap_or_else(|e| e.into_inner());
        let (Some(l), Some(m)) = (last.as_ref(), manifest.as_mut()) else {
            return false;
        };
        match incremental::publish_pdfs(&self.output, l, m, pdfs) {
            Ok(_) => true,
            Err(e) => {
                eprintln!("note: could not put the PDFs out alone ({e:#}); writing every page");
                false
            }
        }
    }
}

/// Starts a preview: first build, server, watcher, background PDFs. Returns at once; the
/// work goes on in background threads for as long as the process runs.
pub fn start(options: &ServeOptions) -> Result<Preview> {
    std::fs::create_dir_all(&options.output)?;
    let pdf_scratch = pdf_scratch(&options.output);
    crate::write::folder::remove_tree(&pdf_scratch)?;
    let shared = Arc::new(Shared {
        root: options.output.clone(),
        status: Mutex::new(Status::default()),
        changed: Condvar::new(),
    });
    let builder = Arc::new(Builder {
        content: options.content.clone(),
        output: options.output.clone(),
        theme: options.theme.clone(),
        timings: options.timings,
        pdf_scratch,
        shared: shared.clone(),
        pdfs: Mutex::new(None),
        pdf_reuse: Arc::default(),
        writing: Mutex::new(()),
        content_generation: Mutex::new(0),
        last: Mutex::new(None),
        manifest: Mutex::new(None),
        pdf_tx: std::sync::OnceLock::new(),
    });
    let good = builder.pages();
    let addr = server::start(options.addr, shared.clone())?;
    if options.pdf {
        let _ = builder.pdf_tx.set(spawn_pdf_thread(builder.clone()));
        if good {
            builder.start_pdfs();
        }
    }
    let mut roots = vec![options.content.clone()];
    roots.extend(options.theme.clone());
    let w = watch::watch(&roots, options.poll);
    let polling = matches!(w.mode, watch::Mode::Poll);
    let b = builder.clone();
    std::thread::spawn(move || {
        let _keep_watcher = w.mode;
        while let Some(batch) = watch::next_batch(&w.rx, QUIET) {
            // An editor's swap file, `.git`, the preview folder itself: no build.
            if !b.matters(&batch) {
                continue;
            }
            *b.content_generation.lock().unwrap_or_else(|e| e.into_inner()) += 1;
            // A good rebuild starts a run of the PDFs itself.
            b.rebuild(&batch);
        }
    });
    Ok(Preview { addr, shared, polling })
}

/// Starts the thread that typesets the PDFs, run after run; returns what starts a run.
fn spawn_pdf_thread(b: Arc<Builder>) -> Sender<PdfRun> {
    let (tx, rx) = channel::<PdfRun>();
    std::thread::spawn(move || {
        // Typst's unused work is let go when the editor pauses: it walks the whole cache
        // (about 0.3 s for the bundled plan), which would hold up the next edit's PDFs.
        // Saves that never pause let it go every few runs, so memory stays bounded.
        let mut runs_kept = 0;
        loop {
            let next = if runs_kept == 0 {
                rx.recv().map_err(|_| RecvTimeoutError::Disconnected)
            } else {
                rx.recv_timeout(PAUSE)
            };
            let mut run = match next {
                Ok(run) => run,
                Err(RecvTimeoutError::Timeout) => {
                    crate::render::pdf::forget_unused();
                    runs_kept = 0;
                    continue;
                }
                Err(RecvTimeoutError::Disconnected) => break,
            };
            // Each run follows a good rebuild, already gathered from the editor's events:
            // typeset at once, from the latest of the runs waiting.
            while let Ok(later) = rx.try_recv() {
                run = later;
            }
            b.pdfs(run);
            runs_kept += 1;
            if runs_kept >= RUNS_BEFORE_FORGETTING {
                crate::render::pdf::forget_unused();
                runs_kept = 0;
            }
        }
    });
    tx
}

/// Where the PDFs of the background runs wait: beside the preview folder.
fn pdf_scratch(output: &Path) -> PathBuf {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    output.with_file_name(format!(".{name}.pdfs"))
}

/// The preview folder used when none is given: in the system's temporary folder, named after
/// the content folder — never inside it, where each build would be a change to rebuild for.
pub fn default_output(content: &Path) -> PathBuf {
    let abs = std::path::absolute(content).unwrap_or_else(|_| content.to_path_buf());
    let abs = abs.canonicalize().unwrap_or(abs);
    let name = abs
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "content".into());
    let tag = crate::write::hash(abs.as_os_str().as_encoded_bytes());
    std::env::temp_dir().join(format!("keikaku-serve-{name}-{:08x}", tag as u32))
}
