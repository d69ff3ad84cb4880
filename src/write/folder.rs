//! Write stage: the output folder and its work folder. A build is staged in a work folder
//! beside the output (`.<name>.staging`, on the same file system) and then swapped in with
//! one atomic rename, so the output folder is always one whole build: the previous one or
//! the new one, never a mixture, whenever the process stops. The work folder also holds the
//! build's scratch files (the PDFs while they wait); each run cleans what a killed run left
//! there, and a finished run removes it.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use rayon::prelude::*;

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

    /// Where the next build is staged.
    pub fn staged(&self) -> PathBuf {
        self.work.join("new")
    }

    /// Where scratch files of the build go.
    pub fn scratch(&self) -> PathBuf {
        self.work.join("scratch")
    }

    /// Where the previous build goes when it is swapped out.
    fn old(&self) -> PathBuf {
        self.work.join("old")
    }

    /// Makes the work folder ready for a build: takes its lock (one build at a time per
    /// output folder), puts back an output folder that a killed run had moved away, and
    /// removes what a killed run left.
    pub fn prepare(&self) -> Result<fs::File> {
        fs::create_dir_all(&self.work).with_context(|| format!("creating {}", self.work.display()))?;
        let lock_path = self.work.join("lock");
        let lock = fs::File::create(&lock_path).with_context(|| format!("creating {}", lock_path.display()))?;
        if lock.try_lock().is_err() {
            bail!(
                "another keikaku build is writing into {} (its lock is {}); wait for it to end",
                self.dir.display(),
                lock_path.display()
            );
        }
        if !self.dir.exists() && self.old().is_dir() {
            // Killed between the two renames of a swap without exchange: the previous build
            // is whole in `old`.
            fs::rename(self.old(), &self.dir).with_context(|| format!("restoring {}", self.dir.display()))?;
        }
        for e in fs::read_dir(&self.work).with_context(|| format!("reading {}", self.work.display()))? {
            let p = e.with_context(|| format!("reading {}", self.work.display()))?.path();
            if p == lock_path {
                continue;
            }
            match fs::symlink_metadata(&p) {
                Ok(m) if m.is_dir() => remove_tree(&p)?,
                _ => fs::remove_file(&p).with_context(|| format!("removing {}", p.display()))?,
            }
        }
        fs::create_dir_all(self.staged()).with_context(|| format!("creating {}", self.staged().display()))?;
        fs::create_dir_all(self.scratch()).with_context(|| format!("creating {}", self.scratch().display()))?;
        Ok(lock)
    }

    /// Gives up a build: puts the previous output back if a swap without exchange was cut
    /// half-way, and removes the work folder.
    pub fn abandon(&self) {
        if !self.dir.exists() && self.old().is_dir() {
            let _ = fs::rename(self.old(), &self.dir);
        }
        let _ = remove_tree(&self.work);
    }

    /// Puts the staged build in place of the output folder in one step, then removes the
    /// previous build and the work folder. `announce` is told just before and after the swap.
    pub fn swap(&self, announce: &dyn Fn(&str)) -> Result<()> {
        let staged = self.staged();
        announce("swap");
        if self.dir.exists() {
            if !exchange(&staged, &self.dir)? {
                // No atomic exchange here: two renames, which `prepare` can undo.
                fs::rename(&self.dir, self.old()).with_context(|| format!("moving {} aside", self.dir.display()))?;
                fs::rename(&staged, &self.dir)
                    .with_context(|| format!("moving the new build to {}", self.dir.display()))?;
            }
        } else {
            fs::rename(&staged, &self.dir)
                .with_context(|| format!("moving the new build to {}", self.dir.display()))?;
        }
        announce("swapped");
        // After an exchange the previous build is in `new`; after two renames, in `old`.
        for d in [staged, self.old(), self.scratch()] {
            remove_tree(&d)?;
        }
        // The lock file goes with the folder; a build that starts meanwhile makes a new one.
        let _ = fs::remove_file(self.work.join("lock"));
        let _ = fs::remove_dir(&self.work);
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
