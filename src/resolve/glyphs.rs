//! Resolve stage: glyph coverage. A character the PDF fonts lack cannot be set (PDF/A refuses
//! it; the PDFs show 〓 in its place), so every character of the content is checked against
//! the theme's fonts while the content is checked, and reported with its file, line and
//! column.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Mutex, OnceLock};

use crate::diag::{Diagnostic, Diagnostics, FileId, Sources};

use crate::theme::fonts::covers;

/// What is known of characters' coverage (a cache of the constant fonts), shared by all threads: a table for the Basic
/// Multilingual Plane (where nearly all text is; 0 unknown, 1 covered, 2 not), a map for
/// the rest. Each character is looked up in the fonts once per process, however many files
/// and threads meet it.
struct Known {
    bmp: Vec<AtomicU8>,
    other: Mutex<HashMap<char, bool>>,
}

impl Known {
    fn get() -> &'static Known {
        static KNOWN: OnceLock<Known> = OnceLock::new();
        KNOWN.get_or_init(|| Known {
            bmp: (0..0x10000).map(|_| AtomicU8::new(0)).collect(),
            other: Mutex::default(),
        })
    }

    fn covered(&self, c: char) -> bool {
        let covered = covers;
        let Some(slot) = self.bmp.get(c as usize) else {
            let mut other = self.other.lock().unwrap_or_else(|e| e.into_inner());
            return *other.entry(c).or_insert_with(|| covered(c));
        };
        match slot.load(Ordering::Relaxed) {
            0 => {
                let yes = covered(c);
                slot.store(if yes { 1 } else { 2 }, Ordering::Relaxed);
                yes
            }
            v => v == 1,
        }
    }
}

/// The characters of one file that no PDF font has, once each.
fn check_file(sources: &Sources, file: FileId, known: &Known) -> Vec<Diagnostic> {
    let mut reported: HashSet<char> = HashSet::new();
    let mut out = Vec::new();
    for (i, c) in sources.text(file).char_indices() {
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r') {
            // Invisible, and a PDF cannot carry most of them: one error per file.
            if reported.insert(c) {
                out.push(
                    Diagnostic::error("control-character", format!("the file has an invisible control character (U+{:04X})", c as u32))
                        .at(file, i..i + c.len_utf8(), "here")
                        .hint("delete it (it often comes with text pasted from another program); if a line break was meant, start a new line"),
                );
            }
            continue;
        }
        // U+FFFD stands for bytes that were not UTF-8, which has its own error.
        if c.is_ascii_graphic() || c.is_whitespace() || c == '\u{FFFD}' || known.covered(c) {
            continue;
        }
        if reported.insert(c) {
            out.push(
                Diagnostic::warning("missing-glyph", format!("the PDF fonts have no glyph for 「{c}」 (U+{:04X}); the PDFs show 〓 in its place", c as u32))
                    .at(file, i..i + c.len_utf8(), "not in BIZ UDP Mincho or Gothic")
                    .hint("use a common character instead (for example ㈱ → （株）, a standard kanji for a rare variant), or write it out in words"),
            );
        }
    }
    out
}

/// Whether the PDF fonts have a glyph for `c` (looked up once per character per process).
pub fn covered(c: char) -> bool {
    c.is_ascii_graphic() || Known::get().covered(c)
}

/// Reports, once per character and file, every character of `files` that no PDF font has
/// (files are read on all cores).
pub fn check(sources: &Sources, files: impl IntoIterator<Item = FileId>, diags: &mut Diagnostics) {
    use rayon::prelude::*;
    let files: Vec<FileId> = files.into_iter().collect();
    let found: Vec<Vec<Diagnostic>> = files
        .par_iter()
        .map(|&f| check_file(sources, f, Known::get()))
        .collect();
    for d in found.into_iter().flatten() {
        diags.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_a_character_the_fonts_lack() {
        let mut s = Sources::default();
        let f = s.add(std::path::Path::new("a.md"), "見本市は𠮷野家\u{1F600}です。".into());
        let mut d = Diagnostics::default();
        check(&s, [f], &mut d);
        let out = crate::diag::render_plain(&s, &d);
        assert!(out.contains("U+1F600"), "{out}");
        assert!(!out.contains("「小」"), "{out}");
    }

    #[test]
    fn reports_a_control_character_once_per_file() {
        let mut s = Sources::default();
        let f = s.add(
            std::path::Path::new("a.md"),
            "title: 見本\u{1}市\n本文\u{0}と\u{1}\tタブ\r\n".into(),
        );
        let mut d = Diagnostics::default();
        check(&s, [f], &mut d);
        let out = crate::diag::render_plain(&s, &d);
        assert_eq!(d.counts().0, 2, "{out}");
        assert!(out.contains("U+0001") && out.contains("U+0000"), "{out}");
    }

    #[test]
    fn theme_strings_and_marks_are_covered() {
        for lang in crate::model::Lang::ALL {
            for (k, v) in crate::theme::Theme::builtin().strings(lang).iter() {
                for c in v.chars().filter(|c| !c.is_whitespace()) {
                    assert!(covered(c), "string {k} has {c:?}, which the PDF fonts lack");
                }
            }
        }
        for c in (' '..='~').filter(char::is_ascii_graphic) {
            assert!(
                covered(c),
                "ASCII {c:?} is skipped by the check, so the fonts must have it"
            );
        }
        for c in ['✓', '↗', '!', '–', '●', '—', '→', '〜', '•', '〓'] {
            assert!(covered(c), "{c:?} is used by the PDF templates but the fonts lack it");
        }
    }
}
