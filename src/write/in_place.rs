//! Write stage, outside a whole build: `serve`'s pages updated in place in its preview folder,
//! and `keikaku export`'s files placed in a folder of the user's. Each file is written under a
//! temporary name and renamed into place, so no reader ever sees one half-written.

use std::fs;
use std::path::Path;

use anyhow::{Context, Result};

use super::files::write_file;
use super::manifest::{Manifest, hash, is_inside};
use crate::render::OutputFile;

/// Writes some files of a build whose other files are already in place (an incremental
/// rebuild of `serve`'s preview folder, which only its own server reads), updating
/// `manifest` in memory only: the list on disk is rewritten by the next full build, which
/// until then sees the new files as changed and writes them once more. Returns how many
/// were written.
pub fn update(out: &Path, files: Vec<OutputFile>, manifest: &mut Manifest) -> Result<usize> {
    let mut written = 0;
    for f in files {
        anyhow::ensure!(is_inside(&f.path), "a rendered file has the path {}", f.path.display());
        let h = hash(&f.bytes);
        if manifest.entries.get(&f.path).is_some_and(|e| e.hash == h) {
            continue;
        }
        let e = renamed_into_place(&out.join(&f.path), |tmp| write_file(tmp, None, &f.bytes, h))?;
        manifest.entries.insert(f.path, e);
        written += 1;
    }
    Ok(written)
}

/// Places some files into a folder that is not a build's output (`keikaku export DIR`);
/// other files of the folder are left alone. Returns how many were written.
pub fn place(dir: &Path, files: Vec<OutputFile>) -> Result<usize> {
    let n = files.len();
    for f in files {
        anyhow::ensure!(is_inside(&f.path), "an exported file has the path {}", f.path.display());
        renamed_into_place(&dir.join(&f.path), |tmp| {
            fs::write(tmp, &f.bytes).with_context(|| format!("writing {}", tmp.display()))
        })?;
    }
    Ok(n)
}

/// Makes the file `p` with `make` at a temporary name beside it (its folder made first), then
/// renames it over `p`.
fn renamed_into_place<T>(p: &Path, make: impl FnOnce(&Path) -> Result<T>) -> Result<T> {
    if let Some(d) = p.parent() {
        fs::create_dir_all(d).with_context(|| format!("creating {}", d.display()))?;
    }
    let tmp = p.with_extension("keikaku-tmp");
    let out = make(&tmp)?;
    fs::rename(&tmp, p).with_context(|| format!("writing {}", p.display()))?;
    Ok(out)
}
