//! Write stage: the file operations the spare is made with — a new file renamed into place
//! (never a write into a file that may be linked to the output), links with a copy where a
//! file system has none, the manifest written whole, a spare started from the output.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::manifest::{Entry, MANIFEST, Manifest, mtime_of};

/// Writes a tree's manifest whole or not at all (a temporary name renamed into place): a list
/// cut short would make the next build trust a spare it does not fully describe.
pub(super) fn write_manifest(tree: &Path, text: &str) -> Result<()> {
    let tmp = tree.join(format!("{MANIFEST}.keikaku-tmp"));
    fs::write(&tmp, text).with_context(|| format!("writing the list {MANIFEST}"))?;
    fs::rename(&tmp, tree.join(MANIFEST)).with_context(|| format!("writing the list {MANIFEST}"))
}

/// Makes `dst` anew with `make` (given the path to make it at): straight at `dst` when it
/// cannot exist yet (`fresh`), else at a temporary name renamed over it, so that a file that
/// may be a link to the output's is replaced, never changed.
pub(super) fn replace_with<T>(dst: &Path, fresh: bool, make: impl FnOnce(&Path) -> Result<T>) -> Result<T> {
    if fresh {
        return make(dst);
    }
    let name = dst
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dst.with_file_name(format!(".{name}.keikaku-tmp"));
    let _ = fs::remove_file(&tmp);
    let out = make(&tmp)?;
    fs::rename(&tmp, dst).with_context(|| format!("writing {}", dst.display()))?;
    // A rename between two links to the same file does nothing and leaves the first.
    let _ = fs::remove_file(&tmp);
    Ok(out)
}

/// Starts a spare as a copy of `out` in which every file of `live` is a hard link (a copy
/// where links cannot be made), on threads of its own, one per core. Returns what it holds.
/// Not on rayon's workers: they wait for this copy when they stage their first files
/// ([`super::Staging`]), and a copy waiting for them in turn would never finish.
pub(super) fn clone_linked(out: &Path, spare: &Path, live: &Manifest) -> Manifest {
    let list: Vec<(&PathBuf, &Entry)> = live.entries.iter().collect();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let share = list.len().div_ceil(cores).max(1);
    let entries = std::thread::scope(|s| {
        let parts: Vec<_> = list
            .chunks(share)
            .map(|part| {
                s.spawn(move || {
                    part.iter()
                        .filter_map(|&(p, e)| {
                            let (src, dst) = (out.join(p), spare.join(p));
                            fs::create_dir_all(dst.parent()?).ok()?;
                            link_or_copy(&src, &dst).ok()?;
                            Some((p.clone(), *e))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        // A thread only links files; it panics on a bug only.
        parts.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect()
    });
    Manifest {
        entries,
        carried: Vec::new(),
    }
}

/// Removes the folders above `file` (inside `root`) that are now empty.
pub(super) fn remove_empty_parents(root: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == root || !d.starts_with(root) || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

/// Writes `bytes`, whose contents hash to `h`, to a new file `p` (its folder exists), made
/// from the open folder `above` it when there is one.
pub(super) fn write_file(p: &Path, above: Option<&super::dirs::Dir>, bytes: &[u8], h: u64) -> Result<Entry> {
    use std::io::Write;
    let mut f = super::dirs::create(above, p).with_context(|| format!("writing {}", p.display()))?;
    f.write_all(bytes).with_context(|| format!("writing {}", p.display()))?;
    let meta = f.metadata().with_context(|| format!("reading {}", p.display()))?;
    Ok(Entry {
        hash: h,
        size: meta.len(),
        mtime: mtime_of(&meta),
    })
}

/// A hard link to `src` at a new name `dst`, or a copy where the file system has no links
/// (never over a name that exists: a copy onto a link to the same file would empty it).
pub(super) fn link_or_copy(src: &Path, dst: &Path) -> Result<()> {
    match fs::hard_link(src, dst) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            Err(e).with_context(|| format!("linking {} to {}", src.display(), dst.display()))
        }
        Err(_) => fs::copy(src, dst)
            .map(|_| ())
            .with_context(|| format!("copying {} to {}", src.display(), dst.display())),
    }
}

/// The files below `dir` (not following links), relative to it.
pub(super) fn list_files(dir: &Path) -> Result<BTreeSet<PathBuf>> {
    let mut set = BTreeSet::new();
    if dir.is_dir() {
        for e in walkdir::WalkDir::new(dir) {
            let e = e.with_context(|| format!("reading {}", dir.display()))?;
            if !e.file_type().is_dir() {
                // walkdir yields paths under dir.
                set.insert(e.path().strip_prefix(dir).unwrap_or(e.path()).to_path_buf());
            }
        }
    }
    Ok(set)
}
