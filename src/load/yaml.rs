//! Load stage: YAML with located errors. Every YAML value an editor writes (front-matter,
//! configuration, data tables) goes through [`parse`], so every mistake gets a file:line:col.

use std::ops::Range;

use serde::de::DeserializeOwned;
use serde_saphyr::Location;

use crate::diag::{Diagnostic, Diagnostics, FileId, Sources};

/// Where a YAML text sits inside its file, to turn YAML locations into file byte ranges.
#[derive(Clone, Copy)]
pub struct YamlSource {
    /// The file.
    pub file: FileId,
    /// Byte offset of the YAML text in the file.
    pub base: usize,
    /// Number of lines of the file before the YAML text.
    pub line_offset: usize,
}

impl YamlSource {
    /// The byte range in the file of a located YAML value.
    pub fn span(&self, sources: &Sources, loc: &Location) -> Range<usize> {
        self.span_at(sources, &Place::of(loc))
    }

    /// The byte range in the file of a value read at `place` of the YAML text.
    pub fn span_at(&self, sources: &Sources, place: &Place) -> Range<usize> {
        let text = sources.text(self.file);
        if let Some((off, len)) = place.bytes {
            let start = self.base + off as usize;
            let end = (start + len.max(1) as usize).min(text.len());
            if start <= text.len() && text.is_char_boundary(start) && text.is_char_boundary(end) {
                return start..end;
            }
        }
        let start = sources.offset_of(self.file, place.line as usize + self.line_offset, place.column as usize);
        let end = text[start..]
            .chars()
            .next()
            .map(|c| start + c.len_utf8())
            .unwrap_or(start);
        start..end
    }
}

/// Where a value was read in a YAML text: what [`YamlSource::span_at`] needs of it. Kept
/// apart from the YAML reader's own location, whose fields are private to it, so that the
/// front-matter read without the reader (`load::plain`) can say the same.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Place {
    /// Byte offset and length of the value in the YAML text, when known.
    pub bytes: Option<(u64, u64)>,
    /// Line (from 1) in the YAML text.
    pub line: u64,
    /// Column (from 1, in characters) in its line.
    pub column: u64,
}

impl Place {
    /// The place of a value the YAML reader located.
    pub fn of(loc: &Location) -> Place {
        let s = loc.span();
        Place {
            bytes: s.byte_offset().zip(s.byte_len()),
            line: loc.line(),
            column: loc.column(),
        }
    }
}

/// Parses YAML into `T`. On failure records a diagnostic (with `what` naming the kind of
/// file, e.g. "front-matter") and returns `None`.
pub fn parse<T: DeserializeOwned>(
    sources: &Sources,
    src: YamlSource,
    text: &str,
    what: &str,
    diags: &mut Diagnostics,
) -> Option<T> {
    match serde_saphyr::from_str::<T>(text) {
        Ok(v) => Some(v),
        Err(e) => {
            diags.push(yaml_error(sources, src, &e, what));
            None
        }
    }
}

fn yaml_error(sources: &Sources, src: YamlSource, e: &serde_saphyr::Error, what: &str) -> Diagnostic {
    let raw = e.without_snippet().to_string();
    let msg = match raw.rfind(" at line ") {
        Some(i) => raw[..i].to_string(),
        None => raw.clone(),
    };
    let (code, hint) = classify(&msg);
    let mut span = e.location().map(|loc| src.span(sources, &loc));
    // A quote left open is found where it ends, lines later: point at the line it opens on.
    let unclosed = msg.contains("quoted scalar") || msg.contains("unclosed") || msg.contains("quote");
    if unclosed && let Some(r) = &span {
        let text = sources.text(src.file);
        let before = &text[src.base.min(r.start)..r.start];
        let mut offset = src.base.min(r.start);
        for line in before.split_inclusive('\n') {
            let quotes = line.matches('"').count();
            if quotes % 2 == 1
                && let Some(q) = line.find('"')
            {
                span = Some(offset + q..offset + q + 1);
                break;
            }
            offset += line.len();
        }
    }
    let found = span
        .as_ref()
        .map(|r| sources.text(src.file)[r.clone()].trim().to_string())
        .unwrap_or_default();
    let msg = if unclosed {
        "a quoted value is not closed on its line".to_string()
    } else {
        plain_words(&msg, &found)
    };
    let mut d = Diagnostic::error(code, format!("{what}: {msg}"));
    if let Some(span) = span {
        let label = if unclosed {
            "this quote is not closed".to_string()
        } else {
            short_label(&msg)
        };
        d = d.at(src.file, span, label);
    } else {
        let start = src.base.min(sources.text(src.file).len());
        d = d.at(src.file, start..start, "in this YAML");
    }
    if let Some(h) = hint {
        d = d.hint(h);
    }
    d
}

/// Rewrites the parser's type words (`invalid u32`) in words an editor knows.
fn plain_words(msg: &str, found: &str) -> String {
    let number_types = ["u8", "u16", "u32", "u64", "i32", "i64", "usize"];
    for t in number_types {
        if msg == format!("invalid {t}") {
            return format!("expected a whole number, found `{found}`");
        }
    }
    if msg == "invalid f64" || msg == "invalid f32" {
        return format!("expected a number, found `{found}`");
    }
    msg.to_string()
}

fn short_label(msg: &str) -> String {
    if msg.starts_with("unknown field") {
        "unknown field".into()
    } else if msg.starts_with("missing field") {
        "missing field".into()
    } else if msg.starts_with("invalid") || msg.starts_with("expected a") {
        "wrong type".into()
    } else {
        msg.chars().take(60).collect()
    }
}

fn classify(msg: &str) -> (&'static str, Option<String>) {
    if msg.starts_with("unknown field") {
        (
            "unknown-field",
            Some("check the spelling of the field name; the fields this file may have are listed above".into()),
        )
    } else if msg.starts_with("missing field") {
        (
            "missing-field",
            Some("add the field; see docs/editing.ja.md for the fields each kind of file needs".into()),
        )
    } else if msg.contains("quoted scalar") || msg.contains("quote") {
        (
            "yaml-syntax",
            Some("a value that starts with a quote (\" or ') must end with the same quote on the same line; add the closing quote, or remove the opening one".into()),
        )
    } else if msg.contains("invalid") || msg.contains("expected") && !msg.contains("scalar") {
        ("wrong-type", Some("the value has the wrong type: numbers are written without quotes, lists as [a, b] or as lines starting with `- `".into()))
    } else if msg.contains("is not a fiscal year") {
        ("bad-fiscal-year", None)
    } else {
        ("yaml-syntax", Some("YAML needs `name: value` on each line, consistent indentation with spaces (not tabs), and quotes around values that contain `: ` or start with `[`, `{`, `*`, `&` or `#`".into()))
    }
}
