//! Load stage: the git history of the content folder, read with the `git` command when the
//! folder is in a git repository (nothing is fetched). Used to date a Japanese change that
//! made a translation stale, and to show a translator what changed since. git is asked a
//! fixed number of times per build, whatever the number of files: one `log` for the
//! history of the whole folder, one `status`, and one `cat-file --batch` for the old texts.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

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

/// What git knows of the content folder: for each file (by its path relative to the
/// folder), the commits that changed it, newest first, and whether it has uncommitted
/// changes. Empty when the folder is not in a git repository or git is not installed.
#[derive(Default)]
pub struct History {
    /// The folder's path inside the repository (`content/`), empty at its root.
    prefix: String,
    /// (commit, date) of each commit that changed a file, newest first.
    commits: HashMap<String, Vec<(String, String)>>,
    /// Files with uncommitted changes (or never committed).
    dirty: HashSet<String>,
    dir: std::path::PathBuf,
}

impl History {
    /// Reads the history of `content` (two git processes).
    pub fn read(content: &Path) -> History {
        let Some(prefix) = git(content, &["rev-parse", "--show-prefix"]) else {
            return History::default();
        };
        let prefix = prefix.trim().to_string();
        let mut commits: HashMap<String, Vec<(String, String)>> = HashMap::new();
        if let Some(log) = git(
            content,
            &["log", "--format=%x00%H %cs", "--name-only", "--relative", "--", "."],
        ) {
            for entry in log.split('\0').filter(|e| !e.trim().is_empty()) {
                let mut lines = entry.lines();
                let Some((commit, date)) = lines.next().and_then(|l| l.split_once(' ')) else {
                    continue;
                };
                for file in lines.filter(|l| !l.is_empty()) {
                    commits
                        .entry(file.to_string())
                        .or_default()
                        .push((commit.to_string(), date.to_string()));
                }
            }
        }
        // Porcelain paths are relative to the repository's root.
        let dirty = git(content, &["status", "--porcelain", "--no-renames", "-uall", "--", "."])
            .map(|s| {
                s.lines()
                    .filter_map(|l| l.get(3..))
                    .filter_map(|p| p.trim_matches('"').strip_prefix(prefix.as_str()).map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        History {
            prefix,
            commits,
            dirty,
            dir: content.to_path_buf(),
        }
    }

    fn key(file: &Path) -> String {
        file.to_string_lossy().replace('\\', "/")
    }

    /// Whether the working copy of `file` differs from its last commit (or is not committed).
    pub fn has_uncommitted_changes(&self, file: &Path) -> bool {
        let k = Self::key(file);
        self.dirty.contains(&k) || !self.commits.contains_key(&k)
    }

    /// The committed versions of each of `files`, newest first, read with one `git cat-file`.
    pub fn revisions(&self, files: &[&Path]) -> Vec<Vec<Revision>> {
        let wanted: Vec<Vec<&(String, String)>> = files
            .iter()
            .map(|f| {
                self.commits
                    .get(&Self::key(f))
                    .map(|c| c.iter().collect())
                    .unwrap_or_default()
            })
            .collect();
        let requests: Vec<String> = files
            .iter()
            .zip(&wanted)
            .flat_map(|(f, cs)| {
                let full = format!("{}{}", self.prefix, Self::key(f));
                cs.iter().map(move |(c, _)| format!("{c}:{full}\n"))
            })
            .collect();
        let mut texts = cat_files(&self.dir, &requests).into_iter();
        wanted
            .into_iter()
            .map(|cs| {
                cs.into_iter()
                    .filter_map(|(commit, date)| {
                        let text = texts.next().flatten()?;
                        Some(Revision {
                            commit: commit.clone(),
                            date: date.clone(),
                            text,
                        })
                    })
                    .collect()
            })
            .collect()
    }
}

/// The texts of `requests` (`<commit>:<path>` lines) from one `git cat-file --batch`; `None`
/// for one git does not have.
fn cat_files(dir: &Path, requests: &[String]) -> Vec<Option<String>> {
    if requests.is_empty() {
        return Vec::new();
    }
    let Ok(mut child) = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
    else {
        return vec![None; requests.len()];
    };
    // Written from a thread: git answers while it reads, and both pipes have limits.
    let mut stdin = child.stdin.take();
    let input = requests.concat();
    let writer = std::thread::spawn(move || {
        if let Some(s) = stdin.as_mut() {
            let _ = s.write_all(input.as_bytes());
        }
    });
    let mut out = Vec::with_capacity(requests.len());
    if let Some(stdout) = child.stdout.take() {
        let mut r = BufReader::new(stdout);
        for _ in requests {
            let mut header = String::new();
            if r.read_line(&mut header).unwrap_or(0) == 0 {
                break;
            }
            // `<sha> blob <size>`, or `<request> missing`.
            let size = header
                .trim_end()
                .rsplit(' ')
                .next()
                .and_then(|s| s.parse::<usize>().ok());
            match size.filter(|_| header.contains(" blob ")) {
                Some(n) => {
                    let mut buf = vec![0; n + 1]; // the contents and a newline
                    if r.read_exact(&mut buf).is_err() {
                        break;
                    }
                    buf.pop();
                    out.push(Some(String::from_utf8_lossy(&buf).into_owned()));
                }
                None => out.push(None),
            }
        }
    }
    let _ = writer.join();
    let _ = child.wait();
    out.resize(requests.len(), None);
    out
}

/// A unified diff of `file` from `commit` to the working copy.
pub fn diff_since(content: &Path, file: &Path, commit: &str) -> Option<String> {
    let file_s = file.to_string_lossy().replace('\\', "/");
    git(content, &["diff", "--no-color", commit, "--", &file_s])
}
