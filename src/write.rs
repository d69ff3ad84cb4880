//! Write stage: brings the output folder in line with the rendered files. The whole site is
//! rendered in memory first, so a build with errors writes nothing and the previous output
//! stays as it was. Then only files whose contents changed are written (on all cores), and
//! pages an earlier build wrote and this one no longer makes are removed. Files keikaku did
//! not write (a `.htaccess`, a verification file) are left alone and named.
//!
//! What keikaku wrote is recorded in [`MANIFEST`]: the path, a hash of the contents, the size
//! and the modification time, so an unchanged file is recognised without reading it, and a
//! file changed by hand (other size or time) is written again.

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use anyhow::{Context, Result};

use crate::render::OutputFile;

/// The list of files keikaku wrote, kept in the output folder to tell them from others.
pub const MANIFEST: &str = ".keikaku-manifest";

/// What the write stage did.
#[derive(Debug, Default)]
pub struct WriteReport {
    /// Files the build produced.
    pub files: usize,
    /// Files actually written (the others were already up to date).
    pub written: usize,
    /// Files of an earlier build removed because this build no longer makes them.
    pub removed: usize,
    /// Files in the output that keikaku had not written, left in place.
    pub kept_foreign: Vec<PathBuf>,
}

/// One file keikaku wrote, as the manifest records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    /// xxh3 hash of the contents.
    pub hash: u64,
    /// Size in bytes.
    pub size: u64,
    /// Modification time after writing, in nanoseconds since 1970 (0: unknown).
    pub mtime: u128,
}

/// The files keikaku wrote into an output folder.
#[derive(Clone, Debug, Default)]
pub struct Manifest {
    /// By path inside the output folder.
    pub entries: HashMap<PathBuf, Entry>,
}

impl Manifest {
    /// Reads the manifest of `out` (empty when there is none). Lines of the older format (a
    /// path only) count as unknown contents, so those files are written again.
    pub fn read(out: &Path) -> Manifest {
        let text = fs::read_to_string(out.join(MANIFEST)).unwrap_or_default();
        let entries = text
            .lines()
            .filter(|l| !l.is_empty())
            .map(|line| match line.split_once('\t') {
                Some((head, path)) => {
                    let mut f = head.split(' ');
                    let hash = f.next().and_then(|h| u64::from_str_radix(h, 16).ok());
                    let size = f.next().and_then(|s| s.parse().ok());
                    let mtime = f.next().and_then(|s| s.parse().ok());
                    let entry = match (hash, size, mtime) {
                        (Some(hash), Some(size), Some(mtime)) => Entry { hash, size, mtime },
                        _ => Entry {
                            hash: 0,
                            size: u64::MAX,
                            mtime: 0,
                        },
                    };
                    (PathBuf::from(path), entry)
                }
                None => (
                    PathBuf::from(line),
                    Entry {
                        hash: 0,
                        size: u64::MAX,
                        mtime: 0,
                    },
                ),
            })
            .collect();
        Manifest { entries }
    }

    fn text(&self) -> String {
        let mut lines: Vec<String> = self
            .entries
            .iter()
            .map(|(p, e)| {
                format!(
                    "{:016x} {} {}\t{}\n",
                    e.hash,
                    e.size,
                    e.mtime,
                    p.to_string_lossy().replace('\\', "/")
                )
            })
            .collect();
        lines.sort_by(|a, b| a.split_once('\t').map(|x| x.1).cmp(&b.split_once('\t').map(|x| x.1)));
        lines.concat()
    }
}

