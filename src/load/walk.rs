//! Load stage: which files of the content folder are read. Hidden folders (`.git`) and
//! editors' scratch files are not content; links are followed only to files inside the
//! folder; pipes, sockets and devices are never opened. Each file refused is a diagnostic.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use walkdir::WalkDir;

use crate::diag::{Diagnostic, Diagnostics, Sources};

/// Whether a path inside the content folder has a hidden part (`.git/…`, `.draft.md`): the
/// one rule for what is not content, for reading, linking and watching.
pub fn is_hidden(rel: &Path) -> bool {
    rel.components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
}

/// Whether a file is one that editors write beside the one being saved and then remove: vim's
/// `4913` test file, swap and backup files (`x.swp`, `x~`), Emacs lock and auto-save files
/// (`.#x`, `#x#`), and the temporary names of editors that save through a rename.
pub fn is_editor_scratch(rel: &Path) -> bool {
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    name == "4913"
        || name.ends_with('~')
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || [".swp", ".swx", ".swo", ".tmp", ".bak", ".crswap"]
            .iter()
            .any(|x| name.ends_with(x))
        || name.contains(".sb-")
}

/// Why a file of the content folder is not read.
pub(super) enum Refused {
    /// A link to something outside the content folder.
    Outside(PathBuf),
    /// A link to nothing.
    Broken,
    /// Not a file: a named pipe, a socket or a device (reading one can wait for ever).
    Special(&'static str),
}

/// Whether the file at `rel` may be read: a plain file, or a link to one inside the content
/// folder (`root` is the folder's real path).
pub(super) fn refused(root: &Path, rel: &Path) -> Option<Refused> {
    refused_path(root, &root.join(rel))
}

/// [`refused`] for a full path.
fn refused_path(root: &Path, path: &Path) -> Option<Refused> {
    let path = path.to_path_buf();
    let meta = std::fs::symlink_metadata(&path).ok()?;
    let real = if meta.file_type().is_symlink() {
        match std::fs::canonicalize(&path) {
            Err(_) => return Some(Refused::Broken),
            Ok(t) if !t.starts_with(root) => return Some(Refused::Outside(t)),
            // Hidden folders (`.git`) are not part of the content either.
            Ok(t)
                if t.strip_prefix(root)
                    .is_ok_and(|r| r.iter().any(|c| c.to_string_lossy().starts_with('.'))) =>
            {
                return Some(Refused::Outside(t));
            }
            Ok(t) => std::fs::metadata(t).ok()?,
        }
    } else {
        meta
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let ft = real.file_type();
        let special = if ft.is_fifo() {
            Some("a named pipe (FIFO)")
        } else if ft.is_socket() {
            Some("a socket")
        } else if ft.is_block_device() || ft.is_char_device() {
            Some("a device")
        } else {
            None
        };
        if let Some(s) = special {
            return Some(Refused::Special(s));
        }
    }
    None
}

/// Every file of the content folder (not in hidden folders), in name order. Links are read
/// through only when they lead to a file inside the folder; links elsewhere, broken links and
/// special files are diagnostics, and are not read.
pub(super) fn walk(root: &Path, sources: &mut Sources, diags: &mut Diagnostics) -> Result<Vec<PathBuf>> {
    let real_root = root
        .canonicalize()
        .with_context(|| format!("reading the content folder {}", root.display()))?;
    let mut paths = Vec::new();
    for entry in WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(Path::new(e.file_name())))
    {
        let entry = entry.with_context(|| format!("reading the content folder {}", root.display()))?;
        if entry.file_type().is_dir() {
            continue;
        }
        // walkdir yields paths under root.
        let rel = entry.path().strip_prefix(root).unwrap_or(entry.path()).to_path_buf();
        // A plain file (as the folder listing says, without a look at the file itself) is
        // read; links and special files are looked at first.
        if entry.file_type().is_file() {
            paths.push(rel);
            continue;
        }
        let problem = refused(&real_root, &rel);
        if problem.is_none() && entry.path_is_symlink() && entry.path().is_dir() {
            continue; // a link to a folder inside the content: not followed
        }
        let Some(problem) = problem else {
            paths.push(rel);
            continue;
        };
        let id = sources.add(&rel, String::new());
        diags.push(match problem {
            Refused::Outside(target) => Diagnostic::error(
                "link-outside-content",
                format!("this is a link to {}, outside the content folder", target.display()),
            )
            .at(id, 0..0, "not read, not published")
            .hint("keikaku reads and publishes only what is inside the content folder: copy the file in instead of linking to it"),
            Refused::Broken => Diagnostic::error("broken-link", "this is a link to a file that does not exist")
                .at(id, 0..0, "a link to nothing")
                .hint("remove the link, or put the file it should point to back in place"),
            Refused::Special(what) => Diagnostic::error("special-file", format!("this is {what}, not a file"))
                .at(id, 0..0, "not read")
                .hint("remove it from the content folder: keikaku reads only ordinary files"),
        });
    }
    Ok(paths)
}
