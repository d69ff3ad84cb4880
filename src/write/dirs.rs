//! Write stage: the folders of the spare, each made once, and the new files in them opened
//! from an open folder above them. A page is a folder with one file (`measures/1-2/index.html`)
//! and the spare lies deep (`/srv/www/.site.staging/spare/...`): naming each folder and file
//! from the root made the kernel walk every folder of the path twice a page; from the open
//! parent (`mkdirat`, `openat`) it walks one or two (BENCHMARKS.md, session 23).

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};

/// An open folder of the spare.
#[derive(Debug)]
pub(super) struct Dir {
    path: PathBuf,
    #[cfg(unix)]
    fd: std::os::fd::OwnedFd,
}

impl Dir {
    #[cfg(unix)]
    fn open(path: &Path) -> Option<Dir> {
        use std::os::unix::fs::OpenOptionsExt;
        let f = fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_DIRECTORY)
            .open(path)
            .ok()?;
        Some(Dir {
            path: path.to_path_buf(),
            fd: f.into(),
        })
    }

    #[cfg(not(unix))]
    fn open(_: &Path) -> Option<Dir> {
        None
    }

    /// Makes the folder `d` (a folder inside this one); `false` when it cannot be made so
    /// (it exists, or something else is in the way: `create_dir_all` then says which).
    #[cfg(unix)]
    fn make(&self, d: &Path) -> bool {
        use std::os::fd::AsRawFd;
        let Some(name) = self.relative(d) else {
            return false;
        };
        // SAFETY: a valid folder descriptor and a NUL-terminated path.
        unsafe { libc::mkdirat(self.fd.as_raw_fd(), name.as_ptr(), 0o777) == 0 }
    }

    #[cfg(not(unix))]
    fn make(&self, _: &Path) -> bool {
        false
    }

    /// Creates the file `p` (inside this folder) anew, as `File::create` does.
    #[cfg(unix)]
    fn create(&self, p: &Path) -> std::io::Result<fs::File> {
        use std::os::fd::{AsRawFd, FromRawFd};
        let Some(rel) = self.relative(p) else {
            return fs::File::create(p);
        };
        let flags = libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC | libc::O_CLOEXEC;
        // SAFETY: a valid folder descriptor and a NUL-terminated path; the descriptor
        // returned is new and owned by the `File`.
        let fd = unsafe { libc::openat(self.fd.as_raw_fd(), rel.as_ptr(), flags, 0o666 as libc::c_uint) };
        if fd < 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(unsafe { fs::File::from_raw_fd(fd) })
    }

    #[cfg(not(unix))]
    fn create(&self, p: &Path) -> std::io::Result<fs::File> {
        fs::File::create(p)
    }

    /// `p` relative to this folder, as a C string, if it lies inside it.
    #[cfg(unix)]
    fn relative(&self, p: &Path) -> Option<std::ffi::CString> {
        use std::os::unix::ffi::OsStrExt;
        let rel = p.strip_prefix(&self.path).ok()?;
        std::ffi::CString::new(rel.as_os_str().as_bytes()).ok()
    }
}

/// Creates the file `p` anew, from the open folder `above` it when there is one.
pub(super) fn create(above: Option<&Dir>, p: &Path) -> std::io::Result<fs::File> {
    match above {
        Some(dir) => dir.create(p),
        None => fs::File::create(p),
    }
}

/// The folders of the spare known to exist, each with its parent open where the build made it.
pub(super) struct Folders {
    /// The spare: folders above it are neither made nor opened.
    root: PathBuf,
    known: Mutex<HashMap<PathBuf, Option<Arc<Dir>>>>,
    /// The parents of the folders made, open.
    open: Mutex<HashMap<PathBuf, Option<Arc<Dir>>>>,
    /// Held while a folder is made, by its parent's hash: one at a time in each parent.
    making: [Mutex<()>; 8],
}

impl Folders {
    /// The folders of the spare `root`.
    pub(super) fn new(root: &Path) -> Self {
        Folders {
            root: root.to_path_buf(),
            known: Mutex::default(),
            open: Mutex::default(),
            making: Default::default(),
        }
    }

    /// Makes sure the folder `d` exists. Returns its parent, open, to make files in `d` from.
    pub(super) fn make(&self, d: &Path) -> Result<Option<Arc<Dir>>> {
        if let Some(parent) = self.known.lock().unwrap_or_else(|e| e.into_inner()).get(d) {
            return Ok(parent.clone());
        }
        let parent = d
            .parent()
            .filter(|p| p.starts_with(&self.root))
            .and_then(|p| self.parent(p));
        // One folder made at a time in each parent: the kernel holds the parent's lock while
        // it makes a folder (ext4 allocates and clears its first block), and a second thread
        // making a folder beside it spins on that lock instead of rendering.
        use std::hash::BuildHasher;
        let stripe = d
            .parent()
            .map_or(0, |p| foldhash::quality::FixedState::with_seed(0).hash_one(p)) as usize;
        let made = {
            let _one = self.making[stripe % self.making.len()]
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            parent.as_ref().is_some_and(|p| p.make(d))
        };
        if !made {
            fs::create_dir_all(d).with_context(|| format!("creating {}", d.display()))?;
        }
        self.known
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(d.to_path_buf(), parent.clone());
        Ok(parent)
    }

    /// The folder `p`, made if need be and open (`None` if it cannot be opened).
    fn parent(&self, p: &Path) -> Option<Arc<Dir>> {
        if let Some(dir) = self.open.lock().unwrap_or_else(|e| e.into_inner()).get(p) {
            return dir.clone();
        }
        let dir = self.make(p).ok().and_then(|_| Dir::open(p)).map(Arc::new);
        self.open
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(p.to_path_buf(), dir.clone());
        dir
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn makes_folders_and_files_from_the_open_parent_and_says_what_is_in_the_way() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("spare");
        let folders = Folders::new(&root);
        let d = root.join("en/measures/1-2");
        let above = folders.make(&d).unwrap();
        assert_eq!(above.as_ref().map(|a| a.path.clone()), Some(root.join("en/measures")));
        let file = d.join("index.html");
        let mut f = create(above.as_deref(), &file).unwrap();
        std::io::Write::write_all(&mut f, b"page").unwrap();
        assert_eq!(fs::read_to_string(&file).unwrap(), "page");
        // Made once: asked again, the same parent, nothing made.
        assert!(folders.make(&d).unwrap().is_some());
        // A file where a folder should be is an error that names the folder.
        fs::write(root.join("en/measures/x"), "").unwrap();
        let e = folders.make(&root.join("en/measures/x")).unwrap_err();
        assert!(format!("{e:#}").contains("en/measures/x"), "{e:#}");
    }
}
