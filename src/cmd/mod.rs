//! The commands of the `keikaku` binary, one small module each over the library, as the
//! command line names them. Each returns the exit status (0 done, 1 content errors); an
//! `Err` is a failure to read or write (2).

mod build;
mod check;
mod compare;
mod export;
mod init;
mod new;
mod serve;
mod translations;

use crate::cli::Command;

/// Runs one command.
pub fn run(command: Command) -> anyhow::Result<u8> {
    match command {
        Command::Build {
            content,
            output,
            no_pdf,
            draft,
            compare_with,
            theme,
            timings,
            events,
        } => build::run(
            &content,
            &output,
            build::Switches {
                pdfs: !no_pdf,
                draft,
                compare_with,
                timings,
                events,
            },
            theme.as_deref(),
        ),
        Command::Check { content, format } => check::run(&content, format),
        Command::Serve {
            content,
            port,
            bind,
            open,
            poll,
            no_pdf,
            output,
            theme,
        } => serve::run(keikaku::serve::ServeOptions {
            output: output.unwrap_or_else(|| keikaku::serve::default_output(&content)),
            content,
            addr: std::net::SocketAddr::new(bind, port),
            open,
            poll,
            pdf: !no_pdf,
            theme,
            // For profiling: the stage timings of each incremental rebuild.
            timings: std::env::var_os("KEIKAKU_TIMINGS").is_some(),
        }),
        Command::New {
            kind,
            id,
            pillar,
            group,
            title,
            content,
        } => new::run(
            &content,
            &keikaku::new::NewItem {
                kind,
                id: &id,
                pillar: pillar.as_deref(),
                group: group.as_deref(),
                title: title.as_deref(),
            },
        ),
        Command::Init { dir, name, name_en } => init::run(&dir, name, name_en),
        Command::Translations { content, mark_current } => translations::run(&content, mark_current),
        Command::Export { dir, content } => export::run(&content, &dir),
        Command::Compare { old, content, english } => compare::run(&content, &old, english),
    }
}

/// `s` when `n` is not one.
fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
