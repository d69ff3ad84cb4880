//! Write stage: the output folder and its work folder. Beside the output lives a work folder
//! (`.<name>.staging`, on the same file system) that holds the *spare*: the build before the
//! current one, its unchanged files hard links of the output's (so it takes little room).
//! A new build is made by bringing the spare up to date — only the files that differ are
//! written — and is then swapped with the output folder in one atomic rename, so the output
//! is always one whole build: the previous one or the new one, never a mixture, whenever the
//! process stops. The previous build becomes the next spare. The work folder also holds the
//! build's scratch files (the PDFs while they wait) and a lock; each run cleans what a
//! killed run left there.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use rayon::prelude::*;

use super::manifest::MANIFEST;

/// The output folder of a build, with the work folder beside it.
#[derive(Clone, Debug)]
pub struct OutputFolder {
    /// The output folder (a link to a folder is followed once, here).
    pub dir: PathBuf,
    /// The work folder beside it.
    pub work: PathBuf,
}

impl OutputFolder {
    /// The output folder `dir` (made absolute; it need not exist yet).
    pub fn new(dir: &Path) -> Result<OutputFolder> {
        let abs = std::path::absolute(dir).with_context(|| format!("finding the folder {}", dir.display()))?;
        // A link to the real output folder: swap the folder it points to, keep the link.
        let dir = match fs::symlink_metadata(&abs) {
            Ok(m) if m.file_type().is_symlink() => {
                fs::canonicalize(&abs).with_context(|| format!("following the link {}", abs.display()))?
            }
            _ => abs,
        };
        let (Some(parent), Some(name)) = (dir.parent(), dir.file_name()) else {
            bail!(
                "{} cannot be an output folder: keikaku needs a folder beside it to work in",
                dir.display()
            );
        };
        let work = parent.join(format!(".{}.staging", name.to_string_lossy()));
        Ok(OutputFolder { dir, work })
    }

    /// The spare: the build before the current one, where the next build is made.
    pub fn spare(&self) -> PathBuf {
        self.work.join("spare")
    }

    /// Where scratch files of the build go.
    pub fn scratch(&self) -> PathBuf {
        self.work.join("scratch")
    }

    /// Where the output goes for a moment during a swap without exchange.
    fn old(&self) -> PathBuf {
        self.work.join("old")
    }

    fn lock_path(&self) -> PathBuf {
        self.work.join("lock")
    }

    /// Makes the work folder ready for a build: takes its lock (one build at a time per
    /// output folder), finishes or undoes a swap a killed run left half-done, and removes
    /// what a killed run left — a spare whose state is unknown (no manifest) included.
    pub fn prepare(&self) -> Result<fs::File> {
        fs::create_dir_all(&self.work).with_context(|| format!("creating {}", self.work.display()))?;
        let lock_path = self.lock_path();
        let lock = fs::File::create(&lock_path).with_context(|| format!("creating {}", lock_path.display()))?;
        if lock.try_lock().is_err() {
            bail!(
                "another keikaku build is writing into {} (its lock is {}); wait for it to end",
                self.dir.display(),
                lock_path.display()
            );
        }
        self.recover()?;
        for e in fs::read_dir(&self.work).with_context(|| format!("reading {}", self.work.display()))? {
            let p = e.with_context(|| format!("reading {}", self.work.display()))?.path();
            if p == lock_path || p == self.spare() {
                continue;
            }
            match fs::symlink_metadata(&p) {
                Ok(m) if m.is_dir() => remove_tree(&p)?,
                _ => fs::remove_file(&p).with_context(|| format!("removing {}", p.display()))?,
            }
        }
        if self.spare().exists() && !self.spare().join(MANIFEST).exists() {
            remove_tree(&self.spare())?;
        }
        fs::create_dir_all(self.scratch()).with_context(|| format!("creating {}", self.scratch().display()))?;
        Ok(lock)
    }

