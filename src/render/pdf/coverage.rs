//! Render stage (PDF): glyph coverage. Typst draws a character its fonts lack as an empty
//! box without a word, so every character of the content is checked against the theme's
//! fonts first and reported with its file, line and column.

use std::collections::HashSet;

use crate::diag::{Diagnostic, Diagnostics, FileId, Sources};

/// Whether some theme font has a glyph for `c`.
fn covered(c: char) -> bool {
    let (fonts, _) = super::world::fonts();
    fonts.iter().any(|f| f.info().coverage.contains(c as u32))
}

/// Reports, once per character and file, every character of `files` that no PDF font has.
pub fn check(sources: &Sources, files: impl IntoIterator<Item = FileId>, diags: &mut Diagnostics) {
    let mut known_ok: HashSet<char> = HashSet::new();
    let mut known_bad: HashSet<char> = HashSet::new();
    for file in files {
        let mut reported: HashSet<char> = HashSet::new();
        let text = sources.text(file);
        for (i, c) in text.char_indices() {
            // U+FFFD stands for bytes that were not UTF-8, which has its own error.
            if c.is_control() || c.is_whitespace() || c == '\u{FFFD}' || known_ok.contains(&c) || reported.contains(&c)
            {
                continue;
            }
            if !known_bad.contains(&c) {
                if covered(c) {
                    known_ok.insert(c);
                    continue;
                }
                known_bad.insert(c);
            }
            reported.insert(c);
            diags.push(
                Diagnostic::warning("missing-glyph", format!("the PDF fonts have no glyph for 「{c}」 (U+{:04X}); it would print as an empty box", c as u32))
                    .at(file, i..i + c.len_utf8(), "not in BIZ UDP Mincho or Gothic")
                    .hint("use a common character instead (for example ㈱ → （株）, a standard kanji for a rare variant), or write it out in words"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_a_character_the_fonts_lack() {
        let mut s = Sources::default();
        let f = s.add(std::path::Path::new("a.md"), "小諸市は𠮷野家\u{1F600}です。".into());
        let mut d = Diagnostics::default();
        check(&s, [f], &mut d);
        let out = crate::diag::render_plain(&s, &d);
        assert!(out.contains("U+1F600"), "{out}");
        assert!(!out.contains("「小」"), "{out}");
    }

    #[test]
    fn theme_strings_and_marks_are_covered() {
        for lang in crate::model::Lang::ALL {
            for (k, v) in crate::render::theme::strings(lang) {
                for c in v.chars().filter(|c| !c.is_whitespace()) {
                    assert!(covered(c), "string {k} has {c:?}, which the PDF fonts lack");
                }
            }
        }
        for c in ['✓', '↗', '!', '–', '●', '—', '→', '〜'] {
            assert!(covered(c), "{c:?} is used by the PDF templates but the fonts lack it");
        }
    }
}
