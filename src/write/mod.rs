//! Write stage: the only code that touches the output folder. A build is made in the spare
//! beside the output ([`folder`]): the build before the current one, whose files are mostly
//! hard links of the output's. Each file the render stage hands over is compared with what
//! the spare holds (its [`manifest`]): the same contents are left alone, contents the output
//! holds are linked from it, anything else is written — always as a new file renamed into
//! place, never into a file that may be linked to the output. Files keikaku did not write (a
//! `.htaccess`, a verification file) are carried over from the output and named. When
//! everything is in place, the manifest is added and the spare is swapped with the output in
//! one atomic rename: after a failure, a crash or a `kill -9` at any moment the output
//! folder holds exactly the previous build or exactly the new one. Nothing changes when the
//! content has errors.
//!
//! `serve` keeps its preview in a folder of its own and also updates single pages in place
//! ([`update`]): only its own server reads that folder.

mod dirs;
mod files;
pub mod folder;
mod in_place;
pub mod manifest;

use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context, Result};

use crate::render::OutputFile;
use files::{clone_linked, link_or_copy, list_files, remove_empty_parents, replace_with, write_file, write_manifest};
pub use folder::OutputFolder;
pub use in_place::{place, update};
pub use manifest::{Entry, MANIFEST, Manifest, hash};
use manifest::{is_inside, mtime_of};

/// What the write stage did.
#[derive(Debug, Default)]
pub struct WriteReport {
    /// Files the build produced.
    pub files: usize,
    /// Files written anew (the others were already in place, or linked from the output).
    pub written: usize,
    /// Files of the previous build left out because this build no longer makes them.
    pub removed: usize,
    /// Files in the output that keikaku had not written, carried over.
    pub kept_foreign: Vec<PathBuf>,
    /// Things worth telling (a manifest line that was ignored).
    pub warnings: Vec<String>,
}

/// How a [`Staging`] treats the output folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Check each file against its manifest (size and time), and carry over files keikaku
    /// did not write.
    Check,
    /// Trust the manifests (the output folder is keikaku's alone, as in `serve`).
    Trust,
}

/// Something the write stage tells as it goes (for progress and for the tests that stop a
/// build at chosen moments).
pub type Observer<'a> = dyn Fn(&str) + Sync + 'a;

/// Makes a new file at the path it is given, from the open folder above it if there is one.
type Make<'a> = dyn Fn(&Path, Option<&dirs::Dir>) -> Result<Entry> + 'a;

/// One build being made in the spare (from any thread), then swapped in.
pub struct Staging<'a> {
    folder: OutputFolder,
    spare: PathBuf,
    /// What the output folder holds.
    live: Manifest,
    /// What the spare held when this build began (once a spare being made from the output
    /// in the background is ready).
    kept: std::sync::OnceLock<Manifest>,
    /// The making of the spare from the output, when there was none (in the background,
    /// while the content is read and checked).
    cloning: Mutex<Option<std::thread::JoinHandle<Manifest>>>,
    /// The spare's manifest was removed (or could not be): the spare is being changed.
    changing: std::sync::OnceLock<std::result::Result<(), String>>,
    /// The spare began empty (the output was too): nothing in it can be linked to the output.
    fresh: bool,
    trust: bool,
    done: Mutex<Vec<(PathBuf, Entry, bool)>>,
    foreign: Vec<PathBuf>,
    /// The spare's folders, each made once.
    folders: dirs::Folders,
    /// The paths of the files handed over so far: two files of one build cannot share one.
    claimed: Mutex<HashSet<PathBuf>>,
    warnings: Vec<String>,
    observer: Option<&'a Observer<'a>>,
    /// Whether the build was swapped in.
    committed: bool,
    _lock: fs::File,
}

impl Drop for Staging<'_> {
    /// A build that stopped with an error leaves the output folder as it was and its scratch
    /// files gone; the spare, without a manifest now, is removed by the next run.
    fn drop(&mut self) {
        if !self.committed {
            // A spare made from the output and not changed yet is kept for the next build.
            let kept = self.kept().entries.len();
            if self.changing.get().is_none() && kept > 0 {
                let _ = fs::write(self.spare.join(MANIFEST), self.kept().text());
            }
            self.folder.abandon();
        }
    }
}

