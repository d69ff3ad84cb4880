//! `keikaku build`: the whole pipeline into the output folder, with progress on the terminal,
//! the problems found, and a summary.

use std::io::IsTerminal;
use std::path::Path;

use keikaku::render::pdf::PdfSettings;
use keikaku::theme::Theme;
use keikaku::timings::Timings;
use keikaku::{BuildOptions, Pdfs, diag};

use super::plural;

/// The switches of one build.
pub struct Switches {
    /// Typeset the PDFs.
    pub pdfs: bool,
    /// Build the draft (案).
    pub draft: bool,
    /// The earlier edition to compare with (新旧対照表).
    pub compare_with: Option<String>,
    /// Print the stages' timings.
    pub timings: bool,
    /// Print the write stage's events.
    pub events: bool,
}

/// Builds `content` into `output`.
pub fn run(content: &Path, output: &Path, switches: Switches, theme: Option<&Path>) -> anyhow::Result<u8> {
    let Switches {
        pdfs: pdf,
        draft,
        compare_with,
        timings,
        events,
    } = switches;
    let theme = Theme::read(theme)?;
    let terminal = std::io::stderr().is_terminal();
    let settings = PdfSettings::from_env();
    let stage_timings = if std::env::var_os("KEIKAKU_TRACE_MEMORY").is_some() {
        Timings::tracing_memory()
    } else {
        Timings::default()
    };
    let default_delay = allocator::purge_delay();
    let progress = |n: usize, of: usize, what: &str| {
        allocator::set_purge_delay(if what.contains("PDF") { 50 } else { default_delay });
        if terminal {
            eprint!("\r\x1b[K[{n}/{of}] {what}…");
        } else {
            eprintln!("[{n}/{of}] {what}");
        }
    };
    let observer = |what: &str| eprintln!("event: {what}");
    let options = BuildOptions {
        theme: &theme,
        pdfs: if pdf { Pdfs::Make(&settings) } else { Pdfs::Skip },
        timings: &stage_timings,
        progress: Some(&progress),
        observer: events.then_some(&observer as &keikaku::write::Observer),
        draft,
        compare_with: compare_with.as_deref(),
    };
    let built = keikaku::build(content, output, &options, None)?;
    allocator::set_purge_delay(default_delay);
    if terminal {
        eprint!("\r\x1b[K");
    }
    if timings {
        for (stage, d) in stage_timings.take() {
            eprintln!("{}", d.line(stage));
        }
    }
    let c = &built.checked;
    diag::emit_stderr(&c.sources, &c.diags);
    let (errors, warnings) = c.diags.counts();
    let (Some((ja, en)), Some(report)) = (built.pages, built.report.as_ref()) else {
        eprintln!(
            "error: the build stopped with {errors} error{} and {warnings} warning{}; {} was not changed",
            plural(errors),
            plural(warnings),
            output.display()
        );
        return Ok(1);
    };
    for w in &report.warnings {
        eprintln!("warning: {w}");
    }
    for f in &report.kept_foreign {
        eprintln!(
            "note: kept {} in {} (keikaku did not write it)",
            f.display(),
            output.display()
        );
    }
    eprintln!(
        "built {ja} pages in Japanese and {en} in English and {} PDFs into {} ({warnings} warning{}) in {:.2} s",
        built.pdfs.len(),
        output.display(),
        plural(warnings),
        built.elapsed.as_secs_f64()
    );
    // The process ends here: the plan, its sources and the manifest (tens of megabytes in
    // hundreds of thousands of allocations at 5,000 measures) are left to the system rather
    // than freed one by one, as compilers do.
    std::mem::forget(built);
    Ok(0)
}

/// The allocator's settings per step of the build: a decision of the binary, which chose the
/// allocator, not of the library. While the PDFs are typeset, mimalloc gives freed memory
/// back to the system after 50 ms instead of its default (1 s in v3). Laying out a volume
/// allocates and frees hundreds of megabytes a second, and memory freed but not yet given
/// back still counts as the build's: at 5,000 measures the peak drops from 498 MB to
/// 446 MB. The page-rendering steps keep the default, where giving back sooner cost 3 % of
/// their time.
mod allocator {
    use std::ffi::c_long;

    /// `mi_option_purge_delay` in mimalloc's `mimalloc.h` (v2 and v3); the Rust bindings lack it.
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

    /// The purge delay now, in milliseconds.
    pub fn purge_delay() -> c_long {
        // SAFETY: reading an allocator option is thread-safe and takes no pointers.
        unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) }
    }

    /// Sets the purge delay, in milliseconds.
    pub fn set_purge_delay(ms: c_long) {
        // SAFETY: setting an allocator option is thread-safe and takes no pointers.
        unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, ms) };
    }
}
