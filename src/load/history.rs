//! Load stage: the git history of a source file, read with the `git` command when the content
//! folder is in a git repository (nothing is fetched). Used to date a Japanese change that
//! made a translation stale, and to show a translator what changed since.

use std::path::Path;
use std::process::Command;

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git").arg("-C").arg(dir).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// One committed version of a file.
pub struct Revision {
    /// Commit id.
    pub commit: String,
    /// Commit date, `YYYY-MM-DD`.
    pub date: String,
    /// The file's text in that commit.
    pub text: String,
}

/// The committed versions of `file` (relative to `content`), newest first; empty when the
/// folder is not in a git repository or git is not installed.
pub fn revisions(content: &Path, file: &Path) -> Vec<Revision> {
    let file_s = file.to_string_lossy().replace('\\', "/");
    let Some(full) = git(content, &["ls-files", "--full-name", "--", &file_s]) else {
        return Vec::new();
    };
    let full = full.trim().to_string();
    if full.is_empty() {
        return Vec::new();
    }
    let Some(log) = git(content, &["log", "--format=%H %cs", "--", &file_s]) else {
        return Vec::new();
    };
    log.lines()
        .filter_map(|l| l.split_once(' '))
        .filter_map(|(commit, date)| {
            let text = git(content, &["show", &format!("{commit}:{full}")])?;
            Some(Revision {
                commit: commit.to_string(),
                date: date.to_string(),
                text,
            })
        })
        .collect()
}

/// Whether the working copy of `file` differs from its last commit (or is not committed).
pub fn has_uncommitted_changes(content: &Path, file: &Path) -> bool {
    let file_s = file.to_string_lossy().replace('\\', "/");
    match git(content, &["status", "--porcelain", "--", &file_s]) {
        Some(s) => !s.trim().is_empty(),
        None => false,
    }
}

/// A unified diff of `file` from `commit` to the working copy.
pub fn diff_since(content: &Path, file: &Path, commit: &str) -> Option<String> {
    let file_s = file.to_string_lossy().replace('\\', "/");
    git(content, &["diff", "--no-color", commit, "--", &file_s])
}