    /// Puts things right after a swap without exchange was cut short (three renames: output
    /// to `old`, spare to output, `old` to spare).
    fn recover(&self) -> Result<()> {
        if !self.old().is_dir() {
            return Ok(());
        }
        let to = if !self.dir.exists() {
            self.dir.clone()
        } else if !self.spare().exists() {
            self.spare()
        } else {
            return remove_tree(&self.old());
        };
        fs::rename(self.old(), &to).with_context(|| format!("restoring {}", to.display()))
    }

    /// Gives up a build: undoes a half-done swap and removes the scratch files. The spare,
    /// perhaps half brought up to date, has no manifest and is removed by the next run.
    pub fn abandon(&self) {
        let _ = self.recover();
        let _ = remove_tree(&self.scratch());
    }

    /// Swaps the spare (the new build) with the output folder in one step; the previous build
    /// becomes the spare. `announce` is told just before and after the swap.
    pub fn swap(&self, announce: &dyn Fn(&str)) -> Result<()> {
        let spare = self.spare();
        announce("swap");
        if self.dir.exists() {
            if !exchange(&spare, &self.dir)? {
                // No atomic exchange here: three renames, which `prepare` can finish or undo.
                fs::rename(&self.dir, self.old()).with_context(|| format!("moving {} aside", self.dir.display()))?;
                fs::rename(&spare, &self.dir)
                    .with_context(|| format!("moving the new build to {}", self.dir.display()))?;
                fs::rename(self.old(), &spare)
                    .with_context(|| format!("keeping the previous build in {}", spare.display()))?;
            }
        } else {
            fs::rename(&spare, &self.dir).with_context(|| format!("moving the new build to {}", self.dir.display()))?;
        }
        announce("swapped");
        // Best effort: the new build is in place; the next run cleans what is left.
        let _ = remove_tree(&self.scratch());
        Ok(())
    }
}

/// Exchanges two folders in one step (Linux `renameat2` with `RENAME_EXCHANGE`). `false`
/// when the system or the file system cannot.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> Result<bool> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let ca = CString::new(a.as_os_str().as_bytes()).context("a path with a NUL byte")?;
    let cb = CString::new(b.as_os_str().as_bytes()).context("a path with a NUL byte")?;
    // SAFETY: both are valid NUL-terminated paths that live across the call.
    let r = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        return Ok(true);
    }
    let e = std::io::Error::last_os_error();
    match e.raw_os_error() {
        Some(libc::EINVAL) | Some(libc::ENOSYS) | Some(libc::ENOTSUP) => Ok(false),
        Some(libc::EBUSY) | Some(libc::EXDEV) => Err(e).with_context(|| {
            format!(
                "{} cannot be replaced in one step (it is a mount point, or on another file system than {}): choose a folder inside it as the output",
                b.display(),
                a.display()
            )
        }),
        _ => Err(e).with_context(|| format!("swapping {} and {}", a.display(), b.display())),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> Result<bool> {
    Ok(false)
}

/// Removes a folder and everything in it (nothing when it does not exist), the folders
/// below its top on all cores: a site of thousands of pages is thousands of folders.
pub fn remove_tree(dir: &Path) -> Result<()> {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e).with_context(|| format!("reading {}", dir.display())),
    };
    let mut below = Vec::new();
    for e in entries {
        let e = e.with_context(|| format!("reading {}", dir.display()))?;
        let ft = e
            .file_type()
            .with_context(|| format!("reading {}", e.path().display()))?;
        if ft.is_dir() {
            for inner in fs::read_dir(e.path()).with_context(|| format!("reading {}", e.path().display()))? {
                below.push(inner.with_context(|| format!("reading {}", e.path().display()))?.path());
            }
        } else {
            below.push(e.path());
        }
    }
    below.par_iter().try_for_each(|p| {
        let r = match fs::symlink_metadata(p) {
            Ok(m) if m.is_dir() => fs::remove_dir_all(p),
            Ok(_) => fs::remove_file(p),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e),
        };
        r.with_context(|| format!("removing {}", p.display()))
    })?;
    fs::remove_dir_all(dir).with_context(|| format!("removing {}", dir.display()))
}
