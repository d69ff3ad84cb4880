//! Write stage: the only code that touches the output folder. A build is staged beside the
//! output ([`folder`]): each file the render stage hands over is written there, or — when
//! the output already holds those contents, as the [`manifest`] records — linked from the
//! output rather than copied. Files keikaku did not write (a `.htaccess`, a verification
//! file) are linked across too and named. When everything is staged, the manifest is added
//! and the staged folder is swapped in with one atomic rename: after a failure, a crash or a
//! `kill -9` at any moment the output folder holds exactly the previous build or exactly
//! the new one. Nothing is staged, and nothing changes, when the content has errors.
//!
//! `serve` keeps its preview in a folder of its own and also updates single pages in place
//! ([`update`]): only its own server reads that folder.

pub mod folder;
pub mod manifest;

use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context, Result};

use crate::render::OutputFile;
pub use folder::OutputFolder;
pub use manifest::{Entry, MANIFEST, Manifest, hash};
use manifest::{is_inside, mtime_of};

/// What the write stage did.
#[derive(Debug, Default)]
pub struct WriteReport {
    /// Files the build produced.
    pub files: usize,
    /// Files written anew (the others were linked, unchanged, from the previous build).
    pub written: usize,
    /// Files of an earlier build left out because this build no longer makes them.
    pub removed: usize,
    /// Files in the output that keikaku had not written, carried over.
    pub kept_foreign: Vec<PathBuf>,
    /// Things worth telling (a manifest line that was ignored).
    pub warnings: Vec<String>,
}

/// How a [`Staging`] treats the previous output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Check each file against the manifest on disk, and carry over files keikaku did not
    /// write.
    Check,
    /// Trust the manifest given (the output folder is keikaku's alone, as in `serve`).
    Trust,
}

/// Something the write stage tells as it goes (for progress and for the tests that stop a
/// build at chosen moments).
pub type Observer<'a> = dyn Fn(&str) + Sync + 'a;

/// One build being staged beside the output folder (from any thread), then swapped in.
pub struct Staging<'a> {
    folder: OutputFolder,
    staged: PathBuf,
    previous: Manifest,
    trust: bool,
    done: Mutex<Vec<(PathBuf, Entry, bool)>>,
    foreign: Vec<PathBuf>,
    /// Folders known to exist in the staged tree, so each is created once.
    folders: Mutex<HashSet<PathBuf>>,
    warnings: Vec<String>,
    observer: Option<&'a Observer<'a>>,
    /// Whether the staged build was swapped in (else dropping the staging removes it).
    committed: bool,
    _lock: fs::File,
}

impl Drop for Staging<'_> {
    /// A build that stopped with an error leaves nothing behind: the output folder was never
    /// touched, and the work folder goes.
    fn drop(&mut self) {
        if !self.committed {
            self.folder.abandon();
        }
    }
}

