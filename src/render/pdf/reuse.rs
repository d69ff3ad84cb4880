//! `keikaku serve`: the PDFs of the run before, by what each was made from, so that a
//! document whose data, template, edition, pictures and theme did not change is not typeset
//! again — after an edit of a Japanese paragraph, the English documents, and those that cite
//! only page numbers that stayed, are taken as they were. Typst's output depends on nothing
//! else (the date and identifier are fixed), so the file is the one a full build writes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::Edition;
use super::data::PlanPage;

/// A document as the run before made it.
#[derive(Clone)]
pub struct Kept {
    /// The PDF.
    pub bytes: Arc<Vec<u8>>,
    /// Its number of pages.
    pub pages: usize,
    /// For a basic plan, the page of each measure (which the documents citing it use).
    pub measure_pages: HashMap<String, PlanPage>,
}

/// The documents of the last run, and those of the run under way.
#[derive(Default)]
pub struct Reuse {
    last: Mutex<HashMap<u64, Kept>>,
    now: Mutex<HashMap<u64, Kept>>,
}

impl std::fmt::Debug for Reuse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Reuse({} documents)", self.last.lock().map(|m| m.len()).unwrap_or(0))
    }
}

impl Reuse {
    /// The document made from these things by the run before, if any.
    pub fn get(&self, key: u64) -> Option<Kept> {
        let kept = self.last.lock().ok()?.get(&key).cloned()?;
        if let Ok(mut now) = self.now.lock() {
            now.insert(key, kept.clone());
        }
        Some(kept)
    }

    /// Keeps a document made in this run.
    pub fn put(&self, key: u64, kept: Kept) {
        if let Ok(mut now) = self.now.lock() {
            now.insert(key, kept);
        }
    }

    /// Ends a run: what it made or took is what the next one can take (the rest is let go).
    pub fn end_run(&self) {
        if let (Ok(mut last), Ok(mut now)) = (self.last.lock(), self.now.lock()) {
            *last = std::mem::take(&mut *now);
        }
    }
}

/// What a document is made from, hashed: its template, file name, edition, date, the theme,
/// the data and the pictures the data names.
pub fn key(
    main: &str,
    path: &str,
    edition: Edition,
    today: (i32, u8, u8),
    theme: u64,
    data: &serde_json::Value,
) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for part in [main, path, edition.name()] {
        h.update(part.as_bytes());
        h.update(&[0]);
    }
    h.update(&today.0.to_le_bytes());
    h.update(&[today.1, today.2]);
    h.update(&theme.to_le_bytes());
    h.update(&serde_json::to_vec(data).unwrap_or_default());
    for i in data["images"].as_array().into_iter().flatten() {
        if let Some(file) = i["file"].as_str() {
            // A picture changed under the same name is a new document: its size and time
            // of change are part of the key (not its bytes, which typesetting reads anyway);
            // one that cannot be read is left for the typesetting to report.
            h.update(file.as_bytes());
            if let Ok(m) = std::fs::metadata(file) {
                h.update(&m.len().to_le_bytes());
                let changed = m
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
                h.update(&changed.map_or(0, |d| d.as_nanos()).to_le_bytes());
            }
        }
    }
    h.digest()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_keeps_what_it_made_or_took_and_nothing_else() {
        let r = Reuse::default();
        let kept = |n: usize| Kept {
            bytes: Arc::new(vec![n as u8]),
            pages: n,
            measure_pages: HashMap::new(),
        };
        r.put(1, kept(1));
        r.put(2, kept(2));
        r.end_run();
        assert_eq!(r.get(1).map(|k| k.pages), Some(1));
        r.put(3, kept(3));
        r.end_run();
        assert!(r.get(2).is_none(), "not used in the second run, so let go");
        assert_eq!(r.get(1).map(|k| k.pages), Some(1));
        assert_eq!(r.get(3).map(|k| k.pages), Some(3));
    }

    #[test]
    fn the_key_follows_the_data_and_the_edition() {
        let data = serde_json::json!({"title": "計画"});
        let k = |d: &serde_json::Value, e| key("/plan.typ", "a.pdf", e, (2025, 1, 1), 7, d);
        assert_eq!(k(&data, Edition::Screen), k(&data, Edition::Screen));
        assert_ne!(k(&data, Edition::Screen), k(&data, Edition::Print));
        assert_ne!(
            k(&data, Edition::Screen),
            k(&serde_json::json!({"title": "計画案"}), Edition::Screen)
        );
    }
}
