//! Write stage: puts the rendered files on disk atomically. Everything is written into a
//! staging folder beside the output folder, which replaces the output folder only when the
//! whole build succeeded; a failed build leaves the previous output untouched. Files in the
//! output folder that keikaku did not write (a `.htaccess`, a verification file) are carried
//! over into the new output and listed, never silently deleted.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::render::OutputFile;

/// The list of files keikaku wrote, kept in the output folder to tell them from others.
pub const MANIFEST: &str = ".keikaku-manifest";

/// What the write stage did.
#[derive(Debug, Default)]
pub struct WriteReport {
    /// Files written.
    pub written: usize,
    /// Files found in the old output that keikaku had not written, kept in the new one.
    pub kept_foreign: Vec<PathBuf>,
}

fn staging_path(out: &Path) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    out.with_file_name(format!(".{name}.staging"))
}

fn old_path(out: &Path) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    out.with_file_name(format!(".{name}.old"))
}

fn list_files(dir: &Path) -> Result<BTreeSet<PathBuf>> {
    let mut set = BTreeSet::new();
    if dir.is_dir() {
        for e in walkdir::WalkDir::new(dir) {
            let e = e.with_context(|| format!("reading {}", dir.display()))?;
            if e.file_type().is_file() {
                // walkdir yields paths under dir.
                set.insert(e.path().strip_prefix(dir).unwrap_or(e.path()).to_path_buf());
            }
        }
    }
    Ok(set)
}

/// Writes `files` (and copies `copies`: source path → path in output) to `out` atomically.
pub fn write_atomic(out: &Path, files: &[OutputFile], copies: &[(PathBuf, PathBuf)]) -> Result<WriteReport> {
    let out = if out.is_absolute() {
        out.to_path_buf()
    } else {
        std::env::current_dir()?.join(out)
    };
    if let Some(parent) = out.parent() {
        fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    }
    let staging = staging_path(&out);
    if staging.exists() {
        fs::remove_dir_all(&staging).with_context(|| format!("removing the leftover {}", staging.display()))?;
    }
    fs::create_dir_all(&staging).with_context(|| format!("creating {}", staging.display()))?;
    let result = (|| -> Result<WriteReport> {
        let mut ours: BTreeSet<PathBuf> = BTreeSet::new();
        for f in files {
            let p = staging.join(&f.path);
            if let Some(d) = p.parent() {
                fs::create_dir_all(d).with_context(|| format!("creating {}", d.display()))?;
            }
            fs::write(&p, &f.bytes).with_context(|| format!("writing {}", p.display()))?;
            ours.insert(f.path.clone());
        }
        for (src, dst) in copies {
            let p = staging.join(dst);
            if let Some(d) = p.parent() {
                fs::create_dir_all(d).with_context(|| format!("creating {}", d.display()))?;
            }
            fs::copy(src, &p).with_context(|| format!("copying {} to {}", src.display(), p.display()))?;
            ours.insert(dst.clone());
        }
        // Files in the old output that no build of ours wrote are kept.
        let previous: BTreeSet<PathBuf> = fs::read_to_string(out.join(MANIFEST))
            .map(|s| s.lines().map(PathBuf::from).collect())
            .unwrap_or_default();
        let mut kept = Vec::new();
        for f in list_files(&out)? {
            let name = f.to_string_lossy();
            if previous.contains(&f) || ours.contains(&f) || name == MANIFEST || name == ".keep" {
                continue;
            }
            let dst = staging.join(&f);
            if let Some(d) = dst.parent() {
                fs::create_dir_all(d)?;
            }
            fs::copy(out.join(&f), &dst).with_context(|| format!("keeping {}", f.display()))?;
            kept.push(f);
        }
        let manifest: String = ours
            .iter()
            .map(|p| format!("{}\n", p.to_string_lossy().replace('\\', "/")))
            .collect();
        fs::write(staging.join(MANIFEST), manifest)?;
        if out.join(".keep").exists() {
            fs::write(staging.join(".keep"), "")?;
        }
        Ok(WriteReport {
            written: ours.len(),
            kept_foreign: kept,
        })
    })();
    let report = match result {
        Ok(r) => r,
        Err(e) => {
            let _ = fs::remove_dir_all(&staging);
            return Err(e);
        }
    };
    // Swap: output → old, staging → output, remove old.
    let old = old_path(&out);
    if old.exists() {
        fs::remove_dir_all(&old).with_context(|| format!("removing {}", old.display()))?;
    }
    if out.exists() {
        fs::rename(&out, &old).with_context(|| format!("moving the previous output {} aside", out.display()))?;
    }
    if let Err(e) = fs::rename(&staging, &out) {
        // Put the previous output back so the site is never left missing.
        if old.exists() {
            let _ = fs::rename(&old, &out);
        }
        return Err(e).with_context(|| format!("moving the new output into {}", out.display()));
    }
    if old.exists() {
        fs::remove_dir_all(&old).with_context(|| format!("removing {}", old.display()))?;
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_files_it_did_not_write_and_drops_its_own_old_ones() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        let f = |p: &str| OutputFile {
            path: p.into(),
            bytes: b"x".to_vec(),
        };
        write_atomic(&out, &[f("a.html"), f("old.html")], &[]).unwrap();
        fs::write(out.join(".htaccess"), "Options -Indexes").unwrap();
        let r = write_atomic(&out, &[f("a.html")], &[]).unwrap();
        assert!(out.join("a.html").exists());
        assert!(
            !out.join("old.html").exists(),
            "a page keikaku wrote before and no longer makes goes away"
        );
        assert!(out.join(".htaccess").exists(), "a file keikaku did not write is kept");
        assert_eq!(r.kept_foreign, vec![PathBuf::from(".htaccess")]);
        assert!(!staging_path(&out).exists());
    }
}