impl<'a> Staging<'a> {
    /// Starts a build of `folder`; `previous` is the manifest of the last build there
    /// (`None`: read it from the folder).
    pub fn begin(
        folder: &OutputFolder,
        previous: Option<Manifest>,
        mode: Mode,
        observer: Option<&'a Observer<'a>>,
    ) -> Result<Staging<'a>> {
        let lock = folder.prepare()?;
        let mut warnings = Vec::new();
        let previous = previous.unwrap_or_else(|| Manifest::read(&folder.dir, &mut warnings));
        let trust = mode == Mode::Trust;
        // Files keikaku did not write, found before this build adds its own.
        let foreign = if trust {
            Vec::new()
        } else {
            list_files(&folder.dir)?
                .into_iter()
                .filter(|f| !previous.entries.contains_key(f) && f.as_os_str() != MANIFEST)
                .collect()
        };
        Ok(Staging {
            staged: folder.staged(),
            folder: folder.clone(),
            previous,
            trust,
            done: Default::default(),
            foreign,
            folders: Default::default(),
            warnings,
            observer,
            committed: false,
            _lock: lock,
        })
    }

    /// A folder for the build's scratch files, removed with the work folder.
    pub fn scratch(&self) -> PathBuf {
        self.folder.scratch()
    }

    fn tell(&self, what: &str) {
        if let Some(o) = self.observer {
            o(what);
        }
    }

    /// The previous build's copy of `path`, when it holds contents of hash `h`.
    fn unchanged(&self, path: &Path, h: u64) -> Option<(PathBuf, Entry)> {
        let e = self.previous.entries.get(path).filter(|e| e.hash == h)?;
        let p = self.folder.dir.join(path);
        if self.trust {
            return Some((p, *e));
        }
        let meta = fs::symlink_metadata(&p).ok()?;
        (meta.is_file() && meta.len() == e.size && mtime_of(&meta) == e.mtime).then_some((p, *e))
    }

    /// Stages one file: linked from the previous build when unchanged, else written.
    pub fn put(&self, f: OutputFile) -> Result<()> {
        let h = hash(&f.bytes);
        let dst = self.place(&f.path)?;
        let (entry, wrote) = match self
            .unchanged(&f.path, h)
            .filter(|(old, _)| fs::hard_link(old, &dst).is_ok())
        {
            Some((_, e)) => (e, false),
            None => (write_file(&dst, &f.bytes)?, true),
        };
        self.record(f.path, entry, wrote);
        Ok(())
    }

    /// Stages a file made elsewhere (a PDF in the scratch folder) whose contents hash to
    /// `h`: linked from the previous build when unchanged, else linked (or copied) from `src`.
    pub fn put_file(&self, path: &Path, src: &Path, h: u64) -> Result<()> {
        let dst = self.place(path)?;
        if let Some((old, e)) = self.unchanged(path, h)
            && fs::hard_link(&old, &dst).is_ok()
        {
            self.record(path.to_path_buf(), e, false);
            return Ok(());
        }
        link_or_copy(src, &dst)?;
        let meta = fs::metadata(&dst).with_context(|| format!("reading {}", dst.display()))?;
        let e = Entry {
            hash: h,
            size: meta.len(),
            mtime: mtime_of(&meta),
        };
        self.record(path.to_path_buf(), e, true);
        Ok(())
    }

    /// The staged location of `path`, its folder made.
    fn place(&self, path: &Path) -> Result<PathBuf> {
        anyhow::ensure!(is_inside(path), "a rendered file has the path {}", path.display());
        let dst = self.staged.join(path);
        if let Some(d) = dst.parent() {
            self.folder(d)?;
        }
        Ok(dst)
    }

    fn record(&self, path: PathBuf, entry: Entry, wrote: bool) {
        let mut done = self.done.lock().unwrap_or_else(|e| e.into_inner());
        done.push((path, entry, wrote));
        let n = done.len();
        drop(done);
        self.tell(&format!("staged {n}"));
    }

    /// Makes sure the staged folder `d` exists.
    fn folder(&self, d: &Path) -> Result<()> {
        if self.folders.lock().unwrap_or_else(|e| e.into_inner()).contains(d) {
            return Ok(());
        }
        fs::create_dir_all(d).with_context(|| format!("creating {}", d.display()))?;
        self.folders
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(d.to_path_buf());
        Ok(())
    }

    /// Records the manifest in the staged build, carries over the files keikaku did not
    /// write, swaps the staged build in and removes the previous one.
    pub fn commit(mut self) -> Result<(WriteReport, Manifest)> {
        let done = std::mem::take(&mut *self.done.lock().unwrap_or_else(|e| e.into_inner()));
        let written = done.iter().filter(|r| r.2).count();
        let manifest = Manifest {
            entries: done.into_iter().map(|(p, e, _)| (p, e)).collect(),
        };
        let removed = self
            .previous
            .entries
            .keys()
            .filter(|p| !manifest.entries.contains_key(*p))
            .count();
        let mut kept_foreign = Vec::new();
        for f in self.foreign.iter().filter(|f| !manifest.entries.contains_key(*f)) {
            let dst = self.staged.join(f);
            if let Some(d) = dst.parent() {
                fs::create_dir_all(d).with_context(|| format!("creating {}", d.display()))?;
            }
            link_or_copy(&self.folder.dir.join(f), &dst)?;
            kept_foreign.push(f.clone());
        }
        fs::write(self.staged.join(MANIFEST), manifest.text())
            .with_context(|| format!("writing the list {MANIFEST}"))?;
        let observer = self.observer;
        self.folder.swap(&|what| {
            if let Some(o) = observer {
                o(what);
            }
        })?;
        self.committed = true;
        Ok((
            WriteReport {
                files: manifest.entries.len(),
                written,
                removed,
                kept_foreign,
                warnings: std::mem::take(&mut self.warnings),
            },
            manifest,
        ))
    }
}

/// Writes `bytes` to a new file `p` (its folder exists).
fn write_file(p: &Path, bytes: &[u8]) -> Result<Entry> {
    use std::io::Write;
    let mut f = fs::File::create(p).with_context(|| format!("writing {}", p.display()))?;
    f.write_all(bytes).with_context(|| format!("writing {}", p.display()))?;
    let meta = f.metadata().with_context(|| format!("reading {}", p.display()))?;
    Ok(Entry {
        hash: hash(bytes),
        size: meta.len(),
        mtime: mtime_of(&meta),
    })
}

