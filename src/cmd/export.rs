//! `keikaku export DIR`: check the content, then write every data table it reads into DIR in
//! the form keikaku reads it (the write stage places each file whole).

use std::path::Path;

use keikaku::diag;
use keikaku::timings::Timings;

/// Exports the tables of `content` into `dir`.
pub fn run(content: &Path, dir: &Path) -> anyhow::Result<u8> {
    let c = keikaku::check(content, &Timings::default())?;
    diag::emit_stderr(&c.sources, &c.diags);
    let (e, _) = c.diags.counts();
    let Some(plan) = c.plan.as_ref().filter(|_| e == 0) else {
        eprintln!(
            "nothing exported: {} has {e} error{} (fix them, then export again)",
            content.display(),
            super::plural(e)
        );
        return Ok(1);
    };
    let files = keikaku::render::export::files(plan, &c.sources);
    let n = keikaku::write::place(dir, files)?;
    eprintln!("exported {n} table{} into {}", super::plural(n), dir.display());
    Ok(0)
}