impl<'a> Staging<'a> {
    /// Starts a build of `folder`; `previous` is the manifest of the output folder (`None`:
    /// read it from the folder).
    pub fn begin(
        folder: &OutputFolder,
        previous: Option<Manifest>,
        mode: Mode,
        observer: Option<&'a Observer<'a>>,
    ) -> Result<Staging<'a>> {
        let lock = folder.prepare()?;
        let mut warnings = Vec::new();
        let live = previous.unwrap_or_else(|| Manifest::read(&folder.dir, &mut warnings));
        let spare = folder.spare();
        let kept = std::sync::OnceLock::new();
        let mut cloning = None;
        let fresh = if spare.join(MANIFEST).exists() {
            let _ = kept.set(Manifest::read(&spare, &mut warnings));
            false
        } else {
            // No spare yet: start it as a copy of the output, linked file by file, in the
            // background while the content is read and checked.
            fs::create_dir_all(&spare).with_context(|| format!("creating {}", spare.display()))?;
            let (out, to, listed) = (folder.dir.clone(), spare.clone(), live.clone());
            cloning = Some(std::thread::spawn(move || clone_linked(&out, &to, &listed)));
            live.entries.is_empty()
        };
        let trust = mode == Mode::Trust;
        // Files keikaku did not write, found before this build adds its own.
        let foreign = if trust {
            Vec::new()
        } else {
            list_files(&folder.dir)?
                .into_iter()
                .filter(|f| !live.entries.contains_key(f) && f.as_os_str() != MANIFEST)
                .collect()
        };
        let folders = dirs::Folders::new(&spare);
        Ok(Staging {
            spare,
            folder: folder.clone(),
            live,
            kept,
            cloning: Mutex::new(cloning),
            changing: std::sync::OnceLock::new(),
            fresh,
            trust,
            done: Default::default(),
            foreign,
            folders,
            claimed: Default::default(),
            warnings,
            observer,
            committed: false,
            _lock: lock,
        })
    }

    /// A folder for the build's scratch files, removed when the build ends.
    pub fn scratch(&self) -> PathBuf {
        self.folder.scratch()
    }

    /// What the spare held when this build began (waiting for it to be made, if need be).
    fn kept(&self) -> &Manifest {
        self.kept.get_or_init(|| {
            let handle = self.cloning.lock().unwrap_or_else(|e| e.into_inner()).take();
            // The thread only links files; it panics on a bug only.
            handle.map(|h| h.join().unwrap_or_default()).unwrap_or_default()
        })
    }

    /// Marks the spare as being changed (its manifest removed), before the first change: a
    /// run that stops after it leaves a spare the next run throws away.
    fn changing(&self) -> Result<()> {
        let r = self
            .changing
            .get_or_init(|| match fs::remove_file(self.spare.join(MANIFEST)) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    Err(format!("removing {}: {e}", self.spare.join(MANIFEST).display()))
                }
                _ => Ok(()),
            });
        r.clone().map_err(anyhow::Error::msg)
    }

    /// Tells the observer an event; the message is only written out when there is one (a
    /// build stages thousands of files).
    fn tell(&self, what: std::fmt::Arguments<'_>) {
        if let Some(o) = self.observer {
            o(&what.to_string());
        }
    }

    /// Whether the file at `p` is still what `e` says keikaku wrote there (size and time). A
    /// file of the output is taken on trust in [`Mode::Trust`]; one of the spare never is:
    /// `serve` changes files of its output after their manifest was written, and the output
    /// becomes the next spare.
    fn intact(&self, p: &Path, e: &Entry, in_output: bool) -> bool {
        (in_output && self.trust)
            || fs::symlink_metadata(p).is_ok_and(|m| m.is_file() && m.len() == e.size && mtime_of(&m) == e.mtime)
    }

    /// Puts a file with contents of hash `h` at `path` in the spare: left alone when the
    /// spare holds it, linked when the output holds it, else made by `make` (a new file at the
    /// path it is given, with an open folder above it to make it from).
    fn settle(&self, path: &Path, h: u64, make: &Make<'_>) -> Result<()> {
        anyhow::ensure!(is_inside(path), "a rendered file has the path {}", path.display());
        if !self
            .claimed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.to_path_buf())
        {
            anyhow::bail!(
                "two files of the build would be {}: a file of static/ has the name of a page or file keikaku makes; rename or move it",
                path.display()
            );
        }
        let dst = self.spare.join(path);
        let (entry, wrote) = self.place(path, &dst, h, make)?;
        self.record(path.to_path_buf(), entry, wrote);
        Ok(())
    }

    /// Brings the spare's `dst` to contents of hash `h` (see [`Staging::settle`]).
    fn place(&self, path: &Path, dst: &Path, h: u64, make: &Make<'_>) -> Result<(Entry, bool)> {
        if let Some(e) = self.kept().entries.get(path).filter(|e| e.hash == h)
            && self.intact(dst, e, false)
        {
            return Ok((*e, false));
        }
        self.changing()?;
        let above = match dst.parent() {
            Some(d) => self.folders.make(d)?,
            None => None,
        };
        if let Some(e) = self.live.entries.get(path).filter(|e| e.hash == h) {
            let src = self.folder.dir.join(path);
            if self.intact(&src, e, true) && replace_with(dst, self.fresh, |tmp| Ok(fs::hard_link(&src, tmp)?)).is_ok()
            {
                return Ok((*e, false));
            }
        }
        let e = replace_with(dst, self.fresh, |p| make(p, above.as_deref()))
            .with_context(|| format!("writing {}", dst.display()))?;
        Ok((e, true))
    }

    /// Stages one file.
    pub fn put(&self, f: OutputFile) -> Result<()> {
        let h = hash(&f.bytes);
        self.settle(&f.path, h, &|p, above| write_file(p, above, &f.bytes, h))
    }

    /// Stages a file made elsewhere (a PDF in the scratch folder) whose contents hash to `h`.
    pub fn put_file(&self, path: &Path, src: &Path, h: u64) -> Result<()> {
        self.settle(path, h, &|p, _| {
            link_or_copy(src, p)?;
            let meta = fs::metadata(p).with_context(|| format!("reading {}", p.display()))?;
            Ok(Entry {
                hash: h,
                size: meta.len(),
                mtime: mtime_of(&meta),
            })
        })
    }

    fn record(&self, path: PathBuf, entry: Entry, wrote: bool) {
        let mut done = self.done.lock().unwrap_or_else(|e| e.into_inner());
        done.push((path, entry, wrote));
        let n = done.len();
        drop(done);
        self.tell(format_args!("staged {n}"));
    }

    /// Removes from the spare what this build does not make, carries over the files keikaku
    /// did not write, records the manifest and swaps the spare in.
    pub fn commit(mut self) -> Result<(WriteReport, Manifest)> {
        let done = std::mem::take(&mut *self.done.lock().unwrap_or_else(|e| e.into_inner()));
        let written = done.iter().filter(|r| r.2).count();
        let mut manifest = Manifest {
            entries: done.into_iter().map(|(p, e, _)| (p, e)).collect(),
            carried: Vec::new(),
        };
        let removed = self
            .live
            .entries
            .keys()
            .filter(|p| !manifest.entries.contains_key(*p))
            .count();
        let foreign: Vec<PathBuf> = self
            .foreign
            .iter()
            .filter(|f| !manifest.entries.contains_key(*f))
            .cloned()
            .collect();
        self.changing()?;
        self.prune(&manifest, &foreign)?;
        for f in &foreign {
            let (src, dst) = (self.folder.dir.join(f), self.spare.join(f));
            if let Some(d) = dst.parent() {
                fs::create_dir_all(d).with_context(|| format!("creating {}", d.display()))?;
            }
            replace_with(&dst, false, |tmp| link_or_copy(&src, tmp))?;
        }
        manifest.carried = foreign.clone();
        if let Ok(meta) = fs::metadata(&self.folder.dir) {
            // The new output keeps the output folder's permissions (a web root's 750, say).
            let _ = fs::set_permissions(&self.spare, meta.permissions());
        }
        let text = manifest.text();
        write_manifest(&self.spare, &text)?;
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
                kept_foreign: foreign,
                warnings: std::mem::take(&mut self.warnings),
            },
            manifest,
        ))
    }

    /// Removes from the spare every file this build does not make and that is not to be
    /// carried over, with the folders that become empty.
    fn prune(&self, manifest: &Manifest, foreign: &[PathBuf]) -> Result<()> {
        // What the spare holds: the files its manifest lists, written or carried over.
        let kept = self.kept();
        if kept.entries.is_empty() && kept.carried.is_empty() {
            return Ok(());
        }
        let keep: HashSet<&Path> = manifest
            .entries
            .keys()
            .map(PathBuf::as_path)
            .chain(foreign.iter().map(PathBuf::as_path))
            .collect();
        let held: BTreeSet<&PathBuf> = kept.entries.keys().chain(&kept.carried).collect();
        let gone: Vec<&PathBuf> = held.into_iter().filter(|p| !keep.contains(p.as_path())).collect();
        for p in gone {
            let full = self.spare.join(p);
            match fs::remove_file(&full) {
                Ok(()) => remove_empty_parents(&self.spare, &full),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e).with_context(|| format!("removing {}", full.display())),
            }
        }
        Ok(())
    }
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

    /// The names in the work folder.
    fn work_names(folder: &OutputFolder) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(&folder.work)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn keeps_only_the_spare_and_cleans_what_a_killed_run_left() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        write_output(&out, vec![f("a.html", "a")]);
        write_output(&out, vec![f("a.html", "b")]);
        let folder = OutputFolder::new(&out).unwrap();
        assert_eq!(work_names(&folder), ["lock", "spare"]);
        assert_eq!(
            fs::read_to_string(folder.spare().join("a.html")).unwrap(),
            "a",
            "the spare is the build before"
        );
        // A run killed while working leaves files in the work folder.
        fs::create_dir_all(folder.scratch()).unwrap();
        fs::write(folder.scratch().join("keikaku-1.pdf"), "x").unwrap();
        fs::write(folder.work.join("stray"), "x").unwrap();
        fs::remove_file(folder.spare().join(MANIFEST)).unwrap(); // a half-updated spare
        write_output(&out, vec![f("a.html", "c")]);
        assert_eq!(work_names(&folder), ["lock", "spare"]);
        assert_eq!(fs::read_to_string(out.join("a.html")).unwrap(), "c");
    }

    #[test]
    fn a_file_edited_in_place_in_the_output_is_put_back_and_the_spare_is_not_trusted_for_it() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        write_output(&out, vec![f("a.html", "a"), f("b.html", "b")]);
        write_output(&out, vec![f("a.html", "a"), f("b.html", "b")]);
        // Appending changes the file that the output and the spare share.
        use std::io::Write;
        fs::OpenOptions::new()
            .append(true)
            .open(out.join("a.html"))
            .unwrap()
            .write_all(b" edited")
            .unwrap();
        let (r, _) = write_output(&out, vec![f("a.html", "a"), f("b.html", "b")]);
        assert_eq!(fs::read_to_string(out.join("a.html")).unwrap(), "a");
        assert_eq!(r.written, 1);
        // The spare now holds the edited file: it is not trusted, but linked anew.
        write_output(&out, vec![f("a.html", "a"), f("b.html", "b")]);
        assert_eq!(fs::read_to_string(out.join("a.html")).unwrap(), "a");
        let folder = OutputFolder::new(&out).unwrap();
        assert_eq!(fs::read_to_string(folder.spare().join("a.html")).unwrap(), "a");
    }

    #[test]
    fn a_foreign_file_removed_from_the_output_does_not_come_back() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        write_output(&out, vec![f("a.html", "a")]);
        fs::write(out.join(".htaccess"), "x").unwrap();
        write_output(&out, vec![f("a.html", "a")]);
        write_output(&out, vec![f("a.html", "a")]);
        assert!(out.join(".htaccess").exists());
        fs::remove_file(out.join(".htaccess")).unwrap();
        write_output(&out, vec![f("a.html", "a")]);
        write_output(&out, vec![f("a.html", "a")]);
        assert!(!out.join(".htaccess").exists());
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
    fn a_build_whose_workers_all_wait_for_the_spare_still_finishes() {
        // The second build starts its spare as links to the output's 3,000 files in the
        // background; every worker of the pool then stages a file at once, and so waits for
        // those links. Making them must not need the waiting workers.
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        let pages = |text: &'static str| (0..3000).map(move |i| f(&format!("p{i}/index.html"), text));
        write_output(&out, pages("a").collect());
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let folder = OutputFolder::new(&out).unwrap();
            let w = Staging::begin(&folder, None, Mode::Check, None).unwrap();
            let workers = rayon::current_num_threads();
            let all_busy = std::sync::Barrier::new(workers);
            rayon::scope(|s| {
                for i in 0..workers {
                    let (w, all_busy) = (&w, &all_busy);
                    s.spawn(move |_| {
                        all_busy.wait();
                        w.put(f(&format!("p{i}/index.html"), "b")).unwrap();
                    });
                }
            });
            for p in pages("b").skip(workers) {
                w.put(p).unwrap();
            }
            let _ = tx.send(w.commit().unwrap().0.files);
        });
        // A guard, not a timing: the build takes well under a second, a deadlock forever.
        let files = rx.recv_timeout(std::time::Duration::from_secs(120));
        assert_eq!(
            files.ok(),
            Some(3000),
            "the build never finished: its workers waited for each other"
        );
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