/// A hard link to `src` at `dst`, or a copy where the file system has no links.
fn link_or_copy(src: &Path, dst: &Path) -> Result<()> {
    if fs::hard_link(src, dst).is_err() {
        fs::copy(src, dst).with_context(|| format!("copying {} to {}", src.display(), dst.display()))?;
    }
    Ok(())
}

/// The files below `dir` (not following links), relative to it.
fn list_files(dir: &Path) -> Result<BTreeSet<PathBuf>> {
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
        let p = out.join(&f.path);
        if let Some(d) = p.parent() {
            fs::create_dir_all(d).with_context(|| format!("creating {}", d.display()))?;
        }
        // A new file renamed over the old one: the server never reads a page half-written.
        let tmp = p.with_extension("keikaku-tmp");
        let e = write_file(&tmp, &f.bytes)?;
        fs::rename(&tmp, &p).with_context(|| format!("writing {}", p.display()))?;
        manifest.entries.insert(f.path, e);
        written += 1;
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One build's files through a [`Staging`], as `keikaku build` does.
    fn write_output(out: &Path, files: Vec<OutputFile>) -> (WriteReport, Manifest) {
        let folder = OutputFolder::new(out).unwrap();
        let w = Staging::begin(&folder, None, Mode::Check, None).unwrap();
        for f in files {
            w.put(f).unwrap();
        }
        w.commit().unwrap()
    }

    fn f(p: &str, text: &str) -> OutputFile {
        OutputFile {
            path: p.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn keeps_files_it_did_not_write_and_drops_its_own_old_ones() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        write_output(&out, vec![f("a.html", "x"), f("old/old.html", "x")]);
        fs::write(out.join(".htaccess"), "Options -Indexes").unwrap();
        let (r, _) = write_output(&out, vec![f("a.html", "x")]);
        assert!(out.join("a.html").exists());
        assert!(
            !out.join("old/old.html").exists() && !out.join("old").exists(),
            "a page keikaku wrote before and no longer makes goes away, with its folder"
        );
        assert!(out.join(".htaccess").exists(), "a file keikaku did not write is kept");
        assert_eq!(r.kept_foreign, vec![PathBuf::from(".htaccess")]);
        assert_eq!((r.written, r.removed), (0, 1));
    }

    #[test]
    fn writes_only_what_changed_and_repairs_hand_edits() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        let (r, _) = write_output(&out, vec![f("a.html", "a"), f("b.html", "b")]);
        assert_eq!(r.written, 2);
        let (r, _) = write_output(&out, vec![f("a.html", "a"), f("b.html", "B")]);
        assert_eq!(r.written, 1, "only the changed file is written");
        fs::write(out.join("a.html"), "edited by hand").unwrap();
        let (r, _) = write_output(&out, vec![f("a.html", "a"), f("b.html", "B")]);
        assert_eq!(r.written, 1);
        assert_eq!(fs::read_to_string(out.join("a.html")).unwrap(), "a");
    }

    #[test]
    fn leaves_no_work_folder_and_cleans_what_a_killed_run_left() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        write_output(&out, vec![f("a.html", "a")]);
        let folder = OutputFolder::new(&out).unwrap();
        assert!(!folder.work.exists(), "a finished build removes its work folder");
        // A run killed while staging leaves files in the work folder.
        fs::create_dir_all(folder.staged().join("half")).unwrap();
        fs::create_dir_all(folder.scratch()).unwrap();
        fs::write(folder.scratch().join("keikaku-1.pdf"), "x").unwrap();
        fs::write(folder.work.join("stray"), "x").unwrap();
        write_output(&out, vec![f("a.html", "b")]);
        assert!(!folder.work.exists());
        assert_eq!(fs::read_to_string(out.join("a.html")).unwrap(), "b");
    }

    #[test]
    fn an_unfinished_build_leaves_the_output_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        write_output(&out, vec![f("a.html", "a"), f("b/index.html", "b")]);
        let folder = OutputFolder::new(&out).unwrap();
        let w = Staging::begin(&folder, None, Mode::Check, None).unwrap();
        w.put(f("a.html", "new")).unwrap();
        drop(w); // a render error: never committed
        assert_eq!(fs::read_to_string(out.join("a.html")).unwrap(), "a");
        assert!(out.join("b/index.html").exists());
    }

    #[test]
    fn a_second_build_of_the_same_folder_waits_its_turn() {
        let dir = tempfile::tempdir().unwrap();
        let folder = OutputFolder::new(&dir.path().join("output")).unwrap();
        let first = Staging::begin(&folder, None, Mode::Check, None).unwrap();
        let second = Staging::begin(&folder, None, Mode::Check, None);
        assert!(second.err().unwrap().to_string().contains("another keikaku build"));
        drop(first);
    }
}
