//! The `keikaku` binary: parses the command line, runs the pipeline, prints diagnostics and
//! a summary, and sets the exit status (0 done, 1 content errors, 2 usage or I/O).

mod cli;

/// mimalloc: the build allocates many small strings on all cores at once, where the system
/// allocator's locks and fragmentation cost about a fifth of the time.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::process::ExitCode;

use std::io::IsTerminal;

use clap::Parser;
use keikaku::diag;

fn main() -> ExitCode {
    // Twice as many workers as cores: writing thousands of new files blocks in the file
    // system (inode allocation, directory locks) often enough that a third and fourth
    // thread keep the cores busy; the 5,000-measure build into a new folder took 10–25 %
    // less time with 4 threads than with 2 on a 2-core machine. RAYON_NUM_THREADS wins.
    if std::env::var_os("RAYON_NUM_THREADS").is_none() {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
        let _ = rayon::ThreadPoolBuilder::new().num_threads(cores * 2).build_global();
    }
    let cli = match cli::Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: cli::Cli) -> anyhow::Result<u8> {
    match cli.command {
        cli::Command::Build {
            content,
            output,
            no_pdf,
            theme,
            timings,
        } => {
            keikaku::render::theme::set_dir(theme);
            let terminal = std::io::stderr().is_terminal();
            let progress = |n: usize, of: usize, what: &str| {
                if terminal {
                    eprint!("\r\x1b[K[{n}/{of}] {what}…");
                } else {
                    eprintln!("[{n}/{of}] {what}");
                }
            };
            let built = keikaku::build(
                &content,
                &output,
                keikaku::BuildOptions {
                    pdf: !no_pdf,
                    progress: Some(&progress),
                },
            )?;
            if terminal {
                eprint!("\r\x1b[K");
            }
            if timings {
                for (stage, d) in keikaku::timings::take() {
                    eprintln!("timing: {stage:<22} {:>9.1} ms", d.as_secs_f64() * 1000.0);
                }
            }
            let c = &built.checked;
            diag::emit_stderr(&c.sources, &c.diags);
            let (errors, warnings) = c.diags.counts();
            match (built.pages, built.report) {
                (Some((ja, en)), Some(report)) => {
                    for f in &report.kept_foreign {
                        eprintln!(
                            "note: kept {} in {} (keikaku did not write it)",
                            f.display(),
                            output.display()
                        );
                    }
                    eprintln!(
                        "built {} pages in Japanese and {} in English and {} PDFs into {} ({} warning{}) in {:.2} s",
                        ja,
                        en,
                        built.pdfs,
                        output.display(),
                        warnings,
                        if warnings == 1 { "" } else { "s" },
                        built.elapsed.as_secs_f64()
                    );
                    Ok(0)
                }
                _ => {
                    eprintln!(
                        "error: the build stopped with {errors} error{} and {warnings} warning{}; {} was not changed",
                        if errors == 1 { "" } else { "s" },
                        if warnings == 1 { "" } else { "s" },
                        output.display()
                    );
                    Ok(1)
                }
            }
        }
        cli::Command::Check { content, format } => {
            let c = keikaku::check(&content)?;
            match format {
                cli::Format::Human => {
                    diag::emit_stderr(&c.sources, &c.diags);
                    let (e, w) = c.diags.counts();
                    eprintln!(
                        "checked {}: {e} error{}, {w} warning{}",
                        content.display(),
                        if e == 1 { "" } else { "s" },
                        if w == 1 { "" } else { "s" }
                    );
                }
                cli::Format::Json => {
                    for d in diag::to_json(&c.sources, &c.diags) {
                        println!("{}", serde_json::to_string(&d)?);
                    }
                }
            }
            Ok(if c.diags.has_errors() { 1 } else { 0 })
        }
        cli::Command::Serve {
            content,
            port,
            bind,
            open,
            poll,
            no_pdf,
            output,
            theme,
        } => {
            keikaku::render::theme::set_dir(theme.clone());
            if !content.is_dir() {
                anyhow::bail!("the content folder {} does not exist", content.display());
            }
            let output = output.unwrap_or_else(|| keikaku::serve::default_output(&content));
            let options = keikaku::serve::ServeOptions {
                content: content.clone(),
                output,
                addr: std::net::SocketAddr::new(bind, port),
                open,
                poll,
                pdf: !no_pdf,
                theme,
            };
            let preview = keikaku::serve::start(&options)?;
            let url = format!("http://{}/", preview.addr);
            eprintln!(
                "serving {} at {url} ({}); press Ctrl+C to stop",
                content.display(),
                if preview.polling {
                    "watching by polling"
                } else {
                    "watching for changes"
                }
            );
            if options.open {
                let _ = open::that_detached(&url);
            }
            loop {
                std::thread::park();
            }
        }
        cli::Command::New {
            kind,
            id,
            pillar,
            title,
            content,
        } => match keikaku::new::create(&content, kind, &id, pillar.as_deref(), title.as_deref()) {
            Ok(files) => {
                for f in files {
                    println!("created {}", f.display());
                }
                Ok(0)
            }
            Err(e) => {
                eprintln!("error: {e:#}");
                Ok(1)
            }
        },
        cli::Command::Translations { content, mark_current } => {
            let c = keikaku::check(&content)?;
            let Some(plan) = &c.plan else {
                diag::emit_stderr(&c.sources, &c.diags);
                eprintln!("error: fix the errors above first");
                return Ok(1);
            };
            if let Some(ids) = mark_current {
                let changed = keikaku::translations::mark_current(&content, plan, &c.sources, &ids)?;
                for f in &changed {
                    println!("marked current: {f}");
                }
                if changed.is_empty() {
                    println!("nothing to mark: the translations are already current");
                }
                return Ok(0);
            }
            let mut todo = 0;
            for s in keikaku::translations::statuses(plan, &c.sources) {
                use keikaku::model::TranslationStatus as T;
                let what = match s.status {
                    T::Current => continue,
                    T::Missing => format!("missing      {} (no English file)", s.source),
                    T::Stale => {
                        let item = plan.item(&s.id).expect("statuses come from the plan's items");
                        let info = keikaku::translations::stale_info(&content, &c.sources, item);
                        let mut out = format!(
                            "stale        {} (the Japanese text changed since it was translated)",
                            s.translation.unwrap_or_default()
                        );
                        if let Some(d) = &info.changed_on {
                            out.push_str(&format!("\n             the Japanese text was changed on {d}"));
                        }
                        match (&info.translated_from, &info.diff) {
                            (Some((commit, date)), Some(diff)) => {
                                out.push_str(&format!(
                                    "\n             translated from the version of {date} ({}); changes since:\n",
                                    &commit[..commit.len().min(8)]
                                ));
                                for line in diff.lines().skip_while(|l| !l.starts_with("@@")) {
                                    out.push_str(&format!("             {line}\n"));
                                }
                            }
                            _ => out.push_str(
                                "\n             (the version it was translated from is not in git history, so the changes cannot be shown)",
                            ),
                        }
                        out
                    }
                    T::Unverified => format!(
                        "unverified   {} (no translated_from recorded)",
                        s.translation.unwrap_or_default()
                    ),
                };
                todo += 1;
                println!("{what}");
            }
            println!("{todo} translation{} to look at", if todo == 1 { "" } else { "s" });
            Ok(0)
        }
    }
}
