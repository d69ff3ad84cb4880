//! `keikaku check`: load and resolve, then every problem, as text or as JSON lines.

use std::path::Path;

use keikaku::diag;
use keikaku::timings::Timings;

use super::plural;
use crate::cli::Format;

/// Checks `content` and prints its problems.
pub fn run(content: &Path, format: Format) -> anyhow::Result<u8> {
    let c = keikaku::check(content, &Timings::default())?;
    match format {
        Format::Human => {
            diag::emit_stderr(&c.sources, &c.diags);
            let (e, w) = c.diags.counts();
            eprintln!(
                "checked {}: {e} error{}, {w} warning{}",
                content.display(),
                plural(e),
                plural(w)
            );
        }
        Format::Json => {
            for d in diag::to_json(&c.sources, &c.diags) {
                println!("{}", serde_json::to_string(&d)?);
            }
        }
    }
    Ok(if c.diags.has_errors() { 1 } else { 0 })
}