/// The hash the manifest records for some contents.
pub fn hash(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

fn mtime_of(meta: &fs::Metadata) -> u128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

/// Whether the file at `p` is still what the manifest says keikaku wrote there.
fn unchanged(p: &Path, recorded: Option<&Entry>, hash: u64, trust: bool) -> Option<Entry> {
    let e = recorded.filter(|e| e.hash == hash)?;
    if trust {
        return Some(*e);
    }
    let meta = fs::metadata(p).ok()?;
    (meta.len() == e.size && mtime_of(&meta) == e.mtime).then_some(*e)
}

/// Creates the folder `d` and those above it, if missing.
fn make_folder(d: &Path) -> Result<()> {
    fs::create_dir_all(d).with_context(|| format!("creating {}", d.display()))
}

/// Writes `bytes` to `p` (its folder exists). Not through a temporary file and a rename: on
/// ext4 a rename over an existing file forces the data to disk, which made a full rewrite
/// three times slower. A write cut short is repaired by the next build, as the manifest is
/// written last.
fn put(p: &Path, bytes: &[u8]) -> Result<Entry> {
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

/// How a [`Writer`] treats the output folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Check each file against the manifest on disk, and look for files keikaku did not write.
    Check,
    /// Trust the manifest given (the output folder is keikaku's alone, as in `serve`).
    Trust,
}

/// Writes the files of one build as they are rendered (from any thread), then removes what
/// the build no longer makes and records the manifest.
pub struct Writer {
    out: PathBuf,
    previous: Manifest,
    trust: bool,
    done: std::sync::Mutex<Vec<(PathBuf, Entry, bool)>>,
    foreign: Vec<PathBuf>,
    /// Folders known to exist, so each is created once rather than looked up per file.
    folders: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
}

impl Writer {
    /// Starts writing into `out`; `previous` is the manifest of the last write there (`None`:
    /// read it from `out`).
    pub fn new(out: &Path, previous: Option<Manifest>, mode: Mode) -> Result<Writer> {
        fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
        let previous = previous.unwrap_or_else(|| Manifest::read(out));
        let trust = mode == Mode::Trust;
        // Files keikaku did not write, found before this build adds its own.
        let foreign = if trust {
            Vec::new()
        } else {
            list_files(out)?
                .into_iter()
                .filter(|f| {
                    let name = f.to_string_lossy();
                    !previous.entries.contains_key(f) && name != MANIFEST && name != ".keep"
                })
                .collect()
        };
        Ok(Writer {
            out: out.to_path_buf(),
            previous,
            trust,
            done: Default::default(),
            foreign,
            folders: Default::default(),
        })
    }

    /// Writes one file, unless the output already holds these contents.
    pub fn put(&self, f: OutputFile) -> Result<()> {
        let p = self.out.join(&f.path);
        let h = hash(&f.bytes);
        let (entry, wrote) = match unchanged(&p, self.previous.entries.get(&f.path), h, self.trust) {
            Some(e) => (e, false),
            None => {
                if let Some(d) = p.parent() {
                    self.folder(d)?;
                }
                (put(&p, &f.bytes)?, true)
            }
        };
        self.done
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((f.path, entry, wrote));
        Ok(())
    }

    /// Makes sure the folder `d` exists.
    fn folder(&self, d: &Path) -> Result<()> {
        if self.folders.lock().unwrap_or_else(|e| e.into_inner()).contains(d) {
            return Ok(());
        }
        make_folder(d)?;
        self.folders
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(d.to_path_buf());
        Ok(())
    }

    /// Copies a file (`static/`) into the output at `dst`.
    pub fn copy(&self, src: &Path, dst: &Path) -> Result<()> {
        let bytes = fs::read(src).with_context(|| format!("reading {}", src.display()))?;
        self.put(OutputFile {
            path: dst.to_path_buf(),
            bytes,
        })
    }

    /// Removes the files of the last build this one did not make, and records the manifest.
    pub fn finish(self) -> Result<(WriteReport, Manifest)> {
        let done = self.done.into_inner().unwrap_or_else(|e| e.into_inner());
        let written = done.iter().filter(|r| r.2).count();
        let manifest = Manifest {
            entries: done.into_iter().map(|(p, e, _)| (p, e)).collect(),
        };
        let gone: Vec<&PathBuf> = self
            .previous
            .entries
            .keys()
            .filter(|p| !manifest.entries.contains_key(*p))
            .collect();
        for p in &gone {
            let full = self.out.join(p);
            match fs::remove_file(&full) {
                Ok(()) => remove_empty_parents(&self.out, &full),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e).with_context(|| format!("removing {}", full.display())),
            }
        }
        fs::write(self.out.join(MANIFEST), manifest.text()).with_context(|| format!("writing the list {MANIFEST}"))?;
        let kept_foreign = self
            .foreign
            .into_iter()
            .filter(|f| !manifest.entries.contains_key(f))
            .collect();
        Ok((
            WriteReport {
                files: manifest.entries.len(),
                written,
                removed: gone.len(),
                kept_foreign,
            },
            manifest,
        ))
    }
}

/// Writes some files of a build whose other files are already in place (an incremental
/// rebuild), updating `manifest` in memory only: the list on disk is rewritten by the next
/// full build, which until then sees the new files as changed and writes them once more.
/// Returns how many were written.
pub fn update(out: &Path, files: Vec<OutputFile>, manifest: &mut Manifest) -> Result<usize> {
    let mut written = 0;
    for f in files {
        let h = hash(&f.bytes);
        if manifest.entries.get(&f.path).is_some_and(|e| e.hash == h) {
            continue;
        }
        let p = out.join(&f.path);
        if let Some(d) = p.parent() {
            make_folder(d)?;
        }
        let e = put(&p, &f.bytes)?;
        manifest.entries.insert(f.path, e);
        written += 1;
    }
    Ok(written)
}

/// Removes the folders above `file` (inside `out`) that are now empty.
fn remove_empty_parents(out: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == out || !d.starts_with(out) || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One build's files through a [`Writer`], as `keikaku build` does.
    fn write_output(out: &Path, files: Vec<OutputFile>) -> (WriteReport, Manifest) {
        let w = Writer::new(out, None, Mode::Check).unwrap();
        for f in files {
            w.put(f).unwrap();
        }
        w.finish().unwrap()
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
    fn reads_the_older_manifest_format() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(MANIFEST), "a.html\nb/index.html\n").unwrap();
        let m = Manifest::read(dir.path());
        assert_eq!(m.entries.len(), 2);
        assert_eq!(m.entries[Path::new("a.html")].size, u64::MAX);
    }
}
