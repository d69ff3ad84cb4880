//! Resolve stage: when the Japanese text behind a stale translation changed, and which
//! version the translation was made from, from the content's git history.

use std::path::Path;

use crate::diag::Sources;
use crate::load::history::{self, History};
use crate::model::{Item, Plan, TranslationStatus};

/// What git knows about a stale translation's source.
#[derive(Default)]
pub struct StaleInfo {
    /// When the current Japanese text was committed (YYYY-MM-DD).
    pub changed_on: Option<String>,
    /// The commit and date of the Japanese text the translation was made from.
    pub translated_from: Option<(String, String)>,
    /// What changed in the Japanese file since then (unified diff).
    pub diff: Option<String>,
}

/// Looks up stale items' Japanese sources in git history (git is asked a fixed number of
/// times, whatever the number of items). With `diffs`, also what changed since the version
/// each was translated from (one more git process per item: for `keikaku translations`).
pub fn stale_info(history: &History, sources: &Sources, items: &[&Item], diffs: Option<&Path>) -> Vec<StaleInfo> {
    let files: Vec<&Path> = items.iter().map(|i| sources.path(i.ja.file)).collect();
    let all = history.revisions(&files);
    items
        .iter()
        .zip(all)
        .zip(&files)
        .map(|((item, revs), ja)| {
            let digests: Vec<Option<String>> = revs.iter().map(|r| crate::resolve::digest_of_source(&r.text)).collect();
            let mut info = StaleInfo::default();
            if !history.has_uncommitted_changes(ja) {
                // The oldest commit of the newest run of versions with the current text.
                let run = digests
                    .iter()
                    .take_while(|d| d.as_deref() == Some(item.digest.as_str()))
                    .count();
                if run > 0 {
                    info.changed_on = Some(revs[run - 1].date.clone());
                }
            }
            if let Some(w) = &item.translated_from
                && let Some(i) = digests.iter().position(|d| d.as_deref() == Some(w.as_str()))
            {
                info.translated_from = Some((revs[i].commit.clone(), revs[i].date.clone()));
                if let Some(content) = diffs {
                    info.diff = history::diff_since(content, ja, &revs[i].commit);
                }
            }
            info
        })
        .collect()
}

/// Dates the Japanese change behind each stale translation of `plan` (from git, when the
/// content is in a repository).
pub fn date_stale(content: &Path, sources: &Sources, plan: &mut Plan) {
    let stale: Vec<usize> = (0..plan.items.len())
        .filter(|&i| plan.items[i].translation == TranslationStatus::Stale)
        .collect();
    if stale.is_empty() {
        return;
    }
    let history = History::read(content);
    let items: Vec<&Item> = stale.iter().map(|&i| &plan.items[i]).collect();
    let infos = stale_info(&history, sources, &items, None);
    for (i, info) in stale.into_iter().zip(infos) {
        plan.items[i].source_changed = info.changed_on;
    }
}
