//! Write stage: the manifest — the list of files keikaku wrote into an output folder, with a
//! hash, size and modification time each, so that an unchanged file is recognised without
//! reading it and a file changed by hand is written again. Paths read back from disk are
//! checked: one that would leave the output folder is dropped with a warning.

use std::collections::HashMap;
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::time::UNIX_EPOCH;

/// The list of files keikaku wrote, kept in the output folder to tell them from others.
pub const MANIFEST: &str = ".keikaku-manifest";

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

impl Entry {
    /// An entry whose contents are unknown: the file is written again.
    const UNKNOWN: Entry = Entry {
        hash: 0,
        size: u64::MAX,
        mtime: 0,
    };
}

/// The files keikaku wrote into an output folder, and those it carried over into it from the
/// build before (files keikaku did not write, such as a `.htaccess`).
#[derive(Clone, Debug, Default)]
pub struct Manifest {
    /// By path inside the output folder.
    pub entries: HashMap<PathBuf, Entry>,
    /// Files carried over (lines `-<TAB>path`).
    pub carried: Vec<PathBuf>,
}

/// Whether `p` names a file inside a folder: relative, made only of plain names.
pub fn is_inside(p: &Path) -> bool {
    !p.as_os_str().is_empty() && p.components().all(|c| matches!(c, Component::Normal(_)))
}

impl Manifest {
    /// Reads the manifest of `out` (empty when there is none). Lines of the older format (a
    /// path only) count as unknown contents, so those files are written again. A path that
    /// is absolute or climbs out of the folder (`..`) is left out and named in `warnings`:
    /// the manifest is a file anybody can edit, and its paths decide what is removed.
    pub fn read(out: &Path, warnings: &mut Vec<String>) -> Manifest {
        let text = fs::read_to_string(out.join(MANIFEST)).unwrap_or_default();
        let mut entries = HashMap::new();
        let mut carried = Vec::new();
        for line in text.lines().filter(|l| !l.is_empty()) {
            let (path, entry) = match line.split_once('\t') {
                Some(("-", path)) => (path, None),
                Some((head, path)) => (path, Some(parse_entry(head))),
                None => (line, Some(Entry::UNKNOWN)),
            };
            let path = PathBuf::from(path);
            if is_inside(&path) {
                match entry {
                    Some(e) => {
                        entries.insert(path, e);
                    }
                    None => carried.push(path),
                }
            } else {
                warnings.push(format!(
                    "ignored `{}` in {}: it is not a path inside the output folder",
                    path.display(),
                    out.join(MANIFEST).display()
                ));
            }
        }
        Manifest { entries, carried }
    }

    /// The manifest as its file holds it: one line a file, sorted by path, then the files
    /// carried over.
    pub fn text(&self) -> String {
        let mut lines: Vec<(String, &Entry)> = self
            .entries
            .iter()
            .map(|(p, e)| (p.to_string_lossy().replace('\\', "/"), e))
            .collect();
        lines.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out = String::with_capacity(lines.iter().map(|(p, _)| p.len() + 60).sum());
        use std::fmt::Write;
        for (p, e) in lines {
            let _ = writeln!(out, "{:016x} {} {}\t{p}", e.hash, e.size, e.mtime);
        }
        for p in &self.carried {
            let _ = writeln!(out, "-\t{}", p.to_string_lossy().replace('\\', "/"));
        }
        out
    }
}

fn parse_entry(head: &str) -> Entry {
    let mut f = head.split(' ');
    let hash = f.next().and_then(|h| u64::from_str_radix(h, 16).ok());
    let size = f.next().and_then(|s| s.parse().ok());
    let mtime = f.next().and_then(|s| s.parse().ok());
    match (hash, size, mtime) {
        (Some(hash), Some(size), Some(mtime)) => Entry { hash, size, mtime },
        _ => Entry::UNKNOWN,
    }
}

/// The hash the manifest records for some contents.
pub fn hash(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// The modification time the manifest records for a file.
pub fn mtime_of(meta: &fs::Metadata) -> u128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_one_line_a_file_in_path_order_and_reads_it_back() {
        let mut m = Manifest::default();
        let entries = [
            ("b/index.html", 0x00ab_cdef_0123_4567, 8_300, 1_796_309_403_225_792_123),
            ("a.html", u64::MAX, 0, 0),
            ("c/d.css", 0, u64::MAX, u128::from(u64::MAX) + 1),
        ];
        for (p, hash, size, mtime) in entries {
            m.entries.insert(p.into(), Entry { hash, size, mtime });
        }
        m.carried.push(".htaccess".into());
        let mut sorted = entries;
        sorted.sort_by_key(|e| e.0);
        let expected: String = sorted
            .iter()
            .map(|(p, hash, size, mtime)| format!("{hash:016x} {size} {mtime}\t{p}\n"))
            .chain(["-\t.htaccess\n".to_string()])
            .collect();
        assert_eq!(m.text(), expected);
        let mut warnings = Vec::new();
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(MANIFEST), m.text()).unwrap();
        let back = Manifest::read(dir.path(), &mut warnings);
        assert_eq!(back.entries, m.entries);
        assert_eq!(back.carried, m.carried);
    }

    #[test]
    fn reads_the_older_manifest_format() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(MANIFEST), "a.html\nb/index.html\n").unwrap();
        let m = Manifest::read(dir.path(), &mut Vec::new());
        assert_eq!(m.entries.len(), 2);
        assert_eq!(m.entries[Path::new("a.html")].size, u64::MAX);
    }

    #[test]
    fn drops_paths_that_leave_the_output_folder() {
        let dir = tempfile::tempdir().unwrap();
        let line = |p: &str| format!("0000000000000001 1 1\t{p}\n");
        let text = [line("a.html"), line("/etc/passwd"), line("../x"), line("a/../../y")].concat();
        fs::write(dir.path().join(MANIFEST), text).unwrap();
        let mut warnings = Vec::new();
        let m = Manifest::read(dir.path(), &mut warnings);
        assert_eq!(m.entries.keys().collect::<Vec<_>>(), vec![Path::new("a.html")]);
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        assert!(warnings[0].contains("/etc/passwd"));
    }
}
