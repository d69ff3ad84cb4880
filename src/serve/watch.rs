//! Serve: watching the content folder. File events come from `notify` through
//! `notify-debouncer-full`, which gathers each file's events and stitches a rename to the file
//! it replaces; where they do not arrive (network drives, WSL, some containers) a polling
//! watcher compares the folder's files, sizes and modification times. Either way, a burst of
//! changes (an editor saving several files, a git checkout) becomes one rebuild after a short
//! quiet period. Which changes matter (not an editor's swap file, not `.git`) is decided by
//! `serve` itself.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::{Duration, SystemTime};

use notify::RecursiveMode;

/// How changes are noticed.
pub enum Mode {
    /// Operating-system file events, debounced.
    Events(Box<notify_debouncer_full::Debouncer<notify::RecommendedWatcher, notify_debouncer_full::RecommendedCache>>),
    /// Scanning the folder every interval.
    Poll,
}

/// What changed: the paths, or nothing known (`None`: look at everything).
pub type Change = Option<Vec<PathBuf>>;

/// A burst of changes.
#[derive(Debug, Default)]
pub struct Batch {
    /// The paths that changed (absolute, as the watcher reported them).
    pub paths: BTreeSet<PathBuf>,
    /// Whether some change came without its paths (then everything may have changed).
    pub unknown: bool,
}

/// A running watcher: receive from `rx` to learn that something changed.
pub struct Watch {
    /// One message per noticed change (not yet debounced).
    pub rx: Receiver<Change>,
    /// How it watches.
    pub mode: Mode,
}

type Snapshot = BTreeMap<PathBuf, (u64, Option<SystemTime>)>;

fn snapshot(root: &Path) -> Snapshot {
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let meta = e.metadata().ok();
            (
                e.path().to_path_buf(),
                (
                    meta.as_ref().map(|m| m.len()).unwrap_or(0),
                    meta.and_then(|m| m.modified().ok()),
                ),
            )
        })
        .collect()
}

fn poll(root: PathBuf, tx: Sender<Change>, every: Duration) {
    // The first look is taken now, so a change made right after `watch` returns is seen.
    let mut last = snapshot(&root);
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(every);
            let now = snapshot(&root);
            if now != last {
                let changed: Vec<PathBuf> = now
                    .iter()
                    .filter(|(p, v)| last.get(*p) != Some(v))
                    .map(|(p, _)| p.clone())
                    .chain(last.keys().filter(|p| !now.contains_key(*p)).cloned())
                    .collect();
                last = now;
                if tx.send(Some(changed)).is_err() {
                    return;
                }
            }
        }
    });
}

/// Watches `roots` recursively: with file events unless `force_poll`, falling back to
/// polling when the event watcher cannot start.
pub fn watch(roots: &[PathBuf], force_poll: bool) -> Watch {
    let (tx, rx) = channel();
    if !force_poll {
        let etx = tx.clone();
        let handler = move |res: notify_debouncer_full::DebounceEventResult| match res {
            Ok(events) => {
                let mut paths = Vec::new();
                let mut rescan = false;
                for ev in events
                    .iter()
                    .filter(|e| !matches!(e.kind, notify::EventKind::Access(_)))
                {
                    rescan |= ev.need_rescan() || ev.paths.is_empty();
                    paths.extend(ev.paths.iter().cloned());
                }
                if rescan || !paths.is_empty() {
                    let _ = etx.send((!rescan).then_some(paths));
                }
            }
            Err(_) => {
                let _ = etx.send(None);
            }
        };
        let started =
            notify_debouncer_full::new_debouncer(Duration::from_millis(20), None, handler).and_then(|mut w| {
                for root in roots {
                    w.watch(root, RecursiveMode::Recursive)?;
                }
                Ok(w)
            });
        if let Ok(w) = started {
            return Watch {
                rx,
                mode: Mode::Events(Box::new(w)),
            };
        }
    }
    for root in roots {
        poll(root.clone(), tx.clone(), Duration::from_millis(300));
    }
    Watch { rx, mode: Mode::Poll }
}

/// Waits for a change, then for `quiet` without further changes; `None` when the watcher
/// has stopped.
pub fn next_batch(rx: &Receiver<Change>, quiet: Duration) -> Option<Batch> {
    let mut batch = Batch::default();
    let mut add = |c: Change| match c {
        Some(paths) => batch.paths.extend(paths),
        None => batch.unknown = true,
    };
    add(rx.recv().ok()?);
    loop {
        match rx.recv_timeout(quiet) {
            Ok(c) => add(c),
            Err(RecvTimeoutError::Timeout) => return Some(batch),
            Err(RecvTimeoutError::Disconnected) => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sees_a_change(force_poll: bool) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), "one").unwrap();
        // `watch` returns once the watcher sees the folder (events set up, or the first look
        // of the polling taken): no wait is needed before changing it.
        let w = watch(&[dir.path().to_path_buf()], force_poll);
        std::fs::write(dir.path().join("a.md"), "two, longer").unwrap();
        std::fs::create_dir(dir.path().join("new")).unwrap();
        std::fs::write(dir.path().join("new/b.md"), "b").unwrap();
        // Several changes arrive as one batch.
        let batch = next_batch(&w.rx, Duration::from_millis(500)).unwrap();
        assert!(
            batch.unknown || batch.paths.iter().any(|p| p.ends_with("a.md")),
            "{batch:?}"
        );
        assert!(
            w.rx.recv_timeout(Duration::from_millis(800)).is_err(),
            "the burst was one batch"
        );
    }

    #[test]
    fn polling_sees_edits_and_new_folders() {
        sees_a_change(true);
    }

    #[test]
    fn file_events_see_edits_and_new_folders() {
        sees_a_change(false);
    }
}
