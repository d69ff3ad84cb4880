//! On top of the pipeline: translation status for translators — which English files are
//! missing, stale or unverified — and marking a translation as made from the current
//! Japanese text (writes `translated_from` into its front-matter).

use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::Serialize;

use crate::diag::Sources;
use crate::model::{Plan, TranslationStatus};
pub use crate::resolve::stale::{StaleInfo, stale_info};

/// One item's translation state.
#[derive(Serialize)]
pub struct Status {
    /// Item id.
    pub id: String,
    /// Japanese file.
    pub source: String,
    /// English file, if any.
    pub translation: Option<String>,
    /// State.
    pub status: TranslationStatus,
    /// Digest of the current Japanese text.
    pub digest: String,
}

/// The translation state of every item, in plan order.
pub fn statuses(plan: &Plan, sources: &Sources) -> Vec<Status> {
    plan.items
        .iter()
        .map(|i| Status {
            id: i.id.clone(),
            source: sources.path(i.ja.file).display().to_string(),
            translation: i.en.as_ref().map(|e| sources.path(e.file).display().to_string()),
            status: i.translation,
            digest: i.digest.clone(),
        })
        .collect()
}

/// Sets `translated_from: <digest>` in the front-matter of an English file's text.
pub fn set_translated_from(text: &str, digest: &str) -> Option<String> {
    let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
    if lines.first().map(|l| l.trim_end()) != Some("---") {
        return None;
    }
    let close = lines.iter().skip(1).position(|l| l.trim_end() == "---")? + 1;
    let new_line = format!("translated_from: {digest}\n");
    if let Some(i) = (1..close).find(|&i| lines[i].starts_with("translated_from:")) {
        lines[i] = &new_line;
        Some(lines.concat())
    } else {
        lines.insert(close, &new_line);
        Some(lines.concat())
    }
}

/// Marks the translations of `ids` (or of every item, when `ids` is empty) as made from the
/// current Japanese text. Returns the files changed.
pub fn mark_current(content: &Path, plan: &Plan, sources: &Sources, ids: &[String]) -> Result<Vec<String>> {
    let mut changed = Vec::new();
    for id in ids {
        if plan.item(id).is_none() {
            bail!("there is no item with the id `{id}`");
        }
    }
    for item in &plan.items {
        if !ids.is_empty() && !ids.contains(&item.id) {
            continue;
        }
        let Some(en) = &item.en else {
            if !ids.is_empty() {
                bail!("`{}` has no English file to mark", item.id);
            }
            continue;
        };
        if item.translation == TranslationStatus::Current {
            continue;
        }
        let rel = sources.path(en.file);
        let path = content.join(rel);
        let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        let Some(new) = set_translated_from(&text, &item.digest) else {
            bail!("{} has no front-matter to update", rel.display());
        };
        std::fs::write(&path, new).with_context(|| format!("writing {}", path.display()))?;
        changed.push(rel.display().to_string());
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_or_replaces_translated_from() {
        let t = "---\ntitle: A\n---\nBody\n";
        assert_eq!(
            set_translated_from(t, "abc").unwrap(),
            "---\ntitle: A\ntranslated_from: abc\n---\nBody\n"
        );
        let t2 = "---\ntitle: A\ntranslated_from: old\n---\nBody\n";
        assert_eq!(
            set_translated_from(t2, "new").unwrap(),
            "---\ntitle: A\ntranslated_from: new\n---\nBody\n"
        );
        assert!(set_translated_from("no front matter", "x").is_none());
    }
}
